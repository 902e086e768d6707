#pragma once

#include "acorn.pb.h"
#include "medialoader.h"

#include <QPointer>
#include <QWidget>

namespace acorn::ui {
class MediaViewer;
}

namespace acorn::staff {

// A photo or video full size: the original from this device (queued or downloaded
// before), else fetched through MediaLoader while "Loading…" shows; a clear message when
// it cannot be had offline.
class MediaPage : public QWidget
{
    Q_OBJECT
public:
    explicit MediaPage(QWidget *parent = nullptr);
    void showMedia(const wire::Media &media, client::MediaLoader *loader);
    void leave();
    ui::MediaViewer *viewer() const { return m_viewer; }

private:
    void display(const QString &path);

    ui::MediaViewer *m_viewer;
    wire::Media m_media;
    QPointer<client::MediaLoader> m_loader;
};

} // namespace acorn::staff
