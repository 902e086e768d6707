#include "mediacache.h"

#include "serverconnection.h"
#include "syncengine.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QSet>

namespace acorn::viewer {

using client::MediaDownload;
using client::ServerConnection;

MediaCache::MediaCache(QString directory)
    : m_dir(std::move(directory))
{ }

bool MediaCache::isSafeId(const QString &id)
{
    static const QRegularExpression uuid(QStringLiteral(
        "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"));
    return uuid.match(id).hasMatch();
}

QString MediaCache::suffixFor(const wire::Media &media)
{
    const QString mime = QString::fromStdString(media.mime_type());
    QString suffix
        = mime.isEmpty() ? QString() : QMimeDatabase().mimeTypeForName(mime).preferredSuffix();
    static const QRegularExpression plain(QStringLiteral("^[a-z0-9]{1,8}$"));
    if (!plain.match(suffix).hasMatch())
        suffix = media.kind() == wire::VIDEO ? QStringLiteral("mp4") : QStringLiteral("jpg");
    return suffix;
}

QString MediaCache::pathFor(const wire::Media &media, wire::MediaVariant variant) const
{
    const QString id = QString::fromStdString(media.id());
    if (!isSafeId(id))
        return {};
    if (variant == wire::THUMBNAIL)
        return m_dir + QLatin1Char('/') + id + QStringLiteral("-thumb.jpg");
    return m_dir + QLatin1Char('/') + id + QLatin1Char('.') + suffixFor(media);
}

QString MediaCache::cached(const wire::Media &media, wire::MediaVariant variant) const
{
    const QString p = pathFor(media, variant);
    return !p.isEmpty() && QFileInfo::exists(p) ? p : QString();
}

int MediaCache::prune(const QSet<QString> &keepIds) const
{
    int removed = 0;
    const QDir dir(m_dir);
    for (const QFileInfo &fi : dir.entryInfoList(QDir::Files)) {
        const QString id = fi.fileName().left(36);
        if (!keepIds.contains(id) && QFile::remove(fi.absoluteFilePath()))
            ++removed;
    }
    return removed;
}

// ------------------------------------------------------------------ MediaFetcher

MediaFetcher::MediaFetcher(MediaCache cache, client::DataKey key, QObject *parent)
    : QObject(parent)
    , m_cache(std::move(cache))
    , m_key(std::move(key))
{
    QDir().mkpath(m_cache.directory());
}

MediaFetcher::~MediaFetcher() = default;

void MediaFetcher::setConnection(ServerConnection *connection)
{
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    m_connection = connection;
    m_askedForConnection = false;
    if (m_connection) {
        connect(m_connection, &ServerConnection::failed, this, [this] { m_connection = nullptr; });
        next();
    } else {
        failAll(tr("Not downloaded yet: it will be shown when this computer is back online."));
    }
}

void MediaFetcher::suspend()
{
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    m_connection = nullptr;
    m_askedForConnection = true; // the sign-in under way will bring one
}

bool MediaFetcher::hasConnection() const
{
    return m_connection && m_connection->isReady();
}

bool MediaFetcher::isPending(const QString &mediaId, wire::MediaVariant variant) const
{
    if (m_current && QString::fromStdString(m_currentJob.media.id()) == mediaId
        && m_currentJob.variant == variant)
        return true;
    return std::any_of(m_queue.cbegin(), m_queue.cend(), [&](const Job &j) {
        return QString::fromStdString(j.media.id()) == mediaId && j.variant == variant;
    });
}

void MediaFetcher::request(const wire::Media &media, wire::MediaVariant variant)
{
    const QString id = QString::fromStdString(media.id());
    if (media.withheld() != wire::NOT_WITHHELD) {
        emit failed(
            id, variant, tr("The school does not share this with families, so it is not shown."));
        return;
    }
    const QString path = m_cache.pathFor(media, variant);
    if (path.isEmpty()) {
        emit failed(id, variant, tr("The school's server sent a media item this app cannot read."));
        return;
    }
    if (QFileInfo::exists(path)) {
        emit ready(id, variant, path);
        return;
    }
    if (isPending(id, variant))
        return;
    m_queue.append({ media, variant });
    next();
}

void MediaFetcher::next()
{
    if (m_current)
        return;
    if (!m_queue.isEmpty() && !hasConnection()) {
        if (!m_askedForConnection) {
            m_askedForConnection = true;
            emit connectionNeeded();
        }
        return;
    }
    if (m_queue.isEmpty()) {
        emit idle();
        return;
    }
    m_currentJob = m_queue.takeFirst();
    const QString id = QString::fromStdString(m_currentJob.media.id());
    auto *d = new MediaDownload(*m_connection, id, m_currentJob.variant,
        m_cache.pathFor(m_currentJob.media, m_currentJob.variant), m_key, this);
    m_current = d;
    connect(d, &MediaDownload::progress, this,
        [this, id](qint64 done, qint64 total) { emit progress(id, done, total); });
    connect(d, &MediaDownload::finished, this, [this, id](MediaDownload *self) {
        const wire::MediaVariant variant = m_currentJob.variant;
        const QString path = m_cache.pathFor(m_currentJob.media, variant);
        m_current = nullptr;
        self->deleteLater();
        if (self->failed()) {
            emit failed(id, variant,
                self->refused()
                    ? tr("The school's server did not send this media.")
                    : tr("The media could not be downloaded: %1").arg(self->errorString()));
        } else {
            emit ready(id, variant, path);
        }
        next();
    });
    d->start();
}

void MediaFetcher::failAll(const QString &message)
{
    const QList<Job> jobs = std::exchange(m_queue, {});
    for (const Job &j : jobs)
        emit failed(QString::fromStdString(j.media.id()), j.variant, message);
    if (!m_current)
        emit idle();
}

} // namespace acorn::viewer
