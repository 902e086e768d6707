// acorn-soak: the soak of issue 7 (tests/README.md, "Soak"). Defaults are the full form:
// 50 staff devices, 300 parents, 600 seconds against one acorn-server on 127.0.0.1.
#include "soakrun.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QRandomGenerator>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("acorn-soak"));
    // acorn-server is found next to this binary unless ACORN_BINARY_DIR (ctest) says otherwise.
    if (qEnvironmentVariableIsEmpty("ACORN_BINARY_DIR"))
        qputenv("ACORN_BINARY_DIR",
            QDir(QCoreApplication::applicationDirPath() + QStringLiteral("/.."))
                .absolutePath()
                .toLocal8Bit());
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs simulated staff devices and parents against a real acorn-server on "
                       "127.0.0.1 for a set "
                       "time, then checks that nothing was lost or duplicated, every photo's "
                       "bytes, every parent's "
                       "journal against the safeguarding rules, and that the server's memory did "
                       "not keep growing."));
    parser.addHelpOption();
    const QCommandLineOption devices(QStringLiteral("devices"),
        QStringLiteral("Staff devices (default 50)."), QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption parents(QStringLiteral("parents"),
        QStringLiteral("Parents (default 300)."), QStringLiteral("N"), QStringLiteral("300"));
    const QCommandLineOption seconds(QStringLiteral("seconds"),
        QStringLiteral("How long devices and parents keep working (default 600)."),
        QStringLiteral("S"), QStringLiteral("600"));
    const QCommandLineOption seed(QStringLiteral("seed"),
        QStringLiteral(
            "Seed of the random schedule (default: $ACORN_SOAK_SEED, else a fresh one)."),
        QStringLiteral("X"));
    const QCommandLineOption syncs(QStringLiteral("max-syncs"),
        QStringLiteral("Syncs running at once at most, 1 to 32 (default 16)."), QStringLiteral("N"),
        QStringLiteral("16"));
    parser.addOptions({ devices, parents, seconds, seed, syncs });
    parser.process(app);

    acorn::soak::SoakOptions o;
    bool ok = true;
    const auto number = [&](const QCommandLineOption &option, int *to) {
        bool good = false;
        const int v = parser.value(option).toInt(&good);
        if (!good || v < 0) {
            QTextStream(stderr) << "acorn-soak: --" << option.names().first()
                                << " needs a whole number\n";
            ok = false;
        }
        *to = v;
    };
    number(devices, &o.devices);
    number(parents, &o.parents);
    number(seconds, &o.seconds);
    number(syncs, &o.maxSyncsAtOnce);
    QString seedText = parser.value(seed);
    if (seedText.isEmpty())
        seedText = qEnvironmentVariable("ACORN_SOAK_SEED");
    if (seedText.isEmpty()) {
        o.seed = QRandomGenerator::system()->generate();
    } else {
        o.seed = seedText.toUInt(&ok);
        if (!ok)
            QTextStream(stderr)
                << "acorn-soak: the seed must be a whole number from 0 to 4294967295\n";
    }
    // Every connection comes from 127.0.0.1, and the server takes at most 64 per address
    // (server/syncserver.h), counting a closed one until it has handled the close: at 48
    // syncs at once on a busy machine it refused dozens with "too many connections".
    if (ok && (o.maxSyncsAtOnce < 1 || o.maxSyncsAtOnce > 32)) {
        QTextStream(stderr) << "acorn-soak: --max-syncs must be from 1 to 32 (the server allows 64 "
                               "connections per address, and every device here is 127.0.0.1)\n";
        ok = false;
    }
    if (!ok)
        return 2;
    return acorn::soak::runSoak(o);
}
