#pragma once

#include <QStringList>

namespace acorn::server::schema {

// Statements that take a database from version `from - 1` to `from`. Steps are only ever
// appended: a released step is never edited.
QStringList migrationStep(int to);
int latestVersion();

} // namespace acorn::server::schema
