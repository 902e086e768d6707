#pragma once

#include "syncengine.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>

#include <deque>
#include <functional>

namespace acorn::soak {

// Runs the soak's syncs through real SyncEngines, at most `maxAtOnce` at a time (the rest
// wait their turn, first come first served), as a school's wireless network and the server's
// handshake queue would space them anyway. Times each sync from start to finish.
//
// `whenDone` is called once the engine has finished, with the engine still alive (its
// signed-in connection open for follow-up requests); the engine is deleted later, after
// `whenDone` returned, which closes its connection. Never deletes a store.
class SyncGate
{
public:
    explicit SyncGate(int maxAtOnce);

    using Done = std::function<void(client::SyncEngine &engine, double ms)>;
    void run(client::ClientStore &store, client::SyncOptions options, Done whenDone);

    bool idle() const { return m_running == 0 && m_waiting.empty(); }
    int running() const { return m_running; }
    int waiting() const { return int(m_waiting.size()); }

private:
    struct Job
    {
        client::ClientStore *store;
        client::SyncOptions options;
        Done whenDone;
    };
    void startNext();

    QObject m_context;
    int m_maxAtOnce;
    int m_running = 0;
    std::deque<Job> m_waiting;
};

// Figures of a list of durations: the value below which `fraction` of them lie.
double percentile(QList<double> values, double fraction);

} // namespace acorn::soak
