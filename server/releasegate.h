#pragma once

#include <QDate>
#include <QList>
#include <QString>
#include <QTime>
#include <QTimeZone>

#include <limits>

namespace acorn::server {

struct HalfTerm
{
    QString name;
    QDate firstDay;
    QDate lastDay;
};

// The school's calendar rule for half-termly classes (DESIGN.md section 4, rule 3).
//
// A half term's release moment is its last day at the school's release time in the
// school's time zone. An observation belongs to the half term whose last day it falls on
// or before; one made in a holiday belongs to the next half term; one made after the last
// half term of the calendar belongs to none and stays withheld until the calendar is
// extended or a lead releases early.
//
// The gate is expressed as a cutoff: everything observed strictly before the cutoff is
// released. This one number per class is what pulls compare and what cursors remember, so
// a release that happens with no edit still reaches parents (release propagation).
class ReleaseGate
{
public:
    static constexpr qint64 kNothing = std::numeric_limits<qint64>::min();
    static constexpr qint64 kEverything = std::numeric_limits<qint64>::max();

    ReleaseGate(QList<HalfTerm> halfTerms, QTimeZone zone, QTime releaseTime);
    // A school's gate from its settings as stored: an IANA zone ("Europe/London") and a
    // release time ("16:00"); unreadable values fall back to UTC and 16:00.
    static ReleaseGate forSchool(QList<HalfTerm> halfTerms, const QString &timeZone, const QString &releaseTime);

    // Cutoff from the calendar alone at `nowMs`.
    qint64 calendarCutoff(qint64 nowMs) const;
    // Cutoff for a class: live classes release everything; half-termly ones follow the
    // calendar, or an early release through `earlyThroughMs` if that is later.
    qint64 classCutoff(bool live, qint64 earlyThroughMs, qint64 nowMs) const;

    qint64 releaseMomentMs(const HalfTerm &term) const;
    // Index of the half term an observation belongs to, or -1 after the calendar's end.
    int halfTermIndexFor(qint64 observedAtMs) const;
    // Index of the first half term whose release moment is after now, or -1.
    int nextReleaseIndex(qint64 nowMs) const;
    // Start of the day after `day` in the school's zone: "through day D" as a cutoff.
    qint64 endOfDayMs(const QDate &day) const;
    // Index of the half term whose last day is `lastDay`, or -1 when the calendar has none.
    int halfTermIndexByLastDay(const QDate &lastDay) const;
    // The moment an assessment of the half term ending `lastDay` counts as made: the start of
    // that last day. A cutoff above it releases it: the half term's release moment, or a
    // lead's early release made on the last day (or through it); never when the half term is
    // not in the calendar (kEverything).
    qint64 assessmentMomentMs(const QDate &lastDay) const;

    const QList<HalfTerm> &halfTerms() const { return m_terms; }
    const QTimeZone &zone() const { return m_zone; }

private:
    QList<HalfTerm> m_terms; // sorted by last day
    QTimeZone m_zone;
    QTime m_releaseTime;
};

} // namespace acorn::server
