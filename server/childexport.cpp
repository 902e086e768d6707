#include "childexport.h"

#include "clock.h"
#include "mediastore.h"
#include "serverstore.h"
#include "timeutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include <algorithm>

namespace acorn::server {

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

QString extensionFor(const wire::Media &m)
{
    const std::string &mime = m.mime_type();
    if (mime == "image/jpeg")
        return QStringLiteral("jpg");
    if (mime == "image/png")
        return QStringLiteral("png");
    if (mime == "video/mp4")
        return QStringLiteral("mp4");
    return m.kind() == wire::VIDEO ? QStringLiteral("video") : QStringLiteral("photo");
}

// One revision of an observation as the staff saw it; other children are counted, not named.
QJsonObject observationJson(const wire::Observation &o, const QString &childRef)
{
    QJsonArray tags;
    for (const std::string &t : o.eyfs_tags())
        tags.append(str(t));
    QJsonArray media;
    for (const wire::Media &m : o.media())
        media.append(QJsonObject { { QStringLiteral("id"), str(m.id()) },
            { QStringLiteral("kind"),
                m.kind() == wire::VIDEO ? QStringLiteral("video") : QStringLiteral("photo") },
            { QStringLiteral("file"),
                QStringLiteral("media/%1.%2").arg(str(m.id()), extensionFor(m)) } });
    int others = 0;
    for (const std::string &ref : o.child_refs())
        others += str(ref) == childRef ? 0 : 1;
    return { { QStringLiteral("revision"), static_cast<qint64>(o.revision()) },
        { QStringLiteral("observed_at"), timeutil::formatMs(o.observed_at_ms()) },
        { QStringLiteral("updated_at"), timeutil::formatMs(o.updated_at_ms()) },
        { QStringLiteral("state"),
            o.state() == wire::DRAFT ? QStringLiteral("draft") : QStringLiteral("published") },
        { QStringLiteral("deleted"), o.deleted() },
        { QStringLiteral("tags_this_child"),
            o.child_refs().end()
                != std::find(
                    o.child_refs().begin(), o.child_refs().end(), childRef.toStdString()) },
        { QStringLiteral("other_children_tagged"), others },
        { QStringLiteral("text"), str(o.text()) },
        { QStringLiteral("staff_note"), str(o.staff_note()) },
        { QStringLiteral("next_steps"), str(o.next_steps()) },
        { QStringLiteral("eyfs_tags"), tags }, { QStringLiteral("media"), media },
        { QStringLiteral("author"), str(o.author_name()) },
        { QStringLiteral("author_username"), str(o.author_username()) } };
}

QJsonObject auditJson(const ServerStore::AuditEntry &e)
{
    return { { QStringLiteral("at"), timeutil::formatMs(e.at) },
        { QStringLiteral("actor"), e.actor }, { QStringLiteral("device"), e.device },
        { QStringLiteral("action"), e.action }, { QStringLiteral("target"), e.target },
        { QStringLiteral("detail"), e.detail } };
}

} // namespace

ChildExport::ChildExport(ServerStore &store, MediaStore &media, const Clock &clock)
    : m_store(store)
    , m_media(media)
    , m_clock(clock)
{ }

