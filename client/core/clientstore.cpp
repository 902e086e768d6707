#include "clientstore.h"

#include "logging.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QUuid>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace acorn::client {

namespace {
QAtomicInt s_counter;

QByteArray bytesOf(const google::protobuf::MessageLite &m)
{
    return QByteArray::fromStdString(m.SerializeAsString());
}

template<typename T>
T parse(const QByteArray &b)
{
    T m;
    m.ParseFromArray(b.constData(), static_cast<int>(b.size()));
    return m;
}

QStringList schemaV1()
{
    return {
        QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE outbox (observation_id TEXT PRIMARY KEY, change_id TEXT NOT NULL,"
                       " base_revision INTEGER NOT NULL, payload BLOB NOT NULL,"
                       " state TEXT NOT NULL CHECK (state IN ('pending', 'refused', 'conflict')),"
                       " reason TEXT NOT NULL DEFAULT '', queued_at INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE outbox_media (media_id TEXT NOT NULL, variant INTEGER NOT NULL,"
                       " observation_id TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,"
                       " sha256 BLOB NOT NULL, done INTEGER NOT NULL DEFAULT 0,"
                       " PRIMARY KEY (media_id, variant))"),
        QStringLiteral("CREATE TABLE observations (id TEXT PRIMARY KEY, observed_at INTEGER NOT NULL,"
                       " revision INTEGER NOT NULL, payload BLOB NOT NULL)"),
        QStringLiteral("CREATE INDEX observations_observed ON observations(observed_at)"),
        QStringLiteral("CREATE TABLE observation_children (observation_id TEXT NOT NULL, child_ref TEXT NOT NULL,"
                       " PRIMARY KEY (observation_id, child_ref))"),
        QStringLiteral("CREATE TABLE children (ref TEXT PRIMARY KEY, payload BLOB NOT NULL)"),
        QStringLiteral("CREATE TABLE classes (name TEXT PRIMARY KEY, payload BLOB NOT NULL)"),
    };
}

// Version 2: the assessments pulled from the server, by (child, item, half term).
QStringList schemaV2()
{
    return {QStringLiteral("CREATE TABLE assessments (child_ref TEXT NOT NULL, item_key TEXT NOT NULL,"
                           " half_term TEXT NOT NULL, payload BLOB NOT NULL,"
                           " PRIMARY KEY (child_ref, item_key, half_term))"),
            QStringLiteral("CREATE TABLE assessment_outbox (child_ref TEXT NOT NULL, item_key TEXT NOT NULL,"
                           " half_term TEXT NOT NULL, judgement TEXT NOT NULL, change_id TEXT NOT NULL UNIQUE,"
                           " base_revision INTEGER NOT NULL,"
                           " state TEXT NOT NULL CHECK (state IN ('pending', 'refused', 'conflict')),"
                           " reason TEXT NOT NULL DEFAULT '', queued_at INTEGER NOT NULL,"
                           " PRIMARY KEY (child_ref, item_key, half_term))")};
}

// Version 3: journal views waiting for the server's audit log.
QStringList schemaV3()
{
    return {QStringLiteral("CREATE TABLE journal_views (view_id TEXT PRIMARY KEY, child_ref TEXT NOT NULL,"
                           " viewed_at INTEGER NOT NULL)")};
}

// Version 4 changes no table: the payloads and free text are sealed in place
// (ClientStore::sealExistingRows) and the key check is written.

// Where each sealed value lives: the associated data that binds it to its column and row.
QString place(const char *column, const QString &rowKey)
{
    return QLatin1String(column) + QLatin1Char('/') + rowKey;
}
QString assessmentKey(const QString &child, const QString &item, const QString &halfTerm)
{
    return child + QLatin1Char('/') + item + QLatin1Char('/') + halfTerm;
}
const QString kKeyCheck = QStringLiteral("key_check");
constexpr QByteArrayView kKeyCheckText = "acorn data key check";

} // namespace

ClientStore::~ClientStore()
{
    if (!m_folder.isEmpty())
        atrest::unregisterFolder(m_folder);
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    if (!m_connectionName.isEmpty())
        QSqlDatabase::removeDatabase(m_connectionName);
}

QString StoreRecovery::message() const
{
    return QStringLiteral(
        "The data on this device was damaged (%1), so Acorn started it afresh. %2 unsent "
        "observation(s) and %3 photo or video upload(s) were rescued and will be sent; the "
        "journal is downloaded again at the next sync. The damaged file is kept as %4 for "
        "the school's IT manager.")
        .arg(problem)
        .arg(editsSalvaged)
        .arg(mediaSalvaged)
        .arg(damagedCopy);
}

Result<std::unique_ptr<ClientStore>> ClientStore::open(const QString &path, const DataKey &key)
{
    if (!key.isValid())
        return Result<std::unique_ptr<ClientStore>>::failure(QStringLiteral(
            "this device's data cannot be opened without its data key (kept in the keychain)"));
    QString damage;
    auto opened = openChecked(path, key, &damage);
    if (opened || damage.isEmpty())
        return opened;
    qCWarning(lcClientStore) << "the local store is damaged:" << damage;
    return recover(path, key, damage);
}

