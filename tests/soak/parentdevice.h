#pragma once

#include "clientstore.h"
#include "soakcontext.h"

#include <QMap>
#include <QObject>
#include <QRandomGenerator>
#include <QString>

#include <functional>
#include <memory>

namespace acorn::soak {

// One simulated parent's viewer: its own profile folder with a real ClientStore, synced by
// a real SyncEngine of kind CLIENT_KIND_VIEWER signed in with the guardian's stored session
// token. While the run generates it pulls at random (seeded) intervals; after every pull
// each observation it holds is checked against the safeguarding invariants
// (fixture::parentInvariantProblems: no other family's child, no staff note, no draft).
class ParentDevice
{
public:
    ParentDevice(
        SoakContext &context, int index, QString username, QByteArray token, QString directory);

    QString open();
    // The first pull within `firstWithinMs`, then the loop.
    void begin(int firstWithinMs);
    // One pull now (through the gate); `after` runs when it finished.
    void pull(std::function<void()> after);
    // What the device holds now, by observation id.
    QMap<QString, wire::Observation> held();

    const QString &username() const { return m_username; }

private:
    void scheduleNext();

    SoakContext &m_ctx;
    QString m_username;
    QByteArray m_token;
    QString m_dir;
    QRandomGenerator m_rng;
    QObject m_context;
    std::unique_ptr<client::ClientStore> m_store;
};

} // namespace acorn::soak
