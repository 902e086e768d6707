#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>

namespace acorn::server {

class Clock;
class MediaStore;
class ServerStore;

// Erasure of one child's data ('acorn-server admin --data DIR erase-child REF') and the
// retention report of leavers due for it ('admin retention').
//
// Erasing: an observation that tags only this child becomes a tombstone (no text, note,
// tags or media; its older revisions deleted); an observation shared with other children
// stays for them and no longer names this child, in any revision; photos and videos of the
// deleted observations that no other observation uses are deleted from the database and
// from the media folder; the child's record becomes a stub without reference, name, date
// of birth or consent, gone from every roster. Every device and viewer that had any of it
// drops it at its next sync (the tombstones and the roster change). The audit log keeps
// one entry with counts and the stub's number, no personal data. Entries written before
// (e.g. consent decisions, which name the child's reference) stay: the log is append-only.
// There are no assessments to erase yet (none are stored).
class ChildErasure
{
public:
    ChildErasure(ServerStore &store, MediaStore &media, const Clock &clock);

    // {"child", "observations_deleted", "observations_untagged", "media_deleted", "files_deleted"}.
    Result<QJsonObject> erase(const QString &childRef, const QString &actor) const;

    // Leavers whose leaving date is more than `daysAfterLeaving` days ago, in the school's
    // time zone: {"days_after_leaving", "due": [{"child", "leaving_date", "days_since_leaving"}]}.
    QJsonObject retentionReport(int daysAfterLeaving) const;
    // Records (or with an empty date, clears) a child's leaving date, YYYY-MM-DD.
    Status setLeavingDate(
        const QString &childRef, const QString &isoDate, const QString &actor) const;

private:
    ServerStore &m_store;
    MediaStore &m_media;
    const Clock &m_clock;
};

} // namespace acorn::server
