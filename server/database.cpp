#include "database.h"

#include "logging.h"
#include "schema.h"

#include <QAtomicInt>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

namespace acorn::server {

namespace {
QAtomicInt s_connectionCounter;

QString sqlError(const QSqlQuery &q)
{
    return q.lastError().text();
}

// libpq connection keywords a URL may carry; anything else is refused rather than ignored.
const QStringList &postgresKeywords()
{
    static const QStringList k{QStringLiteral("sslmode"),         QStringLiteral("sslrootcert"),
                               QStringLiteral("sslcert"),         QStringLiteral("sslkey"),
                               QStringLiteral("sslcrl"),          QStringLiteral("connect_timeout"),
                               QStringLiteral("application_name"), QStringLiteral("target_session_attrs"),
                               QStringLiteral("keepalives"),      QStringLiteral("keepalives_idle"),
                               QStringLiteral("channel_binding"), QStringLiteral("gssencmode")};
    return k;
}
} // namespace

// ------------------------------------------------------------------ location

DatabaseLocation DatabaseLocation::sqlite(const QString &path)
{
    DatabaseLocation l;
    l.dialect = SqlDialect::Sqlite;
    l.sqlitePath = QFileInfo(path).absoluteFilePath();
    return l;
}

Result<DatabaseLocation> DatabaseLocation::parse(const QString &url, const QString &baseDir)
{
    using R = Result<DatabaseLocation>;
    const QString text = url.trimmed();
    if (text.startsWith(QLatin1String("sqlite:"))) {
        const QString path = text.mid(7);
        if (path.isEmpty())
            return R::failure(QStringLiteral("database url '%1' names no file").arg(text));
        return sqlite(QDir(baseDir).absoluteFilePath(path));
    }
    if (!text.startsWith(QLatin1String("postgresql://")) && !text.startsWith(QLatin1String("postgres://")))
        return R::failure(QStringLiteral("database url '%1' is neither sqlite:FILE nor postgresql://USER@HOST/DATABASE")
                              .arg(text));
    const QUrl u(text, QUrl::StrictMode);
    if (!u.isValid())
        return R::failure(QStringLiteral("database url is not a valid URL: %1").arg(u.errorString()));
    DatabaseLocation l;
    l.dialect = SqlDialect::Postgres;
    l.host = u.host();
    l.port = u.port(5432);
    l.user = u.userName();
    l.password = u.password();
    l.name = u.path().mid(1);
    if (l.name.isEmpty() || l.name.contains(QLatin1Char('/')))
        return R::failure(QStringLiteral("database url '%1' needs one database name after the host, e.g. "
                                         "postgresql://acorn@localhost/acorn")
                              .arg(u.toDisplayString(QUrl::RemovePassword)));
    const QUrlQuery query(u);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("host")) {
            l.host = value; // a Unix socket directory, libpq style
        } else if (postgresKeywords().contains(key)) {
            if (value.contains(QLatin1Char(';')))
                return R::failure(QStringLiteral("database url: the value of %1 may not contain ';'").arg(key));
            l.options.append(key + QLatin1Char('=') + value);
        } else {
            return R::failure(QStringLiteral("database url: unknown connection setting '%1' (known: host, %2)")
                                  .arg(key, postgresKeywords().join(QStringLiteral(", "))));
        }
    }
    return l;
}

QString DatabaseLocation::display() const
{
    if (dialect == SqlDialect::Sqlite)
        return QStringLiteral("sqlite:") + sqlitePath;
    QUrl u;
    u.setScheme(QStringLiteral("postgresql"));
    u.setUserName(user);
    if (host.startsWith(QLatin1Char('/'))) {
        u.setHost(QStringLiteral("localhost"));
    } else {
        u.setHost(host.isEmpty() ? QStringLiteral("localhost") : host);
        u.setPort(port);
    }
    u.setPath(QLatin1Char('/') + name);
    QUrlQuery q;
    if (host.startsWith(QLatin1Char('/')))
        q.addQueryItem(QStringLiteral("host"), host);
    for (const QString &o : options)
        q.addQueryItem(o.section(QLatin1Char('='), 0, 0), o.section(QLatin1Char('='), 1));
    u.setQuery(q);
    return u.toDisplayString(QUrl::RemovePassword);
}

