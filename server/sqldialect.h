#pragma once

#include <QString>
#include <QStringList>

namespace acorn::server {

// The SQL databases a school can live in: the embedded SQLite file (the default, one
// server process) or PostgreSQL (larger deployments, several server processes).
enum class SqlDialect { Sqlite, Postgres };

// Every difference between the two dialects that Acorn meets, in one place. Everything
// else (the schema text, every query in ServerStore) is written once, in SQL both accept:
// `?` placeholders, ON CONFLICT ... DO UPDATE/NOTHING, RETURNING, COALESCE, CAST.
namespace sqldialect {

// A schema statement as written in schema.cpp (SQLite's type names) for `dialect`:
// PostgreSQL gets BIGINT for INTEGER (times are milliseconds, beyond 32 bits), BYTEA for
// BLOB and an identity column for "id INTEGER PRIMARY KEY" (SQLite's rowid alias).
QString schemaStatement(SqlDialect dialect, const QString &statement);

// Statements that make `table` refuse UPDATE and DELETE (the audit log).
QStringList appendOnlyTriggers(SqlDialect dialect, const QString &table);

// How a top-level transaction starts.
//  Write:    holds the school's write lock from the first statement to COMMIT, so writers
//            run one at a time whatever process they are in (SQLite: BEGIN IMMEDIATE;
//            PostgreSQL: a transaction-scoped advisory lock, READ COMMITTED, so every
//            statement after the lock sees everything committed before it).
//  Snapshot: reads only, all from one consistent snapshot (SQLite: a deferred
//            transaction in WAL mode; PostgreSQL: REPEATABLE READ, READ ONLY).
// A deferred SQLite transaction (BEGIN) takes the lock at its first write; PostgreSQL has
// no such upgrade, so there every transaction that may write is a Write transaction.
enum class Begin { Deferred, Write, Snapshot };
QStringList beginTransaction(SqlDialect dialect, Begin how);

// A query with one row and one column: the number of tables named `?` in the database.
QString countTablesNamed(SqlDialect dialect);

// The statement that checks the database's own structure, one row per problem ("ok" when
// none), or an empty string where the dialect leaves that to the database's own tools
// (PostgreSQL: amcheck / pg_amcheck, see docs/postgresql.md).
QString integrityCheck(SqlDialect dialect);

// A query whose one row changes whenever the database may have changed since it was last
// read (SQLite: PRAGMA data_version and total_changes()); empty where there is none
// (PostgreSQL: another process's commits cannot be seen without reading the data).
QString dataVersionQuery(SqlDialect dialect);

// Statements run once on every new connection.
QStringList connectionSetup(SqlDialect dialect);
// Statements around a write outside a transaction whose loss in a power cut harms nothing
// (a session's last use, kept to the minute): its commit does not wait for the disk, and
// the next ordinary commit makes it durable too (SQLite in WAL mode writes commits in
// order; PostgreSQL's asynchronous commit, in a transaction of its own). The database stays
// consistent either way.
struct Around
{
    QStringList before;
    QStringList after;
};
Around unsyncedCommit(SqlDialect dialect);

// After rows were copied in with their ids (migrate-to-postgresql), the statement that
// moves `table`'s id sequence past them; empty where nothing needs doing.
QString resetIdSequence(SqlDialect dialect, const QString &table);

} // namespace sqldialect
} // namespace acorn::server
