#pragma once

#include "acorn.pb.h"
#include <QCoreApplication>

#include <QDate>
#include <QList>
#include <QLocale>
#include <QString>
#include <QTimeZone>

namespace acorn::viewer {

// One group of a journal: a half term of the school's calendar, or a calendar month when
// the observation falls outside the calendar the server sent.
struct JournalPeriod
{
    QString key; // sorts newest-last as text: "2026-11-02" (first day) or "2026-11" (month)
    QString title; // "Autumn 2 2026" or "November 2026"
};

// The school's calendar and time zone as the viewer shows them: dates in the school's
// zone, journals grouped by half term, and the "next update" line for half-termly classes.
//
// Display only: the server decides what is released; this class never hides or shows an
// observation, it only says which heading it goes under. An observation made in a holiday
// goes under the next half term, as the school's release rule counts it.
class SchoolCalendar
{
    Q_DECLARE_TR_FUNCTIONS(acorn::viewer::SchoolCalendar)

public:
    SchoolCalendar() = default;
    SchoolCalendar(
        QTimeZone zone, const QList<wire::HalfTermInfo> &halfTerms, QLocale locale = QLocale());

    const QTimeZone &zone() const { return m_zone; }
    const QLocale &locale() const { return m_locale; }

    // The moment in the school's zone (the system zone if the server sent none yet).
    QDateTime schoolTime(qint64 msSinceEpoch) const;

    // "Reception journal: next update on Fri 18 December" for a half-termly class; for a
    // live class, that it is updated as staff add to it. Empty for an unnamed class.
    QString nextUpdateText(const wire::ClassInfo &cls) const;

    // The heading an observation made at `observedAtMs` appears under.
    JournalPeriod periodFor(qint64 observedAtMs) const;

    // "Mon 5 October 2026, 09:30" in the school's zone and the viewer's locale.
    QString formatDateTime(qint64 msSinceEpoch) const;
    // "Mon 5 October 2026".
    QString formatDate(qint64 msSinceEpoch) const;

private:
    struct Term
    {
        QString name;
        QDate firstDay;
        QDate lastDay;
    };
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    QList<Term> m_terms; // sorted by last day
    QLocale m_locale;
};

} // namespace acorn::viewer
