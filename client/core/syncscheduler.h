#pragma once

#include "clientstore.h"
#include "outboxsummary.h"
#include "syncengine.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace acorn::client {

// Keeps a device in step with the school's server without anyone having to think about it:
// a sync when the app starts, soon after something is saved, every few minutes while
// online, and again when the network comes back; after a failure it retries with growing
// delays (back-off), and "Sync now" runs at once. One SyncEngine at a time.
//
// It signs in with the session token only (never a password): an ended session stops the
// automatic syncs and asks for a new sign-in (signInNeeded); a server whose fingerprint
// is not the pinned one stops everything (fingerprintChanged) until the user acts.
// Nothing here removes anything from the outbox; that is the engine's job, on acceptance.
class SyncScheduler : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle, // in step, or not started
        Syncing, // a sync is running
        Offline, // the server cannot be reached: retrying with back-off
        Failed, // the server or this device failed: retrying with back-off
        SignInNeeded, // the session ended: stopped until setToken()
        FingerprintChanged, // the server presented another key: stopped
    };
    Q_ENUM(State)

    // `signIn` holds the server, pin, username, client kind and session token.
    SyncScheduler(ClientStore &store, SyncOptions signIn, QObject *parent = nullptr);
    ~SyncScheduler() override;

    // Milliseconds to wait after the 1st, 2nd, ... failure (the last one repeats).
    void setRetryDelays(QList<int> delaysMs) { m_retryDelays = std::move(delaysMs); }
    // Milliseconds between syncs while everything is well (0: only on demand).
    void setInterval(int ms) { m_intervalMs = ms; }

    void start();
    void stop();
    // The user asked: run now (or straight after the sync that is running).
    void syncNow();
    // Something was saved: run soon, unless the device is waiting out a back-off.
    void requestSync();
    // A new session after signInNeeded(): resumes syncing.
    void setToken(const QByteArray &token);
    // Call after the outbox changed outside a sync (a save), for status displays.
    void refreshSummary();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Syncing; }
    // The last attempt reached the server.
    bool isOnline() const { return m_online; }
    qint64 lastSyncMs() const { return m_lastSyncMs; }
    qint64 nextAttemptMs() const { return m_nextAttemptMs; }
    SyncError lastError() const { return m_lastError; }
    QString errorString() const { return m_errorString; }
    const SyncReport &lastReport() const { return m_lastReport; }
    const OutboxSummary &summary() const { return m_summary; }
    QString stage() const { return m_stage; }
    qint64 progressDone() const { return m_done; }
    qint64 progressTotal() const { return m_total; }
    const SyncOptions &signInOptions() const { return m_options; }
    // The pin and the fingerprint the server presented, after FingerprintChanged.
    QString pinnedFingerprint() const { return m_options.pin; }
    QString presentedFingerprint() const { return m_presented; }
    // The signed-in connection of the last successful sync (for follow-up requests), or null.
    ServerConnection *connection() const;

signals:
    void stateChanged();
    void progress(const QString &stage, qint64 done, qint64 total);
    // A sync finished without error: views refresh from the store.
    void synced(const acorn::client::SyncReport &report);
    void signInNeeded(const QString &message);
    void fingerprintChanged(const QString &pinned, const QString &presented);

private:
    void run();
    void onFinished(SyncEngine *engine);
    void scheduleIn(int ms);
    void setState(State s);

    ClientStore &m_store;
    SyncOptions m_options;
    QPointer<SyncEngine> m_engine;
    QTimer m_timer;
    QList<int> m_retryDelays { 5000, 15000, 30000, 60000, 120000, 300000 };
    int m_intervalMs = 180000;
    int m_failures = 0;
    bool m_started = false;
    bool m_again = false;
    bool m_online = false;
    State m_state = State::Idle;
    SyncError m_lastError = SyncError::None;
    QString m_errorString;
    QString m_presented;
    qint64 m_lastSyncMs = 0;
    qint64 m_nextAttemptMs = 0;
    SyncReport m_lastReport;
    OutboxSummary m_summary;
    QString m_stage;
    qint64 m_done = 0;
    qint64 m_total = 0;
};

} // namespace acorn::client
