#include "certificategenerator.h"
#include "clock.h"
#include "crypto.h"
#include "framecodec.h"
#include "mediastore.h"
#include "schoolimporter.h"
#include "serverstore.h"
#include "sessionadmin.h"
#include "syncserver.h"
#include "syncservice.h"
#include "testserver.h"
#include "totp.h"
#include "twofactoradmin.h"
#include "wireconnection.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>

using namespace acorn;
using namespace acorn::server;
using acorn::test::describe;
using acorn::test::isError;
using acorn::test::WireConnection;

namespace {

constexpr qint64 kMinute = 60'000;
constexpr qint64 kDay = 24 * 60 * kMinute;

// The real SyncServer in this process, over real TLS on 127.0.0.1, with a clock the test
// moves and sign-in delays short enough to measure.
struct ServerUnderTest
{
    QTemporaryDir dir;
    ManualClock clock {
        QDateTime(QDate(2026, 11, 2), QTime(9, 0), QTimeZone("Europe/London")).toMSecsSinceEpoch()
    };
    std::unique_ptr<ServerStore> store;
    std::unique_ptr<MediaStore> media;
    std::unique_ptr<SyncService> service;
    std::unique_ptr<SyncServer> server;
    QSslConfiguration tls;
    ConnectionLimits limits;
    LoginThrottlePolicy policy;
    QMap<QString, QString> activationCodes;
    quint16 port = 0;

    ServerUnderTest()
    {
        // Delays of 100 ms doubling to 400 ms: the same shape as production, faster.
        policy.account.delayBaseMs = 100;
        policy.account.delayCapMs = 400;
        policy.address.delayBaseMs = 50;
        policy.address.delayCapMs = 200;
    }

    QString setUp()
    {
        if (!dir.isValid())
            return QStringLiteral("no temporary directory");
        if (QString e = openStore(); !e.isEmpty())
            return e;
        SchoolImporter importer(*store, clock);
        auto imported = importer.importJson(acorn::test::smallSchoolJson(), QStringLiteral("test"));
        if (!imported)
            return imported.error();
        activationCodes = imported->activationCodes;
        for (const UserRecord &u : store->users()) {
            if (u.username == QLatin1String("sam.brown"))
                continue; // stays invited: activation tests
            auto h = crypto::hashPassword(QStringLiteral("pass-%1").arg(u.username), { 10, 8, 1 });
            if (!h || !store->setPassword(u.id, h.value()))
                return QStringLiteral("cannot set a password");
        }
        auto dummy = crypto::hashPassword(QStringLiteral("dummy"), { 10, 8, 1 });
        store->setMeta(QStringLiteral("dummy_password_hash"), dummy.value());
        const QString cert = dir.filePath(QStringLiteral("tls/cert.pem"));
        const QString key = dir.filePath(QStringLiteral("tls/key.pem"));
        if (Status s
            = CertificateGenerator::generate({ cert, key }, { QStringLiteral("127.0.0.1") });
            !s)
            return s.error();
        auto loaded = loadServerTls(cert, key);
        if (!loaded)
            return loaded.error();
        tls = loaded.value();
        return start();
    }

    QString openStore()
    {
        auto s = ServerStore::openSqlite(dir.filePath(QStringLiteral("acorn.db")), true);
        if (!s)
            return s.error();
        store = std::move(s).value();
        media = std::make_unique<MediaStore>(dir.filePath(QStringLiteral("media")));
        return media->ensureLayout() ? QString() : QStringLiteral("no media store");
    }

    QString start()
    {
        service = std::make_unique<SyncService>(*store, *media, clock);
        service->setPasswordParams({ 10, 8, 1 }); // as the accounts' hashes: none is replaced
        service->setThrottlePolicy(policy);
        server = std::make_unique<SyncServer>(*service, tls, limits);
        if (!server->listen(QHostAddress::LocalHost, 0))
            return server->errorString();
        port = server->serverPort();
        return {};
    }

    void stop()
    {
        server.reset();
        service.reset();
    }

    // A restart: everything in memory goes, the database stays.
    QString restart()
    {
        stop();
        store.reset();
        media.reset();
        if (QString e = openStore(); !e.isEmpty())
            return e;
        return start();
    }

