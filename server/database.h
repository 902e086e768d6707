#pragma once

#include "result.h"
#include "sqldialect.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>

namespace acorn::server {

// Where the school's database lives, from the [database] url of acorn-server.conf:
//   sqlite:acorn.db                         a file, relative to the data directory
//   postgresql://USER@HOST:PORT/DBNAME?k=v  a PostgreSQL database (postgres:// too)
// A PostgreSQL URL takes libpq's connection keywords as query items (sslmode,
// sslrootcert, connect_timeout, host=/run/postgresql for a Unix socket, ...). A password
// may be given in the URL but belongs in the server user's ~/.pgpass (or PGPASSFILE), so
// that the config file holds no secret.
struct DatabaseLocation
{
    SqlDialect dialect = SqlDialect::Sqlite;
    QString sqlitePath; // absolute
    QString host;       // empty: libpq's default (the local Unix socket)
    int port = 5432;
    QString user;
    QString password;
    QString name;
    QStringList options; // libpq "keyword=value"

    static Result<DatabaseLocation> parse(const QString &url, const QString &baseDir);
    static DatabaseLocation sqlite(const QString &path);
    // The URL without its password, for messages and the review sheet.
    QString display() const;
};

// One open connection to the school's database, with the schema migrated to the version
// this build knows. A QSqlDatabase connection belongs to the thread that opened it, so a
// Database is made and used on one thread only.
//
// The schema and every migration step live in schema.cpp, in one place; what differs
// between SQLite and PostgreSQL lives in sqldialect.cpp.
class Database
{
public:
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens the database and runs pending migrations in one transaction, under the write
    // lock (two server processes starting at once migrate once). SQLite: creates the file
    // if `create`, switches on WAL, foreign keys, a busy timeout and synchronous=FULL.
    // PostgreSQL: the database must exist (createdb); an empty one counts as "no school"
    // unless `create`. A database written by a newer Acorn is refused with a clear message.
    static Result<std::unique_ptr<Database>> open(const DatabaseLocation &where, bool create);
    static Result<std::unique_ptr<Database>> openSqlite(const QString &path, bool create);

    QSqlDatabase &db() { return m_db; }
    SqlDialect dialect() const { return m_dialect; }
    int schemaVersion() const { return m_schemaVersion; }

    static int latestSchemaVersion();

private:
    Database() = default;
    Status migrate(bool create, const QString &where);

    QString m_connectionName;
    QSqlDatabase m_db;
    SqlDialect m_dialect = SqlDialect::Sqlite;
    int m_schemaVersion = 0;
};

} // namespace acorn::server
