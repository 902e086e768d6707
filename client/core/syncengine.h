#pragma once

#include "acorn.pb.h"
#include "atrest.h"
#include "clientstore.h"
#include "crypto.h"
#include "serverconnection.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

namespace acorn::client {


struct SyncOptions
{
    QString host;
    quint16 port = 0;
    QString pin;
    QString username;
    QString password;     // or:
    QByteArray token;     // a stored session token
    QString activationCode; // with `password` as the new password: activate the account
    QString secondFactorCode; // with `password`: the TOTP code of a two-factor account
    QString deviceName;
    wire::ClientKind kind = wire::CLIENT_KIND_CLI;
    bool push = true;
    bool pull = true;
};

struct SyncReport
{
    int accepted = 0;
    int refused = 0;
    int conflicts = 0;
    qint64 uploadedBytes = 0;
    int mediaCompleted = 0;
    int originalsRemoved = 0; // uploaded originals the server confirmed, removed from this device
    int received = 0;
    int removed = 0;
    // Fate of each pushed observation id: accepted | refused | conflict, with reasons.
    QHash<QString, QString> outcomes;
    QHash<QString, QString> reasons;
    // Assessments pushed from the assessment outbox.
    int assessmentsAccepted = 0;
    int assessmentsRefused = 0;
    int assessmentConflicts = 0;
    QByteArray newToken; // from a password sign-in: store it in the keychain
    wire::Role role = wire::ROLE_UNSPECIFIED;
    QString displayName;
};

// What stopped a sync, in the categories the apps and acorn-cli report.
enum class SyncError {
    None,
    Authentication, // wrong password, ended session, switched-off account
    Tls,            // handshake failed or the server's fingerprint is not the pinned one
    Unreachable,    // no connection, or it dropped
    Refused,        // the server refused the request itself
    Local,          // this device could not read or write its own store
};

// One synchronisation with the server, KJob style: start(), then finished() once.
//
// Order: connect (pin checked before anything is sent) -> Hello -> sign in -> push the
// outbox (each edit idempotent by its change id) -> upload pending media from the offset
// the server holds -> pull pages until the cursor is current. Whatever fails, nothing is
// removed from the outbox unless the server accepted it; media resumes next time.
// After finished() the signed-in connection stays open for follow-up requests
// (media fetch) until the engine is destroyed.
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    SyncEngine(ClientStore &store, SyncOptions options, QObject *parent = nullptr);
    ~SyncEngine() override;

    void start();

    SyncError error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    const SyncReport &report() const { return m_report; }
    ServerConnection *connection() const { return m_connection; }
    QString presentedPin() const;
    // The server's error code when the server refused (wire::Error::UNKNOWN otherwise):
    // lets an app tell a wrong password from a used activation code or a locked account.
    wire::Error::Code serverError() const { return m_serverError; }
    // Seconds the server asked to wait before trying again (THROTTLED), or 0.
    quint32 retryAfterSeconds() const { return m_retryAfterSeconds; }

signals:
    // stage: "connecting", "signing in", "sending", "uploading", "receiving"
    void progress(const QString &stage, qint64 done, qint64 total);
    void finished(acorn::client::SyncEngine *self);

private:
    void authenticate();
    void pushOutbox();
    // Then the assessment outbox (an older server that does not know assessments leaves
    // them queued), then media.
    void pushAssessments();
    void reportJournalViews();
    void startUploads();
    void removeConfirmedOriginal(const OutboxMedia &media);
    void uploadNext();
    // Keeps up to kChunksInFlight chunks of the current upload on the wire, so the link
    // never waits a round trip per chunk.
    void fillUploadWindow();
    void onChunkReply(quint64 generation, qint64 sentOffset, qint64 sentBytes, const wire::Frame &reply);
    void pullPage();
    void finish(SyncError error = SyncError::None, const QString &message = {});
    bool handleError(const wire::Frame &reply);

    ClientStore &m_store;
    SyncOptions m_options;
    QPointer<ServerConnection> m_connection;
    SyncReport m_report;
    SyncError m_error = SyncError::None;
    QString m_errorString;
    bool m_finished = false;
    wire::Error::Code m_serverError = wire::Error::UNKNOWN;
    quint32 m_retryAfterSeconds = 0;

    // upload state
    QList<OutboxMedia> m_uploads;
    QSet<QString> m_assessmentChangesSent; // change ids answered in this sync
    bool m_journalViewsReported = false; // one report of journal views per sync
    int m_uploadIndex = 0;
    std::unique_ptr<QIODevice> m_file; // the queued file, read sealed (SealedFileReader)
    qint64 m_offset = 0; // the next byte of the current upload to send
    int m_chunksInFlight = 0;
    // A chunk the server did not take (it holds less than expected): send nothing more
    // until every chunk in flight has been answered, then resume from m_resumeOffset.
    bool m_resyncing = false;
    qint64 m_resumeOffset = 0;
    // Answers to chunks of an earlier upload (or of this one before it completed) are ignored.
    quint64 m_uploadGeneration = 0;
    qint64 m_uploadTotal = 0;
    qint64 m_uploadDone = 0;
};

// Downloads one variant of one media item the signed-in user may see, verifying its
// SHA-256 before the file appears at `outPath` (written via a temporary file). With a
// DataKey the file is written sealed (SealedFileWriter), for a profile's media/ cache;
// without one it is written plain, for an export the user asked for (acorn-cli --out).
class MediaDownload : public QObject
{
    Q_OBJECT
public:
    MediaDownload(ServerConnection &connection, QString mediaId, wire::MediaVariant variant, QString outPath,
                  QObject *parent = nullptr);
    MediaDownload(ServerConnection &connection, QString mediaId, wire::MediaVariant variant, QString outPath,
                  DataKey key, QObject *parent = nullptr);
    ~MediaDownload() override;
    void start();
    bool failed() const { return !m_error.isEmpty(); }
    bool refused() const { return m_refused; }
    QString errorString() const { return m_error; }
    QByteArray sha256() const { return m_sha256; }
    qint64 size() const { return m_total; }

signals:
    void progress(qint64 done, qint64 total);
    void finished(acorn::client::MediaDownload *self);

private:
    void fetch();
    void done(const QString &error = {});

    ServerConnection &m_connection;
    QString m_mediaId;
    wire::MediaVariant m_variant;
    QString m_outPath;
    DataKey m_key;
    QFile m_file; // plain output
    std::unique_ptr<SealedFileWriter> m_sealed; // sealed output
    std::unique_ptr<crypto::Sha256> m_hash; // of the plain bytes as they arrive
    qint64 m_offset = 0;
    qint64 m_total = -1;
    QByteArray m_sha256;
    QString m_error;
    bool m_refused = false;
};

} // namespace acorn::client
