#include "schoolfixture.h"

#include "crypto.h"
#include "database.h"
#include "protocol.h"
#include "schoolimporter.h"
#include "sessionlifetimes.h"
#include "testdatabase.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <algorithm>

namespace acorn::fixture {

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

QList<SchoolModel::Term> sortedTerms(const SchoolModel &m)
{
    QList<SchoolModel::Term> terms = m.calendar;
    std::sort(terms.begin(), terms.end(),
        [](const SchoolModel::Term &a, const SchoolModel::Term &b) { return a.first < b.first; });
    return terms;
}

QString refList(const QSet<QString> &refs)
{
    QStringList l(refs.cbegin(), refs.cend());
    l.sort();
    return QLatin1Char('[') + l.join(QLatin1Char(',')) + QLatin1Char(']');
}

QSet<QString> refSet(const google::protobuf::RepeatedPtrField<std::string> &refs)
{
    QSet<QString> out;
    for (const std::string &r : refs)
        out.insert(str(r));
    return out;
}

// "id-prefix [refs] observed-at, state, rev": enough to find the case in the fixture.
QString describeObservation(const SchoolModel &m, const SchoolModel::Observation &o)
{
    QStringList flags;
    if (o.draft)
        flags << QStringLiteral("draft");
    if (o.deleted)
        flags << QStringLiteral("deleted");
    return QStringLiteral("%1 %2 observed %3 by %4 rev %5%6")
        .arg(o.id.left(8), QLatin1Char('[') + o.children.join(QLatin1Char(',')) + QLatin1Char(']'),
            QDateTime::fromMSecsSinceEpoch(o.observedAtMs, m.zone()).toString(Qt::ISODateWithMs),
            o.author)
        .arg(o.revision)
        .arg(flags.isEmpty() ? QString()
                             : QStringLiteral(" (%1)").arg(flags.join(QLatin1Char(','))));
}

wire::Frame localError(const QString &message)
{
    wire::Frame f;
    f.mutable_error()->set_code(wire::Error::UNKNOWN);
    f.mutable_error()->set_message(message.toStdString());
    return f;
}

} // namespace

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

// ------------------------------------------------------------------ SchoolModel

qint64 SchoolModel::at(QDate day, QTime time) const
{
    return QDateTime(day, time, zone()).toMSecsSinceEpoch();
}

QDate SchoolModel::localDate(qint64 ms) const
{
    return QDateTime::fromMSecsSinceEpoch(ms, zone()).date();
}

