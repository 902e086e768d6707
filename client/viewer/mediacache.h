#pragma once

#include "acorn.pb.h"
#include "syncengine.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

namespace acorn::viewer {

// Where a profile keeps the media it has downloaded: `<profile>/media/<id>-thumb.jpg` and
// `<id>.<suffix>` for the full file. Files appear only after their SHA-256 was checked
// (MediaDownload writes through a temporary file), so a file that exists is complete.
// Ids come from the server and are checked to be plain UUIDs before they touch a path.
class MediaCache
{
public:
    explicit MediaCache(QString directory);

    const QString &directory() const { return m_dir; }
    // The file for one variant of `media`, whether or not it has been downloaded yet;
    // empty for an id that is not a UUID.
    QString pathFor(const wire::Media &media, wire::MediaVariant variant) const;
    // The path if the file is on this device, else empty.
    QString cached(const wire::Media &media, wire::MediaVariant variant) const;
    // Removes files of media no longer in `keep` (after tombstones removed observations).
    int prune(const QSet<QString> &keepIds) const;

    static bool isSafeId(const QString &id);
    static QString suffixFor(const wire::Media &media);

private:
    QString m_dir;
};

// Fetches media variants one at a time over a signed-in connection into a MediaCache.
// Requests for the same file are merged; each ends in exactly one of ready() or failed().
// Never asks for media the server marked withheld: there is nothing to fetch.
class MediaFetcher : public QObject
{
    Q_OBJECT
public:
    // Downloads are sealed with `key`, the profile's data key (ClientStore::dataKey()).
    MediaFetcher(MediaCache cache, client::DataKey key, QObject *parent = nullptr);
    ~MediaFetcher() override;

    const MediaCache &cache() const { return m_cache; }

    // The connection to fetch over (a SyncEngine's after it finished); null: offline, and
    // every waiting request fails with an "offline" message. The connection must outlive
    // the download in progress: see isBusy() and idle().
    void setConnection(client::ServerConnection *connection);
    // Stops using the current connection (a new sign-in is under way) without failing the
    // waiting requests: they go on over the next setConnection().
    void suspend();
    bool hasConnection() const;
    bool isBusy() const { return !m_current.isNull(); }

    void request(const wire::Media &media, wire::MediaVariant variant);
    bool isPending(const QString &mediaId, wire::MediaVariant variant) const;
    int pendingCount() const { return static_cast<int>(m_queue.size()) + (m_current ? 1 : 0); }

signals:
    void ready(const QString &mediaId, acorn::wire::MediaVariant variant, const QString &path);
    void failed(const QString &mediaId, acorn::wire::MediaVariant variant, const QString &message);
    void progress(const QString &mediaId, qint64 done, qint64 total);
    // Requests are waiting and there is no usable connection: sign in again (a sync),
    // then setConnection(). Emitted once until setConnection() is called.
    void connectionNeeded();
    // Nothing is downloading (the queue may still hold requests waiting for a connection).
    void idle();

private:
    struct Job
    {
        wire::Media media;
        wire::MediaVariant variant;
    };
    void next();
    void failAll(const QString &message);

    MediaCache m_cache;
    client::DataKey m_key;
    QPointer<client::ServerConnection> m_connection;
    QList<Job> m_queue;
    QPointer<client::MediaDownload> m_current;
    Job m_currentJob;
    bool m_askedForConnection = false;
};

} // namespace acorn::viewer
