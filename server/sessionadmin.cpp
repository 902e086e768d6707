#include "sessionadmin.h"

#include "clock.h"
#include "serverstore.h"
#include "timeutil.h"

#include <QJsonArray>

namespace acorn::server {

SessionAdmin::SessionAdmin(ServerStore &store, const Clock &clock, SessionLifetimes lifetimes)
    : m_store(store)
    , m_clock(clock)
    , m_lifetimes(lifetimes)
{ }

Result<QJsonObject> SessionAdmin::list(const QString &username, const QTimeZone &zone) const
{
    using R = Result<QJsonObject>;
    const auto user = m_store.userByUsername(username.trimmed().toLower());
    if (!user)
        return R::failure(
            QStringLiteral("there is no account '%1': check the username").arg(username));
    const qint64 now = m_clock.nowMs();
    QJsonArray sessions;
    for (const SessionRecord &s : m_store.sessionsOfUser(user->id)) {
        const SessionLifetimes::State state = m_lifetimes.stateOf(s, now);
        QJsonObject o { { QStringLiteral("id"), s.id }, { QStringLiteral("device"), s.device },
            { QStringLiteral("created"), timeutil::formatMs(s.createdAt, zone) },
            { QStringLiteral("last_used"), timeutil::formatMs(s.lastUsedAt, zone) },
            { QStringLiteral("state"), SessionLifetimes::stateName(state) } };
        if (state == SessionLifetimes::State::Active) {
            const qint64 expires = std::min(
                s.lastUsedAt + m_lifetimes.idleMs(), s.createdAt + m_lifetimes.maxAgeMs());
            o.insert(QStringLiteral("expires"), timeutil::formatMs(expires, zone));
        } else if (state == SessionLifetimes::State::Ended) {
            o.insert(QStringLiteral("ended"), timeutil::formatMs(s.revokedAt, zone));
            o.insert(QStringLiteral("end_reason"), s.endReason);
        }
        sessions.append(o);
    }
    return QJsonObject { { QStringLiteral("username"), user->username },
        { QStringLiteral("idle_days"), m_lifetimes.idleDays },
        { QStringLiteral("max_age_days"), m_lifetimes.maxAgeDays },
        { QStringLiteral("sessions"), sessions } };
}

Result<QJsonObject> SessionAdmin::revoke(
    const QString &username, const QString &idOrAll, const QString &actor) const
{
    using R = Result<QJsonObject>;
    const auto user = m_store.userByUsername(username.trimmed().toLower());
    if (!user)
        return R::failure(
            QStringLiteral("there is no account '%1': check the username").arg(username));
    const qint64 now = m_clock.nowMs();
    QList<qint64> ids;
    for (const SessionRecord &s : m_store.sessionsOfUser(user->id)) {
        if (s.revokedAt == 0)
            ids.append(s.id);
    }
    if (idOrAll != QLatin1String("all")) {
        bool ok = false;
        const qint64 id = idOrAll.toLongLong(&ok);
        if (!ok)
            return R::failure(
                QStringLiteral("--revoke takes a session id (see 'sessions %1') or 'all', not '%2'")
                    .arg(user->username, idOrAll));
        bool mine = false;
        for (const SessionRecord &s : m_store.sessionsOfUser(user->id))
            mine = mine || s.id == id;
        if (!mine)
            return R::failure(QStringLiteral("%1 has no session %2: list them with 'sessions %1'")
                                  .arg(user->username)
                                  .arg(id));
        ids = ids.contains(id) ? QList<qint64> { id } : QList<qint64> {};
    }
    const QString reason = QStringLiteral("revoked by %1").arg(actor);
    ServerStore::Transaction tx(m_store);
    Status s = tx.ok() ? Status() : Status::failure(m_store.lastError());
    for (qint64 id : ids) {
        if (s)
            s = m_store.endSession(id, now, reason);
    }
    if (s)
        s = m_store.audit(actor, QStringLiteral("admin"), QStringLiteral("session-revoke"),
            user->username,
            idOrAll == QLatin1String("all") ? QStringLiteral("all sessions (%1)").arg(ids.size())
                                            : QStringLiteral("session %1").arg(idOrAll),
            now);
    if (s)
        s = tx.commit();
    if (!s)
        return R::failure(s.error());
    QJsonArray revoked;
    for (qint64 id : ids)
        revoked.append(id);
    return QJsonObject { { QStringLiteral("username"), user->username },
        { QStringLiteral("revoked"), revoked } };
}

} // namespace acorn::server
