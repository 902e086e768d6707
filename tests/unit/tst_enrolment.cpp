// Enrolment codes as the IT manager prints them: parsing, clear refusals, and make().
#include "enrolment.h"

#include <QTest>

using acorn::client::EnrolmentCode;
using acorn::client::ServerAddress;

namespace {
const QString kFp
    = QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

class TestEnrolment : public QObject
{
    Q_OBJECT
private slots:
    void parsesValidCodes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("activation");
        QTest::newRow("name") << QStringLiteral("acorn:1:journal.school.example:7443:") + kFp
                              << QStringLiteral("journal.school.example") << 7443 << QString();
        QTest::newRow("ipv4 + code")
            << QStringLiteral("acorn:1:192.168.1.20:7443:") + kFp
                + QStringLiteral(":ABCD-EFGH-JKLM")
            << QStringLiteral("192.168.1.20") << 7443 << QStringLiteral("ABCD-EFGH-JKLM");
        QTest::newRow("ipv6") << QStringLiteral("acorn:1:[fd00::5]:443:") + kFp
                              << QStringLiteral("fd00::5") << 443 << QString();
        QTest::newRow("wrapped, upper case, lower-case code")
            << QStringLiteral("  ACORN:1:localhost:7443:\n") + kFp.toUpper().left(32)
                + QStringLiteral("\n ") + kFp.toUpper().mid(32) + QStringLiteral(":abcd-efgh ")
            << QStringLiteral("localhost") << 7443 << QStringLiteral("ABCD-EFGH");
        QTest::newRow("fingerprint in groups")
            << QStringLiteral("acorn:1:h:1:0123 4567 89ab cdef 0123 4567 89ab cdef "
                              "0123 4567 89ab cdef 0123 4567 89ab cdef")
            << QStringLiteral("h") << 1 << QString();
    }

    void parsesValidCodes()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, activation);
        const auto code = EnrolmentCode::parse(text);
        QVERIFY2(code.ok(), qPrintable(code.error()));
        QCOMPARE(code->host, host);
        QCOMPARE(int(code->port), port);
        QCOMPARE(code->fingerprint, kFp);
        QCOMPARE(code->activationCode, activation);
    }

    void refusesWithReasons_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << QString() << QStringLiteral("empty");
        QTest::newRow("not acorn")
            << QStringLiteral("https://school.example") << QStringLiteral("acorn:");
        QTest::newRow("newer version")
            << QStringLiteral("acorn:2:h:1:") + kFp << QStringLiteral("newer");
        QTest::newRow("no version") << QStringLiteral("acorn:") << QStringLiteral("incomplete");
        QTest::newRow("no port") << QStringLiteral("acorn:1:host") << QStringLiteral("no port");
        QTest::newRow("bad port") << QStringLiteral("acorn:1:host:99999:") + kFp
                                  << QStringLiteral("port");
        QTest::newRow("zero port")
            << QStringLiteral("acorn:1:host:0:") + kFp << QStringLiteral("port");
        QTest::newRow("no fingerprint")
            << QStringLiteral("acorn:1:host:7443") << QStringLiteral("fingerprint");
        QTest::newRow("short fingerprint")
            << QStringLiteral("acorn:1:host:7443:abcd") << QStringLiteral("64");
        QTest::newRow("not hex") << QStringLiteral("acorn:1:host:7443:") + kFp.left(63)
                + QStringLiteral("z")
                                 << QStringLiteral("hex");
        QTest::newRow("bad host") << QStringLiteral("acorn:1:ho$t:7443:") + kFp
                                  << QStringLiteral("not a server");
        QTest::newRow("v6 without brackets")
            << QStringLiteral("acorn:1:fd00::5:7443:") + kFp << QStringLiteral("brackets");
        QTest::newRow("v6 unclosed")
            << QStringLiteral("acorn:1:[fd00::5:7443:") + kFp << QStringLiteral("']'");
        QTest::newRow("bad v6") << QStringLiteral("acorn:1:[zz::1]:7443:") + kFp
                                << QStringLiteral("IPv6");
        QTest::newRow("bad code") << QStringLiteral("acorn:1:h:7443:") + kFp
                + QStringLiteral(":AB*CD")
                                  << QStringLiteral("activation code");
        QTest::newRow("empty code") << QStringLiteral("acorn:1:h:7443:") + kFp + QStringLiteral(":")
                                    << QStringLiteral("activation code");
    }

    void refusesWithReasons()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        const auto code = EnrolmentCode::parse(text);
        QVERIFY(!code.ok());
        QVERIFY2(code.error().contains(mentions, Qt::CaseInsensitive), qPrintable(code.error()));
    }

    void makeRoundTrips()
    {
        for (const QString &host :
            { QStringLiteral("journal.school.example"), QStringLiteral("fd00::1:2") }) {
            EnrolmentCode c;
            c.host = host;
            c.port = 7443;
            c.fingerprint = kFp;
            const auto back = EnrolmentCode::parse(c.make());
            QVERIFY2(back.ok(), qPrintable(back.error()));
            QCOMPARE(back->host, host);
            QCOMPARE(back->make(), c.make());
            c.activationCode = QStringLiteral("wxyz-2345");
            QCOMPARE(EnrolmentCode::parse(c.make())->activationCode, QStringLiteral("WXYZ-2345"));
        }
        EnrolmentCode v6 { QStringLiteral("fd00::5"), 443, kFp, {} };
        QCOMPARE(v6.make(), QStringLiteral("acorn:1:[fd00::5]:443:") + kFp);
        QCOMPARE(v6.address(), QStringLiteral("[fd00::5]:443"));
    }

    void serverAddresses()
    {
        QCOMPARE(ServerAddress::parse(QStringLiteral("school.example"), 7443)->toString(),
            QStringLiteral("school.example:7443"));
        QCOMPARE(
            ServerAddress::parse(QStringLiteral(" 10.0.0.2:9000 "), 7443)->port, quint16(9000));
        QCOMPARE(
            ServerAddress::parse(QStringLiteral("[::1]:9000"), 7443)->host, QStringLiteral("::1"));
        QCOMPARE(ServerAddress::parse(QStringLiteral("fd00::5"), 7443)->toString(),
            QStringLiteral("[fd00::5]:7443"));
        QVERIFY(!ServerAddress::parse(QString(), 7443).ok());
        QVERIFY(!ServerAddress::parse(QStringLiteral("host:port"), 7443).ok());
        QVERIFY(!ServerAddress::parse(QStringLiteral("a b"), 7443).ok());
    }
};

QTEST_GUILESS_MAIN(TestEnrolment)
#include "tst_enrolment.moc"
