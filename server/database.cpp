#include "database.h"

#include "logging.h"
#include "schema.h"

#include <QAtomicInt>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace acorn::server {

namespace {
QAtomicInt s_connectionCounter;

QString sqlError(const QSqlQuery &q)
{
    return q.lastError().text();
}
} // namespace

Database::~Database()
{
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    if (!m_connectionName.isEmpty())
        QSqlDatabase::removeDatabase(m_connectionName);
}

int Database::latestSchemaVersion()
{
    return schema::latestVersion();
}

Result<std::unique_ptr<Database>> Database::openSqlite(const QString &path, bool create)
{
    using R = Result<std::unique_ptr<Database>>;
    if (!create && !QFileInfo::exists(path))
        return R::failure(QStringLiteral("no school database at %1: run 'acorn-server init' first").arg(path));

    std::unique_ptr<Database> d(new Database);
    d->m_connectionName = QStringLiteral("acorn-server-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1));
    d->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), d->m_connectionName);
    d->m_db.setDatabaseName(path);
    d->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!d->m_db.open())
        return R::failure(QStringLiteral("cannot open the database %1: %2").arg(path, d->m_db.lastError().text()));

    QSqlQuery q(d->m_db);
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                               "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=10000"}) {
        if (!q.exec(QString::fromLatin1(pragma)))
            return R::failure(QStringLiteral("cannot prepare the database %1 (%2): %3")
                                  .arg(path, QString::fromLatin1(pragma), sqlError(q)));
    }
    if (Status s = d->migrate(); !s)
        return R::failure(s.error());
    return R(std::move(d));
}

Status Database::migrate()
{
    QSqlQuery q(m_db);
    int version = 0;
    if (q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")) && q.next())
        version = q.value(0).toInt();
    const int latest = schema::latestVersion();
    if (version > latest) {
        return Status::failure(
            QStringLiteral("this database was written by a newer version of Acorn (schema %1; this "
                           "server knows up to %2). Install the newer acorn-server again, or "
                           "restore a backup made by this version.")
                .arg(version)
                .arg(latest));
    }
    if (version == latest) {
        m_schemaVersion = version;
        return {};
    }
    if (!m_db.transaction())
        return Status::failure(QStringLiteral("cannot start the migration: %1").arg(m_db.lastError().text()));
    for (int to = version + 1; to <= latest; ++to) {
        for (const QString &statement : schema::migrationStep(to)) {
            if (!q.exec(statement)) {
                const QString err = sqlError(q);
                m_db.rollback();
                return Status::failure(
                    QStringLiteral("database migration to schema %1 failed, nothing was changed: %2")
                        .arg(to)
                        .arg(err));
            }
        }
        qCInfo(lcServerStore) << "migrated database to schema" << to;
    }
    q.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(QString::number(latest));
    if (!q.exec() || !m_db.commit()) {
        const QString err = sqlError(q);
        m_db.rollback();
        return Status::failure(QStringLiteral("database migration failed, nothing was changed: %1").arg(err));
    }
    m_schemaVersion = latest;
    return {};
}

} // namespace acorn::server
