#pragma once

#include <QByteArray>
#include <QtGlobal>

// Figures of another running process read from /proc, for the benchmarks (tests/bench) and
// the soak (tests/soak): its memory and the CPU time it used.
namespace acorn::test {

// A memory figure of a running process from /proc/PID/status in MiB ("VmHWM:", the peak
// resident set since it started, or "VmRSS:", the resident set now); 0 if unreadable.
double statusMiB(qint64 pid, const QByteArray &field);
// User + system CPU time a running process has used so far, from /proc/PID/stat, in
// seconds; 0 if unreadable.
double cpuSecondsOf(qint64 pid);

} // namespace acorn::test