    QList<ServerStore::AuditEntry> audit(const QString &action)
    {
        QList<ServerStore::AuditEntry> out;
        for (const auto &e : store->auditSince(0)) {
            if (e.action == action)
                out.append(e);
        }
        return out;
    }
};

// A TLS handshake by OpenSSL itself, so the test controls exactly what the client offers
// (old protocol versions, weak suites) whatever Qt allows. Runs on its own thread while
// the in-process server keeps serving on this one.
struct RawHandshake
{
    bool connected = false;
    bool refusedLocally = false; // this OpenSSL would not even offer it
    QString version;
    QString error;
};

RawHandshake rawHandshake(quint16 port, int minVersion, int maxVersion, const char *ciphers)
{
    RawHandshake r;
    std::atomic<bool> done = false;
    std::thread worker([&] {
        SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
        SSL_CTX_set_security_level(ctx, 0);
        SSL_CTX_set_min_proto_version(ctx, minVersion);
        SSL_CTX_set_max_proto_version(ctx, maxVersion);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
        if (ciphers && SSL_CTX_set_cipher_list(ctx, ciphers) != 1) {
            r.refusedLocally = true;
            r.error = QStringLiteral("cipher list refused");
        }
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        timeval tv { 10, 0 };
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (!r.refusedLocally
            && ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0) {
            SSL *ssl = SSL_new(ctx);
            SSL_set_fd(ssl, fd);
            ERR_clear_error();
            if (SSL_connect(ssl) == 1) {
                r.connected = true;
                r.version = QString::fromLatin1(SSL_get_version(ssl));
                SSL_shutdown(ssl);
            } else {
                char buf[256] = {};
                const unsigned long e = ERR_peek_last_error();
                ERR_error_string_n(e, buf, sizeof buf);
                r.error = QString::fromLatin1(buf);
                r.refusedLocally = ERR_GET_REASON(e) == SSL_R_NO_PROTOCOLS_AVAILABLE
                    || ERR_GET_REASON(e) == SSL_R_NO_CIPHERS_AVAILABLE;
            }
            SSL_free(ssl);
        }
        ::close(fd);
        SSL_CTX_free(ctx);
        done = true;
    });
    (void)QTest::qWaitFor([&] { return done.load(); }, 20000); // the socket times out after 10 s
    worker.join();
    return r;
}

} // namespace

// Sign-in throttling, session lifetimes and TLS hardening of the real server over real
// TLS. The clock is the test's; the sign-in delays are real timers (shortened).
class TestSecurityTls : public QObject
{
    Q_OBJECT

    std::unique_ptr<ServerUnderTest> m_s;

    WireConnection *connectAndHello(std::unique_ptr<WireConnection> &c)
    {
        c = std::make_unique<WireConnection>();
        if (!c->open(m_s->port))
            return nullptr;
        if (!c->hello().has_hello_reply())
            return nullptr;
        return c.get();
    }

private slots:
    void init()
    {
        m_s = std::make_unique<ServerUnderTest>();
        const QString e = m_s->setUp();
        QVERIFY2(e.isEmpty(), qPrintable(e));
    }
    void cleanup() { m_s.reset(); }

    // ------------------------------------------------------------------ sign-in throttling

    void failedSignInsAreSlowedThenRefused()
    {
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        QList<qint64> took;
        for (int i = 0; i < 10; ++i) {
            QElapsedTimer t;
            t.start();
            const wire::Frame r
                = c->login(QStringLiteral("alex.brown"), QStringLiteral("wrong guess"));
            took.append(t.elapsed());
            QVERIFY2(isError(r, wire::Error::AUTH_FAILED), qPrintable(describe(r)));
        }
        // 100, 200, 400, 400 ... ms before the 4th to 10th answers. Delays only add time, so
        // the lower bounds hold however busy the machine; that the 3rd answer was not held
        // back is checked against the 6th (held 400 ms), not against a wall-clock bound
        // (a password check alone takes ~100 ms under the sanitizers).
        QVERIFY2(took[2] + 200 < took[5], qPrintable(QStringLiteral("%1 vs %2").arg(took[2]).arg(took[5])));
        QVERIFY(took[3] >= 100);
        QVERIFY(took[4] >= 200);
        QVERIFY(took[5] >= 400);
        const wire::Frame refused
            = c->login(QStringLiteral("alex.brown"), QStringLiteral("pass-alex.brown"));
        QVERIFY2(isError(refused, wire::Error::THROTTLED), qPrintable(describe(refused)));
        QCOMPARE(refused.error().retry_after_seconds(), 60u);
        QVERIFY(QString::fromStdString(refused.error().message())
                    .contains(QStringLiteral("wait 60 seconds")));

        // Audited: ten failures and one lock, with who, what and from where.
        QCOMPARE(m_s->audit(QStringLiteral("login")).size(), 10);
        const auto locks = m_s->audit(QStringLiteral("login-throttle"));
        QCOMPARE(locks.size(), 1);
        QCOMPARE(locks[0].actor, QStringLiteral("alex.brown"));
        QCOMPARE(locks[0].target, QStringLiteral("127.0.0.1"));
        QVERIFY2(locks[0].detail.contains(
                     QStringLiteral("account locked for 60 s after 10 failed sign-ins")),
            qPrintable(locks[0].detail));

        // Hammering during the lock changes nothing; when it ends, the right password works.
        for (int i = 0; i < 20; ++i)
            QVERIFY(isError(c->login(QStringLiteral("alex.brown"), QStringLiteral("x")),
                wire::Error::THROTTLED));
        m_s->clock.advanceMs(kMinute);
        const wire::Frame ok
            = c->login(QStringLiteral("alex.brown"), QStringLiteral("pass-alex.brown"));
        QVERIFY2(ok.has_login_reply(), qPrintable(describe(ok)));
    }

