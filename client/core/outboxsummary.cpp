#include "outboxsummary.h"

#include "clientstore.h"

#include <QSet>

namespace acorn::client {

OutboxSummary OutboxSummary::of(ClientStore &store)
{
    OutboxSummary s;
    QSet<QString> ids;
    for (const OutboxItem &item : store.outbox()) {
        ids.insert(QString::fromStdString(item.observation.id()));
        if (item.state == QLatin1String("refused"))
            ++s.refused;
        else if (item.state == QLatin1String("conflict"))
            ++s.conflicts;
    }
    for (const OutboxMedia &m : store.pendingMedia()) {
        ids.insert(m.observationId);
        s.mediaBytes += m.size;
    }
    s.waiting = static_cast<int>(ids.size());
    return s;
}

} // namespace acorn::client
