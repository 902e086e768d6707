#include "faultproxy.h"
#include "testdatabase.h"
#include "testserver.h"
#include "wireconnection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSettings>
#include <QTest>

using namespace acorn::test;

// A school in PostgreSQL served by two acorn-server processes at once (one database, one
// shared media directory), as a trust runs it behind a TCP load balancer: consecutive
// requests of one device go to either process. And the way there from SQLite:
// 'admin migrate-to-postgresql'. Real processes, real TLS on loopback, a real PostgreSQL
// server (the ctest "postgres" fixture).
class TestPostgresDeployment : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    quint16 m_portA = 0;
    quint16 m_portB = 0;
    QString m_photo;

    QString profile(const QString &name) const
    {
        return m_server->scratch() + QStringLiteral("/profiles/") + name;
    }
    static QJsonObject object(const QByteArray &json) { return QJsonDocument::fromJson(json).object(); }
    static QJsonArray array(const QByteArray &json) { return QJsonDocument::fromJson(json).array(); }
    QString answerFile(int device, int item) const
    {
        return m_server->scratch() + QStringLiteral("/answer-%1-%2.json").arg(device).arg(item);
    }
    CliResult cli(const QString &who, const QString &user, const QStringList &command, quint16 port,
                  const QString &password = QStringLiteral("correct horse 1"))
    {
        return runCliServing(*m_server, profile(who), user, password, command, port);
    }
    QSet<QString> journalIds(const QString &who, const QString &user)
    {
        QSet<QString> ids;
        for (const QJsonValue &v : array(cli(who, user, {QStringLiteral("journal")}, m_portA).out))
            ids.insert(v.toObject().value(QStringLiteral("id")).toString());
        return ids;
    }
    QString observe(const QString &who, const QString &user, const QString &child, const QString &text,
                    quint16 port, const QStringList &extra = {})
    {
        const CliResult r = cli(who, user,
                                QStringList{QStringLiteral("observe"), QStringLiteral("--child"), child,
                                            QStringLiteral("--text"), text}
                                    + extra,
                                port);
        if (r.exitCode != 0)
            qWarning("observe failed (%d): %s", r.exitCode, r.err.constData());
        return r.exitCode == 0 ? object(r.out).value(QStringLiteral("id")).toString() : QString();
    }

