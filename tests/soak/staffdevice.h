#pragma once

#include "clientstore.h"
#include "observationqueue.h"
#include "soakcontext.h"

#include <QHash>
#include <QObject>
#include <QRandomGenerator>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace acorn::soak {

// One simulated staff tablet: its own profile folder with a real ClientStore and
// ObservationQueue (photos through the real MediaPipeline), synced by a real SyncEngine
// signed in with the device's stored session token.
//
// While the run generates, the device repeats: wait a random while (seeded), save one to
// three observations (new ones, some with a photo, some tagging two children of different
// families, some drafts; or amendments of its own earlier ones), then sync (one time in
// four it stays offline and syncs next time). It never saves
// while its own sync runs, so what a sync pushed is exactly what the device last saved.
//
// After every sync it mirrors into the school model what the server accepted (the version
// it saved, with the revision the sync reported) and which media finished uploading, and
// checks each outcome against the oracle's (fixture::oracle::pushOutcome).
class StaffDevice
{
public:
    StaffDevice(SoakContext &context, int index, QString username, QByteArray token,
        QStringList children, QString directory);

    // Opens the device's store; an error message, or empty.
    QString open();
    // The first sync (it caches the roster the consent check needs), then the loop.
    void begin();

    // One sync now (through the gate); `after` runs when it finished.
    void sync(std::function<void()> after);
    bool syncing() const { return m_syncing; }
    // Something still waits to reach the server: an edit in the outbox, or media.
    bool hasWork();
    // Why the outbox is not empty: each waiting edit's state and reason, and media left.
    QString waitingReason();

    const QString &username() const { return m_username; }
    int index() const { return m_index; }
    // Observations this device was told are saved (ids), and which of them the server accepted.
    const QHash<QString, wire::Observation> &saved() const { return m_saved; }
    const QSet<QString> &accepted() const { return m_accepted; }
    // Media this device declared: id -> SHA-256 it computed of the original (raw bytes).
    const QHash<QString, QByteArray> &mediaSha() const { return m_mediaSha; }

private:
    void scheduleNext();
    void act();
    void saveNew();
    void amend();
    QString capture();
    QStringList pickChildren(bool twoFamilies, bool photo);
    void afterSync(
        client::SyncEngine &engine, double ms, const QHash<QString, client::OutboxItem> &pushed);

    SoakContext &m_ctx;
    int m_index;
    QString m_username;
    QByteArray m_token;
    QStringList m_children;
    QString m_dir;
    QRandomGenerator m_rng;
    QObject m_context; // the device's timers stop with it
    std::unique_ptr<client::ClientStore> m_store;
    std::unique_ptr<client::ObservationQueue> m_queue;
    bool m_syncing = false;
    int m_captures = 0;
    QString m_lastCapture;

    QHash<QString, wire::Observation> m_saved;
    QSet<QString> m_accepted;
    QHash<QString, QByteArray> m_mediaSha;
    QHash<QString, QString> m_mediaObservation; // media id -> observation id
    QSet<QString> m_mediaUploaded;
};

} // namespace acorn::soak
