#include "clock.h"
#include "loginthrottle.h"
#include "schema.h"
#include "serverstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace acorn;
using namespace acorn::server;

// The sign-in throttle's figures, over a real SQLite file and a clock the test moves:
// growing delays, growing but capped locks, the per-address limit, attempts in flight,
// at most 100 failures in any hour for an attacker who never stops, a real user who gets
// in when a lock ends, and counters that survive a restart.
class TestLoginThrottle : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ServerStore> m_store;
    ManualClock m_clock { 1'800'000'000'000 };
    static constexpr qint64 kMinute = 60'000;
    const QString kHere = QStringLiteral("192.0.2.10");
    const QString kElsewhere = QStringLiteral("198.51.100.7");

    void openStore()
    {
        m_store.reset();
        auto s = ServerStore::openSqlite(m_dir.filePath(QStringLiteral("acorn.db")), true);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        m_store = std::move(s).value();
    }

    // One wrong password: begin, then failed. Returns the attempt as begin() answered it.
    LoginAttempt fail(LoginThrottle &t, const QString &user, const QString &address)
    {
        LoginAttempt a = t.begin(user, address, m_clock.nowMs());
        if (a.allowed)
            a.imposed = t.failed(a, m_clock.nowMs());
        return a;
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(m_dir.filePath(QStringLiteral("acorn.db")));
        openStore();
    }

    void delaysGrowThenTheAccountLocks()
    {
        LoginThrottle t(*m_store);
        const QList<qint64> expectedDelays { 0, 0, 0, 500, 1000, 2000, 4000, 8000, 8000, 8000 };
        for (int i = 0; i < 10; ++i) {
            const LoginAttempt a = fail(t, QStringLiteral("alex.brown"), kHere);
            QVERIFY2(a.allowed, qPrintable(QStringLiteral("attempt %1 refused").arg(i + 1)));
            QCOMPARE(a.delayMs, expectedDelays[i]);
            if (i < 9)
                QVERIFY(a.imposed.isEmpty());
            else {
                // The 10th failure locks the account at once, for a minute.
                QCOMPARE(a.imposed.size(), 1);
                QCOMPARE(a.imposed[0].kind, QStringLiteral("account"));
                QCOMPARE(a.imposed[0].durationMs, kMinute);
                QCOMPARE(a.imposed[0].failures, 10);
            }
            m_clock.advanceMs(1000);
        }
        const LoginAttempt refused = t.begin(QStringLiteral("alex.brown"), kHere, m_clock.nowMs());
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.refusedBy, QStringLiteral("account"));
        QCOMPARE(refused.retryAfterMs, kMinute - 1000);
        QVERIFY(refused.reservations.isEmpty());
        // Another account from the same place is not affected.
        QVERIFY(t.begin(QStringLiteral("sam.brown"), kHere, m_clock.nowMs()).allowed);
        // Unknown usernames are throttled the same way (nothing tells them apart).
        for (int i = 0; i < 10; ++i)
            QVERIFY(fail(t, QStringLiteral("nobody.here"), kElsewhere).allowed);
        QVERIFY(!t.begin(QStringLiteral("nobody.here"), kElsewhere, m_clock.nowMs()).allowed);
    }

    void locksGrowAndAreCapped()
    {
        LoginThrottle t(*m_store);
        const QList<qint64> expected { 1, 2, 4, 8, 15, 15, 15 };
        for (qint64 minutes : expected) {
            LoginAttempt last;
            for (int i = 0; i < 10; ++i)
                last = fail(t, QStringLiteral("alex.brown"), QStringLiteral("203.0.113.%1").arg(i));
            QVERIFY(last.allowed);
            QCOMPARE(last.imposed.size(), 1);
            QCOMPARE(last.imposed[0].durationMs, minutes * kMinute);
            m_clock.advanceMs(minutes * kMinute);
        }
        // A quiet hour after the last lock: the next lock is short again.
        m_clock.advanceMs(61 * kMinute);
        LoginAttempt last;
        for (int i = 0; i < 10; ++i)
            last = fail(t, QStringLiteral("alex.brown"), kHere);
        QCOMPARE(last.imposed.value(0).durationMs, kMinute);
    }

    void refusedAttemptsDoNotExtendTheLock()
    {
        LoginThrottle t(*m_store);
        for (int i = 0; i < 10; ++i)
            fail(t, QStringLiteral("alex.brown"), kHere);
        for (int s = 0; s < 60; s += 5) {
            const LoginAttempt a = t.begin(QStringLiteral("alex.brown"), kHere, m_clock.nowMs());
            QVERIFY(!a.allowed);
            QCOMPARE(a.retryAfterMs, kMinute - s * 1000);
            m_clock.advanceMs(5000);
        }
        // The lock ends on time, and the right password from another address gets in.
        const LoginAttempt a = t.begin(QStringLiteral("alex.brown"), kElsewhere, m_clock.nowMs());
        QVERIFY(a.allowed);
        QCOMPARE(a.delayMs, 0);
        t.succeeded(a);
    }

    void attemptsInFlightCount()
    {
        // Twenty parallel connections all start an attempt before any answer: only ten
        // get through to the password check.
        LoginThrottle t(*m_store);
        int allowed = 0;
        QList<LoginAttempt> running;
        for (int i = 0; i < 20; ++i) {
            const LoginAttempt a = t.begin(QStringLiteral("alex.brown"),
                QStringLiteral("203.0.113.%1").arg(i), m_clock.nowMs());
            if (a.allowed) {
                ++allowed;
                running.append(a);
            }
        }
        QCOMPARE(allowed, 10);
        // One of them had the right password: it does not count as a failure.
        t.succeeded(running.takeFirst());
        for (const LoginAttempt &a : running)
            t.failed(a, m_clock.nowMs());
        m_clock.advanceMs(kMinute + 1);
        const LoginAttempt after = t.begin(QStringLiteral("alex.brown"), kHere, m_clock.nowMs());
        QVERIFY(after.allowed);
    }

    void successDoesNotCount()
    {
        LoginThrottle t(*m_store);
        for (int i = 0; i < 9; ++i)
            fail(t, QStringLiteral("alex.brown"), kHere);
        const LoginAttempt right = t.begin(QStringLiteral("alex.brown"), kHere, m_clock.nowMs());
        QVERIFY(right.allowed);
        t.succeeded(right);
        QCOMPARE(
            m_store->loginFailureTimes(LoginThrottle::accountKey(QStringLiteral("alex.brown")), 0)
                .size(),
            9);
        const LoginAttempt tenth = fail(t, QStringLiteral("alex.brown"), kHere);
        QCOMPARE(tenth.imposed.size(), 1);
    }

    void addressLimitStopsPasswordSpraying()
    {
        LoginThrottle t(*m_store);
        for (int i = 0; i < 30; ++i) {
            const LoginAttempt a = fail(t, QStringLiteral("user%1").arg(i), kHere);
            QVERIFY(a.allowed);
            QCOMPARE(a.delayMs, i < 10 ? 0 : std::min<qint64>(250LL << (i - 10), 4000));
        }
        const LoginAttempt a = t.begin(QStringLiteral("someone.else"), kHere, m_clock.nowMs());
        QVERIFY(!a.allowed);
        QCOMPARE(a.refusedBy, QStringLiteral("address"));
        QCOMPARE(a.retryAfterMs, kMinute);
        // Elsewhere, the same accounts are fine.
        QVERIFY(t.begin(QStringLiteral("user1"), kElsewhere, m_clock.nowMs()).allowed);
    }

    void ipv6AddressesAreCountedByPrefix()
    {
        QCOMPARE(LoginThrottle::addressKey(QStringLiteral("2001:db8:1:2:aaaa::1")),
            LoginThrottle::addressKey(QStringLiteral("2001:db8:1:2:bbbb:cccc:dddd:2")));
        QVERIFY(LoginThrottle::addressKey(QStringLiteral("2001:db8:1:3::1"))
            != LoginThrottle::addressKey(QStringLiteral("2001:db8:1:2::1")));
        QCOMPARE(LoginThrottle::addressKey(QStringLiteral("::ffff:192.0.2.10")),
            LoginThrottle::addressKey(kHere));
        // Keys hold no username.
        QVERIFY(!LoginThrottle::accountKey(QStringLiteral("alex.brown"))
                     .contains(QStringLiteral("alex")));
        QCOMPARE(LoginThrottle::accountKey(QStringLiteral(" Alex.Brown ")),
            LoginThrottle::accountKey(QStringLiteral("alex.brown")));
    }

    // An attacker who tries again the moment they may, for six hours, from addresses that
    // change every attempt; a real user who tries once a lock has ended.
    void neverMoreThan100FailuresInAnHourAndNeverLockedForGood()
    {
        LoginThrottle t(*m_store);
        QList<qint64> failures;
        qint64 longestRefusal = 0;
        qint64 refusedSince = -1;
        const qint64 start = m_clock.nowMs();
        int n = 0;
        while (m_clock.nowMs() - start < 6 * 60 * kMinute) {
            const LoginAttempt a = t.begin(QStringLiteral("lee.lead"),
                QStringLiteral("10.%1.%2.1").arg(n / 250).arg(n % 250), m_clock.nowMs());
            ++n;
            if (a.allowed) {
                if (refusedSince >= 0)
                    longestRefusal = std::max(longestRefusal, m_clock.nowMs() - refusedSince);
                refusedSince = -1;
                failures.append(m_clock.nowMs());
                m_clock.advanceMs(a.delayMs); // the attacker waits out the delay
                t.failed(a, m_clock.nowMs());
                m_clock.advanceMs(100);
            } else {
                if (refusedSince < 0)
                    refusedSince = m_clock.nowMs();
                QVERIFY(a.retryAfterMs > 0);
                QVERIFY(a.retryAfterMs <= 15 * kMinute);
                m_clock.advanceMs(a.retryAfterMs); // and tries again the moment the lock ends
            }
        }
        int worstHour = 0;
        for (int i = 0; i < failures.size(); ++i) {
            const auto end = std::lower_bound(
                failures.cbegin() + i, failures.cend(), failures[i] + 60 * kMinute);
            worstHour = std::max(worstHour, static_cast<int>(end - (failures.cbegin() + i)));
        }
        qInfo("attacker: %lld failed attempts in 6 hours, at most %d in any hour; longest lock "
              "%lld s",
            static_cast<long long>(failures.size()), worstHour,
            static_cast<long long>(longestRefusal / 1000));
        QVERIFY2(worstHour <= 100, qPrintable(QString::number(worstHour)));
        QVERIFY(worstHour <= 70);
        QVERIFY(longestRefusal <= 15 * kMinute);
        QVERIFY(
            failures.size() > 100); // the attacker is slowed, not the real user locked out for good

        // The moment the current lock ends, the real user gets in from home.
        LoginAttempt a = t.begin(QStringLiteral("lee.lead"), kElsewhere, m_clock.nowMs());
        if (!a.allowed) {
            m_clock.advanceMs(a.retryAfterMs);
            a = t.begin(QStringLiteral("lee.lead"), kElsewhere, m_clock.nowMs());
        }
        QVERIFY(a.allowed);
        t.succeeded(a);
    }

    void hourlyCeilingHoldsWithShortLocks()
    {
        // Even with locks tuned too short, no hour has more than the ceiling.
        LoginThrottlePolicy p;
        p.account.lockBaseMs = 1000;
        p.account.lockCapMs = 1000;
        p.account.delayFrom = 1000;
        LoginThrottle t(*m_store, p);
        int allowed = 0;
        qint64 retry = 0;
        for (int i = 0; i < 2000; ++i) {
            const LoginAttempt a = t.begin(QStringLiteral("alex.brown"),
                QStringLiteral("10.0.%1.%2").arg(i / 250).arg(i % 250), m_clock.nowMs());
            if (a.allowed) {
                ++allowed;
                t.failed(a, m_clock.nowMs());
            } else {
                retry = a.retryAfterMs;
            }
            m_clock.advanceMs(1000);
        }
        // 2000 s is well inside an hour.
        QCOMPARE(allowed, 100);
        QVERIFY(retry > 15 * kMinute); // waits until the oldest failure is an hour old
    }

    void countersSurviveARestart()
    {
        {
            LoginThrottle t(*m_store);
            for (int i = 0; i < 10; ++i)
                fail(t, QStringLiteral("alex.brown"), kHere);
            for (int i = 0; i < 5; ++i)
                fail(t, QStringLiteral("sam.brown"), kElsewhere);
        }
        openStore(); // the server restarts
        m_clock.advanceMs(10'000);
        LoginThrottle t(*m_store);
        const LoginAttempt locked = t.begin(QStringLiteral("alex.brown"), kHere, m_clock.nowMs());
        QVERIFY(!locked.allowed);
        QCOMPARE(locked.retryAfterMs, kMinute - 10'000);
        // Sam's five failures still count: the next attempt is delayed.
        const LoginAttempt sam = t.begin(QStringLiteral("sam.brown"), kElsewhere, m_clock.nowMs());
        QVERIFY(sam.allowed);
        QCOMPARE(sam.delayMs, 2000);
    }

    void attemptsInFlightAtACrashAreNotFailures()
    {
        // A server killed while it checks passwords (tst_crash_kill) must not leave those
        // sign-ins counted as failures: they never got a verdict, and a few crashes would
        // otherwise lock real users out.
        {
            LoginThrottle t(*m_store);
            for (int i = 0; i < 9; ++i)
                QVERIFY(t.begin(QStringLiteral("nina.nursery"), kHere, m_clock.nowMs()).allowed);
            // ...the server dies here, no verdict given.
        }
        openStore();
        m_clock.advanceMs(1000);
        LoginThrottle t(*m_store);
        const LoginAttempt a = t.begin(QStringLiteral("nina.nursery"), kHere, m_clock.nowMs());
        QVERIFY(a.allowed);
        QCOMPARE(a.delayMs, 0);
        // A failure with a verdict is written, and counts after a restart.
        t.failed(a, m_clock.nowMs());
        openStore();
        LoginThrottle t2(*m_store);
        for (int i = 0; i < 9; ++i)
            fail(t2, QStringLiteral("nina.nursery"), kHere);
        QVERIFY(!t2.begin(QStringLiteral("nina.nursery"), kHere, m_clock.nowMs()).allowed);
    }

    void aVersion1DatabaseMigratesWithItsSessions()
    {
        // A school's database from before schema 2: its sessions keep working.
        const QString path = m_dir.filePath(QStringLiteral("v1.db"));
        {
            QSqlDatabase raw
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QStringList statements = schema::migrationStep(1, SqlDialect::Sqlite);
            statements
                << QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
                << QStringLiteral(
                       "INSERT INTO users (id, username, display_name, role, state, created_at) "
                       "VALUES (1, 'lee.lead', 'Lee', 'lead', 'active', 0)")
                << QStringLiteral("INSERT INTO sessions (user_id, token_hash, device, created_at, "
                                  "last_used_at) "
                                  "VALUES (1, x'00ff', 'tablet', 5, 6)");
            for (const QString &sql : statements)
                QVERIFY2(q.exec(sql), qPrintable(sql));
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        auto store = ServerStore::openSqlite(path, false);
        QVERIFY2(store.ok(), qPrintable(store.error()));
        QCOMPARE(store.value()->schemaVersion(), schema::latestVersion());
        const auto session = store.value()->sessionByTokenHash(QByteArray::fromHex("00ff"));
        QVERIFY(session);
        QCOMPARE(session->device, QStringLiteral("tablet"));
        const QList<SessionRecord> all = store.value()->sessionsOfUser(1);
        QCOMPARE(all.size(), 1);
        QCOMPARE(all[0].revokedAt, 0);
        QVERIFY(store.value()->loginFailureTimes(QStringLiteral("account:x"), 0).isEmpty());
    }

    void oldCountersArePruned()
    {
        LoginThrottle t(*m_store);
        for (int i = 0; i < 10; ++i)
            fail(t, QStringLiteral("alex.brown"), kHere);
        m_clock.advanceMs(3 * 60 * kMinute);
        t.succeeded(t.begin(QStringLiteral("sam.brown"), kHere, m_clock.nowMs()));
        QVERIFY(
            m_store->loginFailureTimes(LoginThrottle::accountKey(QStringLiteral("alex.brown")), 0)
                .isEmpty());
        QVERIFY(!m_store->loginLock(LoginThrottle::accountKey(QStringLiteral("alex.brown"))));
    }
};

QTEST_GUILESS_MAIN(TestLoginThrottle)
#include "tst_loginthrottle.moc"
