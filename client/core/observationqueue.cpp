#include "observationqueue.h"

#include "consentcheck.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QSet>
#include <QUuid>

#include <algorithm>

namespace acorn::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("acorn::client::ObservationQueue", text);
}

QString newUuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QStringList refsOf(const wire::Observation &o)
{
    QStringList out;
    for (const std::string &r : o.child_refs())
        out.append(QString::fromStdString(r));
    return out;
}

LocalObservation fromOutbox(const OutboxItem &item)
{
    return { item.observation, item.baseRevision, item.state, item.reason };
}

} // namespace

ObservationQueue::ObservationQueue(ClientStore &store, QString outboxDirectory)
    : m_store(store)
    , m_outboxDir(std::move(outboxDirectory))
{
    // The app may have been killed while it wrote a photo: nothing queued refers to it.
    MediaPipeline::removeUnfinished(m_outboxDir);
}

Result<QString> ObservationQueue::queue(
    wire::Observation o, quint64 baseRevision, const QList<PreparedMedia> &media)
{
    using R = Result<QString>;
    if (o.child_refs_size() == 0)
        return R::failure(tr("Choose at least one child for this observation."));
    if (!o.deleted()) {
        const ConsentCheck consent
            = ConsentCheck::evaluate(m_store.roster(), refsOf(o), o.media_size() > 0);
        if (!consent.allowed())
            return R::failure(consent.refusal);
    }
    for (wire::Media &m : *o.mutable_media()) {
        m.clear_available();
        m.clear_withheld();
    }
    const QString id = QString::fromStdString(o.id());
    OutboxItem item;
    item.observation = o;
    item.changeId = newUuid();
    item.baseRevision = baseRevision;
    item.queuedAt = QDateTime::currentMSecsSinceEpoch();
    QList<OutboxMedia> files;
    for (const PreparedMedia &p : media) {
        files.append({ p.mediaId, id, wire::ORIGINAL, p.originalPath, p.size, p.sha256, false });
        if (p.thumbnailSize > 0)
            files.append({ p.mediaId, id, wire::THUMBNAIL, p.thumbnailPath, p.thumbnailSize,
                p.thumbnailSha256, false });
    }
    if (Status s = m_store.queue(item, files); !s)
        return R::failure(tr("This device could not save the observation: %1").arg(s.error()));
    return id;
}

Result<QString> ObservationQueue::saveNew(wire::Observation o, const QList<PreparedMedia> &media)
{
    if (o.id().empty())
        o.set_id(newUuid().toStdString());
    if (o.observed_at_ms() == 0)
        o.set_observed_at_ms(QDateTime::currentMSecsSinceEpoch());
    if (o.state() == wire::OBSERVATION_STATE_UNSPECIFIED)
        o.set_state(wire::PUBLISHED);
    o.clear_media();
    for (const PreparedMedia &p : media)
        *o.add_media() = p.toWire();
    return queue(std::move(o), 0, media);
}

Result<QString> ObservationQueue::saveAmendment(
    wire::Observation edited, const QList<PreparedMedia> &newMedia)
{
    const QString id = QString::fromStdString(edited.id());
    const std::optional<LocalObservation> current = find(id);
    if (!current)
        return Result<QString>::failure(
            tr("This observation is no longer on this device: sync and try again."));
    for (const PreparedMedia &p : newMedia)
        *edited.add_media() = p.toWire();
    return queue(std::move(edited), current->baseRevision, newMedia);
}

Status ObservationQueue::markDeleted(const QString &id)
{
    std::optional<LocalObservation> current = find(id);
    if (!current)
        return Status::failure(tr("This observation is no longer on this device."));
    current->observation.set_deleted(true);
    return Status::from(queue(current->observation, current->baseRevision, {}));
}

std::optional<LocalObservation> ObservationQueue::find(const QString &id)
{
    if (const auto queued = m_store.outboxItem(id))
        return fromOutbox(*queued);
    if (const auto cached = m_store.cached(id)) {
        LocalObservation l { *cached, cached->revision(), {}, {} };
        for (const OutboxMedia &m : m_store.pendingMedia()) {
            if (m.observationId == id)
                l.outboxState = QStringLiteral("uploading");
        }
        return l;
    }
    return std::nullopt;
}

QList<LocalObservation> ObservationQueue::journal(const QString &childRef)
{
    QHash<QString, LocalObservation> byId;
    QSet<QString> uploading;
    for (const OutboxMedia &m : m_store.pendingMedia())
        uploading.insert(m.observationId);
    for (const wire::Observation &o : m_store.journal(childRef)) {
        LocalObservation l { o, o.revision(), {}, {} };
        if (uploading.contains(l.id()))
            l.outboxState = QStringLiteral("uploading");
        byId.insert(l.id(), l);
    }
    for (const OutboxItem &item : m_store.outbox()) {
        if (!childRef.isEmpty() && !refsOf(item.observation).contains(childRef))
            continue;
        const LocalObservation l = fromOutbox(item);
        byId.insert(l.id(), l);
    }
    QList<LocalObservation> out;
    for (const LocalObservation &l : std::as_const(byId)) {
        if (!l.observation.deleted())
            out.append(l);
    }
    std::sort(out.begin(), out.end(), [](const LocalObservation &a, const LocalObservation &b) {
        if (a.observation.observed_at_ms() != b.observation.observed_at_ms())
            return a.observation.observed_at_ms() > b.observation.observed_at_ms();
        return a.id() < b.id();
    });
    return out;
}

QList<LocalObservation> ObservationQueue::waiting()
{
    QList<LocalObservation> out;
    QSet<QString> seen;
    for (const OutboxItem &item : m_store.outbox()) {
        out.append(fromOutbox(item));
        seen.insert(QString::fromStdString(item.observation.id()));
    }
    for (const OutboxMedia &m : m_store.pendingMedia()) {
        if (seen.contains(m.observationId))
            continue;
        seen.insert(m.observationId);
        if (const auto cached = m_store.cached(m.observationId))
            out.append({ *cached, cached->revision(), QStringLiteral("uploading"), {} });
    }
    return out;
}

std::optional<wire::Observation> ObservationQueue::serverCopy(const QString &id)
{
    return m_store.cached(id);
}

Status ObservationQueue::keepMine(const QString &id)
{
    const auto mine = m_store.outboxItem(id);
    if (!mine)
        return Status::failure(tr("There is no edit of this observation waiting on this device."));
    const auto theirs = m_store.cached(id);
    if (!theirs)
        return Status::failure(
            tr("The server's copy of this observation is not on this device, so yours cannot be "
               "based on it: sync and try again."));
    // The consent rules may have changed since the edit was made.
    if (!mine->observation.deleted()) {
        const ConsentCheck consent = ConsentCheck::evaluate(
            m_store.roster(), refsOf(mine->observation), mine->observation.media_size() > 0);
        if (!consent.allowed())
            return Status::failure(consent.refusal);
    }
    return m_store.requeueOnto(id, newUuid(), theirs->revision());
}

Status ObservationQueue::takeTheirs(const QString &id)
{
    const auto files = m_store.discardOutboxItem(id);
    if (!files)
        return Status::failure(files.error());
    for (const QString &f : files.value())
        QFile::remove(f);
    return {};
}

void ObservationQueue::discardPrepared(const QList<PreparedMedia> &media)
{
    for (const PreparedMedia &p : media) {
        QFile::remove(p.originalPath);
        if (!p.thumbnailPath.isEmpty())
            QFile::remove(p.thumbnailPath);
    }
}

} // namespace acorn::client