const SchoolModel::Class *SchoolModel::cls(const QString &name) const
{
    for (const Class &c : classes) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

SchoolModel::Class *SchoolModel::cls(const QString &name)
{
    return const_cast<Class *>(std::as_const(*this).cls(name));
}

const SchoolModel::Child *SchoolModel::child(const QString &ref) const
{
    for (const Child &c : children) {
        if (c.ref == ref)
            return &c;
    }
    return nullptr;
}

SchoolModel::Child *SchoolModel::child(const QString &ref)
{
    return const_cast<Child *>(std::as_const(*this).child(ref));
}

const SchoolModel::Account *SchoolModel::account(const QString &username) const
{
    for (const Account &a : accounts) {
        if (a.username == username)
            return &a;
    }
    return nullptr;
}

SchoolModel::Account *SchoolModel::account(const QString &username)
{
    return const_cast<Account *>(std::as_const(*this).account(username));
}

QList<const SchoolModel::Account *> SchoolModel::parents() const
{
    QList<const Account *> out;
    for (const Account &a : accounts) {
        if (a.isParent())
            out.append(&a);
    }
    return out;
}

QByteArray SchoolModel::toJson() const
{
    QJsonObject root;
    root.insert(QStringLiteral("school"),
        QJsonObject { { QStringLiteral("name"), schoolName },
            { QStringLiteral("time_zone"), timeZone },
            { QStringLiteral("release_time"), releaseTime.toString(QStringLiteral("HH:mm")) } });
    QJsonArray cal;
    for (const Term &t : calendar) {
        cal.append(QJsonObject { { QStringLiteral("name"), t.name },
            { QStringLiteral("first_day"), t.first.toString(Qt::ISODate) },
            { QStringLiteral("last_day"), t.last.toString(Qt::ISODate) } });
    }
    root.insert(QStringLiteral("calendar"), cal);
    QJsonArray cls;
    for (const Class &c : classes) {
        cls.append(QJsonObject { { QStringLiteral("name"), c.name },
            { QStringLiteral("release"),
                c.live ? QStringLiteral("live") : QStringLiteral("half-term") } });
    }
    root.insert(QStringLiteral("classes"), cls);
    QJsonArray staff;
    QJsonArray guardians;
    for (const Account &a : accounts) {
        if (a.isParent()) {
            guardians.append(QJsonObject { { QStringLiteral("username"), a.username },
                { QStringLiteral("name"), a.name }, { QStringLiteral("family"), a.family } });
        } else {
            staff.append(QJsonObject { { QStringLiteral("username"), a.username },
                { QStringLiteral("name"), a.name }, { QStringLiteral("role"), a.role },
                { QStringLiteral("classes"), QJsonArray::fromStringList(a.classes) } });
        }
    }
    root.insert(QStringLiteral("staff"), staff);
    QJsonArray kids;
    for (const Child &c : children) {
        kids.append(QJsonObject { { QStringLiteral("ref"), c.ref },
            { QStringLiteral("first_name"), c.firstName },
            { QStringLiteral("last_name"), c.lastName },
            { QStringLiteral("date_of_birth"), c.dateOfBirth.toString(Qt::ISODate) },
            { QStringLiteral("class"), c.className }, { QStringLiteral("family"), c.family },
            { QStringLiteral("consent"),
                QJsonObject { { QStringLiteral("journal_media"), c.journalMedia },
                    { QStringLiteral("others_journals"), c.othersJournals } } } });
    }
    root.insert(QStringLiteral("children"), kids);
    root.insert(QStringLiteral("guardians"), guardians);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

// ------------------------------------------------------------------ oracle

namespace oracle {

int halfTermOf(const SchoolModel &m, qint64 ms)
{
    const QDate day = m.localDate(ms);
    const QList<SchoolModel::Term> terms = sortedTerms(m);
    for (int i = 0; i < terms.size(); ++i) {
        // Within the half term, or in the holiday before it.
        if (day <= terms[i].last)
            return i;
    }
    return -1;
}

qint64 releaseMoment(const SchoolModel &m, const SchoolModel::Term &term)
{
    return m.at(term.last, m.releaseTime);
}

bool released(
    const SchoolModel &m, const SchoolModel::Child &child, qint64 observedAtMs, qint64 now)
{
    const SchoolModel::Class *cls = m.cls(child.className);
    if (!cls)
        return false;
    if (cls->live)
        return true;
    if (cls->earlyThroughDate.isValid() && m.localDate(observedAtMs) <= cls->earlyThroughDate)
        return true;
    if (observedAtMs < cls->earlyUpToMs)
        return true;
    const int term = halfTermOf(m, observedAtMs);
    if (term < 0)
        return false; // after the calendar's end: withheld until it is extended
    return releaseMoment(m, sortedTerms(m).at(term)) <= now;
}

std::optional<ParentView> parentView(const SchoolModel &m, const SchoolModel::Account &parent,
    const SchoolModel::Observation &o, qint64 now)
{
    if (!parent.isParent() || parent.disabled || o.revision == 0 || o.draft || o.deleted)
        return std::nullopt;
    ParentView v;
    for (const QString &ref : o.children) {
        const SchoolModel::Child *c = m.child(ref);
        if (c && c->family == parent.family && released(m, *c, o.observedAtMs, now))
            v.childRefs.insert(ref);
    }
    if (v.childRefs.isEmpty())
        return std::nullopt;
    for (const QString &ref : o.children) {
        const SchoolModel::Child *c = m.child(ref);
        if (!c || (c->family != parent.family && !c->othersJournals))
            v.otherChildren = true;
        if (c && !c->journalMedia)
            v.consentWithdrawn = true;
    }
    return v;
}

bool inScope(const SchoolModel &m, const SchoolModel::Account &who, const QString &childRef)
{
    const SchoolModel::Child *c = m.child(childRef);
    if (!c || who.disabled)
        return false;
    if (who.role == QLatin1String("lead"))
        return true;
    if (who.role == QLatin1String("practitioner"))
        return who.classes.contains(c->className);
    return false;
}

bool staffSees(
    const SchoolModel &m, const SchoolModel::Account &who, const SchoolModel::Observation &o)
{
    if (!who.isStaff() || who.disabled || o.revision == 0 || o.deleted)
        return false;
    if (o.draft && o.author != who.username)
        return false;
    return std::any_of(o.children.cbegin(), o.children.cend(),
        [&](const QString &ref) { return inScope(m, who, ref); });
}

Push pushOutcome(const SchoolModel &m, const SchoolModel::Account &who,
    const SchoolModel::Observation *existing, const SchoolModel::Observation &proposed,
    quint64 baseRevision)
{
    if (!who.isStaff() || who.disabled)
        return Push::Deny; // parents and admins change nothing
    if (proposed.children.isEmpty())
        return Push::Deny;
    QStringList touched = proposed.children;
    if (existing)
        touched += existing->children;
    for (const QString &ref : touched) {
        if (!inScope(m, who, ref))
            return Push::Deny; // unknown child, or a class the practitioner is not assigned to
    }
    if (existing && existing->draft && existing->author != who.username)
        return Push::Deny; // someone else's draft
    if (!proposed.deleted && !proposed.media.isEmpty()) {
        for (const QString &ref : proposed.children) {
            if (!m.child(ref)->journalMedia)
                return Push::Deny; // no consent for photos or video in this child's journal
        }
    }
    if (existing && existing->revision != baseRevision)
        return Push::Conflict;
    if (!existing && baseRevision != 0)
        return Push::Deny;
    return Push::Accept;
}

bool mayFetchMedia(
    const SchoolModel &m, const SchoolModel::Account &who, const QString &mediaId, qint64 now)
{
    if (!m.media.contains(mediaId) || who.disabled)
        return false;
    for (const SchoolModel::Observation &o : m.observations) {
        if (!o.media.contains(mediaId))
            continue;
        if (who.isStaff() && staffSees(m, who, o))
            return true;
        if (who.isParent()) {
            const auto v = parentView(m, who, o, now);
            if (v && !v->mediaWithheld())
                return true;
        }
    }
    return false;
}

bool releaseAllowed(const SchoolModel &m, const SchoolModel::Account &who, const QString &className,
    QDate throughDate, qint64 now)
{
    if (who.role != QLatin1String("lead") || who.disabled)
        return false;
    const SchoolModel::Class *cls = m.cls(className);
    if (!cls || cls->live)
        return false;
    return !throughDate.isValid() || throughDate < m.localDate(now);
}

QSet<QString> roster(const SchoolModel &m, const SchoolModel::Account &who)
{
    QSet<QString> out;
    for (const SchoolModel::Child &c : m.children) {
        if (who.isParent() ? c.family == who.family : inScope(m, who, c.ref))
            out.insert(c.ref);
    }
    return out;
}

} // namespace oracle

// ------------------------------------------------------------------ checks

QStringList parentInvariantProblems(
    const SchoolModel &m, const SchoolModel::Account &parent, const wire::Observation &o)
{
    QStringList problems;
    const QString id = str(o.id()).left(8);
    if (!o.staff_note().empty())
        problems << QStringLiteral("%1: a staff note reached parent %2").arg(id, parent.username);
    if (o.state() != wire::PUBLISHED)
        problems << QStringLiteral("%1: a draft reached parent %2").arg(id, parent.username);
    if (o.deleted())
        problems << QStringLiteral("%1: a deleted copy reached parent %2").arg(id, parent.username);
    for (const std::string &r : o.child_refs()) {
        const SchoolModel::Child *c = m.child(str(r));
        if (!c || c->family != parent.family)
            problems << QStringLiteral(
                "%1: parent %2 (family %3) was told about child %4 of family %5")
                            .arg(id, parent.username, parent.family, str(r),
                                c ? c->family : QStringLiteral("?"));
    }
    return problems;
}

QStringList parentReplyProblems(
    const SchoolModel &m, const SchoolModel::Account &parent, const wire::PullReply &r)
{
    QStringList problems;
    for (const wire::Observation &o : r.observations())
        problems += parentInvariantProblems(m, parent, o);
    for (const wire::Child &c : r.children()) {
        const SchoolModel::Child *mc = m.child(str(c.ref()));
        if (!mc || mc->family != parent.family)
            problems << QStringLiteral("roster of parent %1 lists child %2 of another family")
                            .arg(parent.username, str(c.ref()));
        if (!c.family_ref().empty())
            problems
                << QStringLiteral("roster of parent %1 carries family refs").arg(parent.username);
    }
    return problems;
}

namespace {

QStringList compareMedia(const SchoolModel &m, const SchoolModel::Observation &o,
    const wire::Observation &got, const oracle::ParentView *parentView, const QString &who)
{
    QStringList problems;
    const QString where = QStringLiteral("%1 for %2").arg(describeObservation(m, o), who);
    if (got.media_size() != o.media.size()) {
        problems << QStringLiteral("%1: %2 media items, expected %3")
                        .arg(where)
                        .arg(got.media_size())
                        .arg(o.media.size());
        return problems;
    }
    const bool withheld = parentView && parentView->mediaWithheld();
    for (int i = 0; i < o.media.size(); ++i) {
        const wire::Media &gm = got.media(i);
        const SchoolModel::Media &md = m.media[o.media[i]];
        if (str(gm.id()) != md.id) {
            problems << QStringLiteral("%1: media %2 is %3, expected %4")
                            .arg(where)
                            .arg(i)
                            .arg(str(gm.id()), md.id);
            continue;
        }
        // When both reasons hold, either is a true thing to tell the parent.
        const bool reasonOk = withheld
            ? ((gm.withheld() == wire::OTHER_CHILDREN && parentView->otherChildren)
                || (gm.withheld() == wire::CONSENT_WITHDRAWN && parentView->consentWithdrawn))
            : gm.withheld() == wire::NOT_WITHHELD;
        if (!reasonOk)
            problems << QStringLiteral("%1: media %2 withheld=%3, expected %4")
                            .arg(where, md.id.left(8))
                            .arg(gm.withheld())
                            .arg(!withheld ? QStringLiteral("not withheld")
                                           : QStringLiteral("%1%2").arg(parentView->otherChildren
                                                   ? QStringLiteral("OTHER_CHILDREN ")
                                                   : QString(),
                                               parentView->consentWithdrawn
                                                   ? QStringLiteral("CONSENT_WITHDRAWN")
                                                   : QString()));
        const bool expAvailable = !withheld && md.complete();
        if (gm.available() != expAvailable)
            problems << QStringLiteral(
                "%1: media %2 available=%3, expected %4 (original %5, thumbnail %6)")
                            .arg(where, md.id.left(8))
                            .arg(gm.available())
                            .arg(expAvailable)
                            .arg(md.originalUploaded)
                            .arg(md.thumbnail.isEmpty() ? QStringLiteral("none")
                                                        : QString::number(md.thumbnailUploaded));
        if (!withheld && QByteArray::fromStdString(gm.sha256()) != sha256(md.original))
            problems
                << QStringLiteral("%1: media %2 has the wrong SHA-256").arg(where, md.id.left(8));
    }
    return problems;
}

} // namespace

QStringList compareParentJournal(const SchoolModel &m, const SchoolModel::Account &parent,
    const QMap<QString, wire::Observation> &held, qint64 now)
{
    QStringList problems;
    const QString who = QStringLiteral("parent %1 (family %2)").arg(parent.username, parent.family);
    QMap<QString, oracle::ParentView> expected;
    for (const SchoolModel::Observation &o : m.observations) {
        if (auto v = oracle::parentView(m, parent, o, now))
            expected.insert(o.id, *v);
    }
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const SchoolModel::Observation &o = m.observations[it.key()];
        if (!held.contains(it.key())) {
            problems << QStringLiteral("%1 lacks %2, visible in the journal of %3")
                            .arg(who, describeObservation(m, o), refList(it->childRefs));
            continue;
        }
        const wire::Observation &got = held[it.key()];
        problems += parentInvariantProblems(m, parent, got);
        if (got.revision() != o.revision)
            problems << QStringLiteral("%1 holds revision %2 of %3")
                            .arg(who)
                            .arg(got.revision())
                            .arg(describeObservation(m, o));
        if (str(got.text()) != o.text || str(got.next_steps()) != o.nextSteps)
            problems << QStringLiteral("%1 holds the wrong text of %2")
                            .arg(who, describeObservation(m, o));
        if (got.observed_at_ms() != o.observedAtMs)
            problems << QStringLiteral("%1 holds the wrong time of %2")
                            .arg(who, describeObservation(m, o));
        const QSet<QString> refs = refSet(got.child_refs());
        if (refs != it->childRefs)
            problems << QStringLiteral("%1 holds %2 under children %3, expected %4")
                            .arg(who, describeObservation(m, o), refList(refs),
                                refList(it->childRefs));
        problems += compareMedia(m, o, got, &*it, who);
    }
    for (auto it = held.cbegin(); it != held.cend(); ++it) {
        if (expected.contains(it.key()))
            continue;
        const auto known = m.observations.constFind(it.key());
        problems << QStringLiteral("%1 holds %2, which the rules withhold from them")
                        .arg(who,
                            known == m.observations.cend() ? it.key()
                                                           : describeObservation(m, *known));
    }
    return problems;
}

QStringList compareStaffJournal(const SchoolModel &m, const SchoolModel::Account &staff,
    const QMap<QString, wire::Observation> &held)
{
    QStringList problems;
    const QString who = QStringLiteral("%1 %2").arg(staff.role, staff.username);
    for (const SchoolModel::Observation &o : m.observations) {
        const bool sees = oracle::staffSees(m, staff, o);
        if (!sees) {
            if (held.contains(o.id))
                problems << QStringLiteral("%1 holds %2, outside their journals")
                                .arg(who, describeObservation(m, o));
            continue;
        }
        if (!held.contains(o.id)) {
            problems << QStringLiteral("%1 lacks %2").arg(who, describeObservation(m, o));
            continue;
        }
        const wire::Observation &got = held[o.id];
        if (got.revision() != o.revision)
            problems << QStringLiteral("%1 holds revision %2 of %3")
                            .arg(who)
                            .arg(got.revision())
                            .arg(describeObservation(m, o));
        if (str(got.text()) != o.text || str(got.staff_note()) != o.note)
            problems << QStringLiteral("%1 holds the wrong text or note of %2")
                            .arg(who, describeObservation(m, o));
        if (got.state() != (o.draft ? wire::DRAFT : wire::PUBLISHED))
            problems << QStringLiteral("%1 holds %2 in the wrong state")
                            .arg(who, describeObservation(m, o));
        const QSet<QString> expRefs(o.children.cbegin(), o.children.cend());
        if (refSet(got.child_refs()) != expRefs)
            problems << QStringLiteral("%1 holds %2 under children %3")
                            .arg(who, describeObservation(m, o), refList(refSet(got.child_refs())));
        problems += compareMedia(m, o, got, nullptr, who);
    }
    for (auto it = held.cbegin(); it != held.cend(); ++it) {
        if (!m.observations.contains(it.key()))
            problems << QStringLiteral("%1 holds %2, unknown to the test").arg(who, it.key());
    }
    return problems;
}

QStringList compareRoster(
    const SchoolModel &m, const SchoolModel::Account &who, const QMap<QString, wire::Child> &roster)
{
    QStringList problems;
    const QSet<QString> expected = oracle::roster(m, who);
    const QSet<QString> got(roster.keyBegin(), roster.keyEnd());
    if (got != expected)
        problems << QStringLiteral("roster of %1 is %2, expected %3")
                        .arg(who.username, refList(got), refList(expected));
    for (const wire::Child &c : roster) {
        const SchoolModel::Child *mc = m.child(str(c.ref()));
        if (!mc)
            continue;
        if (str(c.class_name()) != mc->className || c.consent_journal_media() != mc->journalMedia
            || c.consent_others_journals() != mc->othersJournals)
            problems << QStringLiteral("roster of %1: child %2 has stale class or consent")
                            .arg(who.username, mc->ref);
        if (str(c.family_ref()) != (who.isParent() ? QString() : mc->family))
            problems << QStringLiteral("roster of %1: child %2 has family ref '%3'")
                            .arg(who.username, mc->ref, str(c.family_ref()));
    }
    return problems;
}

// ------------------------------------------------------------------ harness

Result<server::DatabaseLocation> newTestStoreLocation(const QString &sqlitePath)
{
    const QString url = test::testDatabaseUrl(sqlitePath);
    if (url.isEmpty())
        return Result<server::DatabaseLocation>::failure(
            QStringLiteral("no test database: %1").arg(test::postgresUnavailableReason()));
    return server::DatabaseLocation::parse(url, QFileInfo(sqlitePath).path());
}

Result<std::unique_ptr<server::ServerStore>> openTestStore(const QString &sqlitePath)
{
    const auto where = newTestStoreLocation(sqlitePath);
    if (!where)
        return Result<std::unique_ptr<server::ServerStore>>::failure(where.error());
    return server::ServerStore::open(where.value(), true);
}

Result<std::unique_ptr<server::ServerStore>> openTestSchool(
    const QString &sqlitePath, const server::Clock &clock)
{
    using R = Result<std::unique_ptr<server::ServerStore>>;
    auto opened = openTestStore(sqlitePath);
    if (!opened)
        return opened;
    std::unique_ptr<server::ServerStore> store = std::move(opened).value();
    server::SchoolImporter importer(*store, clock);
    if (auto imported = importer.importJson(test::smallSchoolJson(), QStringLiteral("test"));
        !imported)
        return R::failure(imported.error());
    const crypto::ScryptParams cheap { 10, 8, 1 };
    for (const server::UserRecord &u : store->users()) {
        auto h = crypto::hashPassword(QStringLiteral("pass-%1").arg(u.username), cheap);
        if (!h || !store->setPassword(u.id, h.value()))
            return R::failure(QStringLiteral("cannot set the password of %1").arg(u.username));
    }
    auto dummy = crypto::hashPassword(QStringLiteral("dummy"), cheap);
    if (!dummy || !store->setMeta(QStringLiteral("dummy_password_hash"), dummy.value()))
        return R::failure(QStringLiteral("cannot store the dummy password hash"));
    return store;
}

ServerHarness::ServerHarness(qint64 startMs)
    : clock(startMs)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory: %1").arg(m_dir.errorString());
        return;
    }
    open(m_dir.filePath(QStringLiteral("acorn.db")), m_dir.filePath(QStringLiteral("media")), true);
}

