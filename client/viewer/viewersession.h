#pragma once

#include "acorn.pb.h"
#include "clientstore.h"
#include "mediacache.h"
#include "result.h"
#include "schoolcalendar.h"
#include "syncengine.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace acorn::viewer {

// Where a viewer profile's server is and who signs in there.
struct ViewerAccount
{
    QString profileDir; // holds acorn.db and media/
    QString host;
    quint16 port = 0;
    QString pin; // SHA-256 of the server's public key, 64 hex digits
    QString username;
};

// One signed-in parent on this device: the profile's cache (readable with no network),
// synchronisation with the school's server and the media downloads that follow it.
//
// Read-only by construction: it never pushes (the viewer has no outbox) and it offers no
// call that changes the journal. It holds the session token in memory only; keeping it
// in the keychain is the caller's job (tokenIssued()).
class ViewerSession : public QObject
{
    Q_OBJECT
public:
    // Reads the profile's data key from the keychain (waiting for it) and opens the cache.
    static Result<std::unique_ptr<ViewerSession>> open(
        const ViewerAccount &account, QObject *parent = nullptr);
    // The same with the key already read (client::DataKeyStore).
    static Result<std::unique_ptr<ViewerSession>> open(
        const ViewerAccount &account, const client::DataKey &key, QObject *parent = nullptr);
    // The keychain name of the account's data key (the profile's, "user@host:port").
    static QString keychainKey(const ViewerAccount &account);
    static QString databasePath(const ViewerAccount &account);
    ~ViewerSession() override;

    const ViewerAccount &account() const { return m_account; }
    client::ClientStore &store() { return *m_store; }
    MediaFetcher &media() { return *m_fetcher; }
    MediaCache mediaCache() const;

    // The school's calendar and zone as last synced (system zone before the first sync).
    SchoolCalendar calendar();
    QList<wire::Child> children();
    QList<wire::Observation> journal(const QString &childRef);
    std::optional<wire::ClassInfo> classInfo(const QString &className);
    // The signed-in guardian's name (for the watermark), as the server last said it.
    QString familyName();
    QString schoolName();
    QString schoolContact();
    // What the sign-in said about the account and school, kept for offline use (names
    // already known are replaced only by non-empty ones).
    void rememberAccount(
        const QString &displayName, const QString &schoolName, const QString &schoolContact);
    // When the last sync finished successfully (ms since the epoch), 0 for never.
    qint64 lastSyncMs();

    void setToken(const QByteArray &token) { m_token = token; }
    QByteArray token() const { return m_token; }

    // Synchronises with the stored token. No-op while a sync runs.
    void syncNow();
    // Signs in with a password, or activates the account with a one-time code and a new
    // password; then synchronises. On success tokenIssued() carries the new token.
    void signIn(const QString &password);
    void activate(const QString &code, const QString &newPassword);

    bool isSyncing() const { return !m_engine.isNull() && m_running; }
    bool isOnline() const { return m_fetcher->hasConnection(); }
    client::SyncError lastError() const { return m_lastError; }
    QString lastErrorString() const { return m_lastErrorString; }
    // What the server presented when the pin did not match (for the blocking warning).
    QString lastPresentedPin() const { return m_lastPresentedPin; }

    // Human words for a sync stage ("Receiving the journal…").
    static QString stageText(const QString &stage);

signals:
    void syncStarted();
    void syncProgress(const QString &text, qint64 done, qint64 total);
    // ok: the cache now matches the server; else `message` says what happened and what
    // to do (the cache is still readable).
    void syncFinished(bool ok, const QString &message);
    // A sync brought the cache up to date: reload the children and class notices, and the
    // journals too when `observationsChanged`.
    void journalChanged(bool observationsChanged);
    void tokenIssued(const QByteArray &token);
    // The stored sign-in ended (revoked, account switched off): ask for the password.
    void signInNeeded(const QString &message);

private:
    ViewerSession(
        const ViewerAccount &account, std::unique_ptr<client::ClientStore> store, QObject *parent);
    void start(client::SyncOptions options);
    void onFinished(client::SyncEngine *engine);
    void retire(client::SyncEngine *engine);

    ViewerAccount m_account;
    std::unique_ptr<client::ClientStore> m_store;
    MediaFetcher *m_fetcher = nullptr;
    QPointer<client::SyncEngine> m_engine;
    bool m_running = false;
    bool m_tokenAttempt = false;
    QByteArray m_token;
    client::SyncError m_lastError = client::SyncError::None;
    QString m_lastErrorString;
    QString m_lastPresentedPin;
};

} // namespace acorn::viewer
