#pragma once

#include "result.h"
#include "sessionlifetimes.h"

#include <QJsonObject>
#include <QString>
#include <QTimeZone>

namespace acorn::server {

class Clock;
class ServerStore;

// The IT manager's view of the devices an account is signed in on ('acorn-server admin
// --data DIR sessions USERNAME [--revoke ID|all]'): each session with its device, when it
// started, when it was last used and whether it still works; and ending one or all of
// them, which is audited. It never shows or stores a token: only ids.
class SessionAdmin
{
public:
    SessionAdmin(ServerStore &store, const Clock &clock, SessionLifetimes lifetimes);

    // {"username", "idle_days", "max_age_days", "sessions": [{"id", "device", "created",
    //  "last_used", "state", "expires" | "ended", "end_reason"}]}, newest first.
    Result<QJsonObject> list(const QString &username, const QTimeZone &zone) const;
    // Ends the session with that id (it must be the user's) or, for "all", every session
    // of the user. Returns {"username", "revoked": [ids]}.
    Result<QJsonObject> revoke(
        const QString &username, const QString &idOrAll, const QString &actor) const;

private:
    ServerStore &m_store;
    const Clock &m_clock;
    SessionLifetimes m_lifetimes;
};

} // namespace acorn::server
