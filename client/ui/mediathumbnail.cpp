#include "mediathumbnail.h"

#include "atrest.h"

#include "medialoader.h"
#include "touch.h"

#include <QImageReader>
#include <QPainter>
#include <QStyle>

namespace acorn::ui {

MediaThumbnail::MediaThumbnail(QWidget *parent)
    : QToolButton(parent)
{
    setObjectName(QStringLiteral("mediaThumbnail"));
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonIconOnly);
    setSide(millimetres(this, 24));
}

void MediaThumbnail::setSide(int pixels)
{
    m_side = std::max(pixels, touchTarget(this));
    setFixedSize(m_side, m_side);
    setIconSize(QSize(m_side - 6, m_side - 6));
}

void MediaThumbnail::setMedia(const wire::Media &media, client::MediaLoader *loader)
{
    m_media = media;
    m_video = media.kind() == wire::VIDEO;
    setAccessibleName(m_video ? tr("Video") : tr("Photo"));
    setToolTip(m_video ? tr("Play the video") : tr("Show the photo"));
    if (m_loader)
        disconnect(m_loader, nullptr, this, nullptr);
    m_loader = loader;
    if (m_video && media.thumbnail_size() == 0) {
        showPlaceholder({});
        return;
    }
    if (!loader) {
        showPlaceholder(tr("not on this device"));
        return;
    }
    const QString id = QString::fromStdString(media.id());
    if (const QString path = loader->localPath(media, wire::THUMBNAIL); !path.isEmpty()) {
        showImage(path);
        return;
    }
    showPlaceholder(tr("loading"));
    connect(loader, &client::MediaLoader::ready, this,
        [this, id](const QString &mediaId, wire::MediaVariant variant, const QString &path) {
            if (mediaId == id && variant == wire::THUMBNAIL)
                showImage(path);
        });
    connect(loader, &client::MediaLoader::failed, this,
        [this, id](const QString &mediaId, wire::MediaVariant variant, const QString &) {
            if (mediaId == id && variant == wire::THUMBNAIL)
                showPlaceholder(tr("not on this device yet"));
        });
    if (media.available() || media.thumbnail_size() > 0)
        loader->request(media, wire::THUMBNAIL);
}

void MediaThumbnail::setLocalFile(const QString &thumbnailPath, bool video)
{
    m_video = video;
    setAccessibleName(video ? tr("Video") : tr("Photo"));
    if (thumbnailPath.isEmpty())
        showPlaceholder({});
    else
        showImage(thumbnailPath);
}

void MediaThumbnail::showImage(const QString &path)
{
    // Sealed at rest: read through the profile's key, decrypted in memory only.
    const auto file = client::openMediaFile(path);
    if (!file) {
        showPlaceholder(tr("cannot be shown"));
        return;
    }
    QImageReader reader(file.get());
    reader.setAutoTransform(true);
    const QSize target(m_side - 6, m_side - 6);
    if (reader.size().isValid())
        reader.setScaledSize(reader.size().scaled(target, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull()) {
        showPlaceholder(tr("cannot be shown"));
        return;
    }
    QPixmap canvas(target);
    canvas.fill(Qt::transparent);
    QPainter p(&canvas);
    p.drawImage(
        (target.width() - image.width()) / 2, (target.height() - image.height()) / 2, image);
    if (m_video) {
        const int s = target.width() / 3;
        style()
            ->standardIcon(QStyle::SP_MediaPlay)
            .paint(&p, QRect((target.width() - s) / 2, (target.height() - s) / 2, s, s));
    }
    p.end();
    setIcon(QIcon(canvas));
    m_hasImage = true;
}

void MediaThumbnail::showPlaceholder(const QString &why)
{
    m_hasImage = false;
    setIcon(style()->standardIcon(m_video ? QStyle::SP_MediaPlay : QStyle::SP_FileIcon));
    if (!why.isEmpty())
        setToolTip(why);
}

} // namespace acorn::ui