private slots:
    void initTestCase()
    {
        if (const QString why = postgresUnavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(QStringLiteral("no PostgreSQL for the tests: %1").arg(why)));
        m_server = std::make_unique<TestServer>();
        QString why;
        const QString url = freshPostgresDatabase(&why);
        QVERIFY2(!url.isEmpty(), qPrintable(why));
        m_server->setDatabaseUrl(url);
        QVERIFY(m_server->init(smallSchoolJson()));
        for (const char *u : {"nina.nursery", "lee.lead", "alex.brown", "sam.brown", "grace.okafor"})
            QVERIFY(m_server->setPassword(QLatin1String(u), QStringLiteral("correct horse 1")));
        QVERIFY(m_server->start());
        m_portA = m_server->port();
        m_portB = m_server->startAnotherProcess();
        QVERIFY2(m_portB != 0, qPrintable(m_server->log()));
        QVERIFY(m_portA != m_portB);
        m_photo = writeNoisyPhoto(m_server->scratch() + QStringLiteral("/photo.jpg"), 7, 3000, 2250);
        QVERIFY(!m_photo.isEmpty());
    }

    void aChangeMadeThroughOneProcessIsSeenThroughTheOther()
    {
        // Nina pushes through A; Alex (Ava's parent, Nursery releases live) pulls through B.
        const QString first = observe(QStringLiteral("nina"), QStringLiteral("nina.nursery"), QStringLiteral("C001"),
                                      QStringLiteral("Ava stacked cups"), m_portA);
        QVERIFY(!first.isEmpty());
        CliResult r = cli(QStringLiteral("alex"), QStringLiteral("alex.brown"), {QStringLiteral("sync")}, m_portB);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(journalIds(QStringLiteral("alex"), QStringLiteral("alex.brown")), QSet<QString>{first});

        // The next change goes through B; Alex's cursor (signed by B) is taken by A, which
        // sends just the one new item.
        const QString second = observe(QStringLiteral("nina"), QStringLiteral("nina.nursery"), QStringLiteral("C001"),
                                       QStringLiteral("Ava poured water"), m_portB);
        QVERIFY(!second.isEmpty());
        r = cli(QStringLiteral("alex"), QStringLiteral("alex.brown"), {QStringLiteral("sync")}, m_portA);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(object(r.out).value(QStringLiteral("received")).toInt(), 1);
        QCOMPARE(journalIds(QStringLiteral("alex"), QStringLiteral("alex.brown")), (QSet<QString>{first, second}));
        // Grace (another family) sees nothing of Ava's through either process.
        for (const quint16 port : {m_portA, m_portB})
            QCOMPARE(cli(QStringLiteral("grace"), QStringLiteral("grace.okafor"), {QStringLiteral("sync")}, port).exitCode, 0);
        QVERIFY(!journalIds(QStringLiteral("grace"), QStringLiteral("grace.okafor")).contains(first));
    }

    void theSamePushThroughBothProcessesIsStoredOnce()
    {
        // One change queued offline, the device store copied (as a crash between the
        // server's commit and its reply leaves it): the copies send it to A and B.
        const QString a = profile(QStringLiteral("nina-a"));
        const QString b = profile(QStringLiteral("nina-b"));
        const CliResult queued = cli(QStringLiteral("nina-a"), QStringLiteral("nina.nursery"),
                                     {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C002"),
                                      QStringLiteral("--text"), QStringLiteral("Ben sorted shells"),
                                      QStringLiteral("--offline")},
                                     m_portA);
        QCOMPARE(queued.exitCode, 0);
        const QString id = object(queued.out).value(QStringLiteral("id")).toString();
        QVERIFY(copyDeviceStore(a, b));
        CliResult r = cli(QStringLiteral("nina-a"), QStringLiteral("nina.nursery"), {QStringLiteral("sync")}, m_portA);
        QCOMPARE(object(r.out).value(QStringLiteral("pushed")).toInt(), 1);
        r = cli(QStringLiteral("nina-b"), QStringLiteral("nina.nursery"), {QStringLiteral("sync")}, m_portB);
        QCOMPARE(object(r.out).value(QStringLiteral("pushed")).toInt(), 1);

        QCOMPARE(cli(QStringLiteral("lee"), QStringLiteral("lee.lead"), {QStringLiteral("sync")}, m_portB).exitCode, 0);
        int copies = 0;
        for (const QJsonValue &v : array(cli(QStringLiteral("lee"), QStringLiteral("lee.lead"), {QStringLiteral("journal")}, m_portB).out)) {
            if (v.toObject().value(QStringLiteral("id")).toString() == id) {
                ++copies;
                QCOMPARE(v.toObject().value(QStringLiteral("revision")).toInt(), 1);
            }
        }
        QCOMPARE(copies, 1);
    }

    void anUploadCutOffAtOneProcessResumesAtTheOther()
    {
        // The connection to A is cut about 2.5 MB into the photo; the device then reaches B,
        // which resumes from what A wrote to the shared media directory.
        FaultProxy proxy(m_portA);
        QVERIFY(proxy.listen());
        proxy.setCutAfterClientBytes(2'600'000);
        const QString p = profile(QStringLiteral("nina-cut"));
        CliResult r = cli(QStringLiteral("nina-cut"), QStringLiteral("nina.nursery"),
                          {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                           QStringLiteral("--text"), QStringLiteral("Ava painted a rainbow"), QStringLiteral("--photo"), m_photo},
                          proxy.port());
        QCOMPARE(r.exitCode, 5); // the connection dropped mid-upload
        QCOMPARE(proxy.cuts(), 1);
        const QJsonObject queued = object(r.out);
        QCOMPARE(queued.value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
        const QString mediaId = queued.value(QStringLiteral("media")).toArray().at(0).toString();
        const QString original = p + QStringLiteral("/outbox/") + mediaId + QStringLiteral(".jpg");
        const qint64 photoSize = QFileInfo(original).size();
        const qint64 thumbSize = QFileInfo(p + QStringLiteral("/outbox/") + mediaId + QStringLiteral(".thumb.jpg")).size();
        QVERIFY2(photoSize > 3'000'000, qPrintable(QString::number(photoSize)));
        const QString sha = deviceFileSha256(p, original); // sealed, not yet confirmed: kept
        QVERIFY(!sha.isEmpty());

        r = cli(QStringLiteral("nina-cut"), QStringLiteral("nina.nursery"), {QStringLiteral("sync")}, m_portB);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const qint64 resent = object(r.out).value(QStringLiteral("uploaded_bytes")).toInteger();
        QVERIFY2(resent > 0 && resent <= photoSize + thumbSize - 1024 * 1024,
                 qPrintable(QStringLiteral("re-sent %1 of %2 bytes").arg(resent).arg(photoSize + thumbSize)));

        // Ava's parent downloads it intact through A.
        QCOMPARE(cli(QStringLiteral("alex"), QStringLiteral("alex.brown"), {QStringLiteral("sync")}, m_portA).exitCode, 0);
        const QString out = m_server->scratch() + QStringLiteral("/downloaded.jpg");
        r = cli(QStringLiteral("alex"), QStringLiteral("alex.brown"),
                {QStringLiteral("media"), mediaId, QStringLiteral("--out"), out}, m_portA);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(fileSha256(out), sha);
    }

    void concurrentPushesThroughBothProcessesLoseNothing()
    {
        // Four devices push at once, two through each process, while a parent keeps
        // pulling through alternating processes: the parent's cursor must never pass a
        // change it has not seen, and every acknowledged observation exists exactly once.
        constexpr int kDevices = 4;
        constexpr int kEach = 4;
        std::vector<std::unique_ptr<QProcess>> pushers;
        for (int d = 0; d < kDevices; ++d) {
            auto p = std::make_unique<QProcess>();
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("ACORN_PASSWORD"), QStringLiteral("correct horse 1"));
            p->setProcessEnvironment(env);
            // A shell loop of acorn-cli runs: each observe is pushed before the next starts,
            // and what the server answered is kept in its own file.
            QStringList script;
            for (int i = 0; i < kEach; ++i) {
                script << QStringLiteral("'%1' --profile '%2' --server 127.0.0.1:%3 --pin %4 --user nina.nursery "
                                         "observe --child C001 --text 'device %5 item %6' > '%7' || exit 1")
                              .arg(TestServer::binary(QStringLiteral("acorn-cli")), profile(QStringLiteral("dev%1").arg(d)))
                              .arg(d % 2 ? m_portB : m_portA)
                              .arg(m_server->fingerprint())
                              .arg(d)
                              .arg(i)
                              .arg(answerFile(d, i));
            }
            p->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script.join(QLatin1Char('\n'))});
            QVERIFY(p->waitForStarted());
            pushers.push_back(std::move(p));
        }
        int pulls = 0;
        auto running = [&] {
            return std::any_of(pushers.cbegin(), pushers.cend(),
                               [](const auto &p) { return p->state() != QProcess::NotRunning; });
        };
        while (running() && pulls < 200) {
            const CliResult r = cli(QStringLiteral("alex"), QStringLiteral("alex.brown"), {QStringLiteral("sync")},
                                    pulls % 2 ? m_portB : m_portA);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            ++pulls;
        }
        QStringList acknowledged;
        for (auto &p : pushers) {
            if (p->state() != QProcess::NotRunning)
                QVERIFY(p->waitForFinished(120000));
            QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
        }
        for (int d = 0; d < kDevices; ++d) {
            for (int i = 0; i < kEach; ++i) {
                QFile f(answerFile(d, i));
                QVERIFY(f.open(QIODevice::ReadOnly));
                const QJsonObject answer = object(f.readAll());
                QCOMPARE(answer.value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
                acknowledged.append(answer.value(QStringLiteral("id")).toString());
            }
        }
        acknowledged.removeDuplicates();
        QCOMPARE(acknowledged.size(), kDevices * kEach);

        // One last incremental pull: the parent has every one of them, each once.
        CliResult r = cli(QStringLiteral("alex"), QStringLiteral("alex.brown"), {QStringLiteral("sync")}, m_portB);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QSet<QString> seen = journalIds(QStringLiteral("alex"), QStringLiteral("alex.brown"));
        for (const QString &id : acknowledged)
            QVERIFY2(seen.contains(id), qPrintable(QStringLiteral("the parent never received %1 (%2 pulls)").arg(id).arg(pulls)));
        qInfo("%d observations pushed by %d devices through two processes, %d pulls meanwhile", int(acknowledged.size()),
              kDevices, pulls);

        // And the lead, from scratch, holds each exactly once.
        QCOMPARE(cli(QStringLiteral("lee-fresh"), QStringLiteral("lee.lead"), {QStringLiteral("sync")}, m_portA).exitCode, 0);
        QStringList leadIds;
        for (const QJsonValue &v : array(cli(QStringLiteral("lee-fresh"), QStringLiteral("lee.lead"), {QStringLiteral("journal")}, m_portA).out))
            leadIds.append(v.toObject().value(QStringLiteral("id")).toString());
        for (const QString &id : acknowledged)
            QCOMPARE(leadIds.count(id), 1);
    }

    void sqliteSchoolMovesToPostgres()
    {
        // A school that started on SQLite, with observations, a photo and signed-in devices.
        TestServer school;
        school.setDatabaseUrl(QStringLiteral("sqlite:acorn.db"));
        QVERIFY(school.init(smallSchoolJson()));
        for (const char *u : {"nina.nursery", "alex.brown"})
            QVERIFY(school.setPassword(QLatin1String(u), QStringLiteral("correct horse 1")));
        QVERIFY(school.start());
        const QString nina = school.scratch() + QStringLiteral("/nina");
        const QString alex = school.scratch() + QStringLiteral("/alex");
        const QString pw = QStringLiteral("correct horse 1");
        CliResult r = runCli(school, nina, QStringLiteral("nina.nursery"), pw,
                             {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                              QStringLiteral("--text"), QStringLiteral("Ava found a snail"), QStringLiteral("--photo"), m_photo});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString before = object(r.out).value(QStringLiteral("id")).toString();
        QCOMPARE(runCli(school, alex, QStringLiteral("alex.brown"), pw, {QStringLiteral("sync")}).exitCode, 0);
        // A viewer-like device signed in with a session token.
        std::string token;
        {
            WireConnection tablet;
            QVERIFY(tablet.open(school.port()));
            QVERIFY(tablet.hello().has_hello_reply());
            const auto in = tablet.login(QStringLiteral("alex.brown"), pw);
            QVERIFY2(in.has_login_reply(), qPrintable(describe(in)));
            token = in.login_reply().token();
        }
        school.stop();

        QString why;
        const QString url = freshPostgresDatabase(&why);
        QVERIFY2(!url.isEmpty(), qPrintable(why));
        CliResult m = runServerCommand({QStringLiteral("admin"), QStringLiteral("--data"), school.dataDir(),
                                        QStringLiteral("migrate-to-postgresql"), url});
        QVERIFY2(m.exitCode == 0, m.err.constData());
        const QJsonObject report = object(m.out);
        QVERIFY(report.value(QStringLiteral("verified")).toBool());
        QHash<QString, qint64> rows;
        for (const QJsonValue &t : report.value(QStringLiteral("tables")).toArray())
            rows.insert(t.toObject().value(QStringLiteral("table")).toString(), t.toObject().value(QStringLiteral("rows")).toInteger());
        QCOMPARE(rows.value(QStringLiteral("observations")), 1);
        QCOMPARE(rows.value(QStringLiteral("media")), 1);
        QVERIFY(rows.value(QStringLiteral("sessions")) >= 2);
        QCOMPARE(QSettings(school.dataDir() + QStringLiteral("/acorn-server.conf"), QSettings::IniFormat)
                     .value(QStringLiteral("database/url"))
                     .toString(),
                 url);

        // A second copy into the now full database is refused.
        m = runServerCommand({QStringLiteral("admin"), QStringLiteral("--data"), school.dataDir(),
                              QStringLiteral("migrate-to-postgresql"), url});
        QVERIFY(m.exitCode != 0);

        // The server now runs on PostgreSQL: the parent's device carries on with its
        // session and cursor, new sign-ins get new session ids, new observations arrive.
        QVERIFY(school.start());
        r = runCli(school, nina, QStringLiteral("nina.nursery"), pw,
                   {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                    QStringLiteral("--text"), QStringLiteral("Ava fed the snail")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString after = object(r.out).value(QStringLiteral("id")).toString();
        r = runCli(school, alex, QStringLiteral("alex.brown"), pw, {QStringLiteral("sync")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(object(r.out).value(QStringLiteral("received")).toInt(), 1); // its cursor carried on
        {
            WireConnection tablet; // its session carried on
            QVERIFY(tablet.open(school.port()));
            QVERIFY(tablet.hello().has_hello_reply());
            const auto again = tablet.tokenLogin(token);
            QVERIFY2(again.has_login_reply(), qPrintable(describe(again)));
        }
        const QString fresh = school.scratch() + QStringLiteral("/alex-new-tablet");
        QCOMPARE(runCli(school, fresh, QStringLiteral("alex.brown"), pw, {QStringLiteral("sync")}).exitCode, 0);
        QSet<QString> ids;
        for (const QJsonValue &v : array(runCli(school, fresh, QStringLiteral("alex.brown"), pw, {QStringLiteral("journal")}).out))
            ids.insert(v.toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(ids, (QSet<QString>{before, after}));

        // The review sheet reads the PostgreSQL school.
        const CliResult doctor = runServerCommand({QStringLiteral("doctor"), QStringLiteral("--data"), school.dataDir()});
        QVERIFY2(doctor.out.contains("PostgreSQL, schema version"), doctor.out.constData());
    }

    void cleanupTestCase()
    {
        if (m_server)
            m_server->stop();
    }
};

QTEST_MAIN(TestPostgresDeployment)
#include "tst_postgres_deployment.moc"
