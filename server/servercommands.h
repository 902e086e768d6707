#pragma once

#include <QStringList>

namespace acorn::server {

// The acorn-server command line: init, fingerprint, run, admin ... (see --help).
// Returns the process exit code: 0 success, 1 failure (one clear line on stderr), 2 usage.
int runCommandLine(const QStringList &arguments);

} // namespace acorn::server
