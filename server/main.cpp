#include "servercommands.h"

#include <QCoreApplication>

#include <sys/stat.h>

int main(int argc, char *argv[])
{
    // Everything the server writes (database, media, backups, keys) holds children's data
    // or guards it: readable by the server's own user alone, whatever the caller's umask.
    ::umask(0077);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("acorn-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ACORN_VERSION));
    return acorn::server::runCommandLine(QCoreApplication::arguments());
}
