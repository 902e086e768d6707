#include "memorywatch.h"

#include "processstats.h"

#include <QTimer>

#include <algorithm>

namespace acorn::soak {

MemoryWatch::MemoryWatch(qint64 pid, qint64 runMs)
    : m_pid(pid)
    , m_runMs(std::max<qint64>(runMs, 4))
{ }

void MemoryWatch::start()
{
    m_running = true;
    m_clock.start();
    sample();
}

void MemoryWatch::stop()
{
    m_running = false;
}

void MemoryWatch::sample()
{
    if (!m_running)
        return;
    const qint64 at = m_clock.elapsed();
    if (at >= m_runMs) {
        m_running = false;
        return;
    }
    const double mib = test::statusMiB(m_pid, "VmRSS:");
    if (mib <= 0)
        ++m_unreadable;
    else
        m_samples.append({ at, mib });
    QTimer::singleShot(1000, &m_context, [this] { sample(); });
}

QList<MemoryWatch::Quarter> MemoryWatch::quarters() const
{
    QList<Quarter> q(4);
    for (const auto &[at, mib] : m_samples) {
        Quarter &s = q[int(std::clamp<qint64>(at * 4 / m_runMs, 0, 3))];
        s.minMiB = s.samples ? std::min(s.minMiB, mib) : mib;
        s.peakMiB = std::max(s.peakMiB, mib);
        ++s.samples;
    }
    return q;
}

QStringList MemoryWatch::judge(QStringList *summary) const
{
    QStringList problems;
    const QList<Quarter> q = quarters();
    for (int i = 0; i < 4; ++i) {
        summary->append(QStringLiteral("quarter %1: %2 samples, RSS min %3 MiB, peak %4 MiB")
                            .arg(i + 1)
                            .arg(q[i].samples)
                            .arg(q[i].minMiB, 0, 'f', 1)
                            .arg(q[i].peakMiB, 0, 'f', 1));
    }
    if (m_unreadable)
        problems << QStringLiteral(
            "the server's memory could not be read %1 times (was it running?)")
                        .arg(m_unreadable);
    if (q[1].samples == 0 || q[3].samples == 0) {
        problems << QStringLiteral(
            "too few memory samples to judge growth (quarter 2: %1, quarter 4: %2)")
                        .arg(q[1].samples)
                        .arg(q[3].samples);
        return problems;
    }
    const double bound = q[1].peakMiB * (1 + kGrowthFraction) + kGrowthMiB;
    // Under AddressSanitizer (tests/sanitize) freed memory is held in a quarantine of up to
    // 256 MiB, so the resident set grows whatever the code does: the figures are printed,
    // the bound is not applied, and LeakSanitizer checks for leaks at exit instead.
    const bool enforced = qEnvironmentVariable("ACORN_SOAK_MEMORY_BOUND") != QLatin1String("report");
    summary->append(
        QStringLiteral("bound: last-quarter peak <= second-quarter peak x %1 + %2 MiB = %3 MiB: %4")
            .arg(1 + kGrowthFraction)
            .arg(kGrowthMiB)
            .arg(bound, 0, 'f', 1)
            .arg(!enforced ? QStringLiteral("not applied (ACORN_SOAK_MEMORY_BOUND=report)")
                    : q[3].peakMiB <= bound ? QStringLiteral("held")
                                            : QStringLiteral("BROKEN")));
    if (enforced && q[3].peakMiB > bound)
        problems << QStringLiteral(
            "the server's memory grew: last-quarter peak %1 MiB over the bound %2 MiB "
            "(second-quarter peak %3 MiB)")
                        .arg(q[3].peakMiB, 0, 'f', 1)
                        .arg(bound, 0, 'f', 1)
                        .arg(q[1].peakMiB, 0, 'f', 1);
    return problems;
}

} // namespace acorn::soak
