#include "syncgate.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace acorn::soak {

SyncGate::SyncGate(int maxAtOnce)
    : m_maxAtOnce(std::max(1, maxAtOnce))
{ }

void SyncGate::run(client::ClientStore &store, client::SyncOptions options, Done whenDone)
{
    m_waiting.push_back({ &store, std::move(options), std::move(whenDone) });
    startNext();
}

void SyncGate::startNext()
{
    while (m_running < m_maxAtOnce && !m_waiting.empty()) {
        Job job = std::move(m_waiting.front());
        m_waiting.pop_front();
        ++m_running;
        auto *engine = new client::SyncEngine(*job.store, job.options, &m_context);
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        // Queued: finished() may come from inside start() or a socket's own signal.
        QObject::connect(
            engine, &client::SyncEngine::finished, &m_context,
            [this, engine, clock, done = std::move(job.whenDone)](client::SyncEngine *) {
                const double ms = double(clock->nsecsElapsed()) / 1e6;
                --m_running;
                done(*engine, ms);
                engine->deleteLater();
                startNext();
            },
            Qt::QueuedConnection);
        engine->start();
    }
}

double percentile(QList<double> values, double fraction)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(fraction * double(values.size()))) - 1;
    return values[std::clamp<qsizetype>(rank, 0, values.size() - 1)];
}

} // namespace acorn::soak
