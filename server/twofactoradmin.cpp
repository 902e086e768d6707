#include "twofactoradmin.h"

#include "clock.h"
#include "serverstore.h"
#include "totp.h"

namespace acorn::server {

TwoFactorAdmin::TwoFactorAdmin(ServerStore &store, const Clock &clock)
    : m_store(store)
    , m_clock(clock)
{ }

bool TwoFactorAdmin::parentsAllowed() const
{
    return m_store.meta(QLatin1String(kParentsSetting)) == QLatin1String("on");
}

bool TwoFactorAdmin::mayEnrol(const UserRecord &user) const
{
    return user.role != QLatin1String("parent") || parentsAllowed();
}

QString TwoFactorAdmin::provisioningUri(const UserRecord &user, const QByteArray &secret) const
{
    const QString school = m_store.school().value_or(SchoolSettings {}).name;
    const QString issuer
        = school.isEmpty() ? QStringLiteral("Acorn") : QStringLiteral("Acorn %1").arg(school);
    return Totp::provisioningUri(issuer, user.username, secret);
}

Status TwoFactorAdmin::setParentsAllowed(bool allowed, const QString &actor) const
{
    const QString value = allowed ? QStringLiteral("on") : QStringLiteral("off");
    ServerStore::Transaction tx(m_store);
    Status s = m_store.setMeta(QLatin1String(kParentsSetting), value);
    if (s)
        s = m_store.audit(actor, QStringLiteral("admin"), QStringLiteral("two-factor-parents"),
            value, {}, m_clock.nowMs());
    if (s)
        s = tx.commit();
    return s;
}

Result<QJsonObject> TwoFactorAdmin::enrol(const QString &username, const QString &actor) const
{
    const auto user = m_store.userByUsername(username.trimmed().toLower());
    if (!user)
        return Result<QJsonObject>::failure(
            QStringLiteral("there is no account '%1'").arg(username));
    if (!mayEnrol(*user))
        return Result<QJsonObject>::failure(
            QStringLiteral("two-factor sign-in is not switched on for parents at this school: run "
                           "'admin two-factor-parents on' first"));
    const QByteArray secret = Totp::newSecret();
    const qint64 now = m_clock.nowMs();
    ServerStore::Transaction tx(m_store);
    Status s = m_store.setTwoFactor(user->id, secret, now);
    if (s) // a set-up the user started on a device no longer applies
        s = m_store.removePendingTwoFactor(user->id);
    if (s)
        s = m_store.endSessionsOfUser(user->id, now, QStringLiteral("two-factor sign-in set up"));
    if (s)
        s = m_store.audit(actor, QStringLiteral("admin"), QStringLiteral("user-2fa"),
            user->username, QStringLiteral("enrolled"), now);
    if (s)
        s = tx.commit();
    if (!s)
        return Result<QJsonObject>::failure(s.error());
    return QJsonObject { { QStringLiteral("username"), user->username },
        { QStringLiteral("otpauth_uri"), provisioningUri(*user, secret) },
        { QStringLiteral("secret"), Totp::base32(secret) },
        { QStringLiteral("digits"), Totp::kDigits },
        { QStringLiteral("period_seconds"), Totp::kStepSeconds } };
}

Result<QJsonObject> TwoFactorAdmin::reset(const QString &username, const QString &actor) const
{
    const auto user = m_store.userByUsername(username.trimmed().toLower());
    if (!user)
        return Result<QJsonObject>::failure(
            QStringLiteral("there is no account '%1'").arg(username));
    if (!m_store.twoFactor(user->id))
        return Result<QJsonObject>::failure(
            QStringLiteral("'%1' does not sign in with a second factor: nothing to reset")
                .arg(user->username));
    const qint64 now = m_clock.nowMs();
    ServerStore::Transaction tx(m_store);
    Status s = m_store.removeTwoFactor(user->id);
    if (s)
        s = m_store.removePendingTwoFactor(user->id);
    if (s)
        s = m_store.endSessionsOfUser(user->id, now, QStringLiteral("two-factor sign-in reset"));
    if (s)
        s = m_store.audit(actor, QStringLiteral("admin"), QStringLiteral("user-2fa-reset"),
            user->username, {}, now);
    if (s)
        s = tx.commit();
    if (!s)
        return Result<QJsonObject>::failure(s.error());
    return QJsonObject { { QStringLiteral("username"), user->username },
        { QStringLiteral("two_factor"), false } };
}

} // namespace acorn::server
