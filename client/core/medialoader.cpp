#include "medialoader.h"

#include "logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>
#include <QMimeDatabase>
#include <QUuid>

namespace acorn::client {

namespace {
constexpr qint64 kRetryAfterFailureMs = 60000;
}

QString MediaLoader::Job::key() const
{
    return QString::fromStdString(media.id()) + QLatin1Char('/') + QString::number(variant);
}

MediaLoader::MediaLoader(ClientStore &store, QString mediaDirectory, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_dir(std::move(mediaDirectory))
{ }

MediaLoader::~MediaLoader() = default;

void MediaLoader::setSignIn(const SyncOptions &options)
{
    m_signIn = options;
    m_signIn.password.clear();
    m_signIn.activationCode.clear();
    m_signIn.push = false;
    m_signIn.pull = false;
    if (m_engine && !m_current) {
        m_engine->deleteLater();
        m_engine = nullptr;
    }
}

bool MediaLoader::isSafeId(const QString &id)
{
    return !QUuid::fromString(id).isNull() && id.size() == 36;
}

QString MediaLoader::downloadPath(const wire::Media &media, wire::MediaVariant variant) const
{
    const QString id = QString::fromStdString(media.id());
    if (!isSafeId(id))
        return {};
    if (variant == wire::THUMBNAIL)
        return m_dir + QLatin1Char('/') + id + QStringLiteral(".thumb.jpg");
    QString suffix = QMimeDatabase()
                         .mimeTypeForName(QString::fromStdString(media.mime_type()))
                         .preferredSuffix();
    if (suffix.isEmpty())
        suffix = media.kind() == wire::VIDEO ? QStringLiteral("mp4") : QStringLiteral("jpg");
    return m_dir + QLatin1Char('/') + id + QLatin1Char('.') + suffix;
}

QString MediaLoader::localPath(const wire::Media &media, wire::MediaVariant variant)
{
    const QString id = QString::fromStdString(media.id());
    const QString queued = m_store.queuedMediaPath(id, variant);
    if (!queued.isEmpty() && QFileInfo::exists(queued))
        return queued;
    const QString downloaded = downloadPath(media, variant);
    if (!downloaded.isEmpty() && QFileInfo::exists(downloaded))
        return downloaded;
    return {};
}

bool MediaLoader::isLoading(const QString &mediaId, wire::MediaVariant variant) const
{
    for (const Job &j : m_queue) {
        if (QString::fromStdString(j.media.id()) == mediaId && j.variant == variant)
            return true;
    }
    return false;
}

void MediaLoader::request(const wire::Media &media, wire::MediaVariant variant)
{
    const QString id = QString::fromStdString(media.id());
    if (const QString path = localPath(media, variant); !path.isEmpty()) {
        emit ready(id, variant, path);
        return;
    }
    auto fail = [&](const QString &message) {
        QMetaObject::invokeMethod(
            this, [this, id, variant, message] { emit failed(id, variant, message); },
            Qt::QueuedConnection);
    };
    if (!isSafeId(id))
        return fail(tr("this media item has an invalid id"));
    if (media.withheld() != wire::NOT_WITHHELD)
        return fail(tr("this media is withheld because it includes other children"));
    if (variant == wire::THUMBNAIL && media.thumbnail_size() == 0)
        return fail(tr("this media item has no thumbnail"));
    const Job job { media, variant };
    if (const qint64 at = m_failedAt.value(job.key());
        at && QDateTime::currentMSecsSinceEpoch() - at < kRetryAfterFailureMs)
        return fail(tr("not available on this device yet"));
    if (isLoading(id, variant))
        return;
    m_queue.append(job);
    if (!m_current && !m_connecting)
        QMetaObject::invokeMethod(this, &MediaLoader::next, Qt::QueuedConnection);
}

void MediaLoader::failAll(const QString &message)
{
    const QList<Job> jobs = std::exchange(m_queue, {});
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Job &j : jobs) {
        m_failedAt.insert(j.key(), now);
        emit failed(QString::fromStdString(j.media.id()), j.variant, message);
    }
}

void MediaLoader::connectThenNext()
{
    if (m_signIn.token.isEmpty() || m_signIn.host.isEmpty()) {
        failAll(tr("not signed in"));
        return;
    }
    if (m_engine)
        m_engine->deleteLater();
    m_connecting = true;
    m_engine = new SyncEngine(m_store, m_signIn, this);
    connect(m_engine, &SyncEngine::finished, this, [this](SyncEngine *e) {
        m_connecting = false;
        if (e->error() != SyncError::None) {
            qCInfo(lcClientMedia) << "media connection failed";
            failAll(e->errorString());
            e->deleteLater();
            m_engine = nullptr;
            return;
        }
        next();
    });
    m_engine->start();
}

void MediaLoader::next()
{
    if (m_current || m_connecting)
        return;
    if (m_queue.isEmpty())
        return;
    ServerConnection *connection = m_engine ? m_engine->connection() : nullptr;
    if (!connection || !connection->isReady() || m_engine->error() != SyncError::None) {
        connectThenNext();
        return;
    }
    const Job job = m_queue.first();
    const QString path = downloadPath(job.media, job.variant);
    QDir().mkpath(m_dir);
    m_current = new MediaDownload(*connection, QString::fromStdString(job.media.id()),
        job.variant, path, m_store.dataKey(), this); // sealed in the profile's media/
    connect(m_current, &MediaDownload::progress, this, [this, job](qint64 done, qint64 total) {
        emit progress(QString::fromStdString(job.media.id()), done, total);
    });
    connect(m_current, &MediaDownload::finished, this, [this, job, path](MediaDownload *d) {
        d->deleteLater();
        m_current = nullptr;
        if (!m_queue.isEmpty())
            m_queue.removeFirst();
        const QString id = QString::fromStdString(job.media.id());
        if (d->failed()) {
            qCInfo(lcClientMedia) << "media download failed:" << d->errorString();
            m_failedAt.insert(job.key(), QDateTime::currentMSecsSinceEpoch());
            emit failed(id, job.variant, d->errorString());
        } else {
            m_failedAt.remove(job.key());
            emit ready(id, job.variant, path);
        }
        QMetaObject::invokeMethod(this, &MediaLoader::next, Qt::QueuedConnection);
    });
    m_current->start();
}

} // namespace acorn::client
