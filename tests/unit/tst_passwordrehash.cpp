#include "crypto.h"
#include "schoolfixture.h"
#include "serverstore.h"

#include <QTest>

using namespace acorn;
using namespace acorn::fixture;

// A password hash made with older scrypt parameters still lets its owner sign in, and is
// then replaced by one with the service's current parameters (docs/passwords.md); a wrong
// password replaces nothing.
class TestPasswordRehash : public QObject
{
    Q_OBJECT

    static SchoolModel school()
    {
        SchoolModel m;
        m.calendar = { { QStringLiteral("Autumn 1"), QDate(2025, 9, 1), QDate(2025, 10, 24) } };
        m.classes = { { QStringLiteral("Nursery"), true, {}, std::numeric_limits<qint64>::min() } };
        m.accounts = { { QStringLiteral("nina"), QStringLiteral("Nina"), QStringLiteral("practitioner"), {},
            { QStringLiteral("Nursery") }, false } };
        return m;
    }

private slots:
    void oldHashIsReplacedAfterSuccessfulSignIn()
    {
        const SchoolModel m = school();
        ServerHarness h(m.at(QDate(2025, 9, 10), QTime(9, 0)));
        QVERIFY2(h.isValid(), qPrintable(h.error()));
        QCOMPARE(h.importSchool(m), QString());
        // The "old" parameters: anything but the service's (cheap, for the test's speed).
        const crypto::ScryptParams old { kTestScryptLog2N + 1, 8, 1 };
        const auto oldHash = crypto::hashPassword(QStringLiteral("right-password"), old);
        QVERIFY(oldHash.ok());
        const qint64 id = h.store->userByUsername(QStringLiteral("nina"))->id;
        QVERIFY(h.store->setPassword(id, oldHash.value()).ok());

        {
            WireClient wrong(h);
            wrong.hello(wire::CLIENT_KIND_STAFF);
            QVERIFY(wrong.login(QStringLiteral("nina"), QStringLiteral("wrong-password")).has_error());
        }
        QCOMPARE(h.store->userByUsername(QStringLiteral("nina"))->passwordHash, oldHash.value());

        WireClient device(h);
        device.hello(wire::CLIENT_KIND_STAFF);
        QVERIFY(device.login(QStringLiteral("nina"), QStringLiteral("right-password")).has_login_reply());
        const QString now = h.store->userByUsername(QStringLiteral("nina"))->passwordHash;
        QVERIFY(now != oldHash.value());
        QVERIFY(!crypto::needsRehash(now, { kTestScryptLog2N, 8, 1 }));
        QVERIFY(crypto::verifyPassword(QStringLiteral("right-password"), now));

        // And the new hash signs in as well, without being replaced again.
        WireClient again(h);
        again.hello(wire::CLIENT_KIND_STAFF);
        QVERIFY(again.login(QStringLiteral("nina"), QStringLiteral("right-password")).has_login_reply());
        QCOMPARE(h.store->userByUsername(QStringLiteral("nina"))->passwordHash, now);
    }

    void aPasswordSetMeanwhileIsNotOverwritten()
    {
        const SchoolModel m = school();
        ServerHarness h(m.at(QDate(2025, 9, 10), QTime(9, 0)));
        QVERIFY2(h.isValid(), qPrintable(h.error()));
        QCOMPARE(h.importSchool(m), QString());
        const qint64 id = h.store->userByUsername(QStringLiteral("nina"))->id;
        const auto a = crypto::hashPassword(QStringLiteral("a"), { kTestScryptLog2N + 1, 8, 1 });
        const auto b = crypto::hashPassword(QStringLiteral("b"), { kTestScryptLog2N, 8, 1 });
        QVERIFY(h.store->setPassword(id, a.value()).ok());
        QVERIFY(h.store->setPassword(id, b.value()).ok()); // the IT manager set a new one
        QVERIFY(!h.store->replacePasswordHash(id, a.value(), QStringLiteral("replacement")));
        QCOMPARE(h.store->userByUsername(QStringLiteral("nina"))->passwordHash, b.value());
    }
};

QTEST_GUILESS_MAIN(TestPasswordRehash)
#include "tst_passwordrehash.moc"
