#pragma once

#include "acorn.pb.h"
#include "medialoader.h"

#include <QPointer>
#include <QToolButton>

namespace acorn::ui {

// A tappable thumbnail of one photo or video: the THUMBNAIL variant through MediaLoader
// (from this device, else downloaded and cached in the profile), a film icon for videos,
// and a plain placeholder while it loads or when it cannot be had. Emits clicked() like any
// button; it opens nothing by itself.
class MediaThumbnail : public QToolButton
{
    Q_OBJECT
public:
    explicit MediaThumbnail(QWidget *parent = nullptr);

    // Shows `media`, loading its thumbnail through `loader` if needed.
    void setMedia(const wire::Media &media, client::MediaLoader *loader);
    // Shows a local image file (a photo prepared but not yet queued), or a video icon.
    void setLocalFile(const QString &thumbnailPath, bool video);
    void setSide(int pixels);

    const wire::Media &media() const { return m_media; }
    bool hasImage() const { return m_hasImage; }

private:
    void showImage(const QString &path);
    void showPlaceholder(const QString &why);

    wire::Media m_media;
    QPointer<client::MediaLoader> m_loader;
    int m_side = 0;
    bool m_video = false;
    bool m_hasImage = false;
};

} // namespace acorn::ui
