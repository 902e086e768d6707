#pragma once

#include "result.h"

#include "crypto.h"
#include <QHash>

#include <memory>

#include <QByteArray>
#include <QString>

namespace acorn::server {

// The server's media files: content-addressed by SHA-256 under DATA/media/objects, with
// uploads in progress under DATA/media/incoming until their hash is verified.
//
// An upload is only ever appended at the offset the server reports, and a client always
// resumes from the size the server finds on disk (UploadBegin), so a crash costs at most
// a re-send of what had not reached the disk. Chunks are not synced one by one (that made
// uploads run at the disk's sync rate, a quarter of what TLS allows); a finished upload is
// synced, checked against its SHA-256 and only then committed and acknowledged complete.
// A file whose hash does not match is never committed.
class MediaStore
{
public:
    explicit MediaStore(QString root);

    Status ensureLayout();

    // Bytes held for an upload in progress (0 if none).
    qint64 incomingSize(const QString &uploadKey) const;
    // Appends at `offset`, which must equal incomingSize(); the bytes are written to the
    // file (not yet synced to disk) before it returns. What lies more than
    // kWriteBehindBytes behind the end is waited for and dropped from the page cache; if
    // the disk failed to write it, the whole upload is discarded (the device sends it again
    // from the start) and a failure returned.
    // `diskFull` is set when the failure is a lack of space.
    Status append(const QString &uploadKey, qint64 offset, QByteArrayView data, bool *diskFull);
    // Syncs the finished upload to disk, verifies its size and SHA-256 and moves it into
    // the object store (the rename synced too).
    // On a mismatch the partial file is discarded (the client starts again) and a failure
    // is returned.
    Status commit(const QString &uploadKey, qint64 expectedSize, const QString &expectedSha256Hex);
    bool hasObject(const QString &sha256Hex) const;
    QString objectPath(const QString &sha256Hex) const;
    // Deletes a stored object (erasure); absent objects are no error.
    Status removeObject(const QString &sha256Hex);
    // Reads [offset, offset+length) of an object; fewer bytes at the end of the file.
    Result<QByteArray> read(const QString &sha256Hex, qint64 offset, qint64 length) const;

    // Key for the incoming file of one variant of one media item.
    static QString uploadKey(const QString &mediaId, int variant);

    // How far behind the newest chunk an upload's bytes are waited for and dropped from
    // the page cache.
    static constexpr qint64 kWriteBehindBytes = 8 * 1024 * 1024;

private:
    QString incomingPath(const QString &uploadKey) const;
    static int settleBehind(int fd, qint64 offset, qint64 length);
    QString m_root;
    // The SHA-256 of each upload in progress, fed as its chunks arrive, so a finished
    // upload is not read back to be checked. Only valid while `bytes` equals the file's
    // size; anything else (a restart, a resumed upload from another process) falls back
    // to hashing the file.
    struct RunningHash
    {
        std::shared_ptr<crypto::Sha256> hash;
        qint64 bytes = 0;
    };
    QHash<QString, RunningHash> m_hashes;
};

} // namespace acorn::server
