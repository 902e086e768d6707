#pragma once

#include <QString>
#include <QtGlobal>

namespace acorn::soak {

struct SoakOptions
{
    int devices = 50;
    int parents = 300;
    int seconds = 600;
    int maxSyncsAtOnce = 16;
    int drainSeconds = 120; // the most the devices get to empty their outboxes at the end
    quint32 seed = 0;
};

// The soak of issue 7 (tests/README.md): a real acorn-server on 127.0.0.1, `devices` staff
// tablets and `parents` viewers in this process for `seconds`, then the checks. Prints the
// figures and every problem; returns the exit status (0: every invariant held).
int runSoak(const SoakOptions &options);

} // namespace acorn::soak
