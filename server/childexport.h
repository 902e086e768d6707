#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>

namespace acorn::server {

class Clock;
class MediaStore;
class ServerStore;

// Subject access ('acorn-server admin --data DIR export-child REF --out DIR'): everything
// the server holds about one child, written to a new folder as child.json and the original
// photo and video files the child appears in (media/). child.json holds the child's
// record, family and guardian accounts, the consent decisions recorded (from the audit
// log), every observation that tags or tagged the child with all its stored revisions,
// staff notes included, the audit entries about the child and those observations, and
// assessments (none are stored yet). Other children tagged in the same observations are
// counted, never named. The export is audited; it never changes the journal.
class ChildExport
{
public:
    ChildExport(ServerStore &store, MediaStore &media, const Clock &clock);

    // Writes into `outDir`, which must not exist or be empty. Returns a summary:
    // {"child", "folder", "observations", "media_files", "missing_media", "audit_entries"}.
    Result<QJsonObject> write(
        const QString &childRef, const QString &outDir, const QString &actor) const;

private:
    ServerStore &m_store;
    MediaStore &m_media;
    const Clock &m_clock;
};

} // namespace acorn::server