bool ClientStore::holdsSealedData(const QString &path)
{
    if (path == QLatin1String(":memory:") || !QFileInfo::exists(path))
        return false;
    int version = -1;
    const QString name = QStringLiteral("acorn-probe-%1").arg(s_counter.fetchAndAddRelaxed(1));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
                version = q.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    // Unreadable counts as sealed: a missing key is then an error, never a new key.
    return version < 0 || version >= 4;
}

QByteArray ClientStore::seal(QByteArrayView plain, const QString &where) const
{
    return atrest::seal(m_key, plain, where.toUtf8());
}

std::optional<QByteArray> ClientStore::unseal(const QVariant &stored, const QString &where) const
{
    auto plain = atrest::open(m_key, stored.toByteArray(), where.toUtf8());
    if (!plain) {
        // No personal data in the log: where it was, not what.
        qCWarning(lcClientStore) << "a stored value does not open:" << where.section(u'/', 0, 0)
                                 << plain.error();
        return std::nullopt;
    }
    return std::move(plain).value();
}

QString ClientStore::unsealText(const QVariant &stored, const QString &where) const
{
    if (stored.toByteArray().isEmpty())
        return {};
    return QString::fromUtf8(unseal(stored, where).value_or(QByteArray()));
}

QVariant ClientStore::sealText(const QString &text, const QString &where) const
{
    // An empty reason stays '' (the column's default): nothing to hide.
    return text.isEmpty() ? QVariant(QStringLiteral("")) : QVariant(seal(text.toUtf8(), where));
}

