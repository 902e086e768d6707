#include "mediapipeline.h"

#include "crypto.h"
#include "logging.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QMimeDatabase>
#include <QUuid>


namespace acorn::client {

wire::Media PreparedMedia::toWire() const
{
    wire::Media m;
    m.set_id(mediaId.toStdString());
    m.set_kind(kind);
    m.set_size(static_cast<quint64>(size));
    m.set_sha256(sha256.toStdString());
    m.set_width(static_cast<quint32>(width));
    m.set_height(static_cast<quint32>(height));
    m.set_mime_type(mimeType.toStdString());
    if (thumbnailSize > 0) {
        m.set_thumbnail_size(static_cast<quint64>(thumbnailSize));
        m.set_thumbnail_sha256(thumbnailSha256.toStdString());
    }
    return m;
}

int MediaPipeline::removeUnfinished(const QString &outboxDir)
{
    int removed = 0;
    const QDir dir(outboxDir);
    for (const QString &name : dir.entryList({QStringLiteral("*.tmp")}, QDir::Files)) {
        if (QFile::remove(dir.filePath(name)))
            ++removed;
    }
    return removed;
}

MediaPipeline::MediaPipeline(QString outboxDir, DataKey key)
    : m_dir(std::move(outboxDir))
    , m_key(std::move(key))
{ }

namespace {
QByteArray encodeJpeg(const QImage &image, int quality)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(quality);
    writer.setOptimizedWrite(true);
    if (!writer.write(image))
        return {};
    return out;
}

QImage capped(const QImage &image, int longEdge)
{
    if (std::max(image.width(), image.height()) <= longEdge)
        return image;
    return image.width() >= image.height() ? image.scaledToWidth(longEdge, Qt::SmoothTransformation)
                                           : image.scaledToHeight(longEdge, Qt::SmoothTransformation);
}
} // namespace

Result<PreparedMedia> MediaPipeline::preparePhoto(const QString &sourcePath) const
{
    using R = Result<PreparedMedia>;
    QImageReader reader(sourcePath);
    reader.setAutoTransform(true); // bake the EXIF orientation into the pixels
    if (!reader.canRead())
        return R::failure(QStringLiteral("%1 is not a photo Acorn can read").arg(QFileInfo(sourcePath).fileName()));
    // Decode straight at the capped size where the format allows (JPEG does: much faster).
    const QSize full = reader.size();
    if (full.isValid() && std::max(full.width(), full.height()) > kMaxLongEdge && !reader.transformation().testFlag(QImageIOHandler::TransformationRotate90))
        reader.setScaledSize(full.scaled(kMaxLongEdge, kMaxLongEdge, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull())
        return R::failure(QStringLiteral("%1 could not be read as a photo: %2").arg(QFileInfo(sourcePath).fileName(), reader.errorString()));
    image = capped(image, kMaxLongEdge).convertToFormat(QImage::Format_RGB32);

    PreparedMedia p;
    p.mediaId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.kind = wire::PHOTO;
    p.width = image.width();
    p.height = image.height();
    p.mimeType = QStringLiteral("image/jpeg");
    const QByteArray jpeg = encodeJpeg(image, 88);
    const QByteArray thumb = encodeJpeg(capped(image, kThumbnailLongEdge), 80);
    if (jpeg.isEmpty() || thumb.isEmpty())
        return R::failure(QStringLiteral("the photo could not be encoded"));
    QDir().mkpath(m_dir);
    p.originalPath = m_dir + QLatin1Char('/') + p.mediaId + QStringLiteral(".jpg");
    p.thumbnailPath = m_dir + QLatin1Char('/') + p.mediaId + QStringLiteral(".thumb.jpg");
    if (Status s = SealedFileWriter::writeAll(p.originalPath, m_key, jpeg); !s)
        return R::failure(s.error());
    if (Status s = SealedFileWriter::writeAll(p.thumbnailPath, m_key, thumb); !s) {
        QFile::remove(p.originalPath);
        return R::failure(s.error());
    }
    p.size = jpeg.size();
    p.sha256 = crypto::sha256(jpeg);
    p.thumbnailSize = thumb.size();
    p.thumbnailSha256 = crypto::sha256(thumb);
    return p;
}

Result<PreparedMedia> MediaPipeline::prepareVideo(const QString &sourcePath) const
{
    using R = Result<PreparedMedia>;
    QFile in(sourcePath);
    if (!in.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read %1: %2").arg(sourcePath, in.errorString()));
    if (in.size() == 0 || in.size() > kMaxVideoBytes)
        return R::failure(QStringLiteral("%1 is empty or larger than 2 GB").arg(QFileInfo(sourcePath).fileName()));
    PreparedMedia p;
    p.mediaId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.kind = wire::VIDEO;
    p.mimeType = QMimeDatabase().mimeTypeForFile(sourcePath).name();
    QDir().mkpath(m_dir);
    p.originalPath = m_dir + QLatin1Char('/') + p.mediaId + QLatin1Char('.') + QFileInfo(sourcePath).suffix().toLower();
    // Sealed segment by segment as it is copied: memory stays flat for a long video.
    SealedFileWriter out(p.originalPath, m_key);
    if (Status s = out.open(); !s)
        return R::failure(s.error());
    crypto::Sha256 hash;
    QByteArray buf;
    while (!(buf = in.read(1 << 20)).isEmpty()) {
        hash.add(buf);
        if (Status s = out.write(buf); !s)
            return R::failure(QStringLiteral("cannot copy the video (is the disk full?)"));
    }
    if (Status s = out.commit(); !s)
        return R::failure(QStringLiteral("cannot copy the video: %1").arg(s.error()));
    p.size = in.size();
    p.sha256 = hash.result();
    return p;
}

Result<PreparedMedia> MediaPipeline::prepare(const QString &sourcePath) const
{
    const QString mime = QMimeDatabase().mimeTypeForFile(sourcePath, QMimeDatabase::MatchContent).name();
    if (mime.startsWith(QLatin1String("video/")))
        return prepareVideo(sourcePath);
    return preparePhoto(sourcePath);
}

} // namespace acorn::client
