#include "releasegate.h"

#include <QDateTime>

#include <algorithm>

namespace acorn::server {

ReleaseGate::ReleaseGate(QList<HalfTerm> halfTerms, QTimeZone zone, QTime releaseTime)
    : m_terms(std::move(halfTerms))
    , m_zone(zone.isValid() ? zone : QTimeZone::utc())
    , m_releaseTime(releaseTime.isValid() ? releaseTime : QTime(16, 0))
{
    std::sort(m_terms.begin(), m_terms.end(),
              [](const HalfTerm &a, const HalfTerm &b) { return a.lastDay < b.lastDay; });
}

ReleaseGate ReleaseGate::forSchool(QList<HalfTerm> halfTerms, const QString &timeZone, const QString &releaseTime)
{
    return ReleaseGate(std::move(halfTerms), QTimeZone(timeZone.toUtf8()),
                       QTime::fromString(releaseTime, QStringLiteral("HH:mm")));
}

qint64 ReleaseGate::endOfDayMs(const QDate &day) const
{
    // Midnight can fall in a DST gap in some zones; QDateTime then moves forward, which
    // is what "the start of the next day" means.
    return QDateTime(day.addDays(1), QTime(0, 0), m_zone).toMSecsSinceEpoch();
}

qint64 ReleaseGate::releaseMomentMs(const HalfTerm &term) const
{
    return QDateTime(term.lastDay, m_releaseTime, m_zone).toMSecsSinceEpoch();
}

qint64 ReleaseGate::calendarCutoff(qint64 nowMs) const
{
    qint64 cutoff = kNothing;
    for (const HalfTerm &term : m_terms) {
        if (releaseMomentMs(term) <= nowMs)
            cutoff = endOfDayMs(term.lastDay);
        else
            break;
    }
    return cutoff;
}

qint64 ReleaseGate::classCutoff(bool live, qint64 earlyThroughMs, qint64 nowMs) const
{
    if (live)
        return kEverything;
    return std::max(calendarCutoff(nowMs), earlyThroughMs);
}

int ReleaseGate::halfTermIndexFor(qint64 observedAtMs) const
{
    for (int i = 0; i < m_terms.size(); ++i) {
        if (observedAtMs < endOfDayMs(m_terms[i].lastDay))
            return i;
    }
    return -1;
}

int ReleaseGate::halfTermIndexByLastDay(const QDate &lastDay) const
{
    for (int i = 0; i < m_terms.size(); ++i) {
        if (m_terms[i].lastDay == lastDay)
            return i;
    }
    return -1;
}

qint64 ReleaseGate::assessmentMomentMs(const QDate &lastDay) const
{
    if (!lastDay.isValid() || halfTermIndexByLastDay(lastDay) < 0)
        return kEverything;
    return endOfDayMs(lastDay.addDays(-1)); // the start of the half term's last day
}

int ReleaseGate::nextReleaseIndex(qint64 nowMs) const
{
    for (int i = 0; i < m_terms.size(); ++i) {
        if (releaseMomentMs(m_terms[i]) > nowMs)
            return i;
    }
    return -1;
}

} // namespace acorn::server
