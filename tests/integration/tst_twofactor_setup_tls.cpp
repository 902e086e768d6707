// Two-factor set-up from the user's own device (TwoFactorSetupRequest / TwoFactorConfirmRequest)
// over the real protocol: the real SyncServer on 127.0.0.1 with a real TLS handshake, wire
// frames from several devices, and a clock the test moves. The codes are computed by the test
// from the base32 secret the server sent (decoded here, independently of the server's code),
// as an authenticator app would.
#include "schoolfixture.h"

#include "authenticatorapp.h"
#include "certificategenerator.h"
#include "clock.h"
#include "mediastore.h"
#include "serverstore.h"
#include "syncserver.h"
#include "syncservice.h"
#include "testserver.h"
#include "totp.h"
#include "twofactoradmin.h"
#include "twofactorenrolment.h"
#include "wireconnection.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrl>
#include <QUrlQuery>

#include <map>
#include <memory>

using namespace acorn;
using namespace acorn::server;
using acorn::test::describe;
using acorn::test::fromBase32;
using acorn::test::isError;
using acorn::test::WireConnection;

namespace {

constexpr qint64 kStepMs = Totp::kStepSeconds * 1000;

} // namespace

class TestTwoFactorSetupOverTls : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ServerStore> m_store;
    std::unique_ptr<MediaStore> m_media;
    std::unique_ptr<SyncService> m_service;
    std::unique_ptr<SyncServer> m_server;
    std::map<QString, std::unique_ptr<WireConnection>> m_devices;

    // A device ("nina.nursery@tablet") signed in with the password (and a code, when given).
    WireConnection &device(const QString &name, const QString &code = {})
    {
        auto &c = m_devices[name];
        if (!c) {
            c = std::make_unique<WireConnection>();
            const QString user = name.section(QLatin1Char('@'), 0, 0);
            if (!c->open(m_server->serverPort()) || !c->hello().has_hello_reply())
                qFatal("cannot connect");
            const wire::Frame login = c->login(user, QStringLiteral("pass-%1").arg(user), code);
            if (!login.has_login_reply())
                qFatal("cannot sign in %s: %s", qPrintable(user), qPrintable(describe(login)));
        }
        return *c;
    }

    wire::Frame setup(const QString &name, const QString &currentCode = {})
    {
        wire::Frame f;
        f.mutable_two_factor_setup()->set_current_code(currentCode.toStdString());
        return device(name).call(f);
    }
    wire::Frame confirm(const QString &name, const QString &code)
    {
        wire::Frame f;
        f.mutable_two_factor_confirm()->set_code(code.toStdString());
        return device(name).call(f);
    }
    // A fresh connection's password sign-in (with a code when given).
    wire::Frame signIn(const QString &user, const QString &code = {})
    {
        WireConnection c;
        if (!c.open(m_server->serverPort()) || !c.hello().has_hello_reply())
            return {};
        return c.login(user, QStringLiteral("pass-%1").arg(user), code);
    }
    QString codeNow(const QByteArray &secret, qint64 stepOffset = 0) const
    {
        return Totp::code(secret, Totp::stepAt(m_clock->nowMs()) + stepOffset);
    }
    // A code of this step that `secret` does not make (nor its neighbours).
    QString wrongCode(const QByteArray &secret, int n = 0) const
    {
        for (int i = n;; ++i) {
            const QString guess = QStringLiteral("%1").arg(i, 6, 10, QLatin1Char('0'));
            if (guess != codeNow(secret) && guess != codeNow(secret, -1)
                && guess != codeNow(secret, 1))
                return guess;
        }
    }
    QList<ServerStore::AuditEntry> audit(const QString &action, const QString &detail = {})
    {
        QList<ServerStore::AuditEntry> out;
        for (const auto &e : m_store->auditSince(0)) {
            if (e.action == action && (detail.isEmpty() || e.detail == detail))
                out.append(e);
        }
        return out;
    }
    // Sets up two-factor sign-in from `name` and returns the secret (checked on the way).
    QByteArray selfEnrol(const QString &name)
    {
        const wire::Frame started = setup(name);
        if (!started.has_two_factor_setup_reply())
            return {};
        const QByteArray secret
            = fromBase32(QString::fromStdString(started.two_factor_setup_reply().secret_base32()));
        return confirm(name, codeNow(secret)).has_two_factor_confirm_reply() ? secret
                                                                             : QByteArray();
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_clock = std::make_unique<ManualClock>(
            QDateTime(QDate(2026, 11, 2), QTime(9, 0), QTimeZone("Europe/London"))
                .toMSecsSinceEpoch());
        auto store = acorn::fixture::openTestSchool(
            m_dir->filePath(QStringLiteral("server.db")), *m_clock);
        QVERIFY2(store.ok(), qPrintable(store.error()));
        m_store = std::move(store).value();
        m_media = std::make_unique<MediaStore>(m_dir->filePath(QStringLiteral("media")));
        QVERIFY(m_media->ensureLayout());
        m_service = std::make_unique<SyncService>(*m_store, *m_media, *m_clock);
        m_service->setPasswordParams({ 10, 8, 1 });
        LoginThrottlePolicy policy; // production's shape, shorter delays
        policy.account.delayBaseMs = 50;
        policy.account.delayCapMs = 200;
        policy.address.delayBaseMs = 20;
        policy.address.delayCapMs = 100;
        m_service->setThrottlePolicy(policy);
        const QString cert = m_dir->filePath(QStringLiteral("tls/cert.pem"));
        const QString key = m_dir->filePath(QStringLiteral("tls/key.pem"));
        QVERIFY(CertificateGenerator::generate({ cert, key }, { QStringLiteral("127.0.0.1") }));
        auto tls = loadServerTls(cert, key);
        QVERIFY(tls.ok());
        m_server = std::make_unique<SyncServer>(*m_service, tls.value());
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void cleanup()
    {
        m_devices.clear();
        m_server.reset();
        m_service.reset();
        m_media.reset();
        m_store.reset();
        m_dir.reset();
    }

    void signedInUsersOnly()
    {
        WireConnection c;
        QVERIFY(c.open(m_server->serverPort()));
        QVERIFY(c.hello().has_hello_reply());
        wire::Frame f;
        f.mutable_two_factor_setup();
        QVERIFY(isError(c.call(f), wire::Error::UNAUTHENTICATED));
        wire::Frame g;
        g.mutable_two_factor_confirm()->set_code("123456");
        QVERIFY(isError(c.call(g), wire::Error::UNAUTHENTICATED));
    }

    void aPractitionerSetsUpTwoFactorSignIn()
    {
        const QString tablet = QStringLiteral("nina.nursery@tablet");
        const QString office = QStringLiteral("nina.nursery@office");
        device(office); // a second signed-in device

        const wire::Frame started = setup(tablet);
        QVERIFY2(started.has_two_factor_setup_reply(), qPrintable(describe(started)));
        const wire::TwoFactorSetupReply &r = started.two_factor_setup_reply();
        QVERIFY(!r.replaces_existing());
        QCOMPARE(r.digits(), 6u);
        QCOMPARE(r.period_seconds(), 30u);
        QCOMPARE(r.expires_at_ms(), m_clock->nowMs() + 10 * 60'000);
        // The URI an authenticator app reads: the same secret, the school as issuer.
        const QUrl uri(QString::fromStdString(r.otpauth_uri()));
        QCOMPARE(uri.scheme(), QStringLiteral("otpauth"));
        QCOMPARE(uri.host(), QStringLiteral("totp"));
        QCOMPARE(uri.path(), QStringLiteral("/Acorn Test Primary:nina.nursery"));
        const QUrlQuery query(uri);
        QCOMPARE(query.queryItemValue(QStringLiteral("secret")),
            QString::fromStdString(r.secret_base32()));
        QCOMPARE(
            query.queryItemValue(QStringLiteral("issuer")), QStringLiteral("Acorn Test Primary"));
        const QByteArray secret = fromBase32(QString::fromStdString(r.secret_base32()));
        QCOMPARE(secret.size(), Totp::kSecretBytes);

        // Pending: nothing changed yet. The password alone still signs in.
        QVERIFY(signIn(QStringLiteral("nina.nursery")).has_login_reply());
        QVERIFY(!m_store->twoFactor(m_store->userByUsername(QStringLiteral("nina.nursery"))->id));

        // A wrong code is refused and changes nothing.
        const wire::Frame wrong = confirm(tablet, wrongCode(secret));
        QVERIFY2(isError(wrong, wire::Error::AUTH_FAILED), qPrintable(describe(wrong)));
        QVERIFY(signIn(QStringLiteral("nina.nursery")).has_login_reply());

        // The right code switches it on and ends the account's other sessions, not this one.
        const QString code = codeNow(secret);
        const wire::Frame done = confirm(tablet, code);
        QVERIFY2(done.has_two_factor_confirm_reply(), qPrintable(describe(done)));
        QCOMPARE(done.two_factor_confirm_reply().sessions_ended(), 3u); // office + 2 sign-ins
        QVERIFY(device(tablet).pull().has_pull_reply());
        QVERIFY(isError(device(office).pull(), wire::Error::UNAUTHENTICATED));
        for (const SessionRecord &s :
            m_store->sessionsOfUser(m_store->userByUsername(QStringLiteral("nina.nursery"))->id)) {
            if (s.revokedAt)
                QCOMPARE(
                    s.endReason, QStringLiteral("two-factor sign-in set up on another device"));
        }

        // The confirming code is used up: it cannot also sign in, in the same step.
        const wire::Frame replay = signIn(QStringLiteral("nina.nursery"), code);
        QVERIFY2(isError(replay, wire::Error::AUTH_FAILED), qPrintable(describe(replay)));
        // Without a code: asked for one.
        QVERIFY(
            isError(signIn(QStringLiteral("nina.nursery")), wire::Error::SECOND_FACTOR_REQUIRED));
        // The next step's code signs in.
        m_clock->advanceMs(kStepMs);
        const wire::Frame next = signIn(QStringLiteral("nina.nursery"), codeNow(secret));
        QVERIFY2(next.has_login_reply(), qPrintable(describe(next)));

        // A second confirm has nothing to confirm.
        QVERIFY(isError(confirm(tablet, codeNow(secret)), wire::Error::NOT_FOUND));

        // Audited, without the secret.
        QCOMPARE(audit(QStringLiteral("user-2fa-setup"), QStringLiteral("started")).size(), 1);
        QCOMPARE(
            audit(QStringLiteral("user-2fa-setup"), QStringLiteral("failure: wrong code")).size(),
            1);
        const auto enrolled
            = audit(QStringLiteral("user-2fa"), QStringLiteral("enrolled by the user"));
        QCOMPARE(enrolled.size(), 1);
        QCOMPARE(enrolled.first().actor, QStringLiteral("nina.nursery"));
        QCOMPARE(enrolled.first().target, QStringLiteral("nina.nursery"));
        for (const auto &e : m_store->auditSince(0)) {
            QVERIFY(!e.detail.contains(QString::fromStdString(r.secret_base32())));
            QVERIFY(!e.target.contains(QString::fromStdString(r.secret_base32())));
        }
    }

    void wrongCodesCountTowardTheSignInThrottle()
    {
        const QString tablet = QStringLiteral("rob.reception@tablet");
        const wire::Frame started = setup(tablet);
        QVERIFY(started.has_two_factor_setup_reply());
        const QByteArray secret
            = fromBase32(QString::fromStdString(started.two_factor_setup_reply().secret_base32()));
        for (int i = 0; i < 10; ++i) {
            const wire::Frame r = confirm(tablet, wrongCode(secret, i * 7));
            QVERIFY2(isError(r, wire::Error::AUTH_FAILED), qPrintable(describe(r)));
        }
        // Ten wrong codes lock the account like ten wrong passwords: even the right code waits,
        // and so does a password sign-in.
        const wire::Frame locked = confirm(tablet, codeNow(secret));
        QVERIFY2(isError(locked, wire::Error::THROTTLED), qPrintable(describe(locked)));
        QVERIFY(isError(signIn(QStringLiteral("rob.reception")), wire::Error::THROTTLED));
        QCOMPARE(audit(QStringLiteral("login-throttle")).size(), 1);
        QVERIFY(!m_store->twoFactor(m_store->userByUsername(QStringLiteral("rob.reception"))->id));
        // After the lock, the right code works.
        m_clock->advanceMs(60'000);
        const wire::Frame ok = confirm(tablet, codeNow(secret));
        QVERIFY2(ok.has_two_factor_confirm_reply(), qPrintable(describe(ok)));
    }

    void parentsOnlyWhenTheSchoolAllowsIt()
    {
        const QString phone = QStringLiteral("alex.brown@phone");
        const wire::Frame refused = setup(phone);
        QVERIFY2(isError(refused, wire::Error::FORBIDDEN), qPrintable(describe(refused)));
        QVERIFY(refused.error().message().find("parents") != std::string::npos);
        QVERIFY(
            !m_store->pendingTwoFactor(m_store->userByUsername(QStringLiteral("alex.brown"))->id));

        const TwoFactorAdmin admin(*m_store, *m_clock);
        QVERIFY(admin.setParentsAllowed(true, QStringLiteral("admin:test")));
        const wire::Frame started = setup(phone);
        QVERIFY2(started.has_two_factor_setup_reply(), qPrintable(describe(started)));
        const QByteArray secret
            = fromBase32(QString::fromStdString(started.two_factor_setup_reply().secret_base32()));
        // Switched off again before the code came: refused, and the pending secret is gone.
        QVERIFY(admin.setParentsAllowed(false, QStringLiteral("admin:test")));
        QVERIFY(isError(confirm(phone, codeNow(secret)), wire::Error::FORBIDDEN));
        QVERIFY(!m_store->twoFactor(m_store->userByUsername(QStringLiteral("alex.brown"))->id));

        QVERIFY(admin.setParentsAllowed(true, QStringLiteral("admin:test")));
        QVERIFY(!selfEnrol(phone).isEmpty());
        QVERIFY(isError(signIn(QStringLiteral("alex.brown")), wire::Error::SECOND_FACTOR_REQUIRED));
    }

    void replacingNeedsACodeOfTheOldOne()
    {
        const QString tablet = QStringLiteral("lee.lead@tablet");
        const QByteArray old = selfEnrol(tablet);
        QVERIFY(!old.isEmpty());
        m_clock->advanceMs(kStepMs); // the confirming code's step is used up

        // No code: refused, with the way out for a lost phone.
        const wire::Frame bare = setup(tablet);
        QVERIFY2(isError(bare, wire::Error::SECOND_FACTOR_REQUIRED), qPrintable(describe(bare)));
        QVERIFY(bare.error().message().find("admin") != std::string::npos);
        // A wrong code: refused, counted as a failed sign-in, nothing pending.
        const wire::Frame wrong = setup(tablet, wrongCode(old));
        QVERIFY2(isError(wrong, wire::Error::AUTH_FAILED), qPrintable(describe(wrong)));
        QCOMPARE(
            audit(QStringLiteral("user-2fa-setup"), QStringLiteral("failure: current code")).size(),
            1);
        const qint64 lee = m_store->userByUsername(QStringLiteral("lee.lead"))->id;
        QVERIFY(!m_store->pendingTwoFactor(lee));

        // The old app's current code: a new secret, pending. The old one still signs in.
        const QString oldCode = codeNow(old);
        const wire::Frame started = setup(tablet, oldCode);
        QVERIFY2(started.has_two_factor_setup_reply(), qPrintable(describe(started)));
        QVERIFY(started.two_factor_setup_reply().replaces_existing());
        const QByteArray fresh
            = fromBase32(QString::fromStdString(started.two_factor_setup_reply().secret_base32()));
        QVERIFY(fresh != old);
        // The old code was used up by the set-up: it cannot sign in now.
        QVERIFY(isError(signIn(QStringLiteral("lee.lead"), oldCode), wire::Error::AUTH_FAILED));
        m_clock->advanceMs(kStepMs);
        QVERIFY(signIn(QStringLiteral("lee.lead"), codeNow(old)).has_login_reply());

        // Confirmed with the new app's code: the old app's codes no longer sign in.
        m_clock->advanceMs(kStepMs);
        const wire::Frame done = confirm(tablet, codeNow(fresh));
        QVERIFY2(done.has_two_factor_confirm_reply(), qPrintable(describe(done)));
        m_clock->advanceMs(kStepMs);
        QVERIFY(
            isError(signIn(QStringLiteral("lee.lead"), codeNow(old)), wire::Error::AUTH_FAILED));
        QVERIFY(signIn(QStringLiteral("lee.lead"), codeNow(fresh)).has_login_reply());
        QCOMPARE(
            audit(QStringLiteral("user-2fa"), QStringLiteral("replaced by the user")).size(), 1);
        QCOMPARE(
            audit(QStringLiteral("user-2fa-setup"), QStringLiteral("started (replacing)")).size(),
            1);
    }

    void pendingSecretsExpire()
    {
        const QString tablet = QStringLiteral("nina.nursery@tablet");
        const wire::Frame started = setup(tablet);
        QVERIFY(started.has_two_factor_setup_reply());
        const QByteArray secret
            = fromBase32(QString::fromStdString(started.two_factor_setup_reply().secret_base32()));
        // Just in time still works on a second set-up; this one waits too long.
        m_clock->advanceMs(TwoFactorEnrolment::kPendingLifetimeMs);
        const wire::Frame late = confirm(tablet, codeNow(secret));
        QVERIFY2(isError(late, wire::Error::CODE_EXPIRED), qPrintable(describe(late)));
        QVERIFY(isError(confirm(tablet, codeNow(secret)), wire::Error::NOT_FOUND));
        QVERIFY(signIn(QStringLiteral("nina.nursery")).has_login_reply()); // nothing changed

        // A new set-up, confirmed a moment before it expires: switched on.
        const wire::Frame again = setup(tablet);
        QVERIFY(again.has_two_factor_setup_reply());
        const QByteArray second
            = fromBase32(QString::fromStdString(again.two_factor_setup_reply().secret_base32()));
        QVERIFY(second != secret);
        m_clock->advanceMs(TwoFactorEnrolment::kPendingLifetimeMs - 1000);
        QVERIFY(confirm(tablet, codeNow(second)).has_two_factor_confirm_reply());
    }

    // The IT manager's enrolment or reset overrides a set-up in progress on a device.
    void anAdminEnrolmentCancelsASetUpInProgress()
    {
        const QString tablet = QStringLiteral("rob.reception@tablet");
        const wire::Frame started = setup(tablet);
        QVERIFY(started.has_two_factor_setup_reply());
        const qint64 rob = m_store->userByUsername(QStringLiteral("rob.reception"))->id;
        QVERIFY(m_store->pendingTwoFactor(rob));
        const TwoFactorAdmin admin(*m_store, *m_clock);
        QVERIFY(admin.enrol(QStringLiteral("rob.reception"), QStringLiteral("admin:test")));
        QVERIFY(!m_store->pendingTwoFactor(rob));
    }
};

QTEST_GUILESS_MAIN(TestTwoFactorSetupOverTls)
#include "tst_twofactor_setup_tls.moc"