ServerHarness::ServerHarness(qint64 startMs, const QString &databasePath, const QString &mediaPath)
    : clock(startMs)
{
    open(databasePath, mediaPath, false);
}

void ServerHarness::open(const QString &databasePath, const QString &mediaPath, bool fresh)
{
    // A fresh school goes where the suite keeps its schools (SQLite, or PostgreSQL in the
    // *_postgresql runs); an existing data directory's database is a SQLite file.
    const auto where = fresh ? newTestStoreLocation(databasePath)
                             : Result<server::DatabaseLocation>(server::DatabaseLocation::sqlite(databasePath));
    if (!where) {
        m_error = where.error();
        return;
    }
    m_where = where.value();
    auto opened = server::ServerStore::open(*m_where, fresh);
    if (!opened) {
        m_error = opened.error();
        return;
    }
    store = std::move(opened).value();
    media = std::make_unique<server::MediaStore>(mediaPath);
    if (Status s = media->ensureLayout(); !s) {
        m_error = s.error();
        return;
    }
    // The service hashes a random "dummy" password with production parameters unless one
    // is stored; a cheap one keeps each fresh harness fast. A real data directory keeps
    // what the server would make.
    if (fresh) {
        const auto dummy
            = crypto::hashPassword(QString::fromLatin1(crypto::randomBytes(16).toHex()),
                crypto::ScryptParams { kTestScryptLog2N, 8, 1 });
        if (!dummy) {
            m_error = dummy.error();
            return;
        }
        store->setMeta(QStringLiteral("dummy_password_hash"), dummy.value());
    }
    service = std::make_unique<server::SyncService>(*store, *media, clock);
    // Accounts get cheap hashes (setPassword): the service must not replace them with
    // production-strength ones at every sign-in.
    service->setPasswordParams(crypto::ScryptParams { kTestScryptLog2N, 8, 1 });
    // The rule tests move the clock across a whole school year with devices that stay
    // signed in; session expiry is a rule of its own, tested elsewhere.
    server::SessionLifetimes lifetimes;
    lifetimes.idleDays = 100 * 365;
    lifetimes.maxAgeDays = 100 * 365;
    service->setSessionLifetimes(lifetimes);
}

