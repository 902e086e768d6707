#include "rostersummary.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QHash>

#include <algorithm>

namespace acorn::client {

namespace {

qint64 startOfDayMs(const QDate &day, const QTimeZone &zone)
{
    return day.startOfDay(zone).toMSecsSinceEpoch();
}

} // namespace

QList<CountingPeriod> CountingPeriod::halfTerms(
    const QList<wire::HalfTermInfo> &calendar, const QTimeZone &schoolZone)
{
    const QTimeZone zone = schoolZone.isValid() ? schoolZone : QTimeZone::systemTimeZone();
    struct Term
    {
        QString name;
        QDate first;
        QDate last;
    };
    QList<Term> terms;
    for (const wire::HalfTermInfo &h : calendar) {
        const Term t { QString::fromStdString(h.name()),
            QDate::fromString(QString::fromStdString(h.first_day()), Qt::ISODate),
            QDate::fromString(QString::fromStdString(h.last_day()), Qt::ISODate) };
        if (t.first.isValid() && t.last.isValid() && t.first <= t.last)
            terms.append(t);
    }
    std::sort(
        terms.begin(), terms.end(), [](const Term &a, const Term &b) { return a.last < b.last; });
    QList<CountingPeriod> out;
    for (qsizetype i = 0; i < terms.size(); ++i) {
        CountingPeriod p;
        p.name = terms[i].name;
        p.fromMs = startOfDayMs(i == 0 ? terms[i].first : terms[i - 1].last.addDays(1), zone);
        p.toMs = startOfDayMs(terms[i].last.addDays(1), zone);
        p.fromCalendar = true;
        p.lastDay = terms[i].last.toString(Qt::ISODate);
        out.append(p);
    }
    return out;
}

CountingPeriod CountingPeriod::current(
    const QList<wire::HalfTermInfo> &calendar, const QTimeZone &schoolZone, qint64 nowMs)
{
    const QTimeZone zone = schoolZone.isValid() ? schoolZone : QTimeZone::systemTimeZone();
    const QDate today
        = QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc()).toTimeZone(zone).date();
    const qint64 todayMs = startOfDayMs(today, zone);
    const QList<CountingPeriod> terms = halfTerms(calendar, zone);
    for (qsizetype i = 0; i < terms.size(); ++i) {
        if (todayMs >= terms[i].toMs)
            continue;
        if (i == 0 && todayMs < terms[i].fromMs)
            break; // before the calendar starts
        return terms[i];
    }
    CountingPeriod p;
    p.name = QCoreApplication::translate("acorn::client::RosterSummary", "the last 6 weeks");
    p.toMs = startOfDayMs(today.addDays(1), zone);
    p.fromMs = startOfDayMs(today.addDays(-41), zone);
    return p;
}

QString ChildSummary::name() const
{
    return QStringLiteral("%1 %2")
        .arg(QString::fromStdString(child.first_name()), QString::fromStdString(child.last_name()))
        .trimmed();
}

CountingPeriod RosterSummary::currentPeriod(ClientStore &store, qint64 nowMs)
{
    return CountingPeriod::current(
        store.calendar(), QTimeZone(store.schoolTimeZone().toLatin1()), nowMs);
}

QList<ChildSummary> RosterSummary::build(ClientStore &store, const CountingPeriod &period)
{
    const QHash<QString, int> counts = store.observationCounts(period.fromMs, period.toMs);
    QList<ChildSummary> out;
    QHash<QString, QList<int>> byClass;
    for (const wire::Child &c : store.roster()) {
        ChildSummary s;
        s.child = c;
        s.observations = counts.value(s.ref());
        byClass[QString::fromStdString(c.class_name())].append(s.observations);
        out.append(s);
    }
    QHash<QString, double> median;
    for (auto it = byClass.begin(); it != byClass.end(); ++it) {
        QList<int> v = it.value();
        std::sort(v.begin(), v.end());
        const qsizetype n = v.size();
        median.insert(it.key(), n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0);
    }
    for (ChildSummary &s : out) {
        const double m = median.value(QString::fromStdString(s.child.class_name()));
        s.underObserved = s.observations == 0 || s.observations < m / 2.0;
    }
    std::sort(out.begin(), out.end(), [](const ChildSummary &a, const ChildSummary &b) {
        const int byClassName
            = QString::fromStdString(a.child.class_name())
                  .localeAwareCompare(QString::fromStdString(b.child.class_name()));
        if (byClassName != 0)
            return byClassName < 0;
        return a.name().localeAwareCompare(b.name()) < 0;
    });
    return out;
}

} // namespace acorn::client