Result<std::unique_ptr<ClientStore>> ClientStore::recover(
    const QString &path, const DataKey &key, const QString &problem)
{
    using R = Result<std::unique_ptr<ClientStore>>;
    // Set the damaged file (and its write-ahead log, which may hold the latest edits) aside.
    const QString damaged
        = QStringLiteral("%1.damaged-%2")
              .arg(path,
                  QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddThhmmss")));
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") }) {
        if (QFileInfo::exists(path + suffix) && !QFile::rename(path + suffix, damaged + suffix))
            return R::failure(QStringLiteral(
                "the data on this device is damaged (%1) and could not be set aside: "
                "move %2 away and start Acorn again")
                                  .arg(problem, path));
    }
    // Read whatever the outbox still gives, row by row, from the damaged copy.
    QList<QVariantList> edits;
    QList<QVariantList> media;
    QList<QVariantList> settings;
    int oldVersion = 0;
    const QString name = QStringLiteral("acorn-salvage-%1").arg(s_counter.fetchAndAddRelaxed(1));
    {
        QSqlDatabase old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        old.setDatabaseName(damaged);
        if (old.open()) {
            QSqlQuery v(old);
            if (v.exec(QStringLiteral("PRAGMA user_version")) && v.next())
                oldVersion = v.value(0).toInt();
            const struct
            {
                const char *sql;
                int columns;
                QList<QVariantList> *rows;
            } tables[] = {
                { "SELECT observation_id, change_id, base_revision, payload, state, reason, "
                  "queued_at FROM outbox",
                    7, &edits },
                { "SELECT media_id, variant, observation_id, path, size, sha256, done FROM "
                  "outbox_media",
                    7, &media },
                // Settings other than the sync position: the cache starts again from nothing.
                // The key check is the fresh store's own.
                { "SELECT key, value FROM settings WHERE key NOT IN ('cursor', 'key_check')", 2,
                    &settings },
            };
            for (const auto &t : tables) {
                QSqlQuery q(old);
                q.setForwardOnly(true);
                if (!q.exec(QString::fromLatin1(t.sql)))
                    continue;
                while (q.next()) {
                    QVariantList row;
                    for (int c = 0; c < t.columns; ++c)
                        row.append(q.value(c));
                    t.rows->append(row);
                }
            }
            old.close();
        }
    }
    QSqlDatabase::removeDatabase(name);

    QString again;
    auto fresh = openChecked(path, key, &again);
    if (!fresh)
        return R::failure(
            QStringLiteral("the data on this device was damaged (%1) and a new store could not be "
                           "made: %2")
                .arg(problem, fresh.error()));
    ClientStore &store = *fresh.value();
    StoreRecovery recovery;
    recovery.problem = problem;
    recovery.damagedCopy = damaged;
    store.m_db.transaction();
    for (QVariantList row : edits) {
        // Sealed rows move as they are (same key, same row keys); rows of a store from before
        // encryption are sealed on the way.
        if (oldVersion < 4) {
            const QString id = row.value(0).toString();
            row[3] = store.seal(row.value(3).toByteArray(), place("outbox", id));
            row[5] = store.sealText(row.value(5).toString(), place("outbox.reason", id));
        }
        if (store.exec(QStringLiteral("INSERT OR IGNORE INTO outbox (observation_id, change_id, "
                                      "base_revision, payload, "
                                      "state, reason, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                row))
            ++recovery.editsSalvaged;
    }
    for (const QVariantList &row : media) {
        if (store.exec(
                QStringLiteral(
                    "INSERT OR IGNORE INTO outbox_media (media_id, variant, observation_id, path, "
                    "size, sha256, done) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                row)
            && !row.value(6).toBool())
            ++recovery.mediaSalvaged;
    }
    for (QVariantList row : settings) {
        if (oldVersion < 4)
            row[1] = store.sealText(row.value(1).toString(), place("settings", row.value(0).toString()));
        store.exec(
            QStringLiteral("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"), row);
    }
    if (!store.m_db.commit())
        return R::failure(QStringLiteral("the rescued outbox could not be saved: %1")
                              .arg(store.m_db.lastError().text()));
    store.m_recovery = recovery;
    qCWarning(lcClientStore) << "local store replaced; rescued" << recovery.editsSalvaged
                             << "edits and" << recovery.mediaSalvaged << "uploads";
    return fresh;
}

Result<std::unique_ptr<ClientStore>> ClientStore::openChecked(
    const QString &path, const DataKey &key, QString *damage)
{
    using R = Result<std::unique_ptr<ClientStore>>;
    QDir().mkpath(QFileInfo(path).path());
    std::unique_ptr<ClientStore> s(new ClientStore);
    s->m_key = key;
    s->m_connectionName = QStringLiteral("acorn-client-%1").arg(s_counter.fetchAndAddRelaxed(1));
    s->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), s->m_connectionName);
    s->m_db.setDatabaseName(path);
    s->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!s->m_db.open())
        return R::failure(QStringLiteral("cannot open the local store %1: %2").arg(path, s->m_db.lastError().text()));
    QSqlQuery q(s->m_db);
    // secure_delete: a deleted or replaced row is overwritten, not left in a free page.
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
                               "PRAGMA secure_delete=ON"}) {
        if (!q.exec(QString::fromLatin1(pragma))) {
            // SQLITE_NOTADB (26) or SQLITE_CORRUPT (11): the file is damaged, not busy.
            const QString code = q.lastError().nativeErrorCode();
            if (code == QLatin1String("26") || code == QLatin1String("11"))
                *damage = q.lastError().databaseText();
            return R::failure(QStringLiteral("the local store %1 is not usable: %2").arg(path, q.lastError().text()));
        }
    }
    // A file damaged by a failing card or a power cut is found now, not half-way through a sync.
    if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next()) {
        const QString code = q.lastError().nativeErrorCode();
        if (code == QLatin1String("26") || code == QLatin1String("11"))
            *damage = q.lastError().databaseText();
        return R::failure(QStringLiteral("the local store %1 cannot be checked: %2")
                              .arg(path, q.lastError().text()));
    }
    if (q.value(0).toString() != QLatin1String("ok")) {
        // The first report, without SQLite's "*** in database main ***" heading.
        *damage = q.value(0)
                      .toString()
                      .remove(QStringLiteral("*** in database main ***"))
                      .simplified()
                      .left(200);
        return R::failure(*damage);
    }
    q.finish();
    if (Status st = s->migrate(); !st)
        return R::failure(st.error());
    if (Status st = s->checkKey(); !st)
        return R::failure(st.error());
    // The profile's files (outbox/, media/) open with the same key while the store is open.
    if (path != QLatin1String(":memory:")) {
        s->m_folder = QFileInfo(path).absolutePath();
        atrest::registerFolder(s->m_folder, key);
    }
    return R(std::move(s));
}

