#pragma once

#include "result.h"
#include "schoolimporter.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace acorn::server {

class Clock;
class ServerStore;

// Creates or updates children, families and guardian accounts from the CSV a school's
// MIS exports: one row per child with the columns
//   ref, first_name, last_name, date_of_birth, class, family, journal_media, others_journals
// and optionally guardian1_username, guardian1_name, guardian2_username, guardian2_name.
//
// The file is read as RFC 4180 CSV in UTF-8 (a byte-order mark, CRLF or LF line ends,
// quoted values with commas, line breaks and doubled quotes). Header names are matched
// case-insensitively in any order; columns it does not know are ignored with a warning.
// Consent columns take yes/no, true/false or Y/N; dates are YYYY-MM-DD; blank lines are
// skipped; guardian usernames are lower-cased. The classes must already exist
// (import-school makes them).
//
// Like SchoolImporter, whose apply step it shares: keyed by child ref and username, so a
// re-import changes nothing; every row is checked before anything is written, and a bad
// file is refused whole with each problem named by line and column ("line 7, class: there
// is no class 'Recption'"). It never deletes children or accounts, and never changes the
// school settings, calendar, classes or staff.
class RosterImporter
{
public:
    RosterImporter(ServerStore &store, const Clock &clock);

    Result<SchoolImporter::Outcome> importCsv(const QByteArray &csv, const QString &actor);

    static QStringList requiredColumns();
    static QStringList optionalColumns();

    // A refused file lists at most this many problems (and how many more there were).
    static constexpr int kMaxReportedProblems = 20;

private:
    ServerStore &m_store;
    const Clock &m_clock;
};

} // namespace acorn::server
