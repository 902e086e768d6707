#pragma once

#include <QHash>
#include <QList>
#include <QStringList>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace acorn::server {

class ServerStore;

// How one kind of counter (per account, or per source address) slows and then stops
// failed sign-ins. Failures are counted in a "round": those of the last `roundWindowMs`
// that came after the key's last lock was imposed.
struct ThrottleRule
{
    // From this many failures in the round, each further attempt waits before it is
    // checked: delayBaseMs, doubling with every failure, at most delayCapMs.
    int delayFrom = 3;
    qint64 delayBaseMs = 500;
    qint64 delayCapMs = 8'000;
    // This many failures in the round lock the key for lockBaseMs; a lock imposed less
    // than lockMemoryMs after the previous one ended lasts twice as long, up to lockCapMs.
    int lockAfter = 10;
    qint64 roundWindowMs = 15 * 60'000;
    qint64 lockBaseMs = 60'000;
    qint64 lockCapMs = 15 * 60'000;
    qint64 lockMemoryMs = 60 * 60'000;
    // Whatever the rounds and locks allow, never more failures than this in any hour.
    int hourlyCap = 100;
};

struct LoginThrottlePolicy
{
    // Per account (by username, known or not). At most 100 failures per hour (OWASP
    // ASVS 2.2.1); with the locks below an attacker gets about 70 in the first hour and
    // 40 an hour after that. The longest lock is 15 minutes, so nobody is locked out for
    // good, and refused attempts do not count, so hammering does not extend a lock.
    ThrottleRule account;
    // Per source address (IPv4 address, or the /64 of an IPv6 address): password
    // spraying over many accounts from one place.
    ThrottleRule address { 10, 250, 4'000, 30, 15 * 60'000, 60'000, 60 * 60'000, 60 * 60'000, 300 };

    static constexpr qint64 kHourMs = 60 * 60'000;
};

// A lock the throttle imposed, for the audit log.
struct ImposedLock
{
    QString kind; // "account" | "address"
    int failures = 0; // failures that led to it
    int level = 0; // 0 for the first lock, +1 for each lock that follows closely
    qint64 durationMs = 0;
    bool hourlyCap = false; // imposed because the hourly ceiling was reached
};

// One sign-in attempt as the throttle sees it: allowed (after a delay) or refused (for how
// long). An allowed attempt is counted as a failure from the start (in this process's
// memory), so concurrent attempts cannot slip past the limits; succeeded() takes it back and
// failed() writes it to the database. An attempt in flight when the server stops (or is
// killed) never got a verdict and is not counted: crashes cannot lock real users out.
struct LoginAttempt
{
    bool allowed = false;
    qint64 delayMs = 0;
    qint64 retryAfterMs = 0; // refused: when trying again makes sense
    QString refusedBy; // refused: "account" | "address"
    QList<ImposedLock> imposed; // locks imposed by this refusal
    QStringList reservations; // keys this attempt holds a pending failure under
    qint64 at = 0; // when it began
    QString accountKey;
    QString addressKey;
};

// Slows and then refuses failed sign-ins (passwords and activation codes) per account and
// per source address, with its counters in the database so that they survive a restart.
// It decides; SyncService applies the delay (a timer, never blocking the event loop) and
// writes the audit entries. It never stores a username or password: account keys are
// SHA-256 of the normalised username.
class LoginThrottle
{
public:
    explicit LoginThrottle(ServerStore &store, LoginThrottlePolicy policy = {});

    const LoginThrottlePolicy &policy() const { return m_policy; }
    void setPolicy(const LoginThrottlePolicy &policy) { m_policy = policy; }

    // Before checking a password or code: refused, or allowed after delayMs.
    LoginAttempt begin(const QString &username, const QString &peerAddress, qint64 now);
    // The password or code was right: the attempt no longer counts.
    void succeeded(const LoginAttempt &attempt);
    // The attempt never reached a check (the connection closed while it waited).
    void abandoned(const LoginAttempt &attempt) { succeeded(attempt); }
    // The password or code was wrong: returns the locks this failure imposed.
    QList<ImposedLock> failed(const LoginAttempt &attempt, qint64 now);

    static QString accountKey(const QString &username);
    // IPv4 (also IPv4-mapped IPv6) as is; IPv6 by its /64 prefix, which one host holds.
    static QString addressKey(const QString &peerAddress);

private:
    struct Verdict
    {
        bool refused = false;
        qint64 retryAfterMs = 0;
        qint64 delayMs = 0;
        int roundFailures = 0;
        bool hourlyCapReached = false;
        qint64 hourlyFreeAt = 0; // when the hourly count drops below the cap
    };
    Verdict evaluate(const QString &key, const ThrottleRule &rule, qint64 now);
    std::optional<ImposedLock> impose(const QString &key, const QString &kind,
        const ThrottleRule &rule, const Verdict &verdict, qint64 now);

    ServerStore &m_store;
    LoginThrottlePolicy m_policy;
    // Removes this attempt's pending failures.
    void release(const LoginAttempt &attempt);

    qint64 m_lastPruneMs = 0;
    // Attempts allowed and not yet decided, by key: their start times.
    QHash<QString, QList<qint64>> m_pending;
};

} // namespace acorn::server
