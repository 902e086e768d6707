#include "serverstore.h"

#include "database.h"
#include "logging.h"
#include "timeutil.h"

#include <QSqlError>
#include <QSqlQuery>

#include <utility>

namespace acorn::server {

namespace {
QByteArray serialise(const google::protobuf::MessageLite &m)
{
    QByteArray out(static_cast<qsizetype>(m.ByteSizeLong()), Qt::Uninitialized);
    m.SerializeToArray(out.data(), static_cast<int>(out.size()));
    return out;
}
// Runs `body` in a transaction of its own, or a savepoint of the caller's: what takes a
// change sequence number is always inside one (see nextSeq()).
template<typename Body>
Status inTransaction(ServerStore &store, Body body)
{
    ServerStore::Transaction tx(store);
    if (!tx.ok())
        return Status::failure(QStringLiteral("the database could not start a change: %1").arg(store.lastError()));
    if (Status s = body(); !s)
        return s;
    return tx.commit();
}
} // namespace

ServerStore::ServerStore(std::unique_ptr<Database> database) : m_database(std::move(database)) { }

ServerStore::~ServerStore() = default;

Result<std::unique_ptr<ServerStore>> ServerStore::open(const DatabaseLocation &where, bool create)
{
    auto db = Database::open(where, create);
    if (!db)
        return Result<std::unique_ptr<ServerStore>>::failure(db.error());
    return std::make_unique<ServerStore>(std::move(db).value());
}

Result<std::unique_ptr<ServerStore>> ServerStore::openSqlite(const QString &path, bool create)
{
    return open(DatabaseLocation::sqlite(path), create);
}

SqlDialect ServerStore::dialect() const
{
    return m_database->dialect();
}

// ------------------------------------------------------------------ plumbing

QSqlQuery ServerStore::run(const QString &sql, const QVariantList &binds, bool *ok)
{
    QSqlQuery q(m_database->db());
    q.setForwardOnly(true);
    // Without values the statement runs as it is: PostgreSQL cannot prepare transaction
    // control (BEGIN, SAVEPOINT, COMMIT).
    if (binds.isEmpty()) {
        const bool good = q.exec(sql);
        if (!good) {
            m_lastError = q.lastError().text();
            qCWarning(lcServerStore) << "statement failed:" << sql.left(60) << m_lastError;
        }
        if (ok)
            *ok = good;
        return q;
    }
    bool good = q.prepare(sql);
    if (good)
        good = bindAndExec(q, sql, binds);
    else
        m_lastError = q.lastError().text();
    if (!good)
        qCWarning(lcServerStore) << "statement failed:" << sql.left(60) << m_lastError;
    if (ok)
        *ok = good;
    return q;
}

bool ServerStore::bindAndExec(QSqlQuery &q, const QString &sql, const QVariantList &binds)
{
    Q_UNUSED(sql)
    for (int i = 0; i < binds.size(); ++i) {
        const QVariant &v = binds[i];
        // A null QString means "no text" here, never SQL NULL.
        if (v.metaType().id() == QMetaType::QString && v.toString().isNull())
            q.bindValue(i, QStringLiteral(""));
        else
            q.bindValue(i, v);
    }
    const bool good = q.exec();
    if (!good)
        m_lastError = q.lastError().text();
    return good;
}

ServerStore::KeptQuery::KeptQuery(KeptStatement *kept, QSqlQuery own)
    : m_kept(kept)
    , m_own(std::move(own))
{
}

ServerStore::KeptQuery::KeptQuery(KeptQuery &&other) noexcept
    : m_kept(std::exchange(other.m_kept, nullptr))
    , m_own(std::move(other.m_own))
{
}

ServerStore::KeptQuery::~KeptQuery()
{
    if (m_kept) {
        m_kept->query.finish(); // ends its read, keeps it prepared
        m_kept->busy = false;
    }
}

ServerStore::KeptQuery ServerStore::runKept(const QString &sql, const QVariantList &binds)
{
    std::shared_ptr<KeptStatement> &kept = m_kept[sql];
    if (!kept) {
        auto fresh = std::make_shared<KeptStatement>();
        fresh->query = QSqlQuery(m_database->db());
        fresh->query.setForwardOnly(true);
        if (!fresh->query.prepare(sql)) {
            m_lastError = fresh->query.lastError().text();
            m_kept.remove(sql);
            return KeptQuery(nullptr, run(sql, binds));
        }
        kept = std::move(fresh);
    }
    if (kept->busy) // asked for again while its last result is still being read
        return KeptQuery(nullptr, run(sql, binds));
    kept->busy = true;
    KeptQuery q(kept.get(), QSqlQuery());
    if (!bindAndExec(*q, sql, binds))
        qCWarning(lcServerStore) << "statement failed:" << sql.left(60) << m_lastError;
    return q;
}

ServerStore::DataVersion ServerStore::dataVersion()
{
    DataVersion v;
    const QString query = sqldialect::dataVersionQuery(dialect());
    if (query.isEmpty())
        return v; // not valid: the reader loads again
    KeptQuery q = runKept(query, {});
    if (q->isActive() && q->next()) {
        v.valid = true;
        v.otherConnections = q->value(0).toLongLong();
        v.thisConnection = q->value(1).toLongLong() - m_bookkeepingChanges;
    }
    return v;
}

Status ServerStore::exec(const QString &sql, const QVariantList &binds)
{
    bool ok = false;
    run(sql, binds, &ok);
    if (!ok)
        return Status::failure(QStringLiteral("the database refused a change: %1").arg(m_lastError));
    return {};
}

Status ServerStore::execBookkeeping(const QString &sql, const QVariantList &binds)
{
    bool ok = false;
    const QSqlQuery q = run(sql, binds, &ok);
    if (!ok)
        return Status::failure(QStringLiteral("the database refused a change: %1").arg(m_lastError));
    // The statement's own rows (sqlite3_changes(), read only after it succeeded): never
    // more than total_changes() grew by, so an uncounted change can only make readers
    // load again, never hide one.
    m_bookkeepingChanges += std::max(q.numRowsAffected(), 0);
    return {};
}

ServerStore::Transaction::Transaction(ServerStore &store, Mode mode) : m_store(store)
{
    if (m_store.m_transactionDepth == 0) {
        using sqldialect::Begin;
        const Begin how = mode == Mode::Immediate ? Begin::Write
                          : mode == Mode::Snapshot ? Begin::Snapshot
                                                   : Begin::Deferred;
        const QStringList begin = sqldialect::beginTransaction(m_store.dialect(), how);
        m_active = true;
        for (qsizetype i = 0; m_active && i < begin.size(); ++i) {
            m_active = bool(m_store.exec(begin[i], {}));
            if (!m_active && i > 0) // begun, but not locked: end it
                m_store.exec(QStringLiteral("ROLLBACK"), {});
        }
    } else {
        m_savepoint = QStringLiteral("acorn_%1").arg(m_store.m_transactionDepth);
        m_active = bool(m_store.exec(QStringLiteral("SAVEPOINT ") + m_savepoint, {}));
    }
    if (m_active)
        ++m_store.m_transactionDepth;
}

ServerStore::Transaction::~Transaction()
{
    if (m_active)
        rollback();
}

void ServerStore::Transaction::rollback()
{
    if (m_savepoint.isEmpty()) {
        m_store.exec(QStringLiteral("ROLLBACK"), {});
    } else {
        // ROLLBACK TO keeps the savepoint open; RELEASE ends it.
        m_store.exec(QStringLiteral("ROLLBACK TO ") + m_savepoint, {});
        m_store.exec(QStringLiteral("RELEASE ") + m_savepoint, {});
    }
    m_active = false;
    --m_store.m_transactionDepth;
}

Status ServerStore::Transaction::commit()
{
    if (!m_active)
        return Status::failure(QStringLiteral("no transaction: %1").arg(m_store.m_lastError));
    if (!m_savepoint.isEmpty()) {
        if (Status s = m_store.exec(QStringLiteral("RELEASE ") + m_savepoint, {}); !s) {
            rollback();
            return s;
        }
        m_active = false;
        --m_store.m_transactionDepth;
        return {};
    }
    if (Status s = m_store.exec(QStringLiteral("COMMIT"), {}); !s) {
        const QString err = m_store.m_lastError;
        rollback();
        return Status::failure(QStringLiteral("the database could not save the change: %1").arg(err));
    }
    m_active = false;
    --m_store.m_transactionDepth;
    return {};
}

Result<qint64> ServerStore::nextSeq()
{
    // A sequence number taken outside a transaction could become visible after a later one
    // (another process), and a client whose cursor passed it would never see its change.
    if (m_transactionDepth == 0)
        return Result<qint64>::failure(QStringLiteral("a change's sequence number is only taken inside a transaction"));
    if (Status s = exec(QStringLiteral("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq'"), {}); !s)
        return Result<qint64>::failure(s.error());
    return currentSeq();
}

qint64 ServerStore::currentSeq()
{
    QSqlQuery q = run(QStringLiteral("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'"), {});
    return q.next() ? q.value(0).toLongLong() : 0;
}

qint64 ServerStore::rosterSeq()
{
    QSqlQuery q = run(QStringLiteral("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'roster_seq'"), {});
    return q.next() ? q.value(0).toLongLong() : 0;
}

Status ServerStore::bumpRosterSeq()
{
    return exec(QStringLiteral("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'roster_seq'"), {});
}

QString ServerStore::meta(const QString &key)
{
    QSqlQuery q = run(QStringLiteral("SELECT value FROM meta WHERE key = ?"), {key});
    return q.next() ? q.value(0).toString() : QString();
}

QString ServerStore::metaOrInsert(const QString &key, const QString &value)
{
    exec(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING"), {key, value});
    return meta(key);
}

Status ServerStore::setMeta(const QString &key, const QString &value)
{
    return exec(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                {key, value});
}

// ------------------------------------------------------------------ backup

int ServerStore::schemaVersion() const
{
    return m_database->schemaVersion();
}

Status ServerStore::snapshotInto(const QString &path)
{
    if (dialect() != SqlDialect::Sqlite)
        return Status::failure(QStringLiteral("a PostgreSQL school is backed up with pg_dump (see "
                                              "docs/postgresql.md); 'admin backup' copies SQLite schools"));
    if (Status s = exec(QStringLiteral("VACUUM INTO ?"), {path}); !s)
        return Status::failure(QStringLiteral("cannot take a snapshot of the database: %1").arg(m_lastError));
    return {};
}

QString ServerStore::integrityProblems()
{
    const QString check = sqldialect::integrityCheck(dialect());
    if (check.isEmpty())
        return {};
    bool ok = false;
    QSqlQuery q = run(check, {}, &ok);
    if (!ok)
        return m_lastError;
    QStringList problems;
    while (q.next()) {
        const QString line = q.value(0).toString();
        if (line != QLatin1String("ok"))
            problems.append(line);
    }
    return problems.join(QStringLiteral("; "));
}

QStringList ServerStore::completeMediaObjects()
{
    QSqlQuery q = run(QStringLiteral("SELECT sha256 FROM media WHERE original_done = 1 "
                                     "UNION SELECT thumbnail_sha256 FROM media "
                                     "WHERE thumbnail_done = 1 AND thumbnail_size > 0 ORDER BY 1"),
                      {});
    QStringList hashes;
    while (q.next())
        hashes.append(q.value(0).toString());
    return hashes;
}

// ------------------------------------------------------------------ school

std::optional<SchoolSettings> ServerStore::school()
{
    QSqlQuery q = run(QStringLiteral("SELECT name, time_zone, release_time, contact FROM school WHERE id = 1"), {});
    if (!q.next())
        return std::nullopt;
    return SchoolSettings{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                          q.value(3).toString()};
}

Status ServerStore::saveSchool(const SchoolSettings &s)
{
    return exec(QStringLiteral("INSERT INTO school (id, name, time_zone, release_time, contact) "
                               "VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                               "name = excluded.name, time_zone = excluded.time_zone, "
                               "release_time = excluded.release_time, contact = excluded.contact"),
                {s.name, s.timeZone, s.releaseTime, s.contact});
}

QList<HalfTerm> ServerStore::halfTerms()
{
    QList<HalfTerm> out;
    QSqlQuery q = run(QStringLiteral("SELECT name, first_day, last_day FROM half_terms ORDER BY last_day"), {});
    while (q.next()) {
        out.append({q.value(0).toString(), QDate::fromString(q.value(1).toString(), Qt::ISODate),
                    QDate::fromString(q.value(2).toString(), Qt::ISODate)});
    }
    return out;
}

Status ServerStore::replaceCalendar(const QList<HalfTerm> &terms)
{
    if (Status s = exec(QStringLiteral("DELETE FROM half_terms"), {}); !s)
        return s;
    for (const HalfTerm &t : terms) {
        if (Status s = exec(QStringLiteral("INSERT INTO half_terms (name, first_day, last_day) VALUES (?, ?, ?)"),
                            {t.name, t.firstDay.toString(Qt::ISODate), t.lastDay.toString(Qt::ISODate)});
            !s)
            return s;
    }
    return {};
}

QList<ClassRecord> ServerStore::classes()
{
    QList<ClassRecord> out;
    QSqlQuery q = run(QStringLiteral("SELECT id, name, release FROM classes ORDER BY id"), {});
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString() == QLatin1String("live")});
    return out;
}