ServerHarness::~ServerHarness()
{
    service.reset(); // waits for hashing threads
    media.reset();
    store.reset();
}

QString ServerHarness::importSchool(const SchoolModel &m)
{
    server::SchoolImporter importer(*store, clock);
    const auto r = importer.importJson(m.toJson(), QStringLiteral("test"));
    return r ? QString() : r.error();
}

QString ServerHarness::setPassword(const QString &username, const QString &password)
{
    const auto user = store->userByUsername(username);
    if (!user)
        return QStringLiteral("no account %1").arg(username);
    const auto hash
        = crypto::hashPassword(password, crypto::ScryptParams { kTestScryptLog2N, 8, 1 });
    if (!hash)
        return hash.error();
    const Status s = store->setPassword(user->id, hash.value());
    return s ? QString() : s.error();
}

Result<QList<QByteArray>> ServerHarness::signInDevices(const QStringList &usernames,
    const QString &password, const QString &deviceName, qint64 signedInAtMs)
{
    using R = Result<QList<QByteArray>>;
    const auto hash = crypto::hashPassword(password);
    if (!hash)
        return R::failure(hash.error());
    QList<QByteArray> tokens;
    QSet<QString> hashed;
    server::ServerStore::Transaction tx(*store, server::ServerStore::Transaction::Mode::Immediate);
    for (const QString &username : usernames) {
        const auto user = store->userByUsername(username);
        if (!user)
            return R::failure(QStringLiteral("no account %1").arg(username));
        Status st;
        if (!hashed.contains(username)) {
            st = store->setPassword(user->id, hash.value());
            hashed.insert(username);
        }
        const QByteArray token = crypto::randomBytes(32);
        if (st)
            st = store->createSession(user->id, crypto::sha256(token), deviceName, signedInAtMs);
        if (!st)
            return R::failure(st.error());
        tokens.append(token);
    }
    if (Status st = tx.commit(); !st)
        return R::failure(st.error());
    return tokens;
}

