#include "staffdevice.h"

#include "atrest.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTimer>

namespace acorn::soak {

using M = fixture::SchoolModel;

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

// The plain bytes of a file the device's pipeline wrote (sealed at rest, docs/at-rest.md).
QByteArray readAll(const QString &path)
{
    const auto bytes = client::readMediaFile(path);
    return bytes ? bytes.value() : QByteArray();
}

// The model's form of what a device saved, as the server must store it.
M::Observation toModel(const wire::Observation &o, const QString &author)
{
    M::Observation m;
    m.id = str(o.id());
    m.author = author;
    m.observedAtMs = o.observed_at_ms();
    for (const std::string &r : o.child_refs())
        m.children.append(str(r));
    m.text = str(o.text());
    m.note = str(o.staff_note());
    m.nextSteps = str(o.next_steps());
    for (const std::string &t : o.eyfs_tags())
        m.eyfsTags.append(str(t));
    for (const wire::Media &md : o.media())
        m.media.append(str(md.id()));
    m.draft = o.state() == wire::DRAFT;
    m.deleted = o.deleted();
    return m;
}

const char *outcomeName(fixture::oracle::Push p)
{
    switch (p) {
    case fixture::oracle::Push::Accept:
        return "accepted";
    case fixture::oracle::Push::Conflict:
        return "conflict";
    case fixture::oracle::Push::Deny:
        return "refused";
    }
    return "?";
}

} // namespace

StaffDevice::StaffDevice(SoakContext &context, int index, QString username, QByteArray token,
    QStringList children, QString directory)
    : m_ctx(context)
    , m_index(index)
    , m_username(std::move(username))
    , m_token(std::move(token))
    , m_children(std::move(children))
    , m_dir(std::move(directory))
    , m_rng(context.seed ^ (0x9E3779B9u * quint32(index + 1)))
{ }

QString StaffDevice::open()
{
    auto store = openProfile(m_dir);
    if (!store)
        return store.error();
    m_store = std::move(store).value();
    m_queue
        = std::make_unique<client::ObservationQueue>(*m_store, m_dir + QStringLiteral("/outbox"));
    return {};
}

void StaffDevice::begin()
{
    QTimer::singleShot(
        int(m_rng.bounded(2000)), &m_context, [this] { sync([this] { scheduleNext(); }); });
}

void StaffDevice::scheduleNext()
{
    if (!m_ctx.generating)
        return;
    // A practitioner captures something every 2 to 8 seconds: far busier than a real class.
    QTimer::singleShot(2000 + int(m_rng.bounded(6000)), &m_context, [this] { act(); });
}

void StaffDevice::act()
{
    if (!m_ctx.generating)
        return;
    const int saves = 1 + int(m_rng.bounded(3));
    for (int i = 0; i < saves; ++i) {
        if (!m_saved.isEmpty() && m_rng.bounded(10) < 3)
            amend();
        else
            saveNew();
    }
    // One time in four the tablet is out of the network's reach: what it saved waits in the
    // outbox (and may be amended there) until a later sync, or the one at the end.
    if (m_rng.bounded(4) == 0) {
        scheduleNext();
        return;
    }
    sync([this] { scheduleNext(); });
}

QString StaffDevice::capture()
{
    // Every fifth capture is the previous picture again (the same bytes: the server keeps
    // one file for both); the others stamp a few seeded blocks on the shared picture, so
    // that each is a media object of its own.
    ++m_captures;
    if (!m_lastCapture.isEmpty() && m_captures % 5 == 0)
        return m_lastCapture;
    QImage image = m_ctx.picture.copy();
    for (int b = 0; b < 6; ++b) {
        const int x0 = int(m_rng.bounded(image.width() - 8));
        const int y0 = int(m_rng.bounded(image.height() - 8));
        const QRgb colour
            = qRgb(int(m_rng.bounded(256)), int(m_rng.bounded(256)), int(m_rng.bounded(256)));
        for (int y = y0; y < y0 + 8; ++y) {
            for (int x = x0; x < x0 + 8; ++x)
                image.setPixel(x, y, colour);
        }
    }
    const QString path = m_dir + QStringLiteral("/camera/capture-%1.png").arg(m_captures);
    QDir().mkpath(m_dir + QStringLiteral("/camera"));
    if (!image.save(path))
        return {};
    if (!m_lastCapture.isEmpty() && m_lastCapture != path)
        QFile::remove(m_lastCapture);
    m_lastCapture = path;
    return path;
}