    void theDelayNeverBlocksTheServer()
    {
        LoginThrottlePolicy slow = m_s->policy;
        slow.account.delayFrom = 1;
        slow.account.delayBaseMs = 3000;
        slow.account.delayCapMs = 3000;
        m_s->service->setThrottlePolicy(slow);
        std::unique_ptr<WireConnection> attacker;
        QVERIFY(connectAndHello(attacker));
        QVERIFY(isError(attacker->login(QStringLiteral("lee.lead"), QStringLiteral("nope")),
            wire::Error::AUTH_FAILED));

        // The next attempt waits 3 s; meanwhile another device is served at once.
        wire::Frame f;
        f.set_request_id(99);
        f.mutable_login()->set_username("lee.lead");
        f.mutable_login()->set_password("nope again");
        attacker->socket().write(encodeFrame(f));
        QElapsedTimer t;
        t.start();
        std::unique_ptr<WireConnection> other;
        QVERIFY(connectAndHello(other));
        const wire::Frame ok
            = other->login(QStringLiteral("nina.nursery"), QStringLiteral("pass-nina.nursery"));
        QVERIFY2(ok.has_login_reply(), qPrintable(describe(ok)));
        QVERIFY2(t.elapsed() < 2500, qPrintable(QString::number(t.elapsed())));
        // The delayed connection may not send anything else meanwhile.
        wire::Frame pull;
        pull.mutable_pull();
        const wire::Frame busy = attacker->call(pull);
        QVERIFY2(isError(busy, wire::Error::BAD_REQUEST) || isError(busy, wire::Error::AUTH_FAILED),
            qPrintable(describe(busy)));
    }

    void addressLimitStopsPasswordSpraying()
    {
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        for (int i = 0; i < 30; ++i) {
            const wire::Frame r
                = c->login(QStringLiteral("guess%1").arg(i), QStringLiteral("Password1"));
            QVERIFY2(isError(r, wire::Error::AUTH_FAILED), qPrintable(describe(r)));
        }
        // Now even a real user signing in from the same address waits.
        const wire::Frame r
            = c->login(QStringLiteral("nina.nursery"), QStringLiteral("pass-nina.nursery"));
        QVERIFY2(isError(r, wire::Error::THROTTLED), qPrintable(describe(r)));
        QVERIFY(QString::fromStdString(r.error().message())
                    .contains(QStringLiteral("from this network")));
        QVERIFY(m_s->audit(QStringLiteral("login-throttle"))
                    .value(0)
                    .detail.startsWith(QStringLiteral("address locked")));
        m_s->clock.advanceMs(kMinute);
        QVERIFY(c->login(QStringLiteral("nina.nursery"), QStringLiteral("pass-nina.nursery"))
                    .has_login_reply());
    }