QString ServerHarness::disable(const QString &username)
{
    const auto user = store->userByUsername(username);
    if (!user)
        return QStringLiteral("no account %1").arg(username);
    Status s = store->setUserState(user->id, QStringLiteral("disabled"));
    if (s)
        s = store->revokeSessionsOfUser(user->id, clock.nowMs());
    return s ? QString() : s.error();
}

Result<std::unique_ptr<server::ServerStore>> ServerHarness::openAnotherConnection() const
{
    if (!m_where)
        return Result<std::unique_ptr<server::ServerStore>>::failure(QStringLiteral("the harness has no database"));
    return server::ServerStore::open(*m_where, false);
}

WireClient::WireClient(ServerHarness &harness)
    : m_harness(harness)
{ }

wire::Frame WireClient::call(wire::Frame frame)
{
    frame.set_request_id(m_nextRequest++);
    auto got = std::make_shared<std::optional<wire::Frame>>();
    m_harness.service->handle(
        state, frame, [got](const wire::Frame &r) { *got = r; }, &m_guard);
    QDeadlineTimer deadline(30000);
    while (!got->has_value() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!got->has_value())
            QThread::usleep(200);
    }
    if (!got->has_value())
        return localError(QStringLiteral("no reply within 30 s"));
    if ((*got)->request_id() != frame.request_id())
        return localError(QStringLiteral("reply to request %1 carries id %2")
                              .arg(frame.request_id())
                              .arg((*got)->request_id()));
    return **got;
}

