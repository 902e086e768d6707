#pragma once

#include "acorn.pb.h"
#include "clientstore.h"
#include "syncengine.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

namespace acorn::client {

// Finds the file of one variant (thumbnail or original) of a media item for display, and
// fetches it from the server when this device does not have it.
//
// Where it looks: media queued from this device (the outbox keeps the thumbnail, and the
// original until the server confirmed it), then the profile's download folder
// (`<media dir>/<id>.thumb.jpg`, `<id>.<suffix>`). All of them are sealed at rest
// (docs/at-rest.md): downloads are written sealed with the store's data key, and readers
// open them with client::openMediaFile().
// Downloads go through MediaDownload (SHA-256 checked, written via a temporary file) over
// a connection of its own, signed in with the session token the app gives it; requests
// are merged and run one at a time; a failed item is not asked for again for a minute.
// It never fetches media the server marked withheld or not yet available.
class MediaLoader : public QObject
{
    Q_OBJECT
public:
    MediaLoader(ClientStore &store, QString mediaDirectory, QObject *parent = nullptr);
    ~MediaLoader() override;

    // Server, pin and session token to sign in with (SyncScheduler::signInOptions()).
    void setSignIn(const SyncOptions &options);

    // The file if it is on this device, else empty.
    QString localPath(const wire::Media &media, wire::MediaVariant variant);
    // Ensures the file is on this device: ready() at once (queued) if it is, else after a
    // download; failed() if it cannot be had.
    void request(const wire::Media &media, wire::MediaVariant variant);
    bool isLoading(const QString &mediaId, wire::MediaVariant variant) const;

    static bool isSafeId(const QString &id);

signals:
    void ready(const QString &mediaId, acorn::wire::MediaVariant variant, const QString &path);
    void failed(const QString &mediaId, acorn::wire::MediaVariant variant, const QString &message);
    void progress(const QString &mediaId, qint64 done, qint64 total);

private:
    struct Job
    {
        wire::Media media;
        wire::MediaVariant variant;
        QString key() const;
    };
    QString downloadPath(const wire::Media &media, wire::MediaVariant variant) const;
    void next();
    void connectThenNext();
    void failAll(const QString &message);

    ClientStore &m_store;
    QString m_dir;
    SyncOptions m_signIn;
    QList<Job> m_queue;
    QPointer<SyncEngine> m_engine;
    QPointer<MediaDownload> m_current;
    bool m_connecting = false;
    QHash<QString, qint64> m_failedAt; // key -> ms
};

} // namespace acorn::client
