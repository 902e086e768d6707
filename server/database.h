#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QString>

namespace acorn::server {

// One open connection to the school's database, with the schema migrated to the version
// this build knows. A QSqlDatabase connection belongs to the thread that opened it, so a
// Database is made and used on one thread only.
//
// The schema and every migration step live in schema.cpp, in one place; dialect
// differences (SQLite today) are kept there too.
class Database
{
public:
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens (creating if asked) the SQLite file, switches on WAL, foreign keys, a busy
    // timeout and synchronous=FULL, then runs pending migrations in one transaction.
    // A database written by a newer Acorn is refused with a clear message.
    static Result<std::unique_ptr<Database>> openSqlite(const QString &path, bool create);

    QSqlDatabase &db() { return m_db; }
    int schemaVersion() const { return m_schemaVersion; }

    static int latestSchemaVersion();

private:
    Database() = default;
    Status migrate();

    QString m_connectionName;
    QSqlDatabase m_db;
    int m_schemaVersion = 0;
};

} // namespace acorn::server
