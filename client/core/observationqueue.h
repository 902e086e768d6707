#pragma once

#include "acorn.pb.h"
#include "clientstore.h"
#include "mediapipeline.h"
#include "result.h"

#include <QList>
#include <QString>

#include <optional>

namespace acorn::client {

// An observation as this device shows it: its newest local version (an edit waiting in the
// outbox, else the copy the server sent) and where it stands.
struct LocalObservation
{
    wire::Observation observation;
    quint64 baseRevision = 0; // the server revision an edit of it builds on
    // "" when it is on the server as shown; "pending" waiting to be sent; "uploading" sent,
    // its media still uploading; "refused" or "conflict" with `reason`.
    QString outboxState;
    QString reason;

    QString id() const { return QString::fromStdString(observation.id()); }
    bool isWaiting() const { return !outboxState.isEmpty(); }
};

// Everything staff do to observations on this device goes through here, and nothing leaves
// here except through the outbox: new observations, amendments and deletions are written
// durably (ClientStore::queue) before the call returns, with their media already prepared by
// MediaPipeline. A conflict is settled only by the user (keepMine / takeTheirs); an error
// never drops an edit.
//
// Consent: saving applies ConsentCheck against the cached roster first and refuses with its
// reason, so a refused observation is never queued.
class ObservationQueue
{
public:
    ObservationQueue(ClientStore &store, QString outboxDirectory);

    ClientStore &store() const { return m_store; }
    MediaPipeline pipeline() const { return MediaPipeline(m_outboxDir, m_store.dataKey()); }

    // Queues a new observation (an id and observed-at time are given if missing). Returns its id.
    Result<QString> saveNew(wire::Observation observation, const QList<PreparedMedia> &media);
    // Queues an amendment: `edited` is the whole new version (media it no longer lists are
    // removed from the observation); `newMedia` are files added by this edit.
    Result<QString> saveAmendment(wire::Observation edited, const QList<PreparedMedia> &newMedia);
    // Queues the deletion of an observation.
    Status markDeleted(const QString &id);

    std::optional<LocalObservation> find(const QString &id);
    // A child's journal as this device has it, newest first; deleted ones left out.
    QList<LocalObservation> journal(const QString &childRef);
    // Observations with something waiting, oldest first (refused and conflicts included).
    QList<LocalObservation> waiting();

    // The server's copy of an observation in conflict (cached by the sync), if it sent one.
    std::optional<wire::Observation> serverCopy(const QString &id);
    // Conflict, keep mine: my version is sent again, based on the server's revision.
    Status keepMine(const QString &id);
    // Conflict (or refusal), take theirs: my edit is dropped, the server's copy stays.
    Status takeTheirs(const QString &id);

    // Deletes prepared files that were never queued (the user cancelled).
    static void discardPrepared(const QList<PreparedMedia> &media);

private:
    Result<QString> queue(
        wire::Observation observation, quint64 baseRevision, const QList<PreparedMedia> &media);

    ClientStore &m_store;
    QString m_outboxDir;
};

} // namespace acorn::client