QStringList StaffDevice::pickChildren(bool twoFamilies, bool photo)
{
    QStringList candidates;
    for (const QString &ref : std::as_const(m_children)) {
        const M::Child *c = m_ctx.model.child(ref);
        if (c && (!photo || c->journalMedia))
            candidates.append(ref);
    }
    if (candidates.isEmpty())
        return {};
    const QString first = candidates.at(int(m_rng.bounded(int(candidates.size()))));
    if (!twoFamilies)
        return { first };
    QStringList others;
    for (const QString &ref : std::as_const(candidates)) {
        if (m_ctx.model.child(ref)->family != m_ctx.model.child(first)->family)
            others.append(ref);
    }
    if (others.isEmpty())
        return { first };
    return { first, others.at(int(m_rng.bounded(int(others.size())))) };
}

void StaffDevice::saveNew()
{
    const bool photo = m_rng.bounded(10) < 4;
    const bool twoFamilies = m_rng.bounded(10) < 3;
    const bool draft = m_rng.bounded(100) < 15;
    const QStringList refs = pickChildren(twoFamilies, photo);
    if (refs.isEmpty())
        return;
    wire::Observation obs;
    for (const QString &ref : refs)
        obs.add_child_refs(ref.toStdString());
    obs.set_text(
        QStringLiteral("Device %1 capture %2: built a tower of %3 blocks and counted them.")
            .arg(m_index)
            .arg(m_saved.size() + 1)
            .arg(m_rng.bounded(3, 20))
            .toStdString());
    if (m_rng.bounded(10) < 3)
        obs.set_staff_note("Staff only: discuss with the key person.");
    obs.set_next_steps("Count to twenty with objects.");
    obs.add_eyfs_tags(QStringLiteral("M").toStdString());
    obs.set_state(draft ? wire::DRAFT : wire::PUBLISHED);
    obs.set_observed_at_ms(QDateTime::currentMSecsSinceEpoch());
    QList<client::PreparedMedia> media;
    if (photo) {
        const QString source = capture();
        auto prepared = source.isEmpty()
            ? Result<client::PreparedMedia>::failure(QStringLiteral("no capture"))
            : m_queue->pipeline().preparePhoto(source);
        if (!prepared) {
            m_ctx.problem(QStringLiteral("device %1: a photo could not be prepared: %2")
                              .arg(m_index)
                              .arg(prepared.error()));
            return;
        }
        media.append(prepared.value());
    }
    const auto id = m_queue->saveNew(obs, media);
    if (!id) {
        m_ctx.problem(QStringLiteral("device %1: saving failed: %2").arg(m_index).arg(id.error()));
        client::ObservationQueue::discardPrepared(media);
        return;
    }
    const auto local = m_queue->find(id.value());
    if (!local) {
        m_ctx.problem(QStringLiteral("device %1: %2 was saved but is not on the device")
                          .arg(m_index)
                          .arg(id.value()));
        return;
    }
    m_saved.insert(id.value(), local->observation);
    for (const client::PreparedMedia &p : std::as_const(media)) {
        M::Media md;
        md.id = p.mediaId;
        md.original = readAll(p.originalPath);
        md.thumbnail = readAll(p.thumbnailPath);
        md.declaredBy = m_username;
        m_ctx.model.media.insert(md.id, md);
        m_mediaSha.insert(p.mediaId, p.sha256);
        m_mediaObservation.insert(p.mediaId, id.value());
    }
    ++m_ctx.observationsNew;
    m_ctx.drafts += draft;
    m_ctx.withPhoto += photo;
    m_ctx.twoFamilies += refs.size() == 2;
}

void StaffDevice::amend()
{
    const QList<QString> ids = m_saved.keys();
    const QString id = ids.at(int(m_rng.bounded(int(ids.size()))));
    const auto local = m_queue->find(id);
    if (!local) {
        m_ctx.problem(QStringLiteral("device %1: its observation %2 is gone from the device")
                          .arg(m_index)
                          .arg(id));
        return;
    }
    wire::Observation edited = local->observation;
    edited.set_text(edited.text() + " Amended: added the tower's height.");
    if (edited.state() == wire::DRAFT && m_rng.bounded(2) == 0)
        edited.set_state(wire::PUBLISHED); // the draft is finished
    if (m_rng.bounded(4) == 0)
        edited.set_staff_note("Staff only: amended after a talk with the parents.");
    const auto saved = m_queue->saveAmendment(edited, {});
    if (!saved) {
        m_ctx.problem(QStringLiteral("device %1: amending %2 failed: %3")
                          .arg(m_index)
                          .arg(id, saved.error()));
        return;
    }
    const auto after = m_queue->find(id);
    if (after)
        m_saved.insert(id, after->observation);
    ++m_ctx.observationsEdited;
}

