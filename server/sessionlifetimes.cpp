#include "sessionlifetimes.h"

#include "serverstore.h"

namespace acorn::server {

SessionLifetimes::State SessionLifetimes::stateOf(const SessionRecord &session, qint64 now) const
{
    if (session.revokedAt != 0)
        return State::Ended;
    if (now - session.createdAt > maxAgeMs())
        return State::TooOld;
    if (now - session.lastUsedAt > idleMs())
        return State::Idle;
    return State::Active;
}

QString SessionLifetimes::stateName(State state)
{
    switch (state) {
    case State::Active:
        return QStringLiteral("active");
    case State::Ended:
        return QStringLiteral("ended");
    case State::Idle:
        return QStringLiteral("expired (idle)");
    case State::TooOld:
        return QStringLiteral("expired (maximum age)");
    }
    return {};
}

QString SessionLifetimes::endReason(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("expired: not used for too long");
    case State::TooOld:
        return QStringLiteral("expired: reached the maximum age");
    default:
        return QStringLiteral("revoked");
    }
}

} // namespace acorn::server