Result<QJsonObject> ChildExport::write(
    const QString &childRef, const QString &outDir, const QString &actor) const
{
    using R = Result<QJsonObject>;
    const auto child = m_store.childByRef(childRef);
    if (!child)
        return R::failure(QStringLiteral("there is no child '%1'").arg(childRef));
    QDir dir(outDir);
    if (dir.exists() && !dir.isEmpty())
        return R::failure(
            QStringLiteral("%1 is not empty: give a new folder for the export").arg(outDir));
    if (!QDir().mkpath(dir.filePath(QStringLiteral("media"))))
        return R::failure(QStringLiteral("cannot create %1").arg(outDir));
    // Personal data: readable by the person running the command alone.
    QFile::setPermissions(outDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    QString className;
    for (const ClassRecord &c : m_store.classes())
        className = c.id == child->classId ? c.name : className;
    QJsonArray guardians;
    for (const UserRecord &u : m_store.users()) {
        if (u.role == QLatin1String("parent") && u.familyId == child->familyId
            && child->familyId != 0)
            guardians.append(QJsonObject { { QStringLiteral("username"), u.username },
                { QStringLiteral("name"), u.displayName }, { QStringLiteral("state"), u.state } });
    }

    // Observations with every revision; the media files of all of them.
    QJsonArray observations;
    QSet<QString> observationIds;
    QHash<QString, wire::Media> mediaById;
    for (const QString &id : m_store.observationIdsOfChild(child->id)) {
        const auto rec = m_store.observation(id);
        if (!rec)
            continue;
        observationIds.insert(id);
        QJsonArray revisions;
        for (const ServerStore::RevisionRecord &r : m_store.observationRevisions(id)) {
            revisions.append(observationJson(r.content, child->ref));
            for (const wire::Media &m : r.content.media())
                mediaById.insert(str(m.id()), m);
        }
        QJsonObject o = observationJson(rec->content, child->ref);
        o.insert(QStringLiteral("id"), id);
        o.insert(QStringLiteral("revisions"), revisions);
        observations.append(o);
    }
    QJsonArray mediaFiles;
    QJsonArray missing;
    for (auto it = mediaById.cbegin(); it != mediaById.cend(); ++it) {
        const auto rec = m_store.media(it.key());
        const QString target
            = dir.filePath(QStringLiteral("media/%1.%2").arg(it.key(), extensionFor(it.value())));
        if (!rec || !rec->originalDone || !QFile::copy(m_media.objectPath(rec->sha256), target)) {
            missing.append(it.key());
            continue;
        }
        mediaFiles.append(QJsonObject { { QStringLiteral("id"), it.key() },
            { QStringLiteral("file"), QDir(outDir).relativeFilePath(target) },
            { QStringLiteral("sha256"), rec->sha256 }, { QStringLiteral("bytes"), rec->size } });
    }

    // The audit log: consent decisions and everything else about the child or those observations.
    QJsonArray consentHistory;
    QJsonArray audit;
    for (const ServerStore::AuditEntry &e : m_store.auditSince(0)) {
        if (e.target != child->ref && !observationIds.contains(e.target))
            continue;
        audit.append(auditJson(e));
        if (e.action == QLatin1String("consent"))
            consentHistory.append(auditJson(e));
    }

    const qint64 now = m_clock.nowMs();
    const QJsonObject record { { QStringLiteral("ref"), child->ref },
        { QStringLiteral("first_name"), child->firstName },
        { QStringLiteral("last_name"), child->lastName },
        { QStringLiteral("date_of_birth"), child->dateOfBirth },
        { QStringLiteral("class"), className }, { QStringLiteral("family"), child->familyRef },
        { QStringLiteral("leaving_date"), m_store.leavingDate(child->id) },
        { QStringLiteral("consent"),
            QJsonObject { { QStringLiteral("journal_media"), child->journalMedia },
                { QStringLiteral("others_journals"), child->othersJournals },
                { QStringLiteral("recorded_by"), child->consentRecordedBy },
                { QStringLiteral("recorded_at"),
                    child->consentRecordedAt ? timeutil::formatMs(child->consentRecordedAt)
                                             : QString() } } } };
    const QJsonObject document { { QStringLiteral("exported_at"), timeutil::formatMs(now) },
        { QStringLiteral("school"), m_store.school().value_or(SchoolSettings {}).name },
        { QStringLiteral("child"), record }, { QStringLiteral("guardians"), guardians },
        { QStringLiteral("consent_history"), consentHistory },
        { QStringLiteral("observations"), observations },
        { QStringLiteral("media_files"), mediaFiles }, { QStringLiteral("media_missing"), missing },
        { QStringLiteral("assessments"), QJsonArray {} }, { QStringLiteral("audit"), audit },
        { QStringLiteral("note"),
            QStringLiteral(
                "Observations that tag other children and their photos may show those children: "
                "review them before release.") } };
    QSaveFile out(dir.filePath(QStringLiteral("child.json")));
    if (!out.open(QIODevice::WriteOnly)
        || out.write(QJsonDocument(document).toJson(QJsonDocument::Indented)) < 0 || !out.commit())
        return R::failure(
            QStringLiteral("cannot write %1: %2").arg(out.fileName(), out.errorString()));
    if (Status s
        = m_store.audit(actor, QStringLiteral("admin"), QStringLiteral("export-child"), child->ref,
            QStringLiteral("%1 observations, %2 media files")
                .arg(observations.size())
                .arg(mediaFiles.size()),
            now);
        !s)
        return R::failure(s.error());
    return QJsonObject { { QStringLiteral("child"), child->ref },
        { QStringLiteral("folder"), outDir },
        { QStringLiteral("observations"), observations.size() },
        { QStringLiteral("media_files"), mediaFiles.size() },
        { QStringLiteral("missing_media"), missing.size() },
        { QStringLiteral("audit_entries"), audit.size() } };
}

} // namespace acorn::server
