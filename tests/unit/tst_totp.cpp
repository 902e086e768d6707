#include "clock.h"
#include "serverstore.h"
#include "totp.h"

#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QUrlQuery>

#include <memory>

using namespace acorn;
using namespace acorn::server;

// TOTP codes against the published test vectors (RFC 4226 appendix D, RFC 6238 appendix B),
// the acceptance window and single use over a real SQLite file, base32 (RFC 4648) and the
// otpauth:// URI that authenticator apps read.
class TestTotp : public QObject
{
    Q_OBJECT

    // The RFC test secret: ASCII "12345678901234567890".
    const QByteArray kSecret = QByteArrayLiteral("12345678901234567890");

private slots:
    void hotpVectors_data()
    {
        QTest::addColumn<qint64>("counter");
        QTest::addColumn<QString>("code");
        const char *codes[] = { "755224", "287082", "359152", "969429", "338314", "254676",
            "287922", "162583", "399871", "520489" };
        for (int i = 0; i < 10; ++i)
            QTest::addRow("counter %d", i) << qint64(i) << QString::fromLatin1(codes[i]);
    }
    void hotpVectors()
    {
        QFETCH(qint64, counter);
        QFETCH(QString, code);
        QCOMPARE(Totp::code(kSecret, counter, 6), code);
    }

