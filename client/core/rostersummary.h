#pragma once

#include "acorn.pb.h"
#include "clientstore.h"

#include <QList>
#include <QString>
#include <QTimeZone>

namespace acorn::client {

// The stretch of time "this half term" means for counting observations: the current half
// term of the school's calendar, including the holiday before it (observations made in a
// holiday count towards the next half term, as the release rule says). Outside the
// calendar, or before the first sync, the last six weeks.
struct CountingPeriod
{
    QString name; // "Autumn 2", or a translated "the last 6 weeks"
    qint64 fromMs = 0;
    qint64 toMs = 0; // exclusive
    bool fromCalendar = false;
    QString lastDay; // the half term's last day (YYYY-MM-DD) when fromCalendar

    static CountingPeriod current(
        const QList<wire::HalfTermInfo> &calendar, const QTimeZone &schoolZone, qint64 nowMs);
    // Every half term of the calendar as a counting period, in calendar order: from the day
    // after the previous half term's last day (its first day for the first one) through its
    // last day. Half terms with unreadable dates are left out.
    static QList<CountingPeriod> halfTerms(
        const QList<wire::HalfTermInfo> &calendar, const QTimeZone &schoolZone);
};

// One child on the staff roster with how often they were observed this half term.
struct ChildSummary
{
    wire::Child child;
    int observations = 0;
    // Noticeably fewer observations than their classmates: none at all, or fewer than half
    // the class median. Guidance for staff, never a rule.
    bool underObserved = false;

    QString ref() const { return QString::fromStdString(child.ref()); }
    QString name() const;
};

// The children this device's user may see (the cached roster: their classes, or all for a
// lead), sorted by class and first name, with observation counts for the counting period.
// Counts come from ClientStore (the synced cache and the outbox together), so an
// observation saved offline counts at once.
class RosterSummary
{
public:
    static QList<ChildSummary> build(ClientStore &store, const CountingPeriod &period);
    static CountingPeriod currentPeriod(ClientStore &store, qint64 nowMs);
};

} // namespace acorn::client
