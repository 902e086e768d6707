#pragma once

// Shared by the libFuzzer targets: a Qt application object and a scratch directory in
// memory (/dev/shm when there is one), so SQLite's fsyncs and the media files cost
// nothing. Built only with -DACORN_FUZZ=ON (clang); see tests/fuzz/README.md.

#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace acorn::fuzz {

// Creates the QCoreApplication once; libFuzzer's own flags are left alone. It is never
// destroyed: libFuzzer leaves through exit(), after Qt's own globals are gone, and
// destroying it then crashes.
inline void startQt(int *argc, char ***argv)
{
    static QCoreApplication *app = nullptr;
    if (!app)
        app = new QCoreApplication(*argc, *argv);
    // The server logs every refused frame and failed sign-in: silence it, or the fuzzer's
    // output is nothing but log lines (ACORN_FUZZ_LOG=1 keeps them).
    if (qEnvironmentVariableIsEmpty("ACORN_FUZZ_LOG"))
        QLoggingCategory::setFilterRules(QStringLiteral("acorn.*=false\nqt.*=false"));
}

// A fresh scratch directory that lives as long as the process.
inline QString scratchDir()
{
    static std::unique_ptr<QTemporaryDir> dir;
    if (!dir) {
        const QString base = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm")
                                                                       : QDir::tempPath();
        dir = std::make_unique<QTemporaryDir>(base + QStringLiteral("/acorn-fuzz-XXXXXX"));
        if (!dir->isValid()) {
            std::fprintf(stderr, "acorn fuzz: no scratch directory under %s\n", qPrintable(base));
            std::abort();
        }
    }
    return dir->path();
}

// A broken invariant is a crash, so libFuzzer keeps the input.
#define ACORN_FUZZ_CHECK(cond, what)                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(                                                                          \
                stderr, "acorn fuzz: invariant broken: %s (%s:%d)\n", what, __FILE__, __LINE__);   \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

} // namespace acorn::fuzz