Status ClientStore::migrate()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return Status::failure(QStringLiteral("the local store cannot be read: %1").arg(q.lastError().text()));
    const int version = q.value(0).toInt();
    if (version > kSchemaVersion)
        return Status::failure(QStringLiteral("this device's data was written by a newer version of Acorn "
                                              "(schema %1, this app knows %2): please update the app")
                                   .arg(version)
                                   .arg(kSchemaVersion));
    if (version == kSchemaVersion)
        return {};
    if (!m_db.transaction())
        return Status::failure(m_db.lastError().text());
    QStringList steps;
    if (version < 1)
        steps += schemaV1();
    if (version < 2)
        steps += schemaV2();
    if (version < 3)
        steps += schemaV3();
    for (const QString &s : steps) {
        if (!q.exec(s)) {
            const QString err = q.lastError().text();
            m_db.rollback();
            return Status::failure(QStringLiteral("the local store could not be upgraded: %1").arg(err));
        }
    }
    // Version 4: what an older store holds in plain text is sealed in place.
    if (version >= 1 && version < 4) {
        if (Status s = sealExistingRows(); !s) {
            m_db.rollback();
            return Status::failure(QStringLiteral("the local store could not be encrypted: %1").arg(s.error()));
        }
    }
    if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion))) {
        const QString err = q.lastError().text();
        m_db.rollback();
        return Status::failure(QStringLiteral("the local store could not be upgraded: %1").arg(err));
    }
    if (!m_db.commit())
        return Status::failure(m_db.lastError().text());
    if (version >= 1 && version < 4) {
        // The plain text of the old rows may still sit in the write-ahead log and in free
        // pages: fold the log in, empty it, and rewrite the file.
        q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        if (!q.exec(QStringLiteral("VACUUM")))
            qCWarning(lcClientStore) << "VACUUM after encrypting failed:" << q.lastError().text();
        q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        qCInfo(lcClientStore) << "the local store was encrypted (schema" << version << "to 4)";
        // The media files the device kept before (queued uploads, downloads) are sealed too.
        const QString folder = QFileInfo(m_db.databaseName()).absolutePath();
        for (const QString &sub : { QStringLiteral("outbox"), QStringLiteral("media") }) {
            const auto sealed = sealPlainFiles(folder + u'/' + sub, m_key);
            if (!sealed)
                return Status::failure(QStringLiteral("the media files on this device could not be encrypted: %1")
                                           .arg(sealed.error()));
            if (sealed.value() > 0)
                qCInfo(lcClientStore) << "sealed" << sealed.value() << "media files in" << sub;
        }
    }
    return {};
}

Status ClientStore::sealExistingRows()
{
    // One column of one table: rows read by their key, each value sealed for its place.
    struct Column
    {
        const char *select; // row key first, then the value
        const char *update; // value, then the row key columns
        const char *placeName;
        bool text;
    };
    const Column columns[] = {
        { "SELECT observation_id, payload FROM outbox", "UPDATE outbox SET payload = ? WHERE observation_id = ?",
          "outbox", false },
        { "SELECT observation_id, reason FROM outbox WHERE reason <> ''",
          "UPDATE outbox SET reason = ? WHERE observation_id = ?", "outbox.reason", true },
        { "SELECT id, payload FROM observations", "UPDATE observations SET payload = ? WHERE id = ?", "observations",
          false },
        { "SELECT ref, payload FROM children", "UPDATE children SET payload = ? WHERE ref = ?", "children", false },
        { "SELECT name, payload FROM classes", "UPDATE classes SET payload = ? WHERE name = ?", "classes", false },
        { "SELECT change_id, judgement FROM assessment_outbox",
          "UPDATE assessment_outbox SET judgement = ? WHERE change_id = ?", "assessment_outbox", true },
        { "SELECT change_id, reason FROM assessment_outbox WHERE reason <> ''",
          "UPDATE assessment_outbox SET reason = ? WHERE change_id = ?", "assessment_outbox.reason", true },
        { "SELECT key, value FROM settings WHERE value <> ''", "UPDATE settings SET value = ? WHERE key = ?",
          "settings", true },
    };
    for (const Column &c : columns) {
        QList<QPair<QString, QByteArray>> rows;
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (!q.exec(QString::fromLatin1(c.select)))
            return Status::failure(q.lastError().text());
        while (q.next())
            rows.append({ q.value(0).toString(),
                c.text ? q.value(1).toString().toUtf8() : q.value(1).toByteArray() });
        q.finish();
        for (const auto &[key, value] : rows) {
            if (Status s = exec(QString::fromLatin1(c.update), { seal(value, place(c.placeName, key)), key }); !s)
                return s;
        }
    }
    // Assessments have a three-part key.
    QList<QStringList> keys;
    QList<QByteArray> values;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT child_ref, item_key, half_term, payload FROM assessments")))
        return Status::failure(q.lastError().text());
    while (q.next()) {
        keys.append({ q.value(0).toString(), q.value(1).toString(), q.value(2).toString() });
        values.append(q.value(3).toByteArray());
    }
    q.finish();
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QStringList &k = keys.at(i);
        if (Status s = exec(QStringLiteral("UPDATE assessments SET payload = ? WHERE child_ref = ? AND item_key = ? "
                                           "AND half_term = ?"),
                            { seal(values.at(i), place("assessments", assessmentKey(k[0], k[1], k[2]))), k[0], k[1],
                              k[2] });
            !s)
            return s;
    }
    return {};
}

Status ClientStore::checkKey()
{
    const QString where = place("settings", kKeyCheck);
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(kKeyCheck);
    if (!q.exec())
        return Status::failure(QStringLiteral("the local store cannot be read: %1").arg(q.lastError().text()));
    const QByteArray stored = q.next() ? q.value(0).toByteArray() : QByteArray();
    q.finish();
    if (stored.isEmpty())
        return exec(QStringLiteral("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"),
                    { kKeyCheck, seal(kKeyCheckText, where) });
    const auto opened = atrest::open(m_key, stored, where.toUtf8());
    if (!opened || *opened != kKeyCheckText.toByteArray())
        return Status::failure(QStringLiteral(
            "the data on this device is encrypted with another key than the one in this device's "
            "keychain, so it cannot be opened. Nothing was changed or deleted: restore the "
            "keychain this device had, or ask the school's IT manager (%1)")
                                   .arg(QFileInfo(m_db.databaseName()).fileName()));
    return {};
}

