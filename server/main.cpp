#include "servercommands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("acorn-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ACORN_VERSION));
    return acorn::server::runCommandLine(QCoreApplication::arguments());
}
