#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>

namespace acorn::server {

class Clock;
class ServerStore;
struct UserRecord;

// The IT manager's side of two-factor sign-in: enrolling an account (a new TOTP secret,
// shown once as an otpauth:// URI for an authenticator app), resetting it (a lost phone),
// and the school's choice whether parents may use it. Staff and admin accounts may always
// be enrolled; parent accounts only when the school allows it. Enrolling or resetting ends
// the account's sessions, so every device signs in again under the new rule. Everything
// is audited, without the secret.
class TwoFactorAdmin
{
public:
    TwoFactorAdmin(ServerStore &store, const Clock &clock);

    // {"username", "otpauth_uri", "secret" (base32), "digits", "period_seconds"}.
    Result<QJsonObject> enrol(const QString &username, const QString &actor) const;
    // {"username", "two_factor": false}.
    Result<QJsonObject> reset(const QString &username, const QString &actor) const;
    // The school setting (meta key two_factor_parents): may parents be enrolled?
    bool parentsAllowed() const;
    // The rule, for the IT manager's command and for self-enrolment from a device alike:
    // staff and admin accounts may sign in with a second factor; parents when the school
    // allows it.
    bool mayEnrol(const UserRecord &user) const;
    // The otpauth:// URI of `secret` for this account, issued as "Acorn SCHOOL".
    QString provisioningUri(const UserRecord &user, const QByteArray &secret) const;
    Status setParentsAllowed(bool allowed, const QString &actor) const;

    static constexpr const char *kParentsSetting = "two_factor_parents";

private:
    ServerStore &m_store;
    const Clock &m_clock;
};

} // namespace acorn::server