Status ClientStore::exec(const QString &sql, const QVariantList &binds)
{
    QSqlQuery q(m_db);
    if (!q.prepare(sql))
        return Status::failure(QStringLiteral("local store: %1").arg(q.lastError().text()));
    for (const QVariant &v : binds)
        q.addBindValue(v);
    if (!q.exec()) {
        qCWarning(lcClientStore) << "statement failed:" << sql.left(50) << q.lastError().text();
        return Status::failure(QStringLiteral("the device could not save: %1").arg(q.lastError().text()));
    }
    return {};
}

// ------------------------------------------------------------------ outbox

Status ClientStore::queue(const OutboxItem &item, const QList<OutboxMedia> &media)
{
    if (!m_db.transaction())
        return Status::failure(m_db.lastError().text());
    Status s = exec(QStringLiteral("INSERT INTO outbox (observation_id, change_id, base_revision, payload, state, reason, "
                                   "queued_at) VALUES (?, ?, ?, ?, 'pending', '', ?) ON CONFLICT(observation_id) DO UPDATE "
                                   "SET change_id = excluded.change_id, payload = excluded.payload, state = 'pending', "
                                   "reason = '', queued_at = excluded.queued_at"),
                    {QString::fromStdString(item.observation.id()), item.changeId,
                     static_cast<qint64>(item.baseRevision),
                     seal(bytesOf(item.observation), place("outbox", QString::fromStdString(item.observation.id()))),
                     item.queuedAt});
    for (const OutboxMedia &m : media) {
        if (!s)
            break;
        s = exec(QStringLiteral("INSERT OR REPLACE INTO outbox_media (media_id, variant, observation_id, path, size, "
                                "sha256, done) VALUES (?, ?, ?, ?, ?, ?, 0)"),
                 {m.mediaId, m.variant, m.observationId, m.path, m.size, m.sha256});
    }
    if (!s || !m_db.commit()) {
        m_db.rollback();
        return s ? Status::failure(m_db.lastError().text()) : s;
    }
    return {};
}

// One outbox row (payload, change_id, base_revision, state, reason, queued_at,
// observation_id); nothing when its payload does not open.
std::optional<OutboxItem> ClientStore::outboxFrom(const QSqlQuery &q) const
{
    const QString id = q.value(6).toString();
    const auto payload = unseal(q.value(0), place("outbox", id));
    if (!payload)
        return std::nullopt;
    OutboxItem i;
    i.observation = parse<wire::Observation>(*payload);
    i.changeId = q.value(1).toString();
    i.baseRevision = q.value(2).toULongLong();
    i.state = q.value(3).toString();
    i.reason = unsealText(q.value(4), place("outbox.reason", id));
    i.queuedAt = q.value(5).toLongLong();
    return i;
}

QList<OutboxItem> ClientStore::outbox()
{
    QList<OutboxItem> out;
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("SELECT payload, change_id, base_revision, state, reason, queued_at, observation_id "
                          "FROM outbox ORDER BY queued_at"));
    while (q.next()) {
        if (auto item = outboxFrom(q))
            out.append(*item);
    }
    return out;
}

std::optional<OutboxItem> ClientStore::outboxItem(const QString &observationId)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT payload, change_id, base_revision, state, reason, queued_at, observation_id "
                             "FROM outbox WHERE observation_id = ?"));
    q.addBindValue(observationId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return outboxFrom(q);
}

Status ClientStore::markOutcome(const QString &observationId, const QString &changeId, const QString &state,
                                const QString &reason)
{
    return exec(QStringLiteral("UPDATE outbox SET state = ?, reason = ? WHERE observation_id = ? AND change_id = ?"),
                {state, sealText(reason, place("outbox.reason", observationId)), observationId, changeId});
}

Status ClientStore::removeFromOutbox(const QString &observationId, const QString &changeId)
{
    // Only the change that was accepted: a newer local edit made meanwhile stays queued.
    return exec(QStringLiteral("DELETE FROM outbox WHERE observation_id = ? AND change_id = ?"), {observationId, changeId});
}

QList<OutboxMedia> ClientStore::pendingMedia()
{
    QList<OutboxMedia> out;
    QSqlQuery q(m_db);
    // Media waits until its observation has been accepted (the server must know it first).
    q.exec(QStringLiteral("SELECT media_id, observation_id, variant, path, size, sha256 FROM outbox_media m "
                          "WHERE done = 0 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.observation_id = "
                          "m.observation_id) ORDER BY variant DESC, media_id"));
    while (q.next()) {
        OutboxMedia m;
        m.mediaId = q.value(0).toString();
        m.observationId = q.value(1).toString();
        m.variant = q.value(2).toInt();
        m.path = q.value(3).toString();
        m.size = q.value(4).toLongLong();
        m.sha256 = q.value(5).toByteArray();
        out.append(m);
    }
    return out;
}