Result<qint64> ServerStore::upsertClass(const QString &name, bool live)
{
    const QString release = live ? QStringLiteral("live") : QStringLiteral("half-term");
    if (Status s = exec(QStringLiteral("INSERT INTO classes (name, release) VALUES (?, ?) "
                                       "ON CONFLICT(name) DO UPDATE SET release = excluded.release"),
                        {name, release});
        !s)
        return Result<qint64>::failure(s.error());
    QSqlQuery q = run(QStringLiteral("SELECT id FROM classes WHERE name = ?"), {name});
    if (!q.next())
        return Result<qint64>::failure(QStringLiteral("class %1 vanished while saving").arg(name));
    return q.value(0).toLongLong();
}

QHash<qint64, qint64> ServerStore::earlyReleases()
{
    QHash<qint64, qint64> out;
    QSqlQuery q = run(QStringLiteral("SELECT class_id, MAX(through_ms) FROM early_releases GROUP BY class_id"), {});
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    return out;
}

Status ServerStore::addEarlyRelease(qint64 classId, qint64 throughMs, const QString &by, qint64 now)
{
    return exec(QStringLiteral("INSERT INTO early_releases (class_id, through_ms, released_by, at) VALUES (?, ?, ?, ?)"),
                {classId, throughMs, by, now});
}

