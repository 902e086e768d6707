#include "clicommands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("acorn-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    return acorn::cli::run(QCoreApplication::arguments());
}