Status ClientStore::markMediaDone(const QString &mediaId, int variant)
{
    return exec(QStringLiteral("UPDATE outbox_media SET done = 1 WHERE media_id = ? AND variant = ?"), {mediaId, variant});
}

QList<OutboxMedia> ClientStore::confirmedOriginals()
{
    QList<OutboxMedia> out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT media_id, observation_id, path FROM outbox_media WHERE done = 1 AND variant = ?"));
    q.addBindValue(static_cast<int>(wire::ORIGINAL));
    q.exec();
    while (q.next()) {
        OutboxMedia m;
        m.mediaId = q.value(0).toString();
        m.observationId = q.value(1).toString();
        m.variant = wire::ORIGINAL;
        m.path = q.value(2).toString();
        m.done = true;
        out.append(m);
    }
    return out;
}

// ------------------------------------------------------------------ cache

Status ClientStore::cacheObservation(const wire::Observation &o)
{
    const QString id = QString::fromStdString(o.id());
    Status s = exec(QStringLiteral("INSERT OR REPLACE INTO observations (id, observed_at, revision, payload) VALUES (?, ?, ?, ?)"),
                    {id, static_cast<qint64>(o.observed_at_ms()), static_cast<qint64>(o.revision()),
                     seal(bytesOf(o), place("observations", id))});
    if (s)
        s = exec(QStringLiteral("DELETE FROM observation_children WHERE observation_id = ?"), {id});
    for (const std::string &ref : o.child_refs()) {
        if (!s)
            break;
        s = exec(QStringLiteral("INSERT OR IGNORE INTO observation_children (observation_id, child_ref) VALUES (?, ?)"),
                 {id, QString::fromStdString(ref)});
    }
    return s;
}

Status ClientStore::applyPull(const wire::PullReply &page)
{
    if (!m_db.transaction())
        return Status::failure(m_db.lastError().text());
    Status s;
    for (const wire::Observation &o : page.observations()) {
        if (s)
            s = cacheObservation(o);
    }
    for (const std::string &id : page.removed_ids()) {
        if (s)
            s = exec(QStringLiteral("DELETE FROM observations WHERE id = ?"), {QString::fromStdString(id)});
        if (s)
            s = exec(QStringLiteral("DELETE FROM observation_children WHERE observation_id = ?"), {QString::fromStdString(id)});
    }
    // A reset replaces the whole set (the user's scope or parent visibility changed).
    if (s && page.assessments_reset())
        s = exec(QStringLiteral("DELETE FROM assessments"), {});
    for (const wire::Assessment &a : page.assessments()) {
        if (s)
            s = cacheAssessment(a);
    }
    if (s && page.roster_changed()) {
        s = exec(QStringLiteral("DELETE FROM children"), {});
        for (const wire::Child &c : page.children()) {
            if (s)
                s = exec(QStringLiteral("INSERT OR REPLACE INTO children (ref, payload) VALUES (?, ?)"),
                         {QString::fromStdString(c.ref()), seal(bytesOf(c), place("children", QString::fromStdString(c.ref())))});
        }
    }
    if (s && page.classes_size() > 0) {
        s = exec(QStringLiteral("DELETE FROM classes"), {});
        for (const wire::ClassInfo &c : page.classes()) {
            if (s)
                s = exec(QStringLiteral("INSERT OR REPLACE INTO classes (name, payload) VALUES (?, ?)"),
                         {QString::fromStdString(c.name()),
                          seal(bytesOf(c), place("classes", QString::fromStdString(c.name())))});
        }
    }
    if (s && !page.school_time_zone().empty())
        s = setSetting(QStringLiteral("school_time_zone"), QString::fromStdString(page.school_time_zone()));
    if (s && page.calendar_size() > 0) {
        wire::PullReply calendarOnly; // the calendar kept as one serialised message
        *calendarOnly.mutable_calendar() = page.calendar();
        s = setSetting(QStringLiteral("calendar"), QString::fromLatin1(bytesOf(calendarOnly).toBase64()));
    }
    if (s)
        s = setSetting(QStringLiteral("cursor"),
                       QString::fromLatin1(QByteArray::fromStdString(page.next_cursor()).toBase64()));
    if (!s || !m_db.commit()) {
        m_db.rollback();
        return s ? Status::failure(m_db.lastError().text()) : s;
    }
    return {};
}

QList<wire::Observation> ClientStore::journal(const QString &childRef)
{
    QList<wire::Observation> out;
    QSqlQuery q(m_db);
    if (childRef.isEmpty()) {
        q.exec(QStringLiteral("SELECT payload, id FROM observations ORDER BY observed_at DESC, id"));
    } else {
        q.prepare(QStringLiteral("SELECT o.payload, o.id FROM observations o JOIN observation_children c ON "
                                 "c.observation_id = o.id WHERE c.child_ref = ? ORDER BY o.observed_at DESC, o.id"));
        q.addBindValue(childRef);
        q.exec();
    }
    while (q.next()) {
        if (const auto payload = unseal(q.value(0), place("observations", q.value(1).toString())))
            out.append(parse<wire::Observation>(*payload));
    }
    return out;
}

