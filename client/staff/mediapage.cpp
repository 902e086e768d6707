#include "mediapage.h"

#include "medialoader.h"
#include "mediaviewer.h"

#include <QVBoxLayout>

namespace acorn::staff {

MediaPage::MediaPage(QWidget *parent)
    : QWidget(parent)
    , m_viewer(new ui::MediaViewer(this))
{
    setObjectName(QStringLiteral("mediaPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_viewer);
}

void MediaPage::showMedia(const wire::Media &media, client::MediaLoader *loader)
{
    if (m_loader)
        disconnect(m_loader, nullptr, this, nullptr);
    m_media = media;
    m_loader = loader;
    if (!loader) {
        m_viewer->showMessage(tr("This is not on this device."));
        return;
    }
    if (const QString path = loader->localPath(media, wire::ORIGINAL); !path.isEmpty()) {
        display(path);
        return;
    }
    const QString id = QString::fromStdString(media.id());
    m_viewer->showMessage(
        media.kind() == wire::VIDEO ? tr("Loading the video…") : tr("Loading the photo…"));
    connect(loader, &client::MediaLoader::ready, this,
        [this, id](const QString &mediaId, wire::MediaVariant variant, const QString &path) {
            if (mediaId == id && variant == wire::ORIGINAL)
                display(path);
        });
    connect(loader, &client::MediaLoader::failed, this,
        [this, id](const QString &mediaId, wire::MediaVariant variant, const QString &why) {
            if (mediaId == id && variant == wire::ORIGINAL)
                m_viewer->showMessage(
                    tr("This cannot be shown now: %1. It loads when the device can reach "
                       "the school's server.")
                        .arg(why));
        });
    connect(loader, &client::MediaLoader::progress, this,
        [this, id](const QString &mediaId, qint64 done, qint64 total) {
            if (mediaId == id && total > 0)
                m_viewer->showMessage(tr("Loading… %1%").arg(done * 100 / total));
        });
    loader->request(media, wire::ORIGINAL);
}

void MediaPage::display(const QString &path)
{
    if (m_media.kind() == wire::VIDEO)
        m_viewer->showVideo(path);
    else
        m_viewer->showPhoto(path);
}

void MediaPage::leave()
{
    m_viewer->stop();
    if (m_loader)
        disconnect(m_loader, nullptr, this, nullptr);
}

} // namespace acorn::staff
