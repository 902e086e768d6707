#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace acorn::server {

class DataDir;
class ServerStore;

// Backs up a school's data directory into one file, and restores such a file into a new
// data directory. Used by `acorn-server admin backup` and `admin restore`.
//
// A backup is a POSIX tar archive (backuparchive.h) holding, in this order:
//   acorn-server.conf, tls/cert.pem, tls/key.pem   the configuration and the TLS identity
//                                                  (the same key: clients' pins still match)
//   acorn.db                   a consistent snapshot of the database (SQLite VACUUM INTO),
//                              taken while the server goes on running
//   media/objects/xx/SHA256    every media object that snapshot counts as complete
//   acorn-backup.json          the manifest: format, Acorn and schema versions, creation
//                              time, and every file above with its size and SHA-256
//   acorn-backup.json.sha256   the manifest's own SHA-256 (sha256sum format)
//
// Media objects are content-addressed and never change once complete, so objects copied
// after the snapshot are exactly the ones it refers to. Uploads still in progress are not
// backed up: the devices send them again.
//
// A backup holds personal data and the server's private key: the file is created with mode
// 0600. Restore verifies every byte before it writes anything, and never writes into a
// directory that already holds something.
class SchoolBackup
{
public:
    struct Summary
    {
        QString file;
        qint64 createdAtMs = 0;
        QString acornVersion;
        int schemaVersion = 0;
        int files = 0; // entries in the manifest
        int mediaObjects = 0; // of which media objects
        qint64 bytes = 0; // size of the backup file
        QString dataDir; // restored into (restore only)
        QString fingerprint; // the restored server's key fingerprint (restore only)
        QStringList warnings; // things the IT manager should know about; nothing failed

        QJsonObject toJson() const;
    };

    static constexpr int kFormatVersion = 1;
    // Key of the meta value holding the time of the last backup (ms since the epoch).
    static QString lastBackupMetaKey() { return QStringLiteral("last_backup_at"); }

    // Backs up `dir`, whose database is open as `store` (the server may be running), into
    // `outPath`. The file appears only when complete (written under a temporary name, synced,
    // then renamed). Records the time in the database and in the audit log as `actor`.
    static Result<Summary> create(ServerStore &store, const DataDir &dir, const QString &outPath,
        const QString &actor, qint64 nowMs);

    // Reads the whole backup and checks every checksum; writes nothing.
    static Result<Summary> verify(const QString &backupPath);

    // Verifies the backup, then restores it into `target`, which must not exist or be an
    // empty directory. On any failure nothing is left behind in `target`.
    static Result<Summary> restore(
        const QString &backupPath, const DataDir &target, const QString &actor, qint64 nowMs);
};

} // namespace acorn::server