std::optional<wire::Observation> ClientStore::cached(const QString &id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT payload FROM observations WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    const auto payload = unseal(q.value(0), place("observations", id));
    if (!payload)
        return std::nullopt;
    return parse<wire::Observation>(*payload);
}

QList<wire::Child> ClientStore::roster()
{
    QList<wire::Child> out;
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("SELECT payload, ref FROM children ORDER BY ref"));
    while (q.next()) {
        if (const auto payload = unseal(q.value(0), place("children", q.value(1).toString())))
            out.append(parse<wire::Child>(*payload));
    }
    return out;
}

QList<wire::Assessment> ClientStore::assessments(const QString &childRef)
{
    QList<wire::Assessment> out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT payload, child_ref, item_key, half_term FROM assessments WHERE ? = '' OR child_ref = ?"
                             " ORDER BY child_ref, half_term, item_key"));
    q.addBindValue(childRef.isNull() ? QStringLiteral("") : childRef);
    q.addBindValue(childRef.isNull() ? QStringLiteral("") : childRef);
    q.exec();
    while (q.next()) {
        const QString key = assessmentKey(q.value(1).toString(), q.value(2).toString(), q.value(3).toString());
        if (const auto payload = unseal(q.value(0), place("assessments", key)))
            out.append(parse<wire::Assessment>(*payload));
    }
    return out;
}

Status ClientStore::cacheAssessment(const wire::Assessment &a)
{
    return exec(QStringLiteral("INSERT OR REPLACE INTO assessments (child_ref, item_key, half_term, payload)"
                               " VALUES (?, ?, ?, ?)"),
                {QString::fromStdString(a.child_ref()), QString::fromStdString(a.item_key()),
                 QString::fromStdString(a.half_term()),
                 seal(bytesOf(a), place("assessments", assessmentKey(QString::fromStdString(a.child_ref()),
                                                                      QString::fromStdString(a.item_key()),
                                                                      QString::fromStdString(a.half_term()))))});
}

Status ClientStore::queueAssessment(const AssessmentEdit &edit)
{
    const wire::Assessment &a = edit.assessment;
    return exec(QStringLiteral("INSERT OR REPLACE INTO assessment_outbox (child_ref, item_key, half_term, judgement,"
                               " change_id, base_revision, state, reason, queued_at)"
                               " VALUES (?, ?, ?, ?, ?, ?, 'pending', '', ?)"),
                {QString::fromStdString(a.child_ref()), QString::fromStdString(a.item_key()),
                 QString::fromStdString(a.half_term()),
                 seal(QByteArray::fromStdString(a.judgement()), place("assessment_outbox", edit.changeId)), edit.changeId,
                 static_cast<qint64>(edit.baseRevision), edit.queuedAt});
}

Status ClientStore::recordJournalView(const QString &childRef, qint64 atMs)
{
    return exec(QStringLiteral("INSERT INTO journal_views (view_id, child_ref, viewed_at) VALUES (?, ?, ?)"),
                {QUuid::createUuid().toString(QUuid::WithoutBraces), childRef, atMs});
}

QList<wire::JournalView> ClientStore::pendingJournalViews(int limit)
{
    QList<wire::JournalView> out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT view_id, child_ref, viewed_at FROM journal_views ORDER BY viewed_at, view_id LIMIT ?"));
    q.addBindValue(limit);
    q.exec();
    while (q.next()) {
        wire::JournalView v;
        v.set_view_id(q.value(0).toString().toStdString());
        v.set_child_ref(q.value(1).toString().toStdString());
        v.set_viewed_at_ms(q.value(2).toLongLong());
        out.append(v);
    }
    return out;
}

Status ClientStore::forgetJournalViews(const QStringList &viewIds)
{
    for (const QString &id : viewIds) {
        if (Status s = exec(QStringLiteral("DELETE FROM journal_views WHERE view_id = ?"), {id}); !s)
            return s;
    }
    return {};
}

QList<AssessmentEdit> ClientStore::assessmentOutbox()
{
    QList<AssessmentEdit> out;
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("SELECT child_ref, item_key, half_term, judgement, change_id, base_revision, state, reason,"
                          " queued_at FROM assessment_outbox ORDER BY queued_at, change_id"));
    while (q.next()) {
        AssessmentEdit e;
        e.assessment.set_child_ref(q.value(0).toString().toStdString());
        e.assessment.set_item_key(q.value(1).toString().toStdString());
        e.assessment.set_half_term(q.value(2).toString().toStdString());
        e.changeId = q.value(4).toString();
        const auto judgement = unseal(q.value(3), place("assessment_outbox", e.changeId));
        if (!judgement)
            continue;
        e.assessment.set_judgement(judgement->toStdString());
        e.baseRevision = q.value(5).toULongLong();
        e.state = q.value(6).toString();
        e.reason = unsealText(q.value(7), place("assessment_outbox.reason", e.changeId));
        e.queuedAt = q.value(8).toLongLong();
        out.append(e);
    }
    return out;
}