// ------------------------------------------------------------------ families, children

Result<qint64> ServerStore::upsertFamily(const QString &ref)
{
    if (Status s = exec(QStringLiteral("INSERT INTO families (ref) VALUES (?) ON CONFLICT(ref) DO NOTHING"), {ref}); !s)
        return Result<qint64>::failure(s.error());
    QSqlQuery q = run(QStringLiteral("SELECT id FROM families WHERE ref = ?"), {ref});
    if (!q.next())
        return Result<qint64>::failure(QStringLiteral("family %1 vanished while saving").arg(ref));
    return q.value(0).toLongLong();
}

std::optional<QString> ServerStore::familyRef(qint64 familyId)
{
    QSqlQuery q = run(QStringLiteral("SELECT ref FROM families WHERE id = ?"), { familyId });
    if (!q.next())
        return std::nullopt;
    return q.value(0).toString();
}

static const char kChildColumns[]
    = "c.id, c.ref, c.first_name, c.last_name, c.date_of_birth, c.class_id, c.family_id, f.ref, "
      "c.journal_media, c.others_journals, c.consent_recorded_by, c.consent_recorded_at";

ChildRecord ServerStore::childFrom(const QSqlQuery &q) const
{
    ChildRecord c;
    c.id = q.value(0).toLongLong();
    c.ref = q.value(1).toString();
    c.firstName = q.value(2).toString();
    c.lastName = q.value(3).toString();
    c.dateOfBirth = q.value(4).toString();
    c.classId = q.value(5).toLongLong();
    c.familyId = q.value(6).toLongLong();
    c.familyRef = q.value(7).toString();
    c.journalMedia = q.value(8).toBool();
    c.othersJournals = q.value(9).toBool();
    c.consentRecordedBy = q.value(10).toString();
    c.consentRecordedAt = q.value(11).toLongLong();
    return c;
}

QList<ChildRecord> ServerStore::children()
{
    QList<ChildRecord> out;
    QSqlQuery q
        = run(QStringLiteral("SELECT %1 FROM children c JOIN families f ON f.id = c.family_id"
                             " WHERE c.erased_at IS NULL ORDER BY c.id")
                  .arg(QLatin1String(kChildColumns)),
            {});
    while (q.next())
        out.append(childFrom(q));
    return out;
}

std::optional<ChildRecord> ServerStore::childByRef(const QString &ref)
{
    QSqlQuery q
        = run(QStringLiteral("SELECT %1 FROM children c JOIN families f ON f.id = c.family_id"
                             " WHERE c.ref = ? AND c.erased_at IS NULL")
                  .arg(QLatin1String(kChildColumns)),
            { ref });
    if (!q.next())
        return std::nullopt;
    return childFrom(q);
}

Result<qint64> ServerStore::upsertChild(const ChildRecord &c, const QString &recordedBy, qint64 now,
    bool *visibilityChanged, bool *changed)
{
    *visibilityChanged = false;
    if (changed)
        *changed = true;
    std::optional<ChildRecord> old = childByRef(c.ref);
    if (!old) {
        if (Status s = exec(QStringLiteral("INSERT INTO children (ref, first_name, last_name, date_of_birth, class_id, "
                                           "family_id, journal_media, others_journals, consent_recorded_by, "
                                           "consent_recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                            {c.ref, c.firstName, c.lastName, c.dateOfBirth, c.classId, c.familyId,
                             c.journalMedia ? 1 : 0, c.othersJournals ? 1 : 0, recordedBy, now});
            !s)
            return Result<qint64>::failure(s.error());
        QSqlQuery q = run(QStringLiteral("SELECT id FROM children WHERE ref = ?"), {c.ref});
        if (!q.next())
            return Result<qint64>::failure(QStringLiteral("child %1 vanished while saving").arg(c.ref));
        return q.value(0).toLongLong();
    }
    const bool consentChanged = old->journalMedia != c.journalMedia || old->othersJournals != c.othersJournals;
    *visibilityChanged = consentChanged || old->classId != c.classId || old->familyId != c.familyId;
    if (!*visibilityChanged && old->firstName == c.firstName && old->lastName == c.lastName
        && old->dateOfBirth == c.dateOfBirth) {
        if (changed)
            *changed = false;
        return old->id; // nothing to write
    }
    Status s = exec(QStringLiteral("UPDATE children SET first_name = ?, last_name = ?, date_of_birth = ?, "
                                   "class_id = ?, family_id = ?, journal_media = ?, others_journals = ? WHERE id = ?"),
                    {c.firstName, c.lastName, c.dateOfBirth, c.classId, c.familyId, c.journalMedia ? 1 : 0,
                     c.othersJournals ? 1 : 0, old->id});
    if (s && consentChanged)
        s = exec(QStringLiteral("UPDATE children SET consent_recorded_by = ?, consent_recorded_at = ? WHERE id = ?"),
                 {recordedBy, now, old->id});
    if (!s)
        return Result<qint64>::failure(s.error());
    return old->id;
}

Status ServerStore::setConsent(
    qint64 childId, bool journalMedia, bool othersJournals, const QString &recordedBy, qint64 now)
{
    return exec(
        QStringLiteral(
            "UPDATE children SET journal_media = ?, others_journals = ?, consent_recorded_by = ?, "
            "consent_recorded_at = ? WHERE id = ?"),
        { journalMedia ? 1 : 0, othersJournals ? 1 : 0, recordedBy, now, childId });
}

Status ServerStore::touchObservationsOfChild(qint64 childId)
{
    QSqlQuery q = run(QStringLiteral("SELECT observation_id FROM observation_children WHERE child_id = ?"), {childId});
    QStringList ids;
    while (q.next())
        ids.append(q.value(0).toString());
    return touchObservations(ids);
}

Status ServerStore::touchObservationsLocked(const QStringList &ids)
{
    for (const QString &id : ids) {
        auto seq = nextSeq();
        if (!seq)
            return Status::failure(seq.error());
        if (Status s = exec(QStringLiteral("UPDATE observations SET seq = ? WHERE id = ?"), {seq.value(), id}); !s)
            return s;
    }
    return {};
}

// ------------------------------------------------------------------ users, sessions

static const char kUserColumns[] =
    "id, username, display_name, role, state, COALESCE(family_id, 0), COALESCE(password_hash, ''), "
    "COALESCE(activation_hash, ''), activation_expires";