wire::Frame WireClient::hello(wire::ClientKind kind)
{
    wire::Frame f;
    f.mutable_hello()->set_protocol_version(protocol::kProtocolVersion);
    f.mutable_hello()->set_client_kind(kind);
    f.mutable_hello()->set_app_version("test");
    return call(f);
}

wire::Frame WireClient::login(const QString &username, const QString &password)
{
    wire::Frame f;
    f.mutable_login()->set_username(username.toStdString());
    f.mutable_login()->set_password(password.toStdString());
    f.mutable_login()->set_device_name("test device");
    return call(f);
}

wire::Frame WireClient::logout()
{
    wire::Frame f;
    f.mutable_logout();
    return call(f);
}

WireClient::PullRun WireClient::pullAll(QByteArray &cursor, quint32 maxItems, int maxPages)
{
    PullRun run;
    for (int page = 0; page < 100000; ++page) {
        if (maxPages > 0 && page == maxPages)
            return run;
        wire::Frame f;
        f.mutable_pull()->set_cursor(cursor.toStdString());
        f.mutable_pull()->set_max_items(maxItems);
        const wire::Frame r = call(f);
        if (r.has_error()) {
            run.error = r.error();
            return run;
        }
        if (!r.has_pull_reply()) {
            run.error = localError(QStringLiteral("a pull was answered with %1").arg(describe(r)))
                            .error();
            return run;
        }
        run.pages.append(r.pull_reply());
        cursor = QByteArray::fromStdString(r.pull_reply().next_cursor());
        if (!r.pull_reply().more()) {
            run.complete = true;
            return run;
        }
    }
    run.error
        = localError(QStringLiteral("the pull never ended (more=true for 100000 pages)")).error();
    return run;
}

