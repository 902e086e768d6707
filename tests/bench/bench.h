#pragma once

#include "processstats.h"

#include <QElapsedTimer>
#include <QList>
#include <QString>
#include <QStringList>

#include <ctime>

// Shared by the benchmarks of acorn-bench (tests/bench/README.md): options, a stopwatch for
// wall and process CPU time, and the printed table. Benchmarks print figures and ratios;
// they fail (exit status 1) only when what they measured was wrong, never because it was slow.
namespace acorn::bench {

struct Options
{
    bool smoke = false; // small sizes, for ./acorn test: checks correctness only
    QString workDir; // where files are made
};

// Wall-clock and whole-process CPU time since construction.
class Stopwatch
{
public:
    Stopwatch() : m_cpuStart(cpuNs()) { m_wall.start(); }
    double wallMs() const { return double(m_wall.nsecsElapsed()) / 1e6; }
    double cpuUs() const { return double(cpuNs() - m_cpuStart) / 1e3; }

    static qint64 cpuNs()
    {
        timespec t {};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
    }

private:
    QElapsedTimer m_wall;
    qint64 m_cpuStart;
};

enum class Better { Lower, Higher };

double median(QList<double> values);
void printHeading(const QString &title);
void printRow(const QStringList &cells);
// "0.83 (target < 1.0: met)"
QString ratioText(double ratio, double target, Better better);
// Prints the failure and returns 1.
int fail(const QString &why);

// Memory and CPU time of another process (tests/support/processstats.h).
using test::cpuSecondsOf;
using test::statusMiB;
// Whether something listens on 127.0.0.1:port, from /proc/net/tcp (state 0A: LISTEN).
bool isListening(quint16 port);
// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
quint16 freePort();

int runSyncCost(const Options &options);
int runCapture(const Options &options);
int runUpload(const Options &options);
int runStorm(const Options &options);
int runStaffStart(const Options &options);
// The device acorn-staff starts from (staff-start), made in a child process.
int prepareStaffHome(bool smoke);

} // namespace acorn::bench
