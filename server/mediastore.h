#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

namespace acorn::server {

// The server's media files: content-addressed by SHA-256 under DATA/media/objects, with
// uploads in progress under DATA/media/incoming until their hash is verified.
//
// An upload is only ever appended at the offset the server reports; every chunk is flushed
// to disk before the new offset is acknowledged, so a client resumes from exactly what
// survived a crash. A file whose hash does not match is never committed.
class MediaStore
{
public:
    explicit MediaStore(QString root);

    Status ensureLayout();

    // Bytes held for an upload in progress (0 if none).
    qint64 incomingSize(const QString &uploadKey) const;
    // Appends at `offset`, which must equal incomingSize(); flushes before returning.
    // `diskFull` is set when the failure is a lack of space.
    Status append(const QString &uploadKey, qint64 offset, QByteArrayView data, bool *diskFull);
    // Verifies size and SHA-256 of the finished upload and moves it into the object store.
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

private:
    QString incomingPath(const QString &uploadKey) const;
    QString m_root;
};

} // namespace acorn::server
