#include "timeutil.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace acorn::timeutil {

Result<qint64> parseIsoDateTime(const QString &text, const QTimeZone &zoneForNaive)
{
    const QString t = text.trimmed();
    static const QRegularExpression withOffset(
        QStringLiteral(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$)"));
    static const QRegularExpression naive(
        QStringLiteral(R"(^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$)"));
    QDateTime dt;
    if (withOffset.match(t).hasMatch()) {
        dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    } else if (naive.match(t).hasMatch()) {
        QString n = t;
        n.replace(QLatin1Char(' '), QLatin1Char('T'));
        dt = QDateTime::fromString(n, Qt::ISODateWithMs);
        if (dt.isValid())
            dt = QDateTime(dt.date(), dt.time(), zoneForNaive.isValid() ? zoneForNaive : QTimeZone::utc());
    }
    if (!dt.isValid())
        return Result<qint64>::failure(
            QStringLiteral("'%1' is not a date and time like 2026-10-05T09:30:00Z").arg(t));
    return dt.toMSecsSinceEpoch();
}

Result<QDate> parseDate(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\d{4}-\d{2}-\d{2}$)"));
    const QString t = text.trimmed();
    const QDate d = re.match(t).hasMatch() ? QDate::fromString(t, Qt::ISODate) : QDate();
    if (!d.isValid())
        return Result<QDate>::failure(QStringLiteral("'%1' is not a date like 2026-09-03").arg(t));
    return d;
}

Result<QTime> parseTime(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^\d{2}:\d{2}$)"));
    const QString t = text.trimmed();
    const QTime time = re.match(t).hasMatch() ? QTime::fromString(t, QStringLiteral("HH:mm")) : QTime();
    if (!time.isValid())
        return Result<QTime>::failure(QStringLiteral("'%1' is not a time like 16:00").arg(t));
    return time;
}

QString formatMs(qint64 msSinceEpoch, const QTimeZone &zone)
{
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(msSinceEpoch, QTimeZone::utc());
    if (!zone.isValid())
        return utc.toString(Qt::ISODate);
    return utc.toTimeZone(zone).toString(Qt::ISODate);
}

} // namespace acorn::timeutil
