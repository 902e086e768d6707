#include "loginthrottle.h"

#include "crypto.h"
#include "serverstore.h"

#include <QHostAddress>

#include <algorithm>
#include <limits>

namespace acorn::server {

namespace {

const QString kAccount = QStringLiteral("account");
const QString kAddress = QStringLiteral("address");

// base * 2^steps, without overflowing, at most cap.
qint64 doubled(qint64 base, int steps, qint64 cap)
{
    qint64 v = base;
    for (int i = 0; i < steps && v < cap; ++i)
        v *= 2;
    return std::min(v, cap);
}

} // namespace

LoginThrottle::LoginThrottle(ServerStore &store, LoginThrottlePolicy policy)
    : m_store(store)
    , m_policy(policy)
{ }

QString LoginThrottle::accountKey(const QString &username)
{
    return QStringLiteral("account:")
        + crypto::sha256Hex(username.trimmed().toLower().left(200).toUtf8()).left(32);
}

QString LoginThrottle::addressKey(const QString &peerAddress)
{
    QHostAddress a(peerAddress);
    if (a.isNull())
        return QStringLiteral("address:") + peerAddress.left(64);
    bool mapped = false;
    const quint32 v4 = a.toIPv4Address(&mapped);
    if (mapped)
        return QStringLiteral("address:") + QHostAddress(v4).toString();
    if (a.protocol() == QAbstractSocket::IPv6Protocol) {
        Q_IPV6ADDR bytes = a.toIPv6Address();
        for (int i = 8; i < 16; ++i)
            bytes[i] = 0;
        return QStringLiteral("address:%1/64").arg(QHostAddress(bytes).toString());
    }
    return QStringLiteral("address:") + a.toString();
}

LoginThrottle::Verdict LoginThrottle::evaluate(
    const QString &key, const ThrottleRule &rule, qint64 now)
{
    Verdict v;
    const std::optional<ServerStore::LoginLock> lock = m_store.loginLock(key);
    if (lock && lock->lockedUntil > now) {
        v.refused = true;
        v.retryAfterMs = lock->lockedUntil - now;
        return v;
    }
    QList<qint64> times = m_store.loginFailureTimes(key, now - LoginThrottlePolicy::kHourMs);
    for (qint64 t : m_pending.value(key)) {
        if (t >= now - LoginThrottlePolicy::kHourMs)
            times.append(t);
    }
    std::sort(times.begin(), times.end());
    if (times.size() >= rule.hourlyCap) {
        // The count drops below the cap when this failure leaves the hour.
        v.refused = true;
        v.hourlyCapReached = true;
        v.hourlyFreeAt = times.at(times.size() - rule.hourlyCap) + LoginThrottlePolicy::kHourMs;
        v.retryAfterMs = v.hourlyFreeAt - now;
        v.roundFailures = static_cast<int>(times.size());
        return v;
    }
    const qint64 roundStart = std::max(
        now - rule.roundWindowMs, lock ? lock->lockedAt + 1 : std::numeric_limits<qint64>::min());
    v.roundFailures = static_cast<int>(
        std::count_if(times.cbegin(), times.cend(), [&](qint64 t) { return t >= roundStart; }));
    if (v.roundFailures >= rule.lockAfter) {
        v.refused = true;
        return v; // impose() sets the lock and the wait
    }
    if (v.roundFailures >= rule.delayFrom)
        v.delayMs = doubled(rule.delayBaseMs, v.roundFailures - rule.delayFrom, rule.delayCapMs);
    return v;
}

std::optional<ImposedLock> LoginThrottle::impose(const QString &key, const QString &kind,
    const ThrottleRule &rule, const Verdict &verdict, qint64 now)
{
    const std::optional<ServerStore::LoginLock> previous = m_store.loginLock(key);
    if (previous && previous->lockedUntil > now)
        return std::nullopt; // already locked
    ServerStore::LoginLock lock;
    lock.key = key;
    lock.level = previous && previous->lockedUntil + rule.lockMemoryMs > now
        ? std::min(previous->level + 1, 30)
        : 0;
    lock.lockedAt = now;
    lock.lockedUntil = now + doubled(rule.lockBaseMs, lock.level, rule.lockCapMs);
    if (verdict.hourlyCapReached)
        lock.lockedUntil = std::max(lock.lockedUntil, verdict.hourlyFreeAt);
    if (!m_store.saveLoginLock(lock))
        return std::nullopt;
    return ImposedLock { kind, verdict.roundFailures, lock.level, lock.lockedUntil - now,
        verdict.hourlyCapReached };
}

LoginAttempt LoginThrottle::begin(const QString &username, const QString &peerAddress, qint64 now)
{
    LoginAttempt attempt;
    attempt.accountKey = accountKey(username);
    attempt.addressKey = addressKey(peerAddress);
    if (now - m_lastPruneMs >= 60'000 || now < m_lastPruneMs) {
        m_lastPruneMs = now;
        const qint64 memory = std::max({ m_policy.account.lockMemoryMs,
            m_policy.address.lockMemoryMs, LoginThrottlePolicy::kHourMs });
        m_store.pruneLoginThrottle(now - memory, now - LoginThrottlePolicy::kHourMs);
    }

    const Verdict account = evaluate(attempt.accountKey, m_policy.account, now);
    const Verdict address = evaluate(attempt.addressKey, m_policy.address, now);
    if (account.refused || address.refused) {
        const struct
        {
            const Verdict &verdict;
            const QString &key;
            const QString &kind;
            const ThrottleRule &rule;
        } sides[] = { { account, attempt.accountKey, kAccount, m_policy.account },
            { address, attempt.addressKey, kAddress, m_policy.address } };
        for (const auto &side : sides) {
            if (!side.verdict.refused)
                continue;
            qint64 wait = side.verdict.retryAfterMs;
            if (auto imposed = impose(side.key, side.kind, side.rule, side.verdict, now)) {
                wait = imposed->durationMs;
                attempt.imposed.append(*imposed);
            }
            if (wait >= attempt.retryAfterMs) {
                attempt.retryAfterMs = wait;
                attempt.refusedBy = side.kind;
            }
        }
        return attempt;
    }
    attempt.allowed = true;
    attempt.delayMs = std::max(account.delayMs, address.delayMs);
    attempt.at = now;
    for (const QString &key : { attempt.accountKey, attempt.addressKey }) {
        m_pending[key].append(now);
        attempt.reservations.append(key);
    }
    return attempt;
}

void LoginThrottle::release(const LoginAttempt &attempt)
{
    for (const QString &key : attempt.reservations) {
        auto it = m_pending.find(key);
        if (it == m_pending.end())
            continue;
        it->removeOne(attempt.at);
        if (it->isEmpty())
            m_pending.erase(it);
    }
}

void LoginThrottle::succeeded(const LoginAttempt &attempt)
{
    release(attempt);
}

QList<ImposedLock> LoginThrottle::failed(const LoginAttempt &attempt, qint64 now)
{
    QList<ImposedLock> imposed;
    release(attempt);
    {
        ServerStore::Transaction tx(m_store); // one write to disk, not two
        for (const QString &key : attempt.reservations)
            m_store.addLoginFailure(key, attempt.at);
        if (tx.ok())
            tx.commit();
    }
    // The failure is counted (from when it began); lock as soon as it reaches the limit, not at the
    // next attempt, so that the lock's length is measured from the last failure.
    const auto check = [&](const QString &key, const QString &kind, const ThrottleRule &rule) {
        const Verdict v = evaluate(key, rule, now);
        if (!v.refused)
            return;
        if (auto lock = impose(key, kind, rule, v, now)) // no-op when already locked
            imposed.append(*lock);
    };
    if (attempt.allowed) {
        check(attempt.accountKey, kAccount, m_policy.account);
        check(attempt.addressKey, kAddress, m_policy.address);
    }
    return imposed;
}

} // namespace acorn::server