void StaffDevice::sync(std::function<void()> after)
{
    m_syncing = true;
    // What this sync will push (nothing is saved while it runs): each edit's base revision.
    QHash<QString, client::OutboxItem> pushed;
    for (const client::OutboxItem &item : m_store->outbox())
        pushed.insert(str(item.observation.id()), item);
    m_ctx.gate.run(*m_store, m_ctx.options(wire::CLIENT_KIND_STAFF, m_username, m_token),
        [this, pushed, after = std::move(after)](client::SyncEngine &engine, double ms) {
            afterSync(engine, ms, pushed);
            m_syncing = false;
            after();
        });
}

void StaffDevice::afterSync(
    client::SyncEngine &engine, double ms, const QHash<QString, client::OutboxItem> &pushed)
{
    ++m_ctx.deviceSyncs;
    m_ctx.syncMs.append(ms);
    const client::SyncReport &r = engine.report();
    m_ctx.mediaBytesUploaded += r.uploadedBytes;
    if (engine.error() != client::SyncError::None) {
        ++m_ctx.failedSyncs;
        m_ctx.problem(QStringLiteral("device %1 (%2): a sync failed: %3")
                          .arg(m_index)
                          .arg(m_username, engine.errorString()));
    }
    const M::Account *who = m_ctx.model.account(m_username);
    for (auto it = r.outcomes.cbegin(); it != r.outcomes.cend(); ++it) {
        const QString &id = it.key();
        if (!m_saved.contains(id) || !pushed.contains(id)) {
            m_ctx.problem(QStringLiteral("device %1: an outcome for %2, which it did not push")
                              .arg(m_index)
                              .arg(id));
            continue;
        }
        M::Observation proposed = toModel(m_saved.value(id), m_username);
        const auto existing = m_ctx.model.observations.constFind(id);
        const M::Observation *current
            = existing == m_ctx.model.observations.cend() ? nullptr : &*existing;
        const auto expected = fixture::oracle::pushOutcome(
            m_ctx.model, *who, current, proposed, pushed.value(id).baseRevision);
        if (it.value() != QLatin1String(outcomeName(expected))) {
            m_ctx.problem(QStringLiteral("device %1: %2 was %3 (%4), the rules say %5")
                              .arg(m_index)
                              .arg(id, it.value(), r.reasons.value(id),
                                  QLatin1String(outcomeName(expected))));
        }
        if (it.value() != QLatin1String("accepted"))
            continue;
        const auto cached = m_store->cached(id);
        const quint64 revision = cached ? cached->revision() : 0;
        if (revision <= (current ? current->revision : 0)) {
            m_ctx.problem(QStringLiteral("device %1: %2 accepted at revision %3, not after %4")
                              .arg(m_index)
                              .arg(id)
                              .arg(revision)
                              .arg(current ? current->revision : 0));
        }
        proposed.revision = revision;
        m_ctx.model.observations.insert(id, proposed);
        m_accepted.insert(id);
        ++m_ctx.accepted;
    }
    // Media whose observation is on the server and that is no longer pending has been
    // uploaded and verified.
    QSet<QString> pending;
    for (const client::OutboxMedia &m : m_store->pendingMedia())
        pending.insert(m.mediaId);
    for (auto it = m_mediaObservation.cbegin(); it != m_mediaObservation.cend(); ++it) {
        if (m_mediaUploaded.contains(it.key()) || pending.contains(it.key())
            || !m_accepted.contains(it.value()) || m_store->outboxItem(it.value()))
            continue;
        m_mediaUploaded.insert(it.key());
        M::Media &md = m_ctx.model.media[it.key()];
        md.originalUploaded = true;
        md.thumbnailUploaded = true;
    }
}

bool StaffDevice::hasWork()
{
    return !m_store->outbox().isEmpty() || !m_store->pendingMedia().isEmpty();
}

QString StaffDevice::waitingReason()
{
    QStringList parts;
    for (const client::OutboxItem &item : m_store->outbox())
        parts << QStringLiteral("%1 %2 %3")
                     .arg(str(item.observation.id()).left(8), item.state, item.reason);
    const int media = int(m_store->pendingMedia().size());
    if (media)
        parts << QStringLiteral("%1 media files").arg(media);
    return parts.join(QStringLiteral("; "));
}

} // namespace acorn::soak
