#include "clock.h"
#include "datadir.h"
#include "reviewsheet.h"
#include "serverstore.h"
#include "testserver.h"
#include "totp.h"
#include "wireconnection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUrlQuery>

using namespace acorn;
using namespace acorn::server;
using acorn::test::describe;
using acorn::test::isError;
using acorn::test::TestServer;
using acorn::test::WireConnection;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run acornServer(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(TestServer::binary(QStringLiteral("acorn-server")), args);
    p.closeWriteChannel();
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QJsonObject checkById(const QJsonObject &sheet, const QString &id)
{
    for (const auto &c : sheet.value(QStringLiteral("checks")).toArray()) {
        if (c[QStringLiteral("id")].toString() == id)
            return c.toObject();
    }
    return {};
}

} // namespace

// The security commands of the real acorn-server binary on a real data directory: the key
// permission check at start, 'admin sessions' (listing and revoking, and the sessions that
// a password change or a disabled account ends), the [sessions] settings, and 'doctor'.
class TestSecurityCommands : public QObject
{
    Q_OBJECT

    TestServer m_server;

    QStringList admin(const QStringList &args) const
    {
        return QStringList { QStringLiteral("admin"), QStringLiteral("--data"), m_server.dataDir() }
        + args;
    }

    QJsonObject sessionsOf(const QString &username)
    {
        const Run r = acornServer(admin({ QStringLiteral("sessions"), username }));
        if (r.exitCode != 0)
            qWarning("sessions failed: %s", r.err.constData());
        return QJsonDocument::fromJson(r.out).object();
    }

    // Signs in over the wire; returns the token.
    std::string signIn(const QString &username, const QString &password)
    {
        WireConnection c;
        if (!c.open(m_server.port()) || !c.hello().has_hello_reply())
            return {};
        const wire::Frame r = c.login(username, password);
        if (!r.has_login_reply()) {
            qWarning("sign-in failed: %s", qPrintable(describe(r)));
            return {};
        }
        return r.login_reply().token();
    }

