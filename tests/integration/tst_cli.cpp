#include "testserver.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace acorn::test;

// acorn-cli's commands against a real server process: activation with a one-time code,
// drafts, amend, delete, the outbox with a refused item, and a lead's early release.
class TestCli : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QString profile(const QString &n) const { return m_server.scratch() + QStringLiteral("/p/") + n; }
    static QJsonObject object(const QByteArray &j) { return QJsonDocument::fromJson(j).object(); }
    static QJsonArray array(const QByteArray &j) { return QJsonDocument::fromJson(j).array(); }

    CliResult cli(const QString &user, const QStringList &args, const QString &password = QStringLiteral("pw-for-tests-1"))
    {
        return runCli(m_server, profile(user), user, password, args);
    }

    QJsonObject find(const QString &user, const QString &id)
    {
        for (const QJsonValue &v : array(cli(user, {QStringLiteral("journal")}).out)) {
            if (v.toObject().value(QStringLiteral("id")).toString() == id)
                return v.toObject();
        }
        return {};
    }

    // Runs acorn-cli with text on standard input.
    CliResult cliWithStdin(const QString &user, const QStringList &args, const QByteArray &input)
    {
        QProcess p;
        p.start(TestServer::binary(QStringLiteral("acorn-cli")),
                QStringList{QStringLiteral("--profile"), profile(user), QStringLiteral("--server"),
                            QStringLiteral("127.0.0.1:%1").arg(m_server.port()), QStringLiteral("--pin"),
                            m_server.fingerprint(), QStringLiteral("--user"), user}
                    + args);
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(60000);
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(smallSchoolJson()));
        for (const char *u : {"nina.nursery", "rob.reception", "lee.lead", "sam.brown"})
            QVERIFY(m_server.setPassword(QLatin1String(u), QStringLiteral("pw-for-tests-1")));
        QVERIFY(m_server.start());
    }

    void activateWithCode()
    {
        const QString code = m_server.activationCodes().value(QStringLiteral("alex.brown")).toString();
        QVERIFY(!code.isEmpty());
        // A wrong code is refused as an authentication failure.
        CliResult r = cliWithStdin(QStringLiteral("alex.brown"), {QStringLiteral("activate"), QStringLiteral("--code"),
                                                                   QStringLiteral("AAAAA-BBBBB-CCCCC")},
                                   "new-password-9\n");
        QCOMPARE(r.exitCode, 3);
        // Too short a password is refused by the server.
        r = cliWithStdin(QStringLiteral("alex.brown"), {QStringLiteral("activate"), QStringLiteral("--code"), code}, "short\n");
        QCOMPARE(r.exitCode, 6);
        // Typed in lower case with spaces, as from a letter.
        QString typed = code.toLower();
        typed.replace(QLatin1Char('-'), QLatin1Char(' '));
        r = cliWithStdin(QStringLiteral("alex.brown"), {QStringLiteral("activate"), QStringLiteral("--code"), typed},
                         "new-password-9\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(object(r.out).value(QStringLiteral("activated")).toBool());
        // The new password works; the code is spent.
        QCOMPARE(cli(QStringLiteral("alex.brown"), {QStringLiteral("sync")}, QStringLiteral("new-password-9")).exitCode, 0);
        r = cliWithStdin(QStringLiteral("alex.brown"), {QStringLiteral("activate"), QStringLiteral("--code"), code},
                         "another-password-1\n");
        QCOMPARE(r.exitCode, 3);
    }

    void draftsStayWithTheirAuthor()
    {
        CliResult r = cli(QStringLiteral("nina.nursery"), {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                                                            QStringLiteral("--text"), QStringLiteral("Draft: Ava at the easel"),
                                                            QStringLiteral("--draft")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString id = object(r.out).value(QStringLiteral("id")).toString();
        QCOMPARE(cli(QStringLiteral("alex.brown"), {QStringLiteral("sync")}, QStringLiteral("new-password-9")).exitCode, 0);
        QVERIFY(find(QStringLiteral("alex.brown"), id).isEmpty());
        QCOMPARE(cli(QStringLiteral("lee.lead"), {QStringLiteral("sync")}).exitCode, 0);
        QVERIFY(find(QStringLiteral("lee.lead"), id).isEmpty()); // another member of staff's draft

        // Publishing it by amendment makes it visible (Nursery is live).
        r = cli(QStringLiteral("nina.nursery"), {QStringLiteral("amend"), id, QStringLiteral("--text"),
                                                 QStringLiteral("Ava painted a sunflower"), QStringLiteral("--publish")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(object(r.out).value(QStringLiteral("revision")).toInt(), 2);
        QCOMPARE(cli(QStringLiteral("alex.brown"), {QStringLiteral("sync")}, QStringLiteral("new-password-9")).exitCode, 0);
        const QJsonObject seen = find(QStringLiteral("alex.brown"), id);
        QCOMPARE(seen.value(QStringLiteral("text")).toString(), QStringLiteral("Ava painted a sunflower"));
        QCOMPARE(seen.value(QStringLiteral("revision")).toInt(), 2);

        // Deleting it removes it from the parent's device at the next sync.
        r = cli(QStringLiteral("nina.nursery"), {QStringLiteral("delete"), id});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli(QStringLiteral("alex.brown"), {QStringLiteral("sync")}, QStringLiteral("new-password-9"));
        QCOMPARE(object(r.out).value(QStringLiteral("removed")).toInt(), 1);
        QVERIFY(find(QStringLiteral("alex.brown"), id).isEmpty());
    }

    void refusedItemStaysInTheOutbox()
    {
        // Dev (C004) has no consent for photos; the client knows the roster after a sync
        // and refuses before queueing, without contacting the server.
        QCOMPARE(cli(QStringLiteral("rob.reception"), {QStringLiteral("sync")}).exitCode, 0);
        QImage img(64, 64, QImage::Format_RGB32);
        img.fill(Qt::red);
        const QString photo = m_server.scratch() + QStringLiteral("/red.jpg");
        QVERIFY(img.save(photo));
        CliResult r = cli(QStringLiteral("rob.reception"),
                          {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C004"), QStringLiteral("--text"),
                           QStringLiteral("Dev at the easel"), QStringLiteral("--photo"), photo});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(r.err.contains("consent"));
        QCOMPARE(array(cli(QStringLiteral("rob.reception"), {QStringLiteral("outbox")}).out).size(), 0);

        // A fresh device without the roster queues it; the server refuses it; it stays in
        // the outbox marked refused, and later commands still work.
        const QString fresh = QStringLiteral("rob.reception");
        r = runCli(m_server, profile(QStringLiteral("rob-fresh")), fresh, QStringLiteral("pw-for-tests-1"),
                   {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C004"), QStringLiteral("--text"),
                    QStringLiteral("Dev at the easel"), QStringLiteral("--photo"), photo});
        QCOMPARE(r.exitCode, 6);
        QCOMPARE(object(r.out).value(QStringLiteral("state")).toString(), QStringLiteral("refused"));
        r = runCli(m_server, profile(QStringLiteral("rob-fresh")), fresh, {}, {QStringLiteral("outbox")});
        const QJsonArray outbox = array(r.out);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.at(0).toObject().value(QStringLiteral("outbox_state")).toString(), QStringLiteral("refused"));
        QVERIFY(outbox.at(0).toObject().value(QStringLiteral("reason")).toString().contains(QStringLiteral("consent")));
        r = runCli(m_server, profile(QStringLiteral("rob-fresh")), fresh, QStringLiteral("pw-for-tests-1"), {QStringLiteral("sync")});
        QCOMPARE(r.exitCode, 0); // not retried, not failing later commands
        QCOMPARE(object(r.out).value(QStringLiteral("waiting")).toInt(), 1);
    }

    void leadReleasesReceptionEarly()
    {
        // Observed now, in a half-termly class: withheld from Cal's family until released.
        CliResult r = cli(QStringLiteral("rob.reception"), {QStringLiteral("observe"), QStringLiteral("--child"),
                                                             QStringLiteral("C003"), QStringLiteral("--text"),
                                                             QStringLiteral("Cal read a whole book"),
                                                             QStringLiteral("--note"), QStringLiteral("STAFF-ONLY")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString id = object(r.out).value(QStringLiteral("id")).toString();
        QCOMPARE(cli(QStringLiteral("sam.brown"), {QStringLiteral("sync")}).exitCode, 0);
        QVERIFY(find(QStringLiteral("sam.brown"), id).isEmpty());

        // A practitioner may not release; the lead may.
        r = cli(QStringLiteral("rob.reception"), {QStringLiteral("release"), QStringLiteral("Reception")});
        QCOMPARE(r.exitCode, 6);
        r = cli(QStringLiteral("lee.lead"), {QStringLiteral("release"), QStringLiteral("Reception")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(cli(QStringLiteral("sam.brown"), {QStringLiteral("sync")}).exitCode, 0);
        const QJsonObject seen = find(QStringLiteral("sam.brown"), id);
        QCOMPARE(seen.value(QStringLiteral("text")).toString(), QStringLiteral("Cal read a whole book"));
        QVERIFY(!seen.contains(QStringLiteral("note")));

        // The audit log records who released what.
        const QByteArray audit = m_server.admin({QStringLiteral("audit")});
        QVERIFY(audit.contains("\"action\":\"release\""));
        QVERIFY(audit.contains("lee.lead"));
    }

    // A damaged local store: acorn-cli says so on standard error, and the observation saved
    // offline is still sent.
    void aDamagedProfileIsRescued()
    {
        const QString user = QStringLiteral("nina.nursery");
        QVERIFY(cli(user, { QStringLiteral("sync") }).exitCode == 0);
        const CliResult saved = cli(user,
            { QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                QStringLiteral("--text"), QStringLiteral("saved before the damage"),
                QStringLiteral("--offline") });
        QCOMPARE(saved.exitCode, 0);
        const QString id = object(saved.out).value(QStringLiteral("id")).toString();
        QVERIFY(damageTablePage(
            profile(user) + QStringLiteral("/acorn.db"), QStringLiteral("observations")));
        const CliResult outbox = cli(user, { QStringLiteral("outbox") });
        QCOMPARE(outbox.exitCode, 0);
        QVERIFY2(outbox.err.contains("was damaged") && outbox.err.contains("1 unsent observation"),
            outbox.err.constData());
        QCOMPARE(array(outbox.out).size(), 1);
        QCOMPARE(array(outbox.out)[0].toObject().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(cli(user, { QStringLiteral("sync") }).exitCode, 0);
        QCOMPARE(find(user, id).value(QStringLiteral("text")).toString(),
            QStringLiteral("saved before the damage"));
        QVERIFY(!cli(user, { QStringLiteral("outbox") }).err.contains("damaged")); // told once
    }

    void disabledAccountIsLockedOut()
    {
        bool ok = false;
        m_server.admin({QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("sam.brown")}, &ok);
        QVERIFY(ok);
        const CliResult r = cli(QStringLiteral("sam.brown"), {QStringLiteral("sync")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("member of staff"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
