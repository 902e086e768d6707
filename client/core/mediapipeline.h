#pragma once

#include "acorn.pb.h"
#include "atrest.h"
#include "result.h"

#include <QByteArray>
#include <QString>

namespace acorn::client {

// A media file made ready to leave the device: normalised, stripped, thumbnailed, hashed,
// and written durably into the profile's outbox folder.
struct PreparedMedia
{
    QString mediaId;
    wire::MediaKind kind = wire::PHOTO;
    QString originalPath;
    qint64 size = 0;
    QByteArray sha256;
    QString thumbnailPath;
    qint64 thumbnailSize = 0;
    QByteArray thumbnailSha256;
    int width = 0;
    int height = 0;
    QString mimeType;

    wire::Media toWire() const;
};

// Turns a camera capture or an imported file into PreparedMedia.
//
// Photos: orientation applied (EXIF rotation baked into the pixels), long edge capped at
// kMaxLongEdge, re-encoded as JPEG, which drops every EXIF field, location included;
// a thumbnail of kThumbnailLongEdge is made. Videos are copied and hashed as they are.
// Every file is written sealed with the profile's DataKey (SealedFileWriter): the plain
// bytes exist only in memory; sizes and SHA-256s are of the plain bytes (what the server
// stores). Nothing here needs Widgets; it runs fine off the GUI thread.
class MediaPipeline
{
public:
    static constexpr int kMaxLongEdge = 2560;
    static constexpr int kThumbnailLongEdge = 400;
    static constexpr qint64 kMaxVideoBytes = 2LL * 1024 * 1024 * 1024;

    MediaPipeline(QString outboxDir, DataKey key);

    // Removes half-written files (`*.tmp`) a killed app left in an outbox folder: files are
    // written under a temporary name and renamed when whole, so these are never queued.
    // Call once at start, before anything is prepared. Returns how many were removed.
    static int removeUnfinished(const QString &outboxDir);

    Result<PreparedMedia> preparePhoto(const QString &sourcePath) const;
    Result<PreparedMedia> prepareVideo(const QString &sourcePath) const;
    // Picks photo or video by the file's content.
    Result<PreparedMedia> prepare(const QString &sourcePath) const;

private:
    QString m_dir;
    DataKey m_key;
};

} // namespace acorn::client