    bool tokenWorks(const std::string &token)
    {
        WireConnection c;
        if (!c.open(m_server.port()) || !c.hello().has_hello_reply())
            return false;
        return c.tokenLogin(token).has_login_reply();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(acorn::test::smallSchoolJson()));
        QVERIFY(m_server.setPassword(
            QStringLiteral("rob.reception"), QStringLiteral("reception-pass")));
        QVERIFY(
            m_server.setPassword(QStringLiteral("nina.nursery"), QStringLiteral("nursery-pass")));
    }

    void aKeyOthersCanReadIsRefusedAtStart()
    {
        const QString key = DataDir(m_server.dataDir()).keyPath();
        QVERIFY(QFile::setPermissions(
            key, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
        const Run r
            = acornServer({ QStringLiteral("run"), QStringLiteral("--data"), m_server.dataDir(),
                              QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") },
                30000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("can be read by other users (mode 0644)"), r.err.constData());
        QVERIFY2(r.err.contains("chmod 600"), r.err.constData());
        QVERIFY(!r.out.contains("listening on"));

        // doctor says so too, and exits with "needs attention".
        const Run d = acornServer({ QStringLiteral("doctor"), QStringLiteral("--data"),
            m_server.dataDir(), QStringLiteral("--json") });
        QCOMPARE(d.exitCode, ReviewSheet::kExitAttention);
        const QJsonObject sheet = QJsonDocument::fromJson(d.out).object();
        QCOMPARE(checkById(sheet, QStringLiteral("tls_key"))[QStringLiteral("status")].toString(),
            QStringLiteral("attention"));

        QVERIFY(QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(m_server.start());
    }

    void sessionsAreListedAndRevoked()
    {
        const std::string tablet
            = signIn(QStringLiteral("rob.reception"), QStringLiteral("reception-pass"));
        const std::string laptop
            = signIn(QStringLiteral("rob.reception"), QStringLiteral("reception-pass"));
        QVERIFY(!tablet.empty() && !laptop.empty());
        QVERIFY(tablet != laptop);

        QJsonObject listed = sessionsOf(QStringLiteral("rob.reception"));
        QCOMPARE(listed[QStringLiteral("username")].toString(), QStringLiteral("rob.reception"));
        QCOMPARE(listed[QStringLiteral("idle_days")].toInt(), 30);
        QCOMPARE(listed[QStringLiteral("max_age_days")].toInt(), 180);
        QJsonArray sessions = listed[QStringLiteral("sessions")].toArray();
        QCOMPARE(sessions.size(), 2);
        for (const auto &s : sessions) {
            QCOMPARE(s[QStringLiteral("state")].toString(), QStringLiteral("active"));
            QCOMPARE(s[QStringLiteral("device")].toString(), QStringLiteral("test tablet"));
            QVERIFY(!s[QStringLiteral("created")].toString().isEmpty());
            QVERIFY(!s[QStringLiteral("last_used")].toString().isEmpty());
        }
        // Never a token, or its hash, in the listing.
        const QByteArray raw = QJsonDocument(listed).toJson();
        QVERIFY(!raw.contains(QByteArray::fromStdString(tablet).toHex()));

        const QString laptopId = QString::number(sessions[0][QStringLiteral("id")].toInteger());
        const Run revoke = acornServer(admin({ QStringLiteral("sessions"),
            QStringLiteral("rob.reception"), QStringLiteral("--revoke"), laptopId }));
        QVERIFY2(revoke.exitCode == 0, revoke.err.constData());
        QVERIFY(!tokenWorks(laptop));
        QVERIFY(tokenWorks(tablet));
        sessions
            = sessionsOf(QStringLiteral("rob.reception"))[QStringLiteral("sessions")].toArray();
        QCOMPARE(sessions[0][QStringLiteral("state")].toString(), QStringLiteral("ended"));
        QVERIFY(sessions[0][QStringLiteral("end_reason")].toString().startsWith(
            QStringLiteral("revoked by admin:")));

        QVERIFY(acornServer(admin({ QStringLiteral("sessions"), QStringLiteral("rob.reception"),
                                QStringLiteral("--revoke"), QStringLiteral("all") }))
                    .exitCode
            == 0);
        QVERIFY(!tokenWorks(tablet));
        const Run bad = acornServer(admin({ QStringLiteral("sessions"),
            QStringLiteral("rob.reception"), QStringLiteral("--revoke"), QStringLiteral("lots") }));
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains("takes a session id"));
        const Run nobody
            = acornServer(admin({ QStringLiteral("sessions"), QStringLiteral("no.such.person") }));
        QCOMPARE(nobody.exitCode, 1);
        QVERIFY(nobody.err.contains("there is no account"));

        // Audited.
        const Run audit = acornServer(admin({ QStringLiteral("audit") }));
        QCOMPARE(audit.out.count("\"action\":\"session-revoke\""), 2);
    }

    void aPasswordChangeEndsEverySession()
    {
        const std::string a
            = signIn(QStringLiteral("rob.reception"), QStringLiteral("reception-pass"));
        const std::string b
            = signIn(QStringLiteral("rob.reception"), QStringLiteral("reception-pass"));
        QVERIFY(tokenWorks(a) && tokenWorks(b));
        QVERIFY(m_server.setPassword(
            QStringLiteral("rob.reception"), QStringLiteral("a brand new pass")));
        QVERIFY(!tokenWorks(a));
        QVERIFY(!tokenWorks(b));
        const QJsonArray sessions
            = sessionsOf(QStringLiteral("rob.reception"))[QStringLiteral("sessions")].toArray();
        QCOMPARE(sessions[0][QStringLiteral("end_reason")].toString(),
            QStringLiteral("password changed"));
        QCOMPARE(sessions[1][QStringLiteral("end_reason")].toString(),
            QStringLiteral("password changed"));
    }

    void disablingAnAccountEndsEverySession()
    {
        const std::string a
            = signIn(QStringLiteral("nina.nursery"), QStringLiteral("nursery-pass"));
        QVERIFY(tokenWorks(a));
        bool ok = false;
        m_server.admin(
            { QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("nina.nursery") },
            &ok);
        QVERIFY(ok);
        QVERIFY(!tokenWorks(a));
        m_server.admin(
            { QStringLiteral("user"), QStringLiteral("enable"), QStringLiteral("nina.nursery") },
            &ok);
        QVERIFY(ok);
        QVERIFY(!tokenWorks(a)); // switching back on does not revive old sessions
        const QJsonArray sessions
            = sessionsOf(QStringLiteral("nina.nursery"))[QStringLiteral("sessions")].toArray();
        QCOMPARE(sessions[0][QStringLiteral("end_reason")].toString(),
            QStringLiteral("account disabled"));
    }

    void sessionSettingsComeFromTheConfiguration()
    {
        const QString conf = DataDir(m_server.dataDir()).configPath();
        {
            QSettings s(conf, QSettings::IniFormat);
            s.setValue(QStringLiteral("sessions/idle_days"), 7);
            s.setValue(QStringLiteral("sessions/max_age_days"), 60);
        }
        const QJsonObject listed = sessionsOf(QStringLiteral("rob.reception"));
        QCOMPARE(listed[QStringLiteral("idle_days")].toInt(), 7);
        QCOMPARE(listed[QStringLiteral("max_age_days")].toInt(), 60);

        // A value that makes no sense stops the server from starting, with the reason.
        {
            QSettings s(conf, QSettings::IniFormat);
            s.setValue(QStringLiteral("sessions/idle_days"), QStringLiteral("forever"));
        }
        const Run r
            = acornServer({ QStringLiteral("run"), QStringLiteral("--data"), m_server.dataDir(),
                              QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") },
                30000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("sessions/idle_days must be a number of days"), r.err.constData());
        {
            QSettings s(conf, QSettings::IniFormat);
            s.setValue(QStringLiteral("sessions/idle_days"), 90);
            s.setValue(QStringLiteral("sessions/max_age_days"), 30);
        }
        QVERIFY(
            !DataDir(m_server.dataDir()).sessionLifetimes().ok()); // idle longer than the maximum
        {
            QSettings s(conf, QSettings::IniFormat);
            s.remove(QStringLiteral("sessions"));
        }
        QCOMPARE(DataDir(m_server.dataDir()).sessionLifetimes()->idleDays, 30);
    }

    // 'admin user 2fa' prints the otpauth URI; the real server then wants the code, once;
    // acorn-cli passes it from ACORN_TOTP; 'user 2fa-reset' switches it off again.
    void twoFactorIsSetUpByTheAdminCommand()
    {
        QVERIFY(m_server.isRunning());
        const Run enrolled = acornServer(admin(
            { QStringLiteral("user"), QStringLiteral("2fa"), QStringLiteral("nina.nursery") }));
        QVERIFY2(enrolled.exitCode == 0, enrolled.err.constData());
        const QJsonObject shown = QJsonDocument::fromJson(enrolled.out).object();
        const QUrl uri(shown[QStringLiteral("otpauth_uri")].toString());
        QCOMPARE(uri.scheme(), QStringLiteral("otpauth"));
        QCOMPARE(uri.path(QUrl::FullyDecoded), QStringLiteral("/Acorn Test Primary:nina.nursery"));
        // ... and says where else it can be scanned from.
        QVERIFY2(shown[QStringLiteral("how_to_scan")].toString().contains(
                     QStringLiteral("staff app, Menu > Two-step sign-in")),
            enrolled.out.constData());
        QByteArray secret;
        {
            auto store = ServerStore::openSqlite(DataDir(m_server.dataDir()).databasePath(), false);
            QVERIFY(store.ok());
            const auto user = store.value()->userByUsername(QStringLiteral("nina.nursery"));
            QVERIFY(user);
            secret = store.value()
                         ->twoFactor(user->id)
                         .value_or(ServerStore::TwoFactorRecord {})
                         .secret;
        }
        QCOMPARE(secret.size(), Totp::kSecretBytes);
        QCOMPARE(QUrlQuery(uri).queryItemValue(QStringLiteral("secret")), Totp::base32(secret));
        QCOMPARE(shown[QStringLiteral("secret")].toString(), Totp::base32(secret));

        // acorn-cli: refused without the code (exit 3, saying how to give it), then signed in.
        const QString profile = m_server.scratch() + QStringLiteral("/cli-2fa");
        qunsetenv("ACORN_TOTP");
        const auto bare = acorn::test::runCli(m_server, profile, QStringLiteral("nina.nursery"),
            QStringLiteral("nursery-pass"), { QStringLiteral("sync") });
        QCOMPARE(bare.exitCode, 3);
        QVERIFY2(bare.err.contains("ACORN_TOTP"), bare.err.constData());
        const QString code = Totp::code(secret, Totp::stepAt(QDateTime::currentMSecsSinceEpoch()));
        qputenv("ACORN_TOTP", code.toLatin1());
        const auto ok = acorn::test::runCli(m_server, profile, QStringLiteral("nina.nursery"),
            QStringLiteral("nursery-pass"), { QStringLiteral("sync") });
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        // The same code a second time: refused.
        const auto replay = acorn::test::runCli(m_server, profile, QStringLiteral("nina.nursery"),
            QStringLiteral("nursery-pass"), { QStringLiteral("sync") });
        qunsetenv("ACORN_TOTP");
        QCOMPARE(replay.exitCode, 3);
        QVERIFY2(replay.err.contains("used already"), replay.err.constData());

        // Parents only when the school switches it on.
        const Run parent = acornServer(
            admin({ QStringLiteral("user"), QStringLiteral("2fa"), QStringLiteral("alex.brown") }));
        QCOMPARE(parent.exitCode, 1);
        QVERIFY2(parent.err.contains("two-factor-parents on"), parent.err.constData());

        // A reset (a lost phone): the password alone works again.
        const Run reset = acornServer(admin({ QStringLiteral("user"), QStringLiteral("2fa-reset"),
            QStringLiteral("nina.nursery") }));
        QVERIFY2(reset.exitCode == 0, reset.err.constData());
        QVERIFY(!signIn(QStringLiteral("nina.nursery"), QStringLiteral("nursery-pass")).empty());
        const Run again = acornServer(admin({ QStringLiteral("user"), QStringLiteral("2fa-reset"),
            QStringLiteral("nina.nursery") }));
        QCOMPARE(again.exitCode, 1);
    }

    void doctorPrintsTheReviewSheet()
    {
        // No backup yet: attention, exit status 3.
        Run r = acornServer({ QStringLiteral("doctor"), QStringLiteral("--data"),
            m_server.dataDir(), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, ReviewSheet::kExitAttention);
        QJsonObject sheet = QJsonDocument::fromJson(r.out).object();
        QStringList ids;
        for (const auto &c : sheet[QStringLiteral("checks")].toArray())
            ids.append(c[QStringLiteral("id")].toString());
        QCOMPARE(ids,
            (QStringList { QStringLiteral("tls_certificate"), QStringLiteral("tls_key"),
                QStringLiteral("tls_protocol"), QStringLiteral("file_permissions"),
                QStringLiteral("database"), QStringLiteral("backup"), QStringLiteral("accounts"),
                QStringLiteral("sign_in"), QStringLiteral("disk"), QStringLiteral("calendar") }));
        QCOMPARE(checkById(sheet, QStringLiteral("backup"))[QStringLiteral("status")].toString(),
            QStringLiteral("attention"));
        QCOMPARE(
            checkById(sheet,
                QStringLiteral("backup"))[QStringLiteral("details")][QStringLiteral("last_backup")]
                .toString(),
            QStringLiteral("never"));
        const QJsonObject cert = checkById(sheet, QStringLiteral("tls_certificate"));
        QCOMPARE(cert[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        QVERIFY(cert[QStringLiteral("details")][QStringLiteral("days_left")].toInt() > 3600);
        QCOMPARE(cert[QStringLiteral("details")][QStringLiteral("public_key_sha256")].toString(),
            m_server.fingerprint());
        const QJsonObject key = checkById(sheet, QStringLiteral("tls_key"));
        QCOMPARE(key[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        QCOMPARE(key[QStringLiteral("details")][QStringLiteral("algorithm")].toString(),
            QStringLiteral("ECDSA prime256v1"));
        QCOMPARE(key[QStringLiteral("details")][QStringLiteral("mode")].toString(),
            QStringLiteral("0600"));
        QCOMPARE(
            checkById(sheet, QStringLiteral("tls_protocol"))[QStringLiteral("status")].toString(),
            QStringLiteral("ok"));
        // init made the database and media closed to other users (umask 077).
        QCOMPARE(checkById(sheet, QStringLiteral("file_permissions"))[QStringLiteral("status")]
                     .toString(),
            QStringLiteral("ok"));
        QCOMPARE(QFileInfo(DataDir(m_server.dataDir()).databasePath()).permissions()
                & (QFile::ReadOther | QFile::ReadGroup),
            QFileDevice::Permissions());
        const QJsonObject db = checkById(sheet, QStringLiteral("database"));
        QCOMPARE(db[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        QCOMPARE(db[QStringLiteral("details")][QStringLiteral("quick_check")].toString(),
            QStringLiteral("ok"));
        QCOMPARE(db[QStringLiteral("details")][QStringLiteral("schema_version")].toInt(),
            db[QStringLiteral("details")][QStringLiteral("schema_latest")].toInt());
        // Staff and admin accounts without a second factor need attention ...
        QJsonObject accounts = checkById(sheet, QStringLiteral("accounts"));
        QCOMPARE(accounts[QStringLiteral("status")].toString(), QStringLiteral("attention"));
        const QJsonArray withoutTwoFactor
            = accounts[QStringLiteral("details")][QStringLiteral("staff_without_two_factor")]
                  .toArray();
        QCOMPARE(withoutTwoFactor.size(), 4);
        QVERIFY(accounts[QStringLiteral("summary")].toString().contains(
            QStringLiteral("admin user 2fa")));
        // ... until each is set up.
        for (const QJsonValue &v : withoutTwoFactor) {
            const QString username = v[QStringLiteral("username")].toString();
            QVERIFY(username != QLatin1String("alex.brown"));
            QCOMPARE(acornServer(admin({ QStringLiteral("user"), QStringLiteral("2fa"), username }))
                         .exitCode,
                0);
        }
        accounts = checkById(QJsonDocument::fromJson(
                                 acornServer({ QStringLiteral("doctor"), QStringLiteral("--data"),
                                                 m_server.dataDir(), QStringLiteral("--json") })
                                     .out)
                                 .object(),
            QStringLiteral("accounts"));
        QCOMPARE(accounts[QStringLiteral("status")].toString(), QStringLiteral("ok"));
        QVERIFY(accounts[QStringLiteral("details")][QStringLiteral("without_password")]
                    .toArray()
                    .contains(QStringLiteral("alex.brown")));
        QVERIFY(!accounts[QStringLiteral("details")][QStringLiteral("without_password")]
                     .toArray()
                     .contains(QStringLiteral("rob.reception")));
        QVERIFY(checkById(sheet,
                    QStringLiteral("disk"))[QStringLiteral("details")][QStringLiteral("free_bytes")]
                    .toDouble()
            > 0);
        QCOMPARE(checkById(sheet, QStringLiteral("sign_in"))[QStringLiteral(
                     "details")][QStringLiteral("account_failures_per_hour_max")]
                     .toInt(),
            100);

        // A backup recorded a day ago: nothing needs attention any more (if the calendar and
        // the disk are fine here), and the readable sheet says so.
        {
            auto store = ServerStore::openSqlite(DataDir(m_server.dataDir()).databasePath(), false);
            QVERIFY(store.ok());
            QVERIFY(store.value()->setMeta(QStringLiteral("last_backup_at"),
                QString::number(QDateTime::currentMSecsSinceEpoch() - 24LL * 3600 * 1000)));
        }
        r = acornServer({ QStringLiteral("doctor"), QStringLiteral("--data"), m_server.dataDir() });
        QVERIFY2(r.out.contains("[ok]        Backups: last backup"), r.out.constData());
        QVERIFY2(r.out.contains("TLS private key: ECDSA prime256v1, mode 0600"), r.out.constData());
        sheet = QJsonDocument::fromJson(
            acornServer({ QStringLiteral("doctor"), QStringLiteral("--data"), m_server.dataDir(),
                            QStringLiteral("--json") })
                .out)
                    .object();
        const bool elseFine = checkById(sheet, QStringLiteral("disk"))[QStringLiteral("status")]
                == QStringLiteral("ok")
            && checkById(sheet, QStringLiteral("calendar"))[QStringLiteral("status")]
                == QStringLiteral("ok")
            && checkById(sheet, QStringLiteral("file_permissions"))[QStringLiteral("status")]
                == QStringLiteral("ok");
        if (elseFine) {
            QCOMPARE(r.exitCode, 0);
            QVERIFY(r.out.contains("Nothing needs attention."));
        }

        // Thirty-one days on, the guardians who never activated their accounts are listed.
        ManualClock later(QDateTime::currentMSecsSinceEpoch() + 31LL * 24 * 3600 * 1000);
        const DataDir dir(m_server.dataDir());
        const QList<ReviewItem> items = ReviewSheet(dir, later).run();
        const auto stale = std::find_if(items.cbegin(), items.cend(),
            [](const ReviewItem &i) { return i.id == QLatin1String("accounts"); });
        QVERIFY(stale != items.cend());
        QCOMPARE(stale->status, ReviewItem::Status::Attention);
        QVERIFY(stale->summary.contains(QStringLiteral("never activated")));
        QCOMPARE(stale->details[QStringLiteral("invited_over_30_days")].toArray().size(),
            6); // four guardians, lee.lead, ian.admin
        const auto backup = std::find_if(items.cbegin(), items.cend(),
            [](const ReviewItem &i) { return i.id == QLatin1String("backup"); });
        QCOMPARE(backup->status, ReviewItem::Status::Attention); // 32 days old by then

        // The database's own check: a damaged file is reported.
        const QString copy = m_server.scratch() + QStringLiteral("/damaged");
        QVERIFY(QDir().mkpath(copy + QStringLiteral("/tls")));
        for (const QString &f : { QStringLiteral("acorn-server.conf"),
                 QStringLiteral("tls/cert.pem"), QStringLiteral("tls/key.pem") })
            QVERIFY(QFile::copy(
                m_server.dataDir() + QLatin1Char('/') + f, copy + QLatin1Char('/') + f));
        {
            auto store = ServerStore::openSqlite(DataDir(m_server.dataDir()).databasePath(), false);
            QVERIFY(store.ok());
            QVERIFY(store.value()->snapshotInto(copy + QStringLiteral("/acorn.db")));
        }
        // Overwrite the first page of the children table with nonsense (a test may look
        // inside the file; the server's SQL stays in ServerStore).
        qint64 offset = 0;
        {
            QSqlDatabase raw
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            raw.setDatabaseName(copy + QStringLiteral("/acorn.db"));
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QVERIFY(q.exec(QStringLiteral("PRAGMA page_size")) && q.next());
            const qint64 pageSize = q.value(0).toLongLong();
            QVERIFY(
                q.exec(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = 'children'"))
                && q.next());
            offset = (q.value(0).toLongLong() - 1) * pageSize;
            q.finish();
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        QFile damagedFile(copy + QStringLiteral("/acorn.db"));
        QVERIFY(damagedFile.open(QIODevice::ReadWrite));
        QVERIFY(offset > 0 && damagedFile.seek(offset));
        damagedFile.write(QByteArray(64, '\x5a'));
        damagedFile.close();
        const Run damaged = acornServer(
            { QStringLiteral("doctor"), QStringLiteral("--data"), copy, QStringLiteral("--json") });
        QCOMPARE(damaged.exitCode, ReviewSheet::kExitAttention);
        const QJsonObject dbCheck
            = checkById(QJsonDocument::fromJson(damaged.out).object(), QStringLiteral("database"));
        QCOMPARE(dbCheck[QStringLiteral("status")].toString(), QStringLiteral("attention"));
    }
};

QTEST_GUILESS_MAIN(TestSecurityCommands)
#include "tst_security_commands.moc"