UserRecord ServerStore::userFrom(const QSqlQuery &q) const
{
    UserRecord u;
    u.id = q.value(0).toLongLong();
    u.username = q.value(1).toString();
    u.displayName = q.value(2).toString();
    u.role = q.value(3).toString();
    u.state = q.value(4).toString();
    u.familyId = q.value(5).toLongLong();
    u.passwordHash = q.value(6).toString();
    u.activationHash = q.value(7).toString();
    u.activationExpires = q.value(8).toLongLong();
    return u;
}

std::optional<UserRecord> ServerStore::userByUsername(const QString &username)
{
    QSqlQuery q = run(QStringLiteral("SELECT %1 FROM users WHERE username = ?").arg(QLatin1String(kUserColumns)),
                      {username});
    if (!q.next())
        return std::nullopt;
    return userFrom(q);
}

std::optional<UserRecord> ServerStore::userById(qint64 id)
{
    KeptQuery q = runKept(QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(QLatin1String(kUserColumns)), {id});
    if (!q->next())
        return std::nullopt;
    return userFrom(*q);
}

QList<UserRecord> ServerStore::users()
{
    QList<UserRecord> out;
    QSqlQuery q = run(QStringLiteral("SELECT %1 FROM users ORDER BY id").arg(QLatin1String(kUserColumns)), {});
    while (q.next())
        out.append(userFrom(q));
    return out;
}

Result<qint64> ServerStore::insertUser(const UserRecord &u, qint64 now)
{
    if (Status s = exec(QStringLiteral("INSERT INTO users (username, display_name, role, family_id, state, "
                                       "activation_hash, activation_expires, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                        {u.username, u.displayName, u.role,
                         u.familyId ? QVariant(u.familyId) : QVariant(QMetaType(QMetaType::LongLong)), u.state,
                         u.activationHash, u.activationExpires, now});
        !s)
        return Result<qint64>::failure(s.error());
    QSqlQuery q = run(QStringLiteral("SELECT id FROM users WHERE username = ?"), {u.username});
    if (!q.next())
        return Result<qint64>::failure(QStringLiteral("account %1 vanished while saving").arg(u.username));
    return q.value(0).toLongLong();
}

Status ServerStore::updateUserProfile(qint64 id, const QString &displayName, const QString &role, qint64 familyId)
{
    return exec(QStringLiteral("UPDATE users SET display_name = ?, role = ?, family_id = ? WHERE id = ?"),
                {displayName, role, familyId ? QVariant(familyId) : QVariant(QMetaType(QMetaType::LongLong)), id});
}

Status ServerStore::setPassword(qint64 userId, const QString &hash)
{
    return exec(QStringLiteral("UPDATE users SET password_hash = ?, activation_hash = NULL, activation_expires = 0, "
                               "state = CASE WHEN state = 'invited' THEN 'active' ELSE state END WHERE id = ?"),
                {hash, userId});
}

bool ServerStore::replacePasswordHash(qint64 userId, const QString &oldHash, const QString &newHash)
{
    bool ok = false;
    QSqlQuery q = run(QStringLiteral("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?"),
        { newHash, userId, oldHash }, &ok);
    return ok && q.numRowsAffected() == 1;
}

Status ServerStore::setActivation(qint64 userId, const QString &codeHash, qint64 expiresMs)
{
    return exec(QStringLiteral("UPDATE users SET activation_hash = ?, activation_expires = ? WHERE id = ?"),
                {codeHash, expiresMs, userId});
}

Status ServerStore::setUserState(qint64 userId, const QString &state)
{
    return exec(QStringLiteral("UPDATE users SET state = ? WHERE id = ?"), {state, userId});
}

QSet<qint64> ServerStore::staffClassIds(qint64 userId)
{
    QSet<qint64> out;
    QSqlQuery q = run(QStringLiteral("SELECT class_id FROM staff_classes WHERE user_id = ?"), {userId});
    while (q.next())
        out.insert(q.value(0).toLongLong());
    return out;
}

Status ServerStore::setStaffClasses(qint64 userId, const QSet<qint64> &classIds)
{
    if (Status s = exec(QStringLiteral("DELETE FROM staff_classes WHERE user_id = ?"), {userId}); !s)
        return s;
    for (qint64 c : classIds) {
        if (Status s = exec(QStringLiteral("INSERT INTO staff_classes (user_id, class_id) VALUES (?, ?)"), {userId, c}); !s)
            return s;
    }
    return {};
}

Status ServerStore::createSession(qint64 userId, const QByteArray &tokenHash, const QString &device, qint64 now)
{
    return execBookkeeping(QStringLiteral("INSERT INTO sessions (user_id, token_hash, device, created_at, last_used_at) "
                                          "VALUES (?, ?, ?, ?, ?)"),
                           {userId, tokenHash, device, now, now});
}

std::optional<SessionRecord> ServerStore::sessionByTokenHash(const QByteArray &tokenHash)
{
    KeptQuery q = runKept(QStringLiteral("SELECT id, user_id, device, created_at, last_used_at FROM sessions "
                                         "WHERE token_hash = ? AND revoked_at IS NULL"),
                          {tokenHash});
    if (!q->next())
        return std::nullopt;
    return SessionRecord{q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toString(),
                         q->value(3).toLongLong(), q->value(4).toLongLong(), 0, QString()};
}

Status ServerStore::endSession(qint64 sessionId, qint64 now, const QString &reason)
{
    return exec(QStringLiteral("UPDATE sessions SET revoked_at = ?, end_reason = ? WHERE id = ? AND revoked_at IS NULL"),
                {now, reason, sessionId});
}

Status ServerStore::endSessionsOfUser(qint64 userId, qint64 now, const QString &reason)
{
    return exec(QStringLiteral("UPDATE sessions SET revoked_at = ?, end_reason = ? WHERE user_id = ? AND revoked_at IS NULL"),
                {now, reason, userId});
}

Result<int> ServerStore::endOtherSessionsOfUser(
    qint64 userId, qint64 keepSessionId, qint64 now, const QString &reason)
{
    bool ok = false;
    QSqlQuery q = run(QStringLiteral("UPDATE sessions SET revoked_at = ?, end_reason = ?"
                                     " WHERE user_id = ? AND id != ? AND revoked_at IS NULL"),
        { now, reason, userId, keepSessionId }, &ok);
    if (!ok)
        return Result<int>::failure(lastError());
    return q.numRowsAffected();
}

QList<SessionRecord> ServerStore::sessionsOfUser(qint64 userId)
{
    QList<SessionRecord> out;
    QSqlQuery q = run(QStringLiteral("SELECT id, user_id, device, created_at, last_used_at, COALESCE(revoked_at, 0), "
                                     "COALESCE(end_reason, '') FROM sessions WHERE user_id = ? ORDER BY id DESC"),
                      {userId});
    while (q.next()) {
        SessionRecord r{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                        q.value(3).toLongLong(), q.value(4).toLongLong(), q.value(5).toLongLong(),
                        q.value(6).toString()};
        if (r.revokedAt && r.endReason.isEmpty())
            r.endReason = QStringLiteral("revoked");
        out.append(r);
    }
    return out;
}

