#pragma once

#include "acorn.pb.h"
#include "atrest.h"
#include "result.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <memory>

class QSqlQuery;
#include <optional>

namespace acorn::client {

// An edit waiting to reach the server.
struct OutboxItem
{
    wire::Observation observation; // the local version
    QString changeId;
    quint64 baseRevision = 0;
    QString state; // pending | refused | conflict
    QString reason;
    qint64 queuedAt = 0;
};

// A judgement waiting to reach the server. One per assessment (child, item, half term): a
// newer local edit of the same assessment replaces the unsent one.
struct AssessmentEdit
{
    wire::Assessment assessment; // child_ref, item_key, half_term, judgement
    quint64 baseRevision = 0; // the server revision it was made on, 0 for a first judgement
    QString changeId;
    QString state = QStringLiteral("pending"); // pending | refused | conflict
    QString reason;
    qint64 queuedAt = 0;
};

// One variant of one media file waiting to be uploaded.
struct OutboxMedia
{
    QString mediaId;
    QString observationId;
    int variant = 0; // wire::MediaVariant
    QString path;    // inside the profile
    qint64 size = 0;
    QByteArray sha256;
    bool done = false;
};

// What ClientStore::open() did about a damaged local store (PRAGMA quick_check found a
// problem, or the file is not a database): the file was set aside, a fresh store was made,
// and whatever could be read of the outbox (edits and media not yet on the server) was
// carried over. The cache is downloaded again at the next sync.
struct StoreRecovery
{
    QString problem; // what SQLite reported, first line
    QString damagedCopy; // where the damaged file now is (kept for the IT manager)
    int editsSalvaged = 0;
    int mediaSalvaged = 0;
    // For the user: what happened and what it means.
    QString message() const;
};

// The device's local store (SQLite in WAL mode, synchronous=FULL): the outbox of edits and
// media not yet on the server, the cache of what the server sent, the roster and the sync
// cursor. Every outbox write is durable before the call returns, so "saved" means saved.
// All SQL of the clients lives here. A database from a newer Acorn is refused. A damaged
// file is checked for at every open (quick_check) and replaced, keeping the outbox
// (recovery()); it never stops the app.
//
// At rest (schema 4): every protobuf payload and every free-text column (refusal reasons,
// judgements) is sealed with the profile's DataKey (AES-256-GCM, atrest::seal), bound to
// its table and row key; ids, child refs, timestamps, states, sizes and SHA-256s stay plain
// so SQLite can index and select on them (docs/at-rest.md). A store from before (schema 3)
// is sealed in place at its first open. The wrong key is refused with a clear error and the
// file is left untouched.
class ClientStore
{
public:
    ~ClientStore();
    static Result<std::unique_ptr<ClientStore>> open(const QString &path, const DataKey &key);
    // True when the file at `path` holds sealed data (so only its own key may open it);
    // false for no file, or a store from before encryption that a new key may seal.
    static bool holdsSealedData(const QString &path);
    // The key the store was opened with: the profile's media files are sealed with it too.
    const DataKey &dataKey() const { return m_key; }
    // Set when open() found the file damaged and replaced it.
    const std::optional<StoreRecovery> &recovery() const { return m_recovery; }

    // ---- outbox
    Status queue(const OutboxItem &item, const QList<OutboxMedia> &media);
    QList<OutboxItem> outbox();
    std::optional<OutboxItem> outboxItem(const QString &observationId);
    Status markOutcome(const QString &observationId, const QString &changeId, const QString &state,
                       const QString &reason);
    Status removeFromOutbox(const QString &observationId, const QString &changeId);
    QList<OutboxMedia> pendingMedia();
    Status markMediaDone(const QString &mediaId, int variant);
    // Originals the server confirmed (done) whose file is recorded: removed from the device.
    QList<OutboxMedia> confirmedOriginals();

    // ---- cache
    Status applyPull(const wire::PullReply &page);
    Status cacheObservation(const wire::Observation &o);
    QList<wire::Observation> journal(const QString &childRef = {});
    std::optional<wire::Observation> cached(const QString &id);
    QList<wire::Child> roster();
    QList<wire::ClassInfo> classes();
    // The assessments the server sent this user (staff: their classes' with history;
    // parents: their children's released ones), all or one child's.
    QList<wire::Assessment> assessments(const QString &childRef = {});
    Status cacheAssessment(const wire::Assessment &a);

    // ---- assessment outbox (durable before it returns, like the observation outbox)
    Status queueAssessment(const AssessmentEdit &edit);
    // Journal views waiting to be reported to the server's audit log (staff devices):
    // recorded when a practitioner opens a child's journal, online or not.
    Status recordJournalView(const QString &childRef, qint64 atMs);
    QList<wire::JournalView> pendingJournalViews(int limit);
    Status forgetJournalViews(const QStringList &viewIds);

    QList<AssessmentEdit> assessmentOutbox();
    Status markAssessmentOutcome(const QString &changeId, const QString &state, const QString &reason);
    // Only the change the server accepted: a newer local edit made meanwhile stays queued.
    Status removeAssessmentFromOutbox(const QString &changeId);
    QByteArray cursor();
    // The school's IANA time zone and half terms from the last pull (empty before one).
    QString schoolTimeZone();
    QList<wire::HalfTermInfo> calendar();

    QString setting(const QString &key);
    Status setSetting(const QString &key, const QString &value);

    // ---- staff app (acorn-staff)
    // How many observations tag each child with an observed-at time in [fromMs, toMs):
    // the synced cache and the outbox together (an edit waiting to be sent counts once,
    // as its local version; deleted ones do not count).
    QHash<QString, int> observationCounts(qint64 fromMs, qint64 toMs);
    // Sends a conflicting or refused local edit again, now based on `baseRevision` (the
    // server copy the user has seen), as a new change.
    Status requeueOnto(const QString &observationId, const QString &newChangeId, quint64 baseRevision);
    // Drops the local edit of an observation whatever its state, with its media not yet
    // uploaded; returns the files of that media so the caller can delete them.
    Result<QStringList> discardOutboxItem(const QString &observationId);
    // The file of one variant of a media item queued from this device (uploaded or not),
    // or empty.
    QString queuedMediaPath(const QString &mediaId, int variant);

    static constexpr int kSchemaVersion = 4;

private:
    ClientStore() = default;
    static Result<std::unique_ptr<ClientStore>> openChecked(
        const QString &path, const DataKey &key, QString *damage);
    static Result<std::unique_ptr<ClientStore>> recover(
        const QString &path, const DataKey &key, const QString &problem);
    Status migrate();
    Status sealExistingRows();
    Status checkKey();
    // A value sealed for (or opened from) one column of one row.
    QByteArray seal(QByteArrayView plain, const QString &place) const;
    std::optional<QByteArray> unseal(const QVariant &stored, const QString &place) const;
    QString unsealText(const QVariant &stored, const QString &place) const;
    QVariant sealText(const QString &text, const QString &place) const;
    std::optional<OutboxItem> outboxFrom(const QSqlQuery &q) const;
    Status exec(const QString &sql, const QVariantList &binds);

    QString m_connectionName;
    QSqlDatabase m_db;
    DataKey m_key;
    QString m_folder; // registered with atrest::registerFolder while open
    std::optional<StoreRecovery> m_recovery;
};

} // namespace acorn::client