    void activationCodesAreThrottled()
    {
        const QString code = m_s->activationCodes.value(QStringLiteral("sam.brown"));
        QVERIFY(!code.isEmpty());
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        for (int i = 0; i < 10; ++i) {
            const wire::Frame r = c->activate(QStringLiteral("sam.brown"),
                QStringLiteral("AAAAA-BBBBB-CCCC%1").arg(i), QStringLiteral("a new password"));
            QVERIFY2(isError(r, wire::Error::AUTH_FAILED), qPrintable(describe(r)));
        }
        // Even the right code waits for the lock to end.
        const wire::Frame refused
            = c->activate(QStringLiteral("sam.brown"), code, QStringLiteral("a new password"));
        QVERIFY2(isError(refused, wire::Error::THROTTLED), qPrintable(describe(refused)));
        QCOMPARE(refused.error().retry_after_seconds(), 60u);
        QCOMPARE(m_s->audit(QStringLiteral("login-throttle")).size(), 1);
        m_s->clock.advanceMs(kMinute);
        const wire::Frame ok
            = c->activate(QStringLiteral("sam.brown"), code, QStringLiteral("a new password"));
        QVERIFY2(ok.has_login_reply(), qPrintable(describe(ok)));
    }

    void theThrottleSurvivesARestart()
    {
        {
            std::unique_ptr<WireConnection> c;
            QVERIFY(connectAndHello(c));
            for (int i = 0; i < 10; ++i)
                QVERIFY(isError(c->login(QStringLiteral("lee.lead"), QStringLiteral("no")),
                    wire::Error::AUTH_FAILED));
        }
        QCOMPARE(m_s->restart(), QString());
        m_s->clock.advanceMs(20'000);
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        const wire::Frame r = c->login(QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"));
        QVERIFY2(isError(r, wire::Error::THROTTLED), qPrintable(describe(r)));
        QCOMPARE(r.error().retry_after_seconds(), 40u);
    }

    // ------------------------------------------------------------------ two-factor sign-in

    // The TOTP secret the IT manager's command stored for an account.
    QByteArray enrol(const QString &username)
    {
        const TwoFactorAdmin admin(*m_s->store, m_s->clock);
        const auto enrolled = admin.enrol(username, QStringLiteral("admin:test"));
        if (!enrolled)
            return {};
        const auto user = m_s->store->userByUsername(username);
        return user
            ? m_s->store->twoFactor(user->id).value_or(ServerStore::TwoFactorRecord {}).secret
            : QByteArray();
    }
    QString codeNow(const QByteArray &secret, qint64 stepOffset = 0)
    {
        return Totp::code(secret, Totp::stepAt(m_s->clock.nowMs()) + stepOffset);
    }

    void twoFactorAccountsNeedTheCodeOnce()
    {
        const QByteArray secret = enrol(QStringLiteral("lee.lead"));
        QCOMPARE(secret.size(), Totp::kSecretBytes);
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));

        // The right password alone is not enough, and says so.
        const wire::Frame bare
            = c->login(QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"));
        QVERIFY2(isError(bare, wire::Error::SECOND_FACTOR_REQUIRED), qPrintable(describe(bare)));
        QVERIFY(bare.error().message().find("authenticator") != std::string::npos);
        QVERIFY(bare.login_reply().token().empty());
        QVERIFY(isError(c->pull(), wire::Error::UNAUTHENTICATED));

        // A wrong password with the right code is still a wrong password.
        const QString code = codeNow(secret);
        const wire::Frame wrongPassword
            = c->login(QStringLiteral("lee.lead"), QStringLiteral("nope"), code);
        QVERIFY2(
            isError(wrongPassword, wire::Error::AUTH_FAILED), qPrintable(describe(wrongPassword)));

        // Password and code: signed in.
        const wire::Frame ok
            = c->login(QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"), code);
        QVERIFY2(ok.has_login_reply(), qPrintable(describe(ok)));
        QCOMPARE(ok.login_reply().token().size(), 32u);
        QVERIFY(c->pull().has_pull_reply());

        // The same code again, from another device, within its 30 seconds: refused.
        std::unique_ptr<WireConnection> other;
        QVERIFY(connectAndHello(other));
        const wire::Frame replay
            = other->login(QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"), code);
        QVERIFY2(isError(replay, wire::Error::AUTH_FAILED), qPrintable(describe(replay)));
        QVERIFY(replay.error().message().find("used already") != std::string::npos);
        // ... and an older code too; the next one works.
        QVERIFY(isError(other->login(QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"),
                            codeNow(secret, -1)),
            wire::Error::AUTH_FAILED));
        m_s->clock.advanceMs(Totp::kStepSeconds * 1000);
        const wire::Frame next = other->login(
            QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"), codeNow(secret));
        QVERIFY2(next.has_login_reply(), qPrintable(describe(next)));

        // Audited: two sign-ins with the second factor, two refused codes.
        QCOMPARE(m_s->audit(QStringLiteral("login-2fa")).size(), 2);
        int refusedCodes = 0;
        for (const auto &e : m_s->audit(QStringLiteral("login")))
            refusedCodes += e.detail == QLatin1String("failure: second factor") ? 1 : 0;
        QCOMPARE(refusedCodes, 2);
        QCOMPARE(m_s->audit(QStringLiteral("user-2fa")).size(), 1);
    }

    void wrongCodesCountTowardTheThrottle()
    {
        const QByteArray secret = enrol(QStringLiteral("nina.nursery"));
        QVERIFY(!secret.isEmpty());
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        // Asking for the code is no failed guess: these never lock the account.
        for (int i = 0; i < 12; ++i)
            QVERIFY(isError(
                c->login(QStringLiteral("nina.nursery"), QStringLiteral("pass-nina.nursery")),
                wire::Error::SECOND_FACTOR_REQUIRED));
        const QString right = codeNow(secret);
        int wrongSent = 0;
        for (int i = 0; wrongSent < 10; ++i) {
            const QString guess = QStringLiteral("%1").arg(i, 6, 10, QLatin1Char('0'));
            if (guess == right || guess == codeNow(secret, -1) || guess == codeNow(secret, 1))
                continue;
            const wire::Frame r = c->login(
                QStringLiteral("nina.nursery"), QStringLiteral("pass-nina.nursery"), guess);
            QVERIFY2(isError(r, wire::Error::AUTH_FAILED), qPrintable(describe(r)));
            ++wrongSent;
        }
        // Ten wrong codes lock the account like ten wrong passwords: even the right code waits.
        const wire::Frame refused
            = c->login(QStringLiteral("nina.nursery"), QStringLiteral("pass-nina.nursery"), right);
        QVERIFY2(isError(refused, wire::Error::THROTTLED), qPrintable(describe(refused)));
        QCOMPARE(m_s->audit(QStringLiteral("login-throttle")).size(), 1);
        m_s->clock.advanceMs(kMinute);
        const wire::Frame ok = c->login(
            QStringLiteral("nina.nursery"), QStringLiteral("pass-nina.nursery"), codeNow(secret));
        QVERIFY2(ok.has_login_reply(), qPrintable(describe(ok)));
    }

    void anActivationCodeNeverStandsInForTheSecondFactor()
    {
        const QString activation = m_s->activationCodes.value(QStringLiteral("sam.brown"));
        QVERIFY(!activation.isEmpty());
        // Parents may be enrolled only when the school switched it on.
        const TwoFactorAdmin admin(*m_s->store, m_s->clock);
        QVERIFY(!admin.enrol(QStringLiteral("sam.brown"), QStringLiteral("admin:test")));
        QVERIFY(admin.setParentsAllowed(true, QStringLiteral("admin:test")));
        const QByteArray secret = enrol(QStringLiteral("sam.brown"));
        QVERIFY(!secret.isEmpty());
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        const wire::Frame activated = c->activate(
            QStringLiteral("sam.brown"), activation, QStringLiteral("a new password"));
        QVERIFY2(isError(activated, wire::Error::SECOND_FACTOR_REQUIRED),
            qPrintable(describe(activated)));
        QVERIFY(isError(c->pull(), wire::Error::UNAUTHENTICATED));
        const wire::Frame ok = c->login(
            QStringLiteral("sam.brown"), QStringLiteral("a new password"), codeNow(secret));
        QVERIFY2(ok.has_login_reply(), qPrintable(describe(ok)));
        // A reset (a lost phone) ends the sessions; then the password alone signs in.
        QVERIFY(admin.reset(QStringLiteral("sam.brown"), QStringLiteral("admin:test")));
        QVERIFY(isError(c->pull(), wire::Error::UNAUTHENTICATED));
        QVERIFY(c->login(QStringLiteral("sam.brown"), QStringLiteral("a new password"))
                    .has_login_reply());
    }

    // ------------------------------------------------------------------ sessions

    void everySignInIssuesANewToken()
    {
        std::unique_ptr<WireConnection> a, b;
        QVERIFY(connectAndHello(a));
        QVERIFY(connectAndHello(b));
        const wire::Frame first
            = a->login(QStringLiteral("rob.reception"), QStringLiteral("pass-rob.reception"));
        const wire::Frame second
            = b->login(QStringLiteral("rob.reception"), QStringLiteral("pass-rob.reception"));
        QVERIFY(first.has_login_reply() && second.has_login_reply());
        QCOMPARE(first.login_reply().token().size(), 32u);
        QVERIFY(first.login_reply().token() != second.login_reply().token());
        // Each device has its own session, listed for the IT manager.
        SessionAdmin admin(*m_s->store, m_s->clock, {});
        const auto listed = admin.list(QStringLiteral("rob.reception"), QTimeZone::utc());
        QVERIFY(listed.ok());
        const QJsonArray sessions = listed->value(QStringLiteral("sessions")).toArray();
        QCOMPARE(sessions.size(), 2);
        for (const auto &s : sessions) {
            QCOMPARE(s[QStringLiteral("state")].toString(), QStringLiteral("active"));
            QCOMPARE(s[QStringLiteral("device")].toString(), QStringLiteral("test tablet"));
            QVERIFY(
                s[QStringLiteral("expires")].toString().startsWith(QStringLiteral("2026-12-02")));
        }
    }

    void sessionsEndAfterTheIdleTimeAndTheMaximumAge()
    {
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        const wire::Frame login
            = c->login(QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"));
        QVERIFY(login.has_login_reply());
        const std::string token = login.login_reply().token();
        QVERIFY(c->pull().has_pull_reply());

        // Used every 29 days, the session lives on ... (from a new connection each time)
        for (int i = 0; i < 6; ++i) {
            m_s->clock.advanceMs(29 * kDay);
            std::unique_ptr<WireConnection> d;
            QVERIFY(connectAndHello(d));
            const wire::Frame r = d->tokenLogin(token);
            QVERIFY2(r.has_login_reply(),
                qPrintable(QStringLiteral("day %1: %2").arg((i + 1) * 29).arg(describe(r))));
            QVERIFY(r.login_reply().token().empty()); // resuming issues no new token
        }
        // ... but not past 180 days, however often it is used.
        m_s->clock.advanceMs(7 * kDay); // day 181
        {
            std::unique_ptr<WireConnection> d;
            QVERIFY(connectAndHello(d));
            QVERIFY(isError(d->tokenLogin(token), wire::Error::UNAUTHENTICATED));
        }
        // A connection that stayed open is cut off too.
        QVERIFY(isError(c->pull(), wire::Error::UNAUTHENTICATED));

        // Idle: a new session left alone for 31 days ends, and the listing says why.
        std::unique_ptr<WireConnection> e;
        QVERIFY(connectAndHello(e));
        const wire::Frame again
            = e->login(QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"));
        QVERIFY(again.has_login_reply());
        m_s->clock.advanceMs(30 * kDay);
        QVERIFY(e->pull().has_pull_reply()); // 30 days exactly: still fine
        m_s->clock.advanceMs(30 * kDay + 1000);
        QVERIFY(isError(e->pull(), wire::Error::UNAUTHENTICATED));

        SessionAdmin admin(*m_s->store, m_s->clock, {});
        const QJsonArray sessions = admin.list(QStringLiteral("lee.lead"), QTimeZone::utc())
                                        ->value(QStringLiteral("sessions"))
                                        .toArray();
        QCOMPARE(sessions.size(), 2);
        QCOMPARE(sessions[0][QStringLiteral("state")].toString(), QStringLiteral("ended"));
        QCOMPARE(sessions[0][QStringLiteral("end_reason")].toString(),
            QStringLiteral("expired: not used for too long"));
        QCOMPARE(sessions[1][QStringLiteral("end_reason")].toString(),
            QStringLiteral("expired: reached the maximum age"));
    }

    void shorterLifetimesFromTheConfigurationApply()
    {
        SessionLifetimes shortLived;
        shortLived.idleDays = 2;
        shortLived.maxAgeDays = 7;
        m_s->service->setSessionLifetimes(shortLived);
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        const std::string token
            = c->login(QStringLiteral("lee.lead"), QStringLiteral("pass-lee.lead"))
                  .login_reply()
                  .token();
        m_s->clock.advanceMs(2 * kDay + kMinute);
        std::unique_ptr<WireConnection> d;
        QVERIFY(connectAndHello(d));
        QVERIFY(isError(d->tokenLogin(token), wire::Error::UNAUTHENTICATED));
    }

    void theItManagerEndsOneSessionOrAll()
    {
        std::unique_ptr<WireConnection> a, b;
        QVERIFY(connectAndHello(a));
        QVERIFY(connectAndHello(b));
        const std::string tokenA
            = a->login(QStringLiteral("rob.reception"), QStringLiteral("pass-rob.reception"))
                  .login_reply()
                  .token();
        const std::string tokenB
            = b->login(QStringLiteral("rob.reception"), QStringLiteral("pass-rob.reception"))
                  .login_reply()
                  .token();
        SessionAdmin admin(*m_s->store, m_s->clock, {});
        const QJsonArray sessions = admin.list(QStringLiteral("rob.reception"), QTimeZone::utc())
                                        ->value(QStringLiteral("sessions"))
                                        .toArray();
        const qint64 newest = sessions[0][QStringLiteral("id")].toInteger(); // b's
        QVERIFY(!admin
                     .revoke(QStringLiteral("rob.reception"), QStringLiteral("99999"),
                         QStringLiteral("admin:test"))
                     .ok());
        QVERIFY(!admin
                     .revoke(QStringLiteral("nina.nursery"), QString::number(newest),
                         QStringLiteral("admin:test"))
                     .ok());
        const auto one = admin.revoke(
            QStringLiteral("rob.reception"), QString::number(newest), QStringLiteral("admin:test"));
        QVERIFY2(one.ok(), qPrintable(one.error()));
        QVERIFY(isError(b->pull(), wire::Error::UNAUTHENTICATED));
        QVERIFY(a->pull().has_pull_reply());
        QVERIFY(admin
                    .revoke(QStringLiteral("rob.reception"), QStringLiteral("all"),
                        QStringLiteral("admin:test"))
                    .ok());
        QVERIFY(isError(a->pull(), wire::Error::UNAUTHENTICATED));
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
        QVERIFY(isError(c->tokenLogin(tokenA), wire::Error::UNAUTHENTICATED));
        QVERIFY(isError(c->tokenLogin(tokenB), wire::Error::UNAUTHENTICATED));
        QCOMPARE(m_s->audit(QStringLiteral("session-revoke")).size(), 2);
        const QJsonArray after = admin.list(QStringLiteral("rob.reception"), QTimeZone::utc())
                                     ->value(QStringLiteral("sessions"))
                                     .toArray();
        QCOMPARE(after[0][QStringLiteral("end_reason")].toString(),
            QStringLiteral("revoked by admin:test"));
    }

    // ------------------------------------------------------------------ TLS

    void aHandshakeThatNeverCompletesIsClosed()
    {
        m_s->stop();
        m_s->limits.handshakeTimeoutMs = 500;
        QCOMPARE(m_s->start(), QString());
        QTcpSocket silent;
        silent.connectToHost(QHostAddress::LocalHost, m_s->port);
        QVERIFY(silent.waitForConnected(5000));
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->connectionCount() == 1; }, 5000));
        QElapsedTimer t;
        t.start();
        QVERIFY(QTest::qWaitFor(
            [&] { return silent.state() == QAbstractSocket::UnconnectedState; }, 5000));
        QVERIFY2(
            t.elapsed() >= 300 && t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->connectionCount() == 0; }, 2000));
    }

    void tls11AndOlderAreRefused()
    {
        // The same client code succeeds with TLS 1.2 and a strong suite ...
        const RawHandshake modern = rawHandshake(
            m_s->port, TLS1_2_VERSION, TLS1_2_VERSION, "ECDHE-ECDSA-AES128-GCM-SHA256");
        QVERIFY2(modern.connected, qPrintable(modern.error));
        QCOMPARE(modern.version, QStringLiteral("TLSv1.2"));
        // ... and is refused by the server with TLS 1.1 and 1.0.
        for (int version : { TLS1_1_VERSION, TLS1_VERSION }) {
            const RawHandshake old
                = rawHandshake(m_s->port, version, version, "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0");
            if (old.refusedLocally)
                QSKIP(qPrintable(
                    QStringLiteral("this OpenSSL build will not offer TLS 0x%1 at all (%2), so the "
                                   "server's refusal cannot be shown")
                        .arg(version, 0, 16)
                        .arg(old.error)));
            QVERIFY2(!old.connected, qPrintable(old.version));
            QVERIFY2(old.error.contains(QStringLiteral("alert protocol version")),
                qPrintable(old.error));
        }
    }

    void weakCipherSuitesAreRefused()
    {
        for (const char *weak : { "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384",
                 "ECDHE-ECDSA-AES128-SHA256" }) {
            const RawHandshake r = rawHandshake(m_s->port, TLS1_2_VERSION, TLS1_2_VERSION, weak);
            QVERIFY2(!r.connected, weak);
            QVERIFY2(!r.refusedLocally, qPrintable(r.error));
            QVERIFY2(r.error.contains(QStringLiteral("handshake failure")), qPrintable(r.error));
        }
        const RawHandshake tls13 = rawHandshake(m_s->port, TLS1_3_VERSION, TLS1_3_VERSION, nullptr);
        QVERIFY2(tls13.connected, qPrintable(tls13.error));
        QCOMPARE(tls13.version, QStringLiteral("TLSv1.3"));
    }

    void concurrentHandshakesAreCapped()
    {
        m_s->stop();
        m_s->limits.maxPendingHandshakes = 3;
        m_s->limits.handshakeTimeoutMs = 60'000;
        QCOMPARE(m_s->start(), QString());
        std::vector<std::unique_ptr<QTcpSocket>> silent;
        for (int i = 0; i < 3; ++i) {
            silent.push_back(std::make_unique<QTcpSocket>());
            silent.back()->connectToHost(QHostAddress::LocalHost, m_s->port);
            QVERIFY(silent.back()->waitForConnected(5000));
        }
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->pendingHandshakeCount() == 3; }, 5000));
        // The fourth waits its turn: no handshake starts for it, and it is not refused ...
        QTcpSocket fourth;
        fourth.connectToHost(QHostAddress::LocalHost, m_s->port);
        QVERIFY(fourth.waitForConnected(5000));
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->waitingCount() == 1; }, 5000));
        QCOMPARE(m_s->server->pendingHandshakeCount(), 3);
        QCOMPARE(fourth.state(), QAbstractSocket::ConnectedState);
        // ... it gets its handshake once one gives up ...
        silent.front()->abort();
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->waitingCount() == 0; }, 5000));
        QCOMPARE(m_s->server->pendingHandshakeCount(), 3);
        // ... and a real device is served as soon as there is room.
        fourth.abort();
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->pendingHandshakeCount() == 2; }, 5000));
        std::unique_ptr<WireConnection> device;
        QVERIFY(connectAndHello(device));
        QCOMPARE(m_s->server->pendingHandshakeCount(), 2); // finished handshakes do not count
    }

    void releaseStormQueuesInsteadOfRefusing()
    {
        m_s->stop();
        m_s->limits.maxPendingHandshakes = 2;
        m_s->limits.handshakeTimeoutMs = 60'000;
        QCOMPARE(m_s->start(), QString());
        std::vector<std::unique_ptr<QTcpSocket>> silent;
        for (int i = 0; i < 2; ++i) {
            silent.push_back(std::make_unique<QTcpSocket>());
            silent.back()->connectToHost(QHostAddress::LocalHost, m_s->port);
            QVERIFY(silent.back()->waitForConnected(5000));
        }
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->pendingHandshakeCount() == 2; }, 5000));
        // Devices arrive while both slots are taken: they wait, then all get through.
        std::vector<std::unique_ptr<WireConnection>> devices(3);
        for (auto &d : devices) {
            d = std::make_unique<WireConnection>();
            d->socket().setPeerVerifyMode(QSslSocket::VerifyNone);
            d->socket().connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_s->port);
        }
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->waitingCount() == 3; }, 5000));
        silent.clear();
        for (auto &d : devices) {
            QVERIFY(QTest::qWaitFor([&] { return d->socket().isEncrypted(); }, 10000));
            QVERIFY(d->hello().has_hello_reply());
        }
    }

    void connectionsPerAddressAreCapped()
    {
        m_s->stop();
        m_s->limits.maxConnectionsPerAddress = 2;
        QCOMPARE(m_s->start(), QString());
        std::unique_ptr<WireConnection> a, b;
        QVERIFY(connectAndHello(a));
        QVERIFY(connectAndHello(b));
        QTcpSocket third;
        third.connectToHost(QHostAddress::LocalHost, m_s->port);
        QVERIFY(QTest::qWaitFor(
            [&] { return third.state() == QAbstractSocket::UnconnectedState; }, 5000));
        QCOMPARE(m_s->server->connectionCount(), 2);
        a.reset();
        QVERIFY(QTest::qWaitFor([&] { return m_s->server->connectionCount() == 1; }, 5000));
        std::unique_ptr<WireConnection> c;
        QVERIFY(connectAndHello(c));
    }
};

QTEST_GUILESS_MAIN(TestSecurityTls)
#include "tst_security_tls.moc"
