#include "faultproxy.h"
#include "testserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSslSocket>
#include <QSslConfiguration>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <QTimer>

using namespace acorn::test;

// The foundation path end to end over real TLS: a real acorn-server process on loopback,
// real acorn-cli processes, real SQLite files, real photos.
class TestFoundation : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QString m_photo;   // a large noisy photo (several MB after normalisation)
    QString m_obsId;   // Ava's observation with the photo
    QString m_mediaId; // its photo

    QString profile(const QString &name) const { return m_server.scratch() + QStringLiteral("/profiles/") + name; }

    static QJsonObject object(const QByteArray &json) { return QJsonDocument::fromJson(json).object(); }
    static QJsonArray array(const QByteArray &json) { return QJsonDocument::fromJson(json).array(); }


    CliResult runCliAsync(const QString &profileDir, const QString &user, const QString &password,
                          const QStringList &command, quint16 port)
    {
        return runCliServing(m_server, profileDir, user, password, command, port);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(smallSchoolJson()));
        for (const char *u : {"nina.nursery", "lee.lead", "alex.brown", "sam.brown", "grace.okafor"})
            QVERIFY(m_server.setPassword(QLatin1String(u), QStringLiteral("correct horse 1")));
        QVERIFY(m_server.start());
        QCOMPARE(m_server.fingerprint().size(), 64);

        // Random noise compresses badly: the normalised JPEG stays several megabytes,
        // so an upload spans several 1 MiB chunks.
        QImage img(3000, 2250, QImage::Format_RGB32);
        auto *rng = QRandomGenerator::global();
        for (int y = 0; y < img.height(); ++y) {
            auto *line = reinterpret_cast<QRgb *>(img.scanLine(y));
            for (int x = 0; x < img.width(); ++x)
                line[x] = rng->generate() | 0xff000000u;
        }
        m_photo = m_server.scratch() + QStringLiteral("/tower.jpg");
        QVERIFY(img.save(m_photo, "JPEG", 95));
    }

    void practitionerPushesObservationWithPhoto()
    {
        const CliResult r = runCli(m_server, profile(QStringLiteral("nina")), QStringLiteral("nina.nursery"),
                                   QStringLiteral("correct horse 1"),
                                   {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                                    QStringLiteral("--text"), QStringLiteral("Ava built a tower of eight blocks"),
                                    QStringLiteral("--note"), QStringLiteral("STAFF-ONLY: check fine motor"),
                                    QStringLiteral("--photo"), m_photo});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = object(r.out);
        QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
        QCOMPARE(o.value(QStringLiteral("revision")).toInt(), 1);
        m_obsId = o.value(QStringLiteral("id")).toString();
        m_mediaId = o.value(QStringLiteral("media")).toArray().at(0).toString();
        QVERIFY(!m_obsId.isEmpty());
        QVERIFY(!m_mediaId.isEmpty());

        // A text-only observation for Ben, another family's child.
        const CliResult r2 = runCli(m_server, profile(QStringLiteral("nina")), QStringLiteral("nina.nursery"),
                                    QStringLiteral("correct horse 1"),
                                    {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C002"),
                                     QStringLiteral("--text"), QStringLiteral("Ben counted to ten"),
                                     QStringLiteral("--note"), QStringLiteral("STAFF-ONLY: speech")});
        QVERIFY2(r2.exitCode == 0, r2.err.constData());
    }

    void parentOfChildSeesItAndDownloadsThePhoto()
    {
        const QString p = profile(QStringLiteral("alex"));
        CliResult r = runCli(m_server, p, QStringLiteral("alex.brown"), QStringLiteral("correct horse 1"), {QStringLiteral("sync")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runCli(m_server, p, QStringLiteral("alex.brown"), {}, {QStringLiteral("journal")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray journal = array(r.out);
        QCOMPARE(journal.size(), 1); // Ava's only: not Ben's
        const QJsonObject o = journal.at(0).toObject();
        QCOMPARE(o.value(QStringLiteral("id")).toString(), m_obsId);
        QCOMPARE(o.value(QStringLiteral("children")).toArray(), QJsonArray{QStringLiteral("C001")});
        QVERIFY2(!o.contains(QStringLiteral("note")), "a parent's journal must carry no staff note");
        QVERIFY(!r.out.contains("STAFF-ONLY"));
        const QJsonObject media = o.value(QStringLiteral("media")).toArray().at(0).toObject();
        QCOMPARE(media.value(QStringLiteral("id")).toString(), m_mediaId);
        QVERIFY(media.value(QStringLiteral("available")).toBool());

        const QString out = m_server.scratch() + QStringLiteral("/alex-download.jpg");
        r = runCli(m_server, p, QStringLiteral("alex.brown"), QStringLiteral("correct horse 1"),
                   {QStringLiteral("media"), m_mediaId, QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(fileSha256(out), media.value(QStringLiteral("sha256")).toString());
        // The practitioner's device sent the original and, once the server confirmed it,
        // removed it (a lost tablet holds as little as possible); the sealed thumbnail stays.
        const QString queued = profile(QStringLiteral("nina")) + QStringLiteral("/outbox/") + m_mediaId;
        QVERIFY(!QFileInfo::exists(queued + QStringLiteral(".jpg")));
        QVERIFY(QFileInfo::exists(queued + QStringLiteral(".thumb.jpg")));
        QVERIFY(!deviceFileSha256(profile(QStringLiteral("nina")), queued + QStringLiteral(".thumb.jpg")).isEmpty());
    }

    void secondGuardianSeesTheSame()
    {
        const QString p = profile(QStringLiteral("sam"));
        QCOMPARE(runCli(m_server, p, QStringLiteral("sam.brown"), QStringLiteral("correct horse 1"), {QStringLiteral("sync")}).exitCode, 0);
        const QJsonArray journal = array(runCli(m_server, p, QStringLiteral("sam.brown"), {}, {QStringLiteral("journal")}).out);
        QCOMPARE(journal.size(), 1);
        QCOMPARE(journal.at(0).toObject().value(QStringLiteral("id")).toString(), m_obsId);
    }

    void parentOfOtherChildSeesNothingOfIt()
    {
        const QString p = profile(QStringLiteral("grace"));
        CliResult r = runCli(m_server, p, QStringLiteral("grace.okafor"), QStringLiteral("correct horse 1"), {QStringLiteral("sync")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runCli(m_server, p, QStringLiteral("grace.okafor"), {}, {QStringLiteral("journal")});
        const QJsonArray journal = array(r.out);
        QCOMPARE(journal.size(), 1);
        QCOMPARE(journal.at(0).toObject().value(QStringLiteral("children")).toArray(), QJsonArray{QStringLiteral("C002")});
        QVERIFY(!r.out.contains(m_obsId.toLatin1()));
        QVERIFY(!r.out.contains("Ava"));

        // Asking for Ava's photo by id is refused: an id is never a capability.
        const QString out = m_server.scratch() + QStringLiteral("/grace-download.jpg");
        r = runCli(m_server, p, QStringLiteral("grace.okafor"), QStringLiteral("correct horse 1"),
                   {QStringLiteral("media"), m_mediaId, QStringLiteral("--out"), out});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(!QFile::exists(out));
        QVERIFY(!QFile::exists(out + QStringLiteral(".part")));
    }

    void wrongPasswordIsRefused()
    {
        const CliResult r = runCli(m_server, profile(QStringLiteral("alex-wrong")), QStringLiteral("alex.brown"),
                                   QStringLiteral("not the password"), {QStringLiteral("sync")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("password"));
        // Unknown accounts get the same answer.
        const CliResult r2 = runCli(m_server, profile(QStringLiteral("nobody")), QStringLiteral("no.such.user"),
                                    QStringLiteral("whatever1"), {QStringLiteral("sync")});
        QCOMPARE(r2.exitCode, 3);
        QCOMPARE(r2.err, r.err);
    }

    void wrongPinIsRefusedBeforeLogin()
    {
        const QByteArray auditBefore = m_server.admin({QStringLiteral("audit")});
        QString wrongPin = m_server.fingerprint();
        wrongPin[0] = wrongPin[0] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
        const CliResult r = runCli(m_server, profile(QStringLiteral("alex-pin")), QStringLiteral("sam.brown"),
                                   QStringLiteral("correct horse 1"), {QStringLiteral("sync")}, wrongPin);
        QCOMPARE(r.exitCode, 4);
        // Both fingerprints are shown (grouped for reading aloud).
        QVERIFY(r.err.contains(m_server.fingerprint().left(4).toLatin1()));
        QVERIFY(r.err.contains(wrongPin.left(4).toLatin1()));
        // No sign-in reached the server: the audit log records none.
        const QByteArray auditAfter = m_server.admin({QStringLiteral("audit")});
        QCOMPARE(auditAfter, auditBefore);
    }

    void unreachableServer()
    {
        const CliResult r = runCli(m_server, profile(QStringLiteral("alex-off")), QStringLiteral("alex.brown"),
                                   QStringLiteral("correct horse 1"), {QStringLiteral("sync")}, {}, 1);
        QCOMPARE(r.exitCode, 5);
    }

    void samePushTwiceIsStoredOnce()
    {
        // Queue offline on one device, copy the device's store (as a crash between the
        // server's commit and its reply would leave it), then both send the same change.
        const QString a = profile(QStringLiteral("nina-a"));
        const QString b = profile(QStringLiteral("nina-b"));
        CliResult r = runCli(m_server, a, QStringLiteral("nina.nursery"), {},
                             {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                              QStringLiteral("--text"), QStringLiteral("Ava sang a song"), QStringLiteral("--offline")});
        QCOMPARE(r.exitCode, 0);
        const QString id = object(r.out).value(QStringLiteral("id")).toString();
        QVERIFY(copyDeviceStore(a, b));
        r = runCli(m_server, a, QStringLiteral("nina.nursery"), QStringLiteral("correct horse 1"), {QStringLiteral("sync")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(object(r.out).value(QStringLiteral("pushed")).toInt(), 1);
        r = runCli(m_server, b, QStringLiteral("nina.nursery"), QStringLiteral("correct horse 1"), {QStringLiteral("sync")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(object(r.out).value(QStringLiteral("pushed")).toInt(), 1); // acknowledged again...

        // ...but stored once, at revision 1.
        const QString lead = profile(QStringLiteral("lee"));
        QCOMPARE(runCli(m_server, lead, QStringLiteral("lee.lead"), QStringLiteral("correct horse 1"), {QStringLiteral("sync")}).exitCode, 0);
        const QJsonArray journal = array(runCli(m_server, lead, QStringLiteral("lee.lead"), {}, {QStringLiteral("journal")}).out);
        int copies = 0;
        for (const QJsonValue &v : journal) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("id")).toString() == id) {
                ++copies;
                QCOMPARE(o.value(QStringLiteral("revision")).toInt(), 1);
            }
        }
        QCOMPARE(copies, 1);
        QCOMPARE(journal.size(), 3); // Ava's tower, Ben's counting, Ava's song
        // Staff see the note.
        QVERIFY(journal.at(0).toObject().contains(QStringLiteral("note")));
    }

    void interruptedUploadResumesWithoutResending()
    {
        // Cut the connection about two and a half megabytes into the photo upload.
        FaultProxy proxy(m_server.port());
        QVERIFY(proxy.listen());
        proxy.setCutAfterClientBytes(2'600'000);
        const QString p = profile(QStringLiteral("nina-cut"));
        CliResult r = runCliAsync(p, QStringLiteral("nina.nursery"), QStringLiteral("correct horse 1"),
                                  {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                                   QStringLiteral("--text"), QStringLiteral("Ava painted"), QStringLiteral("--photo"), m_photo},
                                  proxy.port());
        QCOMPARE(r.exitCode, 5); // the connection dropped mid-upload
        QCOMPARE(proxy.cuts(), 1);
        const QJsonObject queued = object(r.out);
        QCOMPARE(queued.value(QStringLiteral("state")).toString(), QStringLiteral("accepted")); // the push made it
        const QString mediaId = queued.value(QStringLiteral("media")).toArray().at(0).toString();
        const QString original = p + QStringLiteral("/outbox/") + mediaId + QStringLiteral(".jpg");
        const QString thumbnail = p + QStringLiteral("/outbox/") + mediaId + QStringLiteral(".thumb.jpg");
        const qint64 photoSize = QFileInfo(original).size();
        const qint64 thumbSize = QFileInfo(thumbnail).size();
        QVERIFY2(photoSize > 3'000'000, qPrintable(QString::number(photoSize)));
        // The upload was not confirmed: the device keeps its (sealed) original.
        const QString sha = deviceFileSha256(p, original);
        QVERIFY(!sha.isEmpty());

        // Sync again, directly: only what the server does not already hold is sent.
        r = runCliAsync(p, QStringLiteral("nina.nursery"), QStringLiteral("correct horse 1"), {QStringLiteral("sync")},
                        m_server.port());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const qint64 resent = object(r.out).value(QStringLiteral("uploaded_bytes")).toInteger();
        QVERIFY2(resent > 0, r.out.constData());
        QVERIFY2(resent <= photoSize + thumbSize - 1024 * 1024,
                 qPrintable(QStringLiteral("re-sent %1 of %2 bytes").arg(resent).arg(photoSize + thumbSize)));

        // And the parent gets the photo intact.
        const QString alex = profile(QStringLiteral("alex"));
        QCOMPARE(runCli(m_server, alex, QStringLiteral("alex.brown"), QStringLiteral("correct horse 1"), {QStringLiteral("sync")}).exitCode, 0);
        const QString out = m_server.scratch() + QStringLiteral("/resumed.jpg");
        r = runCli(m_server, alex, QStringLiteral("alex.brown"), QStringLiteral("correct horse 1"),
                   {QStringLiteral("media"), mediaId, QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(fileSha256(out), sha);
        // Confirmed now: the original left the device, the thumbnail stayed.
        QVERIFY(!QFileInfo::exists(original));
        QVERIFY(QFileInfo::exists(thumbnail));
    }

    void malformedFrameClosesOnlyThatConnection()
    {
        // A raw TLS client sending garbage must not disturb anyone else.
        QSslSocket bad;
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setPeerVerifyMode(QSslSocket::VerifyNone);
        bad.setSslConfiguration(c);
        bad.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.port());
        QVERIFY(bad.waitForEncrypted(10000));
        bad.write(QByteArray("\x00\x00\x00\x05\xff\xff\xff\xff\xff", 9));
        QVERIFY(bad.waitForDisconnected(10000));
        // An oversized length is refused at the header.
        QSslSocket big;
        big.setSslConfiguration(c);
        big.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.port());
        QVERIFY(big.waitForEncrypted(10000));
        big.write(QByteArray("\x7f\xff\xff\xff", 4));
        QVERIFY(big.waitForDisconnected(10000));

        QVERIFY(m_server.isRunning());
        const CliResult r = runCli(m_server, profile(QStringLiteral("alex")), QStringLiteral("alex.brown"),
                                   QStringLiteral("correct horse 1"), {QStringLiteral("sync")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(m_server.log().contains(QStringLiteral("malformed frame")));
        QVERIFY(m_server.log().contains(QStringLiteral("exceeds the limit")));
    }

    void stopsCleanlyOnSigterm()
    {
        m_server.stop();
        QVERIFY(!m_server.isRunning());
        QVERIFY(m_server.log().contains(QStringLiteral("stopped")));
    }
};

QTEST_GUILESS_MAIN(TestFoundation)
#include "tst_foundation.moc"