    void totpVectors_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("code");
        QTest::newRow("59") << qint64(59) << QStringLiteral("94287082");
        QTest::newRow("1111111109") << qint64(1111111109) << QStringLiteral("07081804");
        QTest::newRow("1111111111") << qint64(1111111111) << QStringLiteral("14050471");
        QTest::newRow("1234567890") << qint64(1234567890) << QStringLiteral("89005924");
        QTest::newRow("2000000000") << qint64(2000000000) << QStringLiteral("69279037");
        QTest::newRow("20000000000") << qint64(20000000000) << QStringLiteral("65353130");
    }
    void totpVectors()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, code);
        const qint64 step = Totp::stepAt(seconds * 1000);
        QCOMPARE(step, seconds / 30);
        QCOMPARE(Totp::code(kSecret, step, 8), code);
        // The 6-digit code apps show is the last six digits of the same number.
        QCOMPARE(Totp::code(kSecret, step, 6), code.right(6));
    }

    void theWindowIsOneStepEitherSide()
    {
        ManualClock clock { 1'800'000'000'000 };
        const qint64 now = Totp::stepAt(clock.nowMs());
        for (qint64 offset : { -1, 0, 1 }) {
            const auto step
                = Totp::acceptedStep(kSecret, Totp::code(kSecret, now + offset), clock.nowMs(), 0);
            QVERIFY2(step, qPrintable(QString::number(offset)));
            QCOMPARE(*step, now + offset);
        }
        for (qint64 offset : { -3, -2, 2, 3 })
            QVERIFY(
                !Totp::acceptedStep(kSecret, Totp::code(kSecret, now + offset), clock.nowMs(), 0));
        // Typed with a space in the middle, as some apps show it.
        const QString code = Totp::code(kSecret, now);
        QVERIFY(Totp::acceptedStep(
            kSecret, code.left(3) + QLatin1Char(' ') + code.mid(3), clock.nowMs(), 0));
        QVERIFY(!Totp::acceptedStep(kSecret, QStringLiteral("12345"), clock.nowMs(), 0));
        QVERIFY(!Totp::acceptedStep(kSecret, QString(), clock.nowMs(), 0));
        QVERIFY(!Totp::acceptedStep(QByteArray(), code, clock.nowMs(), 0));
        // Two minutes later the code is stale.
        clock.advanceMs(2 * 60'000);
        QVERIFY(!Totp::acceptedStep(kSecret, code, clock.nowMs(), 0));
    }

    void aCodeAtOrBeforeTheLastUsedStepIsRefused()
    {
        const qint64 nowMs = 1'800'000'000'000;
        const qint64 now = Totp::stepAt(nowMs);
        QVERIFY(!Totp::acceptedStep(kSecret, Totp::code(kSecret, now), nowMs, now));
        QVERIFY(!Totp::acceptedStep(kSecret, Totp::code(kSecret, now - 1), nowMs, now));
        QVERIFY(Totp::acceptedStep(kSecret, Totp::code(kSecret, now + 1), nowMs, now));
    }

    void theStoreConsumesEachStepOnce()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto opened = ServerStore::openSqlite(dir.filePath(QStringLiteral("acorn.db")), true);
        QVERIFY2(opened, qPrintable(opened.error()));
        ServerStore &store = *opened.value();
        UserRecord u;
        u.username = QStringLiteral("lee.lead");
        u.displayName = QStringLiteral("Lee");
        u.role = QStringLiteral("lead");
        u.state = QStringLiteral("active");
        const auto id = store.insertUser(u, 1);
        QVERIFY2(id, qPrintable(id.error()));
        QVERIFY(!store.twoFactor(id.value()));
        const QByteArray secret = Totp::newSecret();
        QCOMPARE(secret.size(), Totp::kSecretBytes);
        QVERIFY(store.setTwoFactor(id.value(), secret, 5));
        QCOMPARE(store.twoFactor(id.value())->secret, secret);
        QCOMPARE(store.twoFactor(id.value())->lastStep, 0);
        QVERIFY(store.consumeTwoFactorStep(id.value(), 100));
        QVERIFY(!store.consumeTwoFactorStep(id.value(), 100)); // the same code again
        QVERIFY(!store.consumeTwoFactorStep(id.value(), 99)); // an older one
        QVERIFY(store.consumeTwoFactorStep(id.value(), 101));
        QCOMPARE(store.twoFactor(id.value())->lastStep, 101);
        // Re-enrolling starts afresh with a new secret; removing ends it.
        QVERIFY(store.setTwoFactor(id.value(), Totp::newSecret(), 6));
        QCOMPARE(store.twoFactor(id.value())->lastStep, 0);
        QVERIFY(store.removeTwoFactor(id.value()));
        QVERIFY(!store.twoFactor(id.value()));
        QVERIFY(!store.consumeTwoFactorStep(id.value(), 200));
    }

    void base32()
    {
        // RFC 4648 section 10, without the padding otpauth URIs leave out.
        QCOMPARE(Totp::base32(""), QString());
        QCOMPARE(Totp::base32("f"), QStringLiteral("MY"));
        QCOMPARE(Totp::base32("fo"), QStringLiteral("MZXQ"));
        QCOMPARE(Totp::base32("foo"), QStringLiteral("MZXW6"));
        QCOMPARE(Totp::base32("foob"), QStringLiteral("MZXW6YQ"));
        QCOMPARE(Totp::base32("fooba"), QStringLiteral("MZXW6YTB"));
        QCOMPARE(Totp::base32("foobar"), QStringLiteral("MZXW6YTBOI"));
        QCOMPARE(Totp::base32(kSecret), QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
    }

    void provisioningUri()
    {
        const QString uri = Totp::provisioningUri(
            QStringLiteral("Acorn Oak Tree School"), QStringLiteral("lee.lead"), kSecret);
        const QUrl url(uri);
        QCOMPARE(url.scheme(), QStringLiteral("otpauth"));
        QCOMPARE(url.host(), QStringLiteral("totp"));
        QCOMPARE(url.path(QUrl::FullyDecoded), QStringLiteral("/Acorn Oak Tree School:lee.lead"));
        const QUrlQuery q(url);
        QCOMPARE(q.queryItemValue(QStringLiteral("secret")), Totp::base32(kSecret));
        QCOMPARE(q.queryItemValue(QStringLiteral("issuer"), QUrl::FullyDecoded),
            QStringLiteral("Acorn Oak Tree School"));
        QCOMPARE(q.queryItemValue(QStringLiteral("digits")), QStringLiteral("6"));
        QCOMPARE(q.queryItemValue(QStringLiteral("period")), QStringLiteral("30"));
        QCOMPARE(q.queryItemValue(QStringLiteral("algorithm")), QStringLiteral("SHA1"));
    }
};

QTEST_GUILESS_MAIN(TestTotp)
#include "tst_totp.moc"