wire::Frame WireClient::push(const QList<wire::PushItem> &items)
{
    wire::Frame f;
    for (const wire::PushItem &item : items)
        *f.mutable_push()->add_items() = item;
    return call(f);
}

wire::Frame WireClient::uploadBegin(const SchoolModel::Media &m, wire::MediaVariant variant)
{
    const QByteArray &data = variant == wire::THUMBNAIL ? m.thumbnail : m.original;
    wire::Frame f;
    f.mutable_upload_begin()->set_media_id(m.id.toStdString());
    f.mutable_upload_begin()->set_variant(variant);
    f.mutable_upload_begin()->set_size(static_cast<quint64>(data.size()));
    f.mutable_upload_begin()->set_sha256(sha256(data).toStdString());
    return call(f);
}

wire::Frame WireClient::uploadChunk(
    const QString &mediaId, wire::MediaVariant variant, quint64 offset, const QByteArray &data)
{
    wire::Frame f;
    f.mutable_upload_chunk()->set_media_id(mediaId.toStdString());
    f.mutable_upload_chunk()->set_variant(variant);
    f.mutable_upload_chunk()->set_offset(offset);
    f.mutable_upload_chunk()->set_data(data.toStdString());
    return call(f);
}

wire::Frame WireClient::fetch(
    const QString &mediaId, wire::MediaVariant variant, quint64 offset, quint32 length)
{
    wire::Frame f;
    f.mutable_media_fetch()->set_media_id(mediaId.toStdString());
    f.mutable_media_fetch()->set_variant(variant);
    f.mutable_media_fetch()->set_offset(offset);
    f.mutable_media_fetch()->set_length(length);
    return call(f);
}

wire::Frame WireClient::release(const QString &className, const QString &throughDate)
{
    wire::Frame f;
    f.mutable_release()->set_class_name(className.toStdString());
    f.mutable_release()->set_through_date(throughDate.toStdString());
    return call(f);
}

void DeviceCache::apply(const QList<wire::PullReply> &pages)
{
    for (const wire::PullReply &page : pages) {
        for (const wire::Observation &o : page.observations())
            observations.insert(str(o.id()), o);
        for (const std::string &id : page.removed_ids())
            observations.remove(str(id));
        if (page.roster_changed()) {
            rosterSeen = true;
            roster.clear();
            for (const wire::Child &c : page.children())
                roster.insert(str(c.ref()), c);
        }
    }
}

