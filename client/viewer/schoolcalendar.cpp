#include "schoolcalendar.h"

#include <QCoreApplication>

#include <algorithm>

namespace acorn::viewer {

SchoolCalendar::SchoolCalendar(
    QTimeZone zone, const QList<wire::HalfTermInfo> &halfTerms, QLocale locale)
    : m_zone(zone.isValid() ? std::move(zone) : QTimeZone::systemTimeZone())
    , m_locale(std::move(locale))
{
    for (const wire::HalfTermInfo &h : halfTerms) {
        Term t { QString::fromStdString(h.name()),
            QDate::fromString(QString::fromStdString(h.first_day()), Qt::ISODate),
            QDate::fromString(QString::fromStdString(h.last_day()), Qt::ISODate) };
        if (t.firstDay.isValid() && t.lastDay.isValid() && t.firstDay <= t.lastDay)
            m_terms.append(t);
    }
    std::sort(m_terms.begin(), m_terms.end(),
        [](const Term &a, const Term &b) { return a.lastDay < b.lastDay; });
}

QDateTime SchoolCalendar::schoolTime(qint64 msSinceEpoch) const
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, QTimeZone::utc()).toTimeZone(m_zone);
}

QString SchoolCalendar::nextUpdateText(const wire::ClassInfo &cls) const
{
    const QString name = QString::fromStdString(cls.name());
    if (name.isEmpty())
        return {};
    if (cls.live())
        return tr("%1 journal: updated as staff add to it").arg(name);
    if (cls.next_release_ms() <= 0)
        return tr("%1 journal: the school has not set the next update date yet").arg(name);
    const QDate day = schoolTime(cls.next_release_ms()).date();
    //: %1 is a class name, %2 a date such as "Fri 18 December"
    return tr("%1 journal: next update on %2")
        .arg(name, m_locale.toString(day, QStringLiteral("ddd d MMMM")));
}

JournalPeriod SchoolCalendar::periodFor(qint64 observedAtMs) const
{
    const QDate day = schoolTime(observedAtMs).date();
    // The first half term whose last day is on or after the day: in it, or in the holiday
    // before it (which counts towards it, as the release rule does).
    const auto it = std::find_if(
        m_terms.cbegin(), m_terms.cend(), [&](const Term &t) { return day <= t.lastDay; });
    const bool beforeCalendar
        = it == m_terms.cbegin() && it != m_terms.cend() && day < it->firstDay;
    if (it != m_terms.cend() && !beforeCalendar) {
        //: half-term heading: %1 its name ("Autumn 2"), %2 the year it starts in
        return { it->firstDay.toString(Qt::ISODate),
            tr("%1 %2").arg(it->name).arg(it->firstDay.year()) };
    }
    // Before or after the calendar the server knows: a plain month.
    return { day.toString(QStringLiteral("yyyy-MM")),
        m_locale.toString(day, QStringLiteral("MMMM yyyy")) };
}

QString SchoolCalendar::formatDateTime(qint64 msSinceEpoch) const
{
    const QDateTime t = schoolTime(msSinceEpoch);
    //: date and time of an observation: %1 the date, %2 the time
    return tr("%1, %2").arg(m_locale.toString(t.date(), QStringLiteral("ddd d MMMM yyyy")),
        m_locale.toString(t.time(), QLocale::ShortFormat));
}

QString SchoolCalendar::formatDate(qint64 msSinceEpoch) const
{
    return m_locale.toString(schoolTime(msSinceEpoch).date(), QStringLiteral("ddd d MMMM yyyy"));
}

} // namespace acorn::viewer