// ------------------------------------------------------------------ database

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
    return open(DatabaseLocation::sqlite(path), create);
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseLocation &where, bool create)
{
    using R = Result<std::unique_ptr<Database>>;
    const QString shown = where.display();
    if (where.dialect == SqlDialect::Sqlite && !create && !QFileInfo::exists(where.sqlitePath))
        return R::failure(
            QStringLiteral("no school database at %1: run 'acorn-server init' first").arg(where.sqlitePath));

    std::unique_ptr<Database> d(new Database);
    d->m_dialect = where.dialect;
    d->m_connectionName = QStringLiteral("acorn-server-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1));
    if (where.dialect == SqlDialect::Sqlite) {
        d->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), d->m_connectionName);
        d->m_db.setDatabaseName(where.sqlitePath);
        d->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    } else {
        d->m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), d->m_connectionName);
        if (!d->m_db.isValid())
            return R::failure(QStringLiteral("this machine has no PostgreSQL driver for Qt: install "
                                             "libqt6sql6-psql"));
        d->m_db.setDatabaseName(where.name);
        if (!where.host.isEmpty())
            d->m_db.setHostName(where.host);
        d->m_db.setPort(where.port);
        if (!where.user.isEmpty())
            d->m_db.setUserName(where.user);
        if (!where.password.isEmpty())
            d->m_db.setPassword(where.password);
        QStringList options = where.options;
        if (!options.join(QLatin1Char(' ')).contains(QLatin1String("connect_timeout=")))
            options.append(QStringLiteral("connect_timeout=10"));
        if (!options.join(QLatin1Char(' ')).contains(QLatin1String("application_name=")))
            options.append(QStringLiteral("application_name=acorn-server"));
        d->m_db.setConnectOptions(options.join(QLatin1Char(';')));
    }
    if (!d->m_db.open())
        return R::failure(QStringLiteral("cannot open the database %1: %2").arg(shown, d->m_db.lastError().text()));

    QSqlQuery q(d->m_db);
    for (const QString &statement : sqldialect::connectionSetup(where.dialect)) {
        if (!q.exec(statement))
            return R::failure(QStringLiteral("cannot prepare the database %1 (%2): %3").arg(shown, statement, sqlError(q)));
    }
    if (Status s = d->migrate(create, shown); !s)
        return R::failure(s.error());
    return R(std::move(d));
}

Status Database::migrate(bool create, const QString &where)
{
    QSqlQuery q(m_db);
    auto run = [&](const QString &statement) {
        if (q.exec(statement))
            return true;
        return false;
    };
    auto abandon = [&](const QString &message) {
        const QString err = sqlError(q);
        run(QStringLiteral("ROLLBACK"));
        return Status::failure(message.arg(err));
    };
    // Under the write lock, so that two processes starting at once cannot both migrate.
    for (const QString &statement : sqldialect::beginTransaction(m_dialect, sqldialect::Begin::Write)) {
        if (!run(statement))
            return abandon(QStringLiteral("cannot start the migration: %1"));
    }
    q.prepare(sqldialect::countTablesNamed(m_dialect));
    q.addBindValue(QStringLiteral("meta"));
    if (!q.exec() || !q.next())
        return abandon(QStringLiteral("cannot read the database's schema version: %1"));
    const bool hasMeta = q.value(0).toInt() > 0;
    q.finish();
    int version = 0;
    if (hasMeta) {
        if (!run(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")))
            return abandon(QStringLiteral("cannot read the database's schema version: %1"));
        if (q.next())
            version = q.value(0).toInt();
        q.finish();
    }
    const int latest = schema::latestVersion();
    if (version == 0 && !create && m_dialect == SqlDialect::Postgres) {
        run(QStringLiteral("ROLLBACK"));
        return Status::failure(
            QStringLiteral("the database %1 holds no school: run 'acorn-server init --database URL' first").arg(where));
    }
    if (version > latest) {
        run(QStringLiteral("ROLLBACK"));
        return Status::failure(
            QStringLiteral("this database was written by a newer version of Acorn (schema %1; this "
                           "server knows up to %2). Install the newer acorn-server again, or "
                           "restore a backup made by this version.")
                .arg(version)
                .arg(latest));
    }
    if (version == latest) {
        m_schemaVersion = version;
        if (!run(QStringLiteral("COMMIT")))
            return abandon(QStringLiteral("cannot read the database: %1"));
        return {};
    }
    for (int to = version + 1; to <= latest; ++to) {
        for (const QString &statement : schema::migrationStep(to, m_dialect)) {
            if (!run(statement))
                return abandon(QStringLiteral("database migration to schema %1 failed, nothing was changed: ")
                                   .arg(to)
                               + QStringLiteral("%1"));
        }
        qCInfo(lcServerStore) << "migrated database to schema" << to;
    }
    q.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(QString::number(latest));
    if (!q.exec())
        return abandon(QStringLiteral("database migration failed, nothing was changed: %1"));
    if (!run(QStringLiteral("COMMIT")))
        return abandon(QStringLiteral("database migration failed, nothing was changed: %1"));
    m_schemaVersion = latest;
    return {};
}

} // namespace acorn::server