// ------------------------------------------------------------------ sign-in throttling

Result<qint64> ServerStore::addLoginFailure(const QString &key, qint64 at)
{
    bool ok = false;
    QSqlQuery q = run(QStringLiteral("INSERT INTO login_failures (key, at) VALUES (?, ?) RETURNING id"), {key, at}, &ok);
    if (!ok || !q.next())
        return Result<qint64>::failure(QStringLiteral("the database refused a change: %1").arg(m_lastError));
    return q.value(0).toLongLong();
}

QList<qint64> ServerStore::loginFailureTimes(const QString &key, qint64 sinceMs)
{
    QList<qint64> out;
    QSqlQuery q = run(QStringLiteral("SELECT at FROM login_failures WHERE key = ? AND at >= ? ORDER BY at, id"),
                      {key, sinceMs});
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

std::optional<ServerStore::LoginLock> ServerStore::loginLock(const QString &key)
{
    QSqlQuery q = run(QStringLiteral("SELECT level, locked_at, locked_until FROM login_locks WHERE key = ?"), {key});
    if (!q.next())
        return std::nullopt;
    return LoginLock{key, q.value(0).toInt(), q.value(1).toLongLong(), q.value(2).toLongLong()};
}

Status ServerStore::saveLoginLock(const LoginLock &lock)
{
    return exec(QStringLiteral("INSERT INTO login_locks (key, level, locked_at, locked_until) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT(key) DO UPDATE SET level = excluded.level, "
                               "locked_at = excluded.locked_at, locked_until = excluded.locked_until"),
                {lock.key, lock.level, lock.lockedAt, lock.lockedUntil});
}

Status ServerStore::pruneLoginThrottle(qint64 locksBefore, qint64 failuresBefore)
{
    if (Status s = exec(QStringLiteral("DELETE FROM login_locks WHERE locked_until < ?"), {locksBefore}); !s)
        return s;
    return exec(QStringLiteral("DELETE FROM login_failures WHERE at < ?"), {failuresBefore});
}

// ------------------------------------------------------------------ review

QList<ServerStore::AccountReview> ServerStore::accountsForReview()
{
    QList<AccountReview> out;
    QSqlQuery q = run(
        QStringLiteral(
            "SELECT username, role, state, password_hash IS NOT NULL AND password_hash != '', "
            "created_at, EXISTS (SELECT 1 FROM two_factor t WHERE t.user_id = users.id)"
            " FROM users ORDER BY username"),
        {});
    while (q.next())
        out.append(
            AccountReview { q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                q.value(3).toBool(), q.value(4).toLongLong(), q.value(5).toBool() });
    return out;
}

std::optional<ServerStore::TwoFactorRecord> ServerStore::twoFactor(qint64 userId)
{
    QSqlQuery q = run(
        QStringLiteral("SELECT secret, last_step, created_at FROM two_factor WHERE user_id = ?"),
        { userId });
    if (!q.next())
        return std::nullopt;
    return TwoFactorRecord { q.value(0).toByteArray(), q.value(1).toLongLong(),
        q.value(2).toLongLong() };
}

Status ServerStore::setTwoFactor(
    qint64 userId, const QByteArray &secret, qint64 now, qint64 lastStep)
{
    return exec(
        QStringLiteral(
            "INSERT INTO two_factor (user_id, secret, last_step, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret,"
            " last_step = excluded.last_step, created_at = excluded.created_at"),
        { userId, secret, lastStep, now });
}

std::optional<ServerStore::PendingTwoFactor> ServerStore::pendingTwoFactor(qint64 userId)
{
    QSqlQuery q = run(QStringLiteral("SELECT secret, created_at, expires_at FROM two_factor_pending"
                                     " WHERE user_id = ?"),
        { userId });
    if (!q.next())
        return std::nullopt;
    return PendingTwoFactor { q.value(0).toByteArray(), q.value(1).toLongLong(),
        q.value(2).toLongLong() };
}

Status ServerStore::setPendingTwoFactor(qint64 userId, const PendingTwoFactor &pending)
{
    return exec(
        QStringLiteral("INSERT INTO two_factor_pending (user_id, secret, created_at, expires_at)"
                       " VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
                       " secret = excluded.secret, created_at = excluded.created_at,"
                       " expires_at = excluded.expires_at"),
        { userId, pending.secret, pending.createdAt, pending.expiresAt });
}

Status ServerStore::removePendingTwoFactor(qint64 userId)
{
    return exec(QStringLiteral("DELETE FROM two_factor_pending WHERE user_id = ?"), { userId });
}

Status ServerStore::removeTwoFactor(qint64 userId)
{
    return exec(QStringLiteral("DELETE FROM two_factor WHERE user_id = ?"), { userId });
}

bool ServerStore::consumeTwoFactorStep(qint64 userId, qint64 step)
{
    bool ok = false;
    QSqlQuery q = run(
        QStringLiteral("UPDATE two_factor SET last_step = ? WHERE user_id = ? AND last_step < ?"),
        { step, userId, step }, &ok);
    return ok && q.numRowsAffected() == 1;
}

Status ServerStore::touchSession(qint64 sessionId, qint64 now)
{
    const QString update = QStringLiteral("UPDATE sessions SET last_used_at = ? WHERE id = ?");
    if (m_transactionDepth > 0)
        return execBookkeeping(update, {now, sessionId}); // the transaction's commit decides
    // Every device's first request each minute records its use: in a release storm that
    // was one wait for the disk per parent on the thread serving everyone. Losing the
    // newest of these in a power cut only makes a session look idle a minute longer.
    const sqldialect::Around unsynced = sqldialect::unsyncedCommit(dialect());
    Status begun;
    qsizetype started = 0; // statements of `before` that ran
    for (const QString &sql : unsynced.before) {
        begun = exec(sql, {});
        if (!begun)
            break;
        ++started;
    }
    const Status s = begun ? execBookkeeping(update, {now, sessionId}) : begun;
    // Ends whatever was begun, even half-way (PostgreSQL's COMMIT of a failed transaction
    // rolls it back; SQLite's synchronous goes back to FULL).
    for (qsizetype i = 0; started > 0 && i < unsynced.after.size(); ++i) {
        if (Status restored = exec(unsynced.after[i], {}); !restored)
            qCCritical(lcServerStore) << "could not end an unsynced commit (" << unsynced.after[i]
                                      << "):" << restored.error();
    }
    if (!begun) {
        qCWarning(lcServerStore) << "a session's last use is recorded with a sync to disk:" << begun.error();
        return execBookkeeping(update, {now, sessionId});
    }
    return s;
}

Status ServerStore::revokeSession(qint64 sessionId, qint64 now)
{
    return exec(QStringLiteral("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"), {now, sessionId});
}

Status ServerStore::revokeSessionsOfUser(qint64 userId, qint64 now)
{
    return exec(QStringLiteral("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL"),
                {now, userId});
}

// ------------------------------------------------------------------ observations

std::optional<ObservationRecord> ServerStore::observation(const QString &id, Availability availability,
                                                          QList<MediaRecord> *mediaRecords)
{
    ObservationRecord r;
    {
        KeptQuery q = runKept(QStringLiteral("SELECT content, author_id, seq FROM observations WHERE id = ?"), {id});
        if (!q->next())
            return std::nullopt;
        const QByteArray blob = q->value(0).toByteArray();
        if (!r.content.ParseFromArray(blob.constData(), static_cast<int>(blob.size()))) {
            qCWarning(lcServerStore) << "observation" << id << "has unreadable content";
            return std::nullopt;
        }
        r.authorId = q->value(1).toLongLong();
        r.seq = q->value(2).toLongLong();
    }
    {
        KeptQuery c = runKept(
            QStringLiteral("SELECT child_id, current FROM observation_children WHERE observation_id = ?"), {id});
        while (c->next()) {
            if (c->value(1).toBool())
                r.currentChildIds.append(c->value(0).toLongLong());
            else
                r.pastChildIds.append(c->value(0).toLongLong());
        }
    }
    if (availability == Availability::Marked) {
        for (wire::Media &m : *r.content.mutable_media()) {
            const std::optional<MediaRecord> rec = media(QString::fromStdString(m.id()));
            m.set_available(rec && rec->available());
            if (rec && mediaRecords)
                mediaRecords->append(*rec);
        }
    }
    return r;
}

std::optional<ServerStore::AppliedChange> ServerStore::appliedChange(const QString &changeId)
{
    QSqlQuery q = run(QStringLiteral("SELECT observation_id, revision, author_id FROM observation_revisions "
                                     "WHERE change_id = ?"),
                      {changeId});
    if (!q.next())
        return std::nullopt;
    return AppliedChange{q.value(0).toString(), q.value(1).toULongLong(), q.value(2).toLongLong()};
}

Status ServerStore::saveObservationLocked(const wire::Observation &content, const QList<qint64> &childIds,
                                    qint64 authorOfRevision, const QString &changeId, qint64 now)
{
    auto seq = nextSeq();
    if (!seq)
        return Status::failure(seq.error());
    const QString id = QString::fromStdString(content.id());
    wire::Observation stored = content;
    for (wire::Media &m : *stored.mutable_media())
        m.clear_available();
    const QByteArray blob = serialise(stored);
    const QString state = content.state() == wire::DRAFT ? QStringLiteral("draft") : QStringLiteral("published");
    Status s;
    if (content.revision() == 1) {
        s = exec(QStringLiteral("INSERT INTO observations (id, author_id, observed_at, state, deleted, revision, "
                                "created_at, updated_at, seq, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                 {id, authorOfRevision, static_cast<qint64>(content.observed_at_ms()), state,
                  content.deleted() ? 1 : 0, static_cast<qint64>(content.revision()), now, now, seq.value(), blob});
    } else {
        s = exec(QStringLiteral("UPDATE observations SET observed_at = ?, state = ?, deleted = ?, revision = ?, "
                                "updated_at = ?, seq = ?, content = ? WHERE id = ?"),
                 {static_cast<qint64>(content.observed_at_ms()), state, content.deleted() ? 1 : 0,
                  static_cast<qint64>(content.revision()), now, seq.value(), blob, id});
    }
    if (s)
        s = exec(QStringLiteral("INSERT INTO observation_revisions (observation_id, revision, change_id, author_id, at, "
                                "content) VALUES (?, ?, ?, ?, ?, ?)"),
                 {id, static_cast<qint64>(content.revision()), changeId, authorOfRevision, now, blob});
    if (s)
        s = exec(QStringLiteral("UPDATE observation_children SET current = 0 WHERE observation_id = ?"), {id});
    for (qint64 child : childIds) {
        if (!s)
            break;
        s = exec(QStringLiteral("INSERT INTO observation_children (observation_id, child_id, current) VALUES (?, ?, 1) "
                                "ON CONFLICT(observation_id, child_id) DO UPDATE SET current = 1"),
                 {id, child});
    }
    if (s)
        s = exec(QStringLiteral("DELETE FROM observation_media WHERE observation_id = ?"), {id});
    for (const wire::Media &m : content.media()) {
        if (!s)
            break;
        s = exec(QStringLiteral("INSERT INTO observation_media (observation_id, media_id) VALUES (?, ?)"),
                 {id, QString::fromStdString(m.id())});
    }
    return s;
}

// ------------------------------------------------------------------ assessments

QList<AssessmentRecord> ServerStore::assessmentsWhere(const QString &where, const QVariantList &binds)
{
    QList<AssessmentRecord> out;
    QSqlQuery q = run(QStringLiteral("SELECT a.id, a.child_id, a.item_key, a.half_term, a.judgement, a.revision,"
                                     " a.by_id, u.username, u.display_name, a.at, a.seq"
                                     " FROM assessments a JOIN users u ON u.id = a.by_id ")
                          + where,
                      binds);
    while (q.next()) {
        AssessmentRecord a;
        a.id = q.value(0).toLongLong();
        a.childId = q.value(1).toLongLong();
        a.itemKey = q.value(2).toString();
        a.halfTerm = q.value(3).toString();
        a.judgement = q.value(4).toString();
        a.revision = q.value(5).toULongLong();
        a.byId = q.value(6).toLongLong();
        a.byUsername = q.value(7).toString();
        a.byName = q.value(8).toString();
        a.at = q.value(9).toLongLong();
        a.seq = q.value(10).toLongLong();
        out.append(a);
    }
    for (AssessmentRecord &a : out) {
        QSqlQuery h = run(QStringLiteral("SELECT h.revision, h.judgement, u.username, u.display_name, h.at,"
                                         " h.outcome FROM assessment_history h JOIN users u ON u.id = h.by_id"
                                         " WHERE h.assessment_id = ? ORDER BY h.id"),
                          {a.id});
        while (h.next()) {
            a.history.append({h.value(0).toULongLong(), h.value(1).toString(), h.value(2).toString(),
                              h.value(3).toString(), h.value(4).toLongLong(),
                              h.value(5).toString() == QLatin1String("conflict")});
        }
    }
    return out;
}

std::optional<AssessmentRecord> ServerStore::assessment(qint64 childId, const QString &itemKey,
                                                        const QString &halfTerm)
{
    const QList<AssessmentRecord> found = assessmentsWhere(
        QStringLiteral("WHERE a.child_id = ? AND a.item_key = ? AND a.half_term = ?"), {childId, itemKey, halfTerm});
    if (found.isEmpty())
        return std::nullopt;
    return found.constFirst();
}

QList<AssessmentRecord> ServerStore::assessmentsChangedSince(qint64 seq, int limit)
{
    return assessmentsWhere(QStringLiteral("WHERE a.seq > ? ORDER BY a.seq LIMIT ?"), {seq, limit});
}

std::optional<ServerStore::AssessmentChange> ServerStore::assessmentChange(const QString &changeId)
{
    QSqlQuery q = run(QStringLiteral("SELECT h.assessment_id, a.child_id, a.item_key, a.half_term, h.revision,"
                                     " h.by_id, h.outcome FROM assessment_history h"
                                     " JOIN assessments a ON a.id = h.assessment_id WHERE h.change_id = ?"),
                      {changeId});
    if (!q.next())
        return std::nullopt;
    return AssessmentChange{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                            q.value(3).toString(), q.value(4).toULongLong(), q.value(5).toLongLong(),
                            q.value(6).toString() == QLatin1String("conflict")};
}

Status ServerStore::saveAssessmentLocked(const AssessmentRecord &a, const QString &changeId, const QString &device,
                                   qint64 now)
{
    auto seq = nextSeq();
    if (!seq)
        return Status::failure(seq.error());
    const qint64 revision = static_cast<qint64>(a.revision);
    bool ok = false;
    if (a.revision == 1) {
        run(QStringLiteral("INSERT INTO assessments (child_id, item_key, half_term, judgement, revision, by_id, at,"
                           " seq) VALUES (?, ?, ?, ?, 1, ?, ?, ?)"),
            {a.childId, a.itemKey, a.halfTerm, a.judgement, a.byId, now, seq.value()}, &ok);
    } else {
        const QSqlQuery q = run(QStringLiteral("UPDATE assessments SET judgement = ?, revision = ?, by_id = ?, at = ?,"
                                               " seq = ? WHERE child_id = ? AND item_key = ? AND half_term = ?"
                                               " AND revision = ?"),
                                {a.judgement, revision, a.byId, now, seq.value(), a.childId, a.itemKey, a.halfTerm,
                                 revision - 1},
                                &ok);
        if (ok && q.numRowsAffected() != 1) {
            return Status::failure(
                QStringLiteral("the assessment changed while this change was being saved; it will be sent again"));
        }
    }
    if (!ok)
        return Status::failure(QStringLiteral("the database refused a change: %1").arg(m_lastError));
    return exec(QStringLiteral("INSERT INTO assessment_history (assessment_id, revision, judgement, by_id, at,"
                               " change_id, device, outcome) SELECT id, ?, ?, ?, ?, ?, ?, 'applied'"
                               " FROM assessments WHERE child_id = ? AND item_key = ? AND half_term = ?"),
                {revision, a.judgement, a.byId, now, changeId, device, a.childId, a.itemKey, a.halfTerm});
}

Status ServerStore::keepConflictingAssessment(qint64 assessmentId, quint64 baseRevision, const QString &judgement,
                                              qint64 byId, const QString &changeId, const QString &device, qint64 now)
{
    return exec(QStringLiteral("INSERT INTO assessment_history (assessment_id, revision, judgement, by_id, at,"
                               " change_id, device, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, 'conflict')"),
                {assessmentId, static_cast<qint64>(baseRevision), judgement, byId, now, changeId, device});
}

bool ServerStore::assessmentsVisibleToParents()
{
    return meta(QStringLiteral("assessments_visible_to_parents")) == QLatin1String("1");
}

Status ServerStore::setAssessmentsVisibleToParents(bool visible)
{
    return setMeta(QStringLiteral("assessments_visible_to_parents"), visible ? QStringLiteral("1")
                                                                             : QStringLiteral("0"));
}

QList<ChangedObservation> ServerStore::changedSince(qint64 seq, int limit)
{
    QList<ChangedObservation> out;
    QSqlQuery q = run(QStringLiteral("SELECT id, seq FROM observations WHERE seq > ? ORDER BY seq LIMIT ?"), {seq, limit});
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

QList<ChangedObservation> ServerStore::observationsOfChild(qint64 childId, qint64 fromMs, qint64 toMs)
{
    QList<ChangedObservation> out;
    QSqlQuery q = run(QStringLiteral("SELECT o.id, o.seq FROM observation_children oc "
                                     "JOIN observations o ON o.id = oc.observation_id "
                                     "WHERE oc.child_id = ? AND o.observed_at >= ? AND o.observed_at < ? "
                                     "ORDER BY o.seq"),
                      {childId, fromMs, toMs});
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

// ------------------------------------------------------------------ media

std::optional<MediaRecord> ServerStore::media(const QString &id)
{
    KeptQuery q = runKept(QStringLiteral("SELECT id, kind, size, sha256, thumbnail_size, thumbnail_sha256, original_done, "
                                         "thumbnail_done, declared_by FROM media WHERE id = ?"),
                          {id});
    if (!q->next())
        return std::nullopt;
    MediaRecord m;
    m.id = q->value(0).toString();
    m.kind = q->value(1).toString();
    m.size = q->value(2).toLongLong();
    m.sha256 = q->value(3).toString();
    m.thumbnailSize = q->value(4).toLongLong();
    m.thumbnailSha256 = q->value(5).toString();
    m.originalDone = q->value(6).toBool();
    m.thumbnailDone = q->value(7).toBool();
    m.declaredBy = q->value(8).toLongLong();
    return m;
}

Status ServerStore::insertMedia(const MediaRecord &m, qint64 now)
{
    return exec(QStringLiteral("INSERT INTO media (id, kind, size, sha256, thumbnail_size, thumbnail_sha256, "
                               "declared_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                {m.id, m.kind, m.size, m.sha256, m.thumbnailSize, m.thumbnailSha256, m.declaredBy, now});
}

Status ServerStore::markMediaVariantDone(const QString &mediaId, wire::MediaVariant variant)
{
    if (variant == wire::THUMBNAIL)
        return exec(QStringLiteral("UPDATE media SET thumbnail_done = 1 WHERE id = ?"), {mediaId});
    return exec(QStringLiteral("UPDATE media SET original_done = 1 WHERE id = ?"), {mediaId});
}

QStringList ServerStore::observationsWithMedia(const QString &mediaId)
{
    QStringList out;
    KeptQuery q = runKept(QStringLiteral("SELECT observation_id FROM observation_media WHERE media_id = ?"), {mediaId});
    while (q->next())
        out.append(q->value(0).toString());
    return out;
}

// ------------------------------------------------------------------ data protection

QStringList ServerStore::observationIdsOfChild(qint64 childId)
{
    QStringList ids;
    QSqlQuery q
        = run(QStringLiteral("SELECT observation_id FROM observation_children WHERE child_id = ?"
                             " ORDER BY observation_id"),
            { childId });
    while (q.next())
        ids.append(q.value(0).toString());
    return ids;
}

QList<ServerStore::RevisionRecord> ServerStore::observationRevisions(const QString &observationId)
{
    QList<RevisionRecord> out;
    QSqlQuery q
        = run(QStringLiteral("SELECT revision, author_id, at, content FROM observation_revisions"
                             " WHERE observation_id = ? ORDER BY revision"),
            { observationId });
    while (q.next()) {
        RevisionRecord r;
        r.revision = q.value(0).toULongLong();
        r.authorId = q.value(1).toLongLong();
        r.at = q.value(2).toLongLong();
        const QByteArray blob = q.value(3).toByteArray();
        if (!r.content.ParseFromArray(blob.constData(), static_cast<int>(blob.size())))
            qCWarning(lcServerStore) << "revision" << r.revision << "of observation"
                                     << observationId << "has unreadable content";
        out.append(std::move(r));
    }
    return out;
}

Status ServerStore::replaceRevisionContent(
    const QString &observationId, quint64 revision, const wire::Observation &content)
{
    return exec(QStringLiteral("UPDATE observation_revisions SET content = ? WHERE observation_id "
                               "= ? AND revision = ?"),
        { serialise(content), observationId, static_cast<qint64>(revision) });
}

Status ServerStore::deleteRevisionsBefore(const QString &observationId, quint64 revision)
{
    return exec(QStringLiteral(
                    "DELETE FROM observation_revisions WHERE observation_id = ? AND revision < ?"),
        { observationId, static_cast<qint64>(revision) });
}

Status ServerStore::deleteMedia(const QString &mediaId)
{
    Status s
        = exec(QStringLiteral("DELETE FROM observation_media WHERE media_id = ?"), { mediaId });
    if (s)
        s = exec(QStringLiteral("DELETE FROM media WHERE id = ?"), { mediaId });
    return s;
}

int ServerStore::mediaObjectUsers(const QString &sha256Hex)
{
    QSqlQuery q
        = run(QStringLiteral("SELECT COUNT(*) FROM media WHERE sha256 = ? OR thumbnail_sha256 = ?"),
            { sha256Hex, sha256Hex });
    return q.next() ? q.value(0).toInt() : 0;
}

Status ServerStore::eraseChildRecord(qint64 childId, qint64 now)
{
    return exec(
        QStringLiteral("UPDATE children SET ref = 'erased-' || id, first_name = '', last_name = '',"
                       " date_of_birth = '', journal_media = 0, others_journals = 0,"
                       " consent_recorded_by = '', consent_recorded_at = 0, leaving_date = NULL,"
                       " erased_at = ? WHERE id = ?"),
        { now, childId });
}

Result<int> ServerStore::deleteAssessmentsOfChild(qint64 childId)
{
    bool ok = false;
    QSqlQuery q = run(QStringLiteral("SELECT COUNT(*) FROM assessments WHERE child_id = ?"), { childId }, &ok);
    const int count = ok && q.next() ? q.value(0).toInt() : 0;
    Status s = exec(QStringLiteral("DELETE FROM assessment_history WHERE assessment_id IN"
                                   " (SELECT id FROM assessments WHERE child_id = ?)"),
        { childId });
    if (s)
        s = exec(QStringLiteral("DELETE FROM assessments WHERE child_id = ?"), { childId });
    if (!s)
        return Result<int>::failure(s.error());
    return count;
}

QList<ServerStore::Leaver> ServerStore::leaversBefore(const QString &isoDate)
{
    QList<Leaver> out;
    QSqlQuery q = run(
        QStringLiteral("SELECT id, ref, leaving_date FROM children WHERE erased_at IS NULL"
                       " AND leaving_date IS NOT NULL AND leaving_date != '' AND leaving_date < ?"
                       " ORDER BY leaving_date, ref"),
        { isoDate });
    while (q.next())
        out.append(
            Leaver { q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString() });
    return out;
}

QString ServerStore::leavingDate(qint64 childId)
{
    QSqlQuery q
        = run(QStringLiteral("SELECT leaving_date FROM children WHERE id = ?"), { childId });
    return q.next() ? q.value(0).toString() : QString();
}

Status ServerStore::setLeavingDate(qint64 childId, const QString &isoDate)
{
    return exec(QStringLiteral("UPDATE children SET leaving_date = ? WHERE id = ?"),
        { isoDate.isEmpty() ? QVariant(QMetaType(QMetaType::LongLong)) : QVariant(isoDate),
            childId });
}

Status ServerStore::enableSecureDelete()
{
    // PostgreSQL has no such switch: see docs/postgresql.md on erasure there.
    if (dialect() != SqlDialect::Sqlite)
        return {};
    return exec(QStringLiteral("PRAGMA secure_delete = ON"), {});
}

Status ServerStore::truncateWal()
{
    if (dialect() != SqlDialect::Sqlite)
        return {};
    bool ok = false;
    QSqlQuery q = run(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), {}, &ok);
    // The first column is 1 when another connection kept the checkpoint from finishing.
    if (!ok || !q.next())
        return Status::failure(
            QStringLiteral("the database could not be checkpointed: %1").arg(m_lastError));
    if (q.value(0).toInt() != 0)
        return Status::failure(
            QStringLiteral("the server was reading the database; its log is folded in at the "
                           "next checkpoint"));
    return {};
}

// ------------------------------------------------------------------ audit

Status ServerStore::audit(const QString &actor, const QString &device, const QString &action,
                          const QString &target, const QString &detail, qint64 now)
{
    return execBookkeeping(
        QStringLiteral("INSERT INTO audit (at, actor, device, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)"),
        {now, actor, device, action, target, detail});
}

QList<ServerStore::AuditEntry> ServerStore::auditSince(qint64 sinceMs)
{
    AuditFilter f;
    f.sinceMs = sinceMs;
    return auditEntries(f);
}

bool ServerStore::auditRecorded(const QString &action, const QString &detail)
{
    QSqlQuery q = run(QStringLiteral("SELECT 1 FROM audit WHERE action = ? AND detail = ? LIMIT 1"), {action, detail});
    return q.next();
}

QList<ServerStore::AuditEntry> ServerStore::auditEntries(const AuditFilter &f)
{
    QList<AuditEntry> out;
    // One statement for every filter; an unset one is bound as '' (not NULL, which would
    // match nothing).
    const auto text = [](const QString &v) { return v.isNull() ? QStringLiteral("") : v; };
    QSqlQuery q = run(QStringLiteral("SELECT at, actor, device, action, target, detail FROM audit"
                                     " WHERE at >= ? AND at < ? AND (? = '' OR actor = ?) AND (? = '' OR action = ?)"
                                     " AND (? = '' OR target = ?) ORDER BY id"),
                      {f.sinceMs, f.untilMs, text(f.actor), text(f.actor), text(f.action), text(f.action),
                       text(f.target), text(f.target)});
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                    q.value(4).toString(), q.value(5).toString()});
    return out;
}

// ------------------------------------------------------------------ changes that take a sequence number

Status ServerStore::touchObservations(const QStringList &ids)
{
    return inTransaction(*this, [&] { return touchObservationsLocked(ids); });
}

Status ServerStore::saveObservation(const wire::Observation &content, const QList<qint64> &childIds,
                                    qint64 authorOfRevision, const QString &changeId, qint64 now)
{
    return inTransaction(*this, [&] { return saveObservationLocked(content, childIds, authorOfRevision, changeId, now); });
}

Status ServerStore::saveAssessment(const AssessmentRecord &a, const QString &changeId, const QString &device,
                                   qint64 now)
{
    return inTransaction(*this, [&] { return saveAssessmentLocked(a, changeId, device, now); });
}

} // namespace acorn::server
