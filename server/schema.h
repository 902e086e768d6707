#pragma once

#include "sqldialect.h"

#include <QStringList>

namespace acorn::server::schema {

// Statements that take a database from version `to - 1` to `to` in `dialect`. Steps are
// only ever appended: a released step is never edited. They are written once, in SQL both
// dialects accept with SQLite's type names; sqldialect::schemaStatement maps the types.
QStringList migrationStep(int to, SqlDialect dialect);
int latestVersion();

} // namespace acorn::server::schema
