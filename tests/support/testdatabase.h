#pragma once

#include <QString>

namespace acorn::test {

// Which database the tests' schools live in. ctest runs some suites twice: as they are
// (SQLite files) and as NAME_postgresql, with ACORN_TEST_DATABASE=postgresql, against a
// throw-away PostgreSQL server that its "postgres" fixture starts
// (tests/support/postgres-cluster; its URL in $ACORN_TEST_POSTGRES_DIR/url).
bool testsUsePostgres();

// Why the fixture's PostgreSQL server is not there (empty when it is).
QString postgresUnavailableReason();

// A new, empty database on the fixture's server, as a postgresql:// URL; empty (and the
// reason in *why) when it cannot be made.
QString freshPostgresDatabase(QString *why = nullptr);

// The [database] url for a test school: a fresh PostgreSQL database when the suite runs
// against PostgreSQL, else `sqlite:` + sqlitePath.
QString testDatabaseUrl(const QString &sqlitePath);

} // namespace acorn::test
