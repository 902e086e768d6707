#pragma once

#include <QStringList>

namespace acorn::cli {

// acorn-cli: the headless client on the same engine as the apps (see --help).
// Prints one JSON document per command on stdout; errors are one line on stderr.
int run(const QStringList &arguments);
// Whether the command prints (report): it then needs a QGuiApplication for fonts.
bool needsGui(const QStringList &arguments);

} // namespace acorn::cli