wire::Observation toWire(const SchoolModel &m, const SchoolModel::Observation &o)
{
    wire::Observation w;
    w.set_id(o.id.toStdString());
    w.set_observed_at_ms(o.observedAtMs);
    for (const QString &ref : o.children)
        w.add_child_refs(ref.toStdString());
    w.set_text(o.text.toStdString());
    w.set_staff_note(o.note.toStdString());
    w.set_next_steps(o.nextSteps.toStdString());
    for (const QString &tag : o.eyfsTags)
        w.add_eyfs_tags(tag.toStdString());
    for (const QString &id : o.media) {
        const SchoolModel::Media &md = m.media[id];
        wire::Media *wm = w.add_media();
        wm->set_id(md.id.toStdString());
        wm->set_kind(md.video ? wire::VIDEO : wire::PHOTO);
        wm->set_size(static_cast<quint64>(md.original.size()));
        wm->set_sha256(sha256(md.original).toStdString());
        wm->set_width(640);
        wm->set_height(480);
        wm->set_mime_type(md.video ? "video/mp4" : "image/jpeg");
        if (!md.thumbnail.isEmpty()) {
            wm->set_thumbnail_size(static_cast<quint64>(md.thumbnail.size()));
            wm->set_thumbnail_sha256(sha256(md.thumbnail).toStdString());
        }
    }
    w.set_state(o.draft ? wire::DRAFT : wire::PUBLISHED);
    w.set_deleted(o.deleted);
    return w;
}

wire::PushItem pushItem(const SchoolModel &m, const SchoolModel::Observation &o,
    quint64 baseRevision, const QString &changeId)
{
    wire::PushItem item;
    *item.mutable_observation() = toWire(m, o);
    item.set_base_revision(baseRevision);
    item.set_change_id(changeId.toStdString());
    return item;
}

QString uploadMedia(WireClient &client, SchoolModel::Media &media, bool original, bool thumbnail)
{
    for (const wire::MediaVariant variant : { wire::ORIGINAL, wire::THUMBNAIL }) {
        const bool thumb = variant == wire::THUMBNAIL;
        if (thumb ? (!thumbnail || media.thumbnail.isEmpty() || media.thumbnailUploaded)
                  : (!original || media.originalUploaded))
            continue;
        const QByteArray &data = thumb ? media.thumbnail : media.original;
        const wire::Frame begin = client.uploadBegin(media, variant);
        if (!begin.has_upload_status())
            return QStringLiteral("upload begin of %1: %2").arg(media.id, describe(begin));
        quint64 offset = begin.upload_status().offset();
        bool complete = begin.upload_status().complete();
        while (!complete) {
            const QByteArray chunk
                = data.mid(static_cast<qsizetype>(offset), protocol::kMaxChunkBytes);
            const wire::Frame r = client.uploadChunk(media.id, variant, offset, chunk);
            if (!r.has_upload_status())
                return QStringLiteral("upload chunk of %1: %2").arg(media.id, describe(r));
            if (r.upload_status().offset() <= offset && !r.upload_status().complete())
                return QStringLiteral("upload of %1 made no progress at %2")
                    .arg(media.id)
                    .arg(offset);
            offset = r.upload_status().offset();
            complete = r.upload_status().complete();
        }
        (thumb ? media.thumbnailUploaded : media.originalUploaded) = true;
    }
    return {};
}

QString describe(const wire::Frame &frame)
{
    switch (frame.body_case()) {
    case wire::Frame::kError:
        return QStringLiteral("error %1 (%2)")
            .arg(QString::fromStdString(wire::Error::Code_Name(frame.error().code())),
                str(frame.error().message()));
    case wire::Frame::kPushReply: {
        QStringList parts;
        for (const wire::PushResult &r : frame.push_reply().results())
            parts << QStringLiteral("%1 %2 %3")
                         .arg(QString::fromStdString(wire::PushResult::Outcome_Name(r.outcome())))
                         .arg(r.revision())
                         .arg(str(r.reason()));
        return QStringLiteral("push reply [%1]").arg(parts.join(QStringLiteral("; ")));
    }
    case wire::Frame::kMediaData:
        return QStringLiteral("media data %1 bytes of %2")
            .arg(frame.media_data().data().size())
            .arg(frame.media_data().total_size());
    case wire::Frame::kUploadStatus:
        return QStringLiteral("upload status offset %1 complete %2")
            .arg(frame.upload_status().offset())
            .arg(frame.upload_status().complete());
    default:
        return QString::fromStdString(frame.ShortDebugString()).left(300);
    }
}

} // namespace acorn::fixture
