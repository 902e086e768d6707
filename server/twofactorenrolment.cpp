#include "twofactorenrolment.h"

#include "clock.h"
#include "logging.h"
#include "serverstore.h"
#include "totp.h"
#include "twofactoradmin.h"

namespace acorn::server {

TwoFactorEnrolment::TwoFactorEnrolment(ServerStore &store, const Clock &clock)
    : m_store(store)
    , m_clock(clock)
{ }

TwoFactorEnrolment::Started TwoFactorEnrolment::start(
    const UserRecord &user, const QString &currentCode, const QString &device)
{
    Started out;
    if (!TwoFactorAdmin(m_store, m_clock).mayEnrol(user)) {
        out.outcome = Outcome::NotAllowed;
        return out;
    }
    const qint64 now = m_clock.nowMs();
    const auto enrolled = m_store.twoFactor(user.id);
    out.replacesExisting = enrolled.has_value();
    if (enrolled) {
        if (currentCode.trimmed().isEmpty()) {
            out.outcome = Outcome::CodeNeeded;
            return out;
        }
        // The old code is used up like a sign-in's: it cannot be replayed to sign in.
        const auto step
            = Totp::acceptedStep(enrolled->secret, currentCode, now, enrolled->lastStep);
        if (!step || !m_store.consumeTwoFactorStep(user.id, *step)) {
            m_store.audit(user.username, device, QStringLiteral("user-2fa-setup"), user.username,
                QStringLiteral("failure: current code"), now);
            out.outcome = Outcome::WrongCode;
            return out;
        }
    }
    const ServerStore::PendingTwoFactor pending { Totp::newSecret(), now,
        now + kPendingLifetimeMs };
    ServerStore::Transaction tx(m_store);
    Status s = m_store.setPendingTwoFactor(user.id, pending);
    if (s)
        s = m_store.audit(user.username, device, QStringLiteral("user-2fa-setup"), user.username,
            out.replacesExisting ? QStringLiteral("started (replacing)")
                                 : QStringLiteral("started"),
            now);
    if (s)
        s = tx.commit();
    if (!s) {
        qCWarning(lcServerAuth).noquote() << "two-factor set-up not stored:" << s.error();
        return out;
    }
    out.outcome = Outcome::Done;
    out.secret = pending.secret;
    out.expiresAtMs = pending.expiresAt;
    out.otpauthUri = TwoFactorAdmin(m_store, m_clock).provisioningUri(user, pending.secret);
    return out;
}

TwoFactorEnrolment::Confirmed TwoFactorEnrolment::confirm(
    const UserRecord &user, qint64 keepSessionId, const QString &code, const QString &device)
{
    Confirmed out;
    const qint64 now = m_clock.nowMs();
    const auto pending = m_store.pendingTwoFactor(user.id);
    if (!pending) {
        out.outcome = Outcome::NoPending;
        return out;
    }
    if (now >= pending->expiresAt) {
        m_store.removePendingTwoFactor(user.id);
        out.outcome = Outcome::Expired;
        return out;
    }
    // The rule may have changed since the set-up began (parents switched off meanwhile).
    if (!TwoFactorAdmin(m_store, m_clock).mayEnrol(user)) {
        m_store.removePendingTwoFactor(user.id);
        out.outcome = Outcome::NotAllowed;
        return out;
    }
    const auto step = Totp::acceptedStep(pending->secret, code, now, 0);
    if (!step) {
        m_store.audit(user.username, device, QStringLiteral("user-2fa-setup"), user.username,
            QStringLiteral("failure: wrong code"), now);
        out.outcome = Outcome::WrongCode;
        return out;
    }
    out.replacedExisting = m_store.twoFactor(user.id).has_value();
    ServerStore::Transaction tx(m_store);
    // The confirming code's step counts as used: the same code cannot also sign in.
    Status s = m_store.setTwoFactor(user.id, pending->secret, now, *step);
    if (s)
        s = m_store.removePendingTwoFactor(user.id);
    Result<int> ended = 0;
    if (s) {
        ended = m_store.endOtherSessionsOfUser(user.id, keepSessionId, now,
            QStringLiteral("two-factor sign-in set up on another device"));
        if (!ended)
            s = Status::failure(ended.error());
    }
    if (s)
        s = m_store.audit(user.username, device, QStringLiteral("user-2fa"), user.username,
            out.replacedExisting ? QStringLiteral("replaced by the user")
                                 : QStringLiteral("enrolled by the user"),
            now);
    if (s)
        s = tx.commit();
    if (!s) {
        qCWarning(lcServerAuth).noquote() << "two-factor set-up not confirmed:" << s.error();
        return out;
    }
    out.outcome = Outcome::Done;
    out.sessionsEnded = ended.value();
    return out;
}

} // namespace acorn::server
