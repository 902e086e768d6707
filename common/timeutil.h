#pragma once

#include "result.h"

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTime>
#include <QTimeZone>

// Time on the wire is UTC milliseconds since the epoch; people see the school's time zone.
namespace acorn::timeutil {

// "2026-10-05T09:30:00Z", "2026-10-05T10:30:00+01:00", or without an offset (then local
// time of `zoneForNaive`, UTC when invalid).
Result<qint64> parseIsoDateTime(const QString &text, const QTimeZone &zoneForNaive = {});
// Strict YYYY-MM-DD.
Result<QDate> parseDate(const QString &text);
// Strict HH:MM (24 h).
Result<QTime> parseTime(const QString &text);
// ISO-8601 with offset in the given zone ("2026-10-05T10:30:00+01:00"); UTC "Z" if invalid.
QString formatMs(qint64 msSinceEpoch, const QTimeZone &zone = {});

} // namespace acorn::timeutil
