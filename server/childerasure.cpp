#include "childerasure.h"

#include "clock.h"
#include "logging.h"
#include "mediastore.h"
#include "serverstore.h"

#include <QDate>
#include <QJsonArray>
#include <QSet>
#include <QTimeZone>
#include <QUuid>

#include <algorithm>

namespace acorn::server {

namespace {

// Removes one child's reference from an observation's list of children.
bool dropChildRef(wire::Observation &o, const std::string &ref)
{
    auto *refs = o.mutable_child_refs();
    const auto before = refs->size();
    refs->erase(std::remove(refs->begin(), refs->end(), ref), refs->end());
    return refs->size() != before;
}

QDate schoolToday(ServerStore &store, qint64 nowMs)
{
    const QTimeZone zone(store.school().value_or(SchoolSettings {}).timeZone.toUtf8());
    return QDateTime::fromMSecsSinceEpoch(nowMs, zone.isValid() ? zone : QTimeZone::utc()).date();
}

} // namespace

ChildErasure::ChildErasure(ServerStore &store, MediaStore &media, const Clock &clock)
    : m_store(store)
    , m_media(media)
    , m_clock(clock)
{ }

Result<QJsonObject> ChildErasure::erase(const QString &childRef, const QString &actor) const
{
    using R = Result<QJsonObject>;
    const auto child = m_store.childByRef(childRef);
    if (!child)
        return R::failure(
            QStringLiteral("there is no child '%1' (or they were erased already)").arg(childRef));
    const std::string ref = child->ref.toStdString();
    const qint64 now = m_clock.nowMs();
    int deleted = 0;
    int untagged = 0;
    QSet<QString> mediaOfDeleted;

    if (Status secure = m_store.enableSecureDelete(); !secure)
        return R::failure(QStringLiteral("%1: nothing was erased").arg(secure.error()));
    ServerStore::Transaction tx(m_store);
    if (!tx.ok())
        return R::failure(QStringLiteral("the database is busy: %1").arg(m_store.lastError()));
    Status s;
    for (const QString &id : m_store.observationIdsOfChild(child->id)) {
        const auto rec = m_store.observation(id);
        if (!rec)
            return R::failure(
                QStringLiteral("observation %1 cannot be read: nothing was erased").arg(id));
        QList<qint64> others = rec->currentChildIds;
        others.removeAll(child->id);
        const bool tagged = rec->currentChildIds.contains(child->id);
        wire::Observation next = rec->content;
        for (wire::Media &m : *next.mutable_media())
            m.clear_available();
        if (tagged && others.isEmpty()) {
            // Only this child's: a tombstone that keeps the id and the time (which the pull
            // windows need to tell devices to drop it) and nothing else.
            for (const wire::Media &m : next.media())
                mediaOfDeleted.insert(QString::fromStdString(m.id()));
            wire::Observation tomb;
            tomb.set_id(next.id());
            tomb.set_observed_at_ms(next.observed_at_ms());
            tomb.set_state(next.state());
            tomb.set_deleted(true);
            tomb.set_revision(next.revision() + 1);
            tomb.set_author_username(next.author_username());
            tomb.set_author_name(next.author_name());
            tomb.set_updated_at_ms(now);
            next = tomb;
            ++deleted;
        } else if (tagged) {
            dropChildRef(next, ref);
            next.set_revision(next.revision() + 1);
            next.set_updated_at_ms(now);
            ++untagged;
        }
        if (tagged) {
            s = m_store.saveObservation(next, others, rec->authorId,
                QStringLiteral("erase-%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces)),
                now);
            if (s && others.isEmpty())
                s = m_store.deleteRevisionsBefore(id, next.revision());
        }
        // Earlier revisions of a shared observation no longer name the child either.
        for (ServerStore::RevisionRecord &r : m_store.observationRevisions(id)) {
            if (!s)
                break;
            if (dropChildRef(r.content, ref))
                s = m_store.replaceRevisionContent(id, r.revision, r.content);
        }
        if (!s)
            return R::failure(QStringLiteral("%1: nothing was erased").arg(s.error()));
    }

    // Media of the deleted observations that nothing else uses.
    QStringList objects;
    int mediaDeleted = 0;
    for (const QString &mediaId : mediaOfDeleted) {
        if (!s)
            break;
        if (!m_store.observationsWithMedia(mediaId).isEmpty())
            continue; // shared with another observation
        const auto rec = m_store.media(mediaId);
        s = m_store.deleteMedia(mediaId);
        if (s && rec) {
            ++mediaDeleted;
            for (const QString &sha : { rec->sha256, rec->thumbnailSha256 }) {
                if (!sha.isEmpty() && m_store.mediaObjectUsers(sha) == 0)
                    objects.append(sha);
            }
        }
    }
    // Assessments and their history go too. Devices drop their copies at the next sync:
    // the child leaves every roster, which changes each viewer's assessment scope.
    int assessmentsDeleted = 0;
    if (s) {
        const Result<int> removed = m_store.deleteAssessmentsOfChild(child->id);
        s = removed ? Status() : Status::failure(removed.error());
        assessmentsDeleted = removed ? removed.value() : 0;
    }
    if (s)
        s = m_store.eraseChildRecord(child->id, now);
    if (s)
        s = m_store.bumpRosterSeq();
    const QString detail = QStringLiteral(
        "%1 observations deleted, %2 shared observations untagged, %3 media deleted, %4 "
        "assessments deleted")
                               .arg(deleted)
                               .arg(untagged)
                               .arg(mediaDeleted)
                               .arg(assessmentsDeleted);
    if (s)
        s = m_store.audit(actor, QStringLiteral("admin"), QStringLiteral("erase-child"),
            QStringLiteral("child #%1").arg(child->id), detail, now);
    if (s)
        s = tx.commit();
    if (!s)
        return R::failure(QStringLiteral("%1: nothing was erased").arg(s.error()));

    // Files go once the database no longer refers to them; one that cannot be deleted is
    // reported (nothing refers to it any more, so it is never served).
    int filesDeleted = 0;
    QStringList problems;
    objects.removeDuplicates();
    for (const QString &sha : objects) {
        if (Status removed = m_media.removeObject(sha); removed)
            ++filesDeleted;
        else
            problems.append(removed.error());
    }
    if (Status folded = m_store.truncateWal(); !folded)
        problems.append(folded.error());
    qCInfo(lcServer).noquote() << "erased child" << child->id << ":" << detail;
    QJsonObject out { { QStringLiteral("child"), child->ref },
        { QStringLiteral("observations_deleted"), deleted },
        { QStringLiteral("observations_untagged"), untagged },
        { QStringLiteral("media_deleted"), mediaDeleted },
        { QStringLiteral("assessments_deleted"), assessmentsDeleted },
        { QStringLiteral("files_deleted"), filesDeleted } };
    if (!problems.isEmpty())
        out.insert(QStringLiteral("problems"), QJsonArray::fromStringList(problems));
    return out;
}

QJsonObject ChildErasure::retentionReport(int daysAfterLeaving) const
{
    const QDate today = schoolToday(m_store, m_clock.nowMs());
    const QString cutoff = today.addDays(-daysAfterLeaving).toString(Qt::ISODate);
    QJsonArray due;
    for (const ServerStore::Leaver &l : m_store.leaversBefore(cutoff)) {
        const QDate left = QDate::fromString(l.leavingDate, Qt::ISODate);
        due.append(QJsonObject { { QStringLiteral("child"), l.ref },
            { QStringLiteral("leaving_date"), l.leavingDate },
            { QStringLiteral("days_since_leaving"), left.isValid() ? left.daysTo(today) : -1 } });
    }
    return { { QStringLiteral("days_after_leaving"), daysAfterLeaving },
        { QStringLiteral("today"), today.toString(Qt::ISODate) }, { QStringLiteral("due"), due } };
}

Status ChildErasure::setLeavingDate(
    const QString &childRef, const QString &isoDate, const QString &actor) const
{
    const auto child = m_store.childByRef(childRef);
    if (!child)
        return Status::failure(QStringLiteral("there is no child '%1'").arg(childRef));
    if (!isoDate.isEmpty() && !QDate::fromString(isoDate, Qt::ISODate).isValid())
        return Status::failure(
            QStringLiteral("'%1' is not a date: write it as YYYY-MM-DD").arg(isoDate));
    ServerStore::Transaction tx(m_store);
    Status s = m_store.setLeavingDate(child->id, isoDate);
    if (s)
        s = m_store.audit(actor, QStringLiteral("admin"), QStringLiteral("leaving-date"),
            child->ref, isoDate.isEmpty() ? QStringLiteral("cleared") : isoDate, m_clock.nowMs());
    if (s)
        s = tx.commit();
    return s;
}

} // namespace acorn::server
