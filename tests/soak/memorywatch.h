#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

namespace acorn::soak {

// Samples a process's resident set (VmRSS, /proc/PID/status) once a second over a run of a
// known length, and judges whether it grew without bound: after the warm-up (the first
// quarter), the peak of the last quarter may exceed the peak of the second quarter by at
// most kGrowthFraction plus kGrowthMiB. A sample that cannot be read (the process is gone)
// is a problem of its own.
class MemoryWatch
{
public:
    static constexpr double kGrowthFraction = 0.25;
    static constexpr double kGrowthMiB = 16;

    MemoryWatch(qint64 pid, qint64 runMs);
    void start();
    void stop();

    struct Quarter
    {
        int samples = 0;
        double minMiB = 0;
        double peakMiB = 0;
    };
    QList<Quarter> quarters() const;
    int unreadable() const { return m_unreadable; }
    // Problems with the bound (empty when it held); the summary goes to `summary`.
    QStringList judge(QStringList *summary) const;

private:
    void sample();

    qint64 m_pid;
    qint64 m_runMs;
    QObject m_context;
    QElapsedTimer m_clock;
    QList<QPair<qint64, double>> m_samples; // ms since start, MiB
    int m_unreadable = 0;
    bool m_running = false;
};

} // namespace acorn::soak
