// acorn-bench: the benchmarks of issue 9 (tests/bench/README.md). Each prints its figures
// and its ratio against a reference measured in the same run. --smoke runs small sizes and
// checks only that what was measured was correct (./acorn test runs it that way).
#include "bench.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>
#include <functional>

int main(int argc, char *argv[])
{
    // QGuiApplication: image plugins (JPEG) are loaded as the apps load them.
    QGuiApplication app(argc, argv);
    // The server's and the client's log lines would bury the figures.
    QLoggingCategory::setFilterRules(QStringLiteral("acorn.*.debug=false\nacorn.*.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Acorn's benchmarks: figures and ratios against references measured in the same run."));
    parser.addHelpOption();
    const QCommandLineOption smoke(QStringLiteral("smoke"),
        QStringLiteral("Small sizes; checks correctness only (for the test suite)."));
    parser.addOption(smoke);
    // Internal: staff-start prepares its device in a child process with its own XDG folders.
    QCommandLineOption prepareStaff(QStringLiteral("prepare-staff-home"));
    prepareStaff.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(prepareStaff);
    parser.addPositionalArgument(QStringLiteral("benchmark"),
        QStringLiteral("upload, storm, sync-cost, capture, staff-start, or all (the default)."));
    parser.process(app);
    if (parser.isSet(prepareStaff))
        return acorn::bench::prepareStaffHome(parser.isSet(smoke));

    const QMap<QString, std::function<int(const acorn::bench::Options &)>> benchmarks {
        { QStringLiteral("sync-cost"), acorn::bench::runSyncCost },
        { QStringLiteral("capture"), acorn::bench::runCapture },
        { QStringLiteral("upload"), acorn::bench::runUpload },
        { QStringLiteral("storm"), acorn::bench::runStorm },
        { QStringLiteral("staff-start"), acorn::bench::runStaffStart },
    };
    QStringList chosen = parser.positionalArguments();
    if (chosen.isEmpty() || chosen == QStringList { QStringLiteral("all") })
        chosen = benchmarks.keys();
    for (const QString &name : chosen) {
        if (!benchmarks.contains(name)) {
            std::fprintf(stderr, "acorn-bench: no benchmark '%s' (there are: %s)\n",
                qPrintable(name), qPrintable(benchmarks.keys().join(QStringLiteral(", "))));
            return 2;
        }
    }

    QTemporaryDir work;
    if (!work.isValid()) {
        std::fprintf(stderr, "acorn-bench: cannot make a temporary directory: %s\n",
            qPrintable(work.errorString()));
        return 1;
    }
    acorn::bench::Options options;
    options.smoke = parser.isSet(smoke);
    options.workDir = work.path();
    QTextStream(stdout) << "acorn-bench" << (options.smoke ? " --smoke (sizes too small for figures that mean anything)" : "")
                        << "\n";
    int rc = 0;
    for (const QString &name : chosen)
        rc |= benchmarks.value(name)(options);
    return rc;
}
