#pragma once

#include <QString>
#include <QtGlobal>

namespace acorn::server {

struct SessionRecord;

// How long a device's sign-in lasts: it ends after `idleDays` without use and, however
// much it is used, `maxAgeDays` after the password was typed. Read from acorn-server.conf
// ([sessions] idle_days, max_age_days) and applied by SyncService to every request.
struct SessionLifetimes
{
    int idleDays = 30;
    int maxAgeDays = 180;

    static constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
    // A session's last use is recorded to the minute: no write on every request.
    static constexpr qint64 kTouchIntervalMs = 60'000;
    qint64 idleMs() const { return idleDays * kDayMs; }
    qint64 maxAgeMs() const { return maxAgeDays * kDayMs; }

    enum class State { Active, Ended, Idle, TooOld };
    State stateOf(const SessionRecord &session, qint64 now) const;
    bool isLive(const SessionRecord &session, qint64 now) const
    {
        return stateOf(session, now) == State::Active;
    }
    // "active", "ended", "expired (idle)", "expired (maximum age)".
    static QString stateName(State state);
    // Why an expired session ended, as recorded in the sessions table.
    static QString endReason(State state);
};

} // namespace acorn::server
