#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

namespace acorn::server {

class Clock;
class ServerStore;
struct UserRecord;

// Two-factor sign-in set up by the account holder from their own device (the staff app
// shows the secret as a QR code). start() makes a new secret and keeps it *pending*: nothing
// about the account changes until confirm() gets a current code of that secret, which proves
// the authenticator app holds it. Then the secret becomes the account's second factor, the
// step of that code is used up (it cannot also sign in), the account's other sessions end
// and the change is audited.
//
// It decides; it never throttles (SyncService counts a wrong code with the sign-in
// throttle) and never shows a secret in a log or the audit. Replacing a second factor the
// account already has needs a current code of the old one: a stolen session alone cannot
// move the second factor to someone else's phone. Who may use it at all is TwoFactorAdmin's
// rule, the same as for the IT manager's command.
class TwoFactorEnrolment
{
public:
    // How long a pending secret waits for its confirming code.
    static constexpr qint64 kPendingLifetimeMs = 10 * 60'000;

    enum class Outcome {
        Done,
        NotAllowed, // a parent account at a school that has not switched it on
        CodeNeeded, // replacing: the current code of the present authenticator is missing
        WrongCode, // counts as a failed sign-in
        NoPending, // confirm without a set-up in progress
        Expired, // the pending secret waited longer than kPendingLifetimeMs
        Failed, // the database failed; nothing was changed
    };

    struct Started
    {
        Outcome outcome = Outcome::Failed;
        QString otpauthUri;
        QByteArray secret;
        qint64 expiresAtMs = 0;
        bool replacesExisting = false;
    };
    struct Confirmed
    {
        Outcome outcome = Outcome::Failed;
        bool replacedExisting = false;
        int sessionsEnded = 0;
    };

    TwoFactorEnrolment(ServerStore &store, const Clock &clock);

    // `currentCode`: a code of the account's present second factor (needed only when it has one).
    Started start(const UserRecord &user, const QString &currentCode, const QString &device);
    // `keepSessionId`: the session the request came on, which stays signed in.
    Confirmed confirm(
        const UserRecord &user, qint64 keepSessionId, const QString &code, const QString &device);

private:
    ServerStore &m_store;
    const Clock &m_clock;
};

} // namespace acorn::server