Status ClientStore::markAssessmentOutcome(const QString &changeId, const QString &state, const QString &reason)
{
    return exec(QStringLiteral("UPDATE assessment_outbox SET state = ?, reason = ? WHERE change_id = ?"),
                {state, sealText(reason, place("assessment_outbox.reason", changeId)), changeId});
}

Status ClientStore::removeAssessmentFromOutbox(const QString &changeId)
{
    return exec(QStringLiteral("DELETE FROM assessment_outbox WHERE change_id = ?"), {changeId});
}

QList<wire::ClassInfo> ClientStore::classes()
{
    QList<wire::ClassInfo> out;
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("SELECT payload, name FROM classes ORDER BY name"));
    while (q.next()) {
        if (const auto payload = unseal(q.value(0), place("classes", q.value(1).toString())))
            out.append(parse<wire::ClassInfo>(*payload));
    }
    return out;
}

QString ClientStore::schoolTimeZone()
{
    return setting(QStringLiteral("school_time_zone"));
}

QList<wire::HalfTermInfo> ClientStore::calendar()
{
    const auto holder = parse<wire::PullReply>(QByteArray::fromBase64(setting(QStringLiteral("calendar")).toLatin1()));
    return QList<wire::HalfTermInfo>(holder.calendar().begin(), holder.calendar().end());
}

QByteArray ClientStore::cursor()
{
    return QByteArray::fromBase64(setting(QStringLiteral("cursor")).toLatin1());
}

QString ClientStore::setting(const QString &key)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return {};
    return unsealText(q.value(0), place("settings", key));
}

Status ClientStore::setSetting(const QString &key, const QString &value)
{
    return exec(QStringLiteral("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"),
                {key, sealText(value, place("settings", key))});
}

// ------------------------------------------------------------------ staff app

QHash<QString, int> ClientStore::observationCounts(qint64 fromMs, qint64 toMs)
{
    QHash<QString, QSet<QString>> ids; // child -> observation ids
    QSet<QString> queued;
    for (const OutboxItem &item : outbox()) {
        const QString id = QString::fromStdString(item.observation.id());
        queued.insert(id);
        const qint64 at = item.observation.observed_at_ms();
        if (item.observation.deleted() || at < fromMs || at >= toMs)
            continue;
        for (const std::string &ref : item.observation.child_refs())
            ids[QString::fromStdString(ref)].insert(id);
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT o.id, c.child_ref, o.payload FROM observations o JOIN observation_children c "
                             "ON c.observation_id = o.id WHERE o.observed_at >= ? AND o.observed_at < ?"));
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    q.exec();
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (queued.contains(id))
            continue;
        const auto payload = unseal(q.value(2), place("observations", id));
        if (!payload || parse<wire::Observation>(*payload).deleted())
            continue;
        ids[q.value(1).toString()].insert(id);
    }
    QHash<QString, int> out;
    for (auto it = ids.cbegin(); it != ids.cend(); ++it)
        out.insert(it.key(), static_cast<int>(it.value().size()));
    return out;
}

Status ClientStore::requeueOnto(const QString &observationId, const QString &newChangeId, quint64 baseRevision)
{
    return exec(QStringLiteral("UPDATE outbox SET change_id = ?, base_revision = ?, state = 'pending', reason = '' "
                               "WHERE observation_id = ?"),
                {newChangeId, static_cast<qint64>(baseRevision), observationId});
}

Result<QStringList> ClientStore::discardOutboxItem(const QString &observationId)
{
    using R = Result<QStringList>;
    QStringList files;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT path FROM outbox_media WHERE observation_id = ? AND done = 0"));
    q.addBindValue(observationId);
    if (!q.exec())
        return R::failure(QStringLiteral("local store: %1").arg(q.lastError().text()));
    while (q.next())
        files.append(q.value(0).toString());
    if (!m_db.transaction())
        return R::failure(m_db.lastError().text());
    Status s = exec(QStringLiteral("DELETE FROM outbox WHERE observation_id = ?"), {observationId});
    if (s)
        s = exec(QStringLiteral("DELETE FROM outbox_media WHERE observation_id = ? AND done = 0"), {observationId});
    if (!s || !m_db.commit()) {
        m_db.rollback();
        return R::failure(s ? m_db.lastError().text() : s.error());
    }
    return files;
}

QString ClientStore::queuedMediaPath(const QString &mediaId, int variant)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT path FROM outbox_media WHERE media_id = ? AND variant = ?"));
    q.addBindValue(mediaId);
    q.addBindValue(variant);
    if (!q.exec() || !q.next())
        return {};
    return q.value(0).toString();
}

} // namespace acorn::client
