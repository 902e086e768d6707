#include "testserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <functional>

#include <sys/stat.h>

using namespace acorn::test;

// Backup and restore with real processes: practitioners push observations with photos
// through acorn-cli while `acorn-server admin backup` runs against the live server; the
// backup is restored into a new data directory, a server is started on it, and the lead's
// journal there must hold every observation the practitioners were told was accepted
// before the backup began, with every photo intact. Damaged and truncated backups are
// refused with nothing written.
class TestBackup : public QObject
{
    Q_OBJECT

    static constexpr int kPerWriter = 7;
    static constexpr int kBeforeBackup
        = 5; // completed pushes (all writers) before the backup starts

    // One acorn-cli `observe` run and what the test knew about its timing.
    struct Push
    {
        QString id;
        QString user;
        int exitCode = -1;
        QString state;
        bool finishedBeforeBackup = false; // exited before the backup process was started
        bool startedAfterBackup = false; // started after the backup process had finished
    };

    struct Writer
    {
        QString user;
        QString child;
        int done = 0;
        QProcess *process = nullptr;
    };

    TestServer m_server;
    TestServer m_restored; // never init'ed: its data directory is where the backup goes
    QString m_backup;
    QList<Push> m_pushes;
    QString m_password = QStringLiteral("correct horse 1");

    QString scratch(const QString &name) const
    {
        return m_server.scratch() + QLatin1Char('/') + name;
    }


    // A distinct noisy photo, so each media object is its own file.
    QString makePhoto(int n)
    {
        return writeNoisyPhoto(
            scratch(QStringLiteral("photos/p%1.jpg").arg(n)), static_cast<quint32>(1000 + n));
    }

    QProcess *startCli(const QString &profile, const QString &user, const QStringList &command)
    {
        auto *p = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ACORN_PASSWORD"), m_password);
        p->setProcessEnvironment(env);
        p->start(TestServer::binary(QStringLiteral("acorn-cli")),
            QStringList { QStringLiteral("--profile"), profile, QStringLiteral("--server"),
                QStringLiteral("127.0.0.1:%1").arg(m_server.port()), QStringLiteral("--pin"),
                m_server.fingerprint(), QStringLiteral("--user"), user }
                + command);
        return p;
    }

    QProcess *startServerAdmin(const QStringList &args)
    {
        auto *p = new QProcess(this);
        p->start(TestServer::binary(QStringLiteral("acorn-server")), args);
        return p;
    }

    QJsonArray leadJournal(const TestServer &server, const QString &profile, quint16 port)
    {
        const CliResult sync = runCli(server, profile, QStringLiteral("lee.lead"), m_password,
            { QStringLiteral("sync") }, m_server.fingerprint(), port);
        if (sync.exitCode != 0) {
            qWarning("lead sync failed: %s", sync.err.constData());
            return {};
        }
        const CliResult j = runCli(server, profile, QStringLiteral("lee.lead"), m_password,
            { QStringLiteral("journal") }, m_server.fingerprint(), port);
        return QJsonDocument::fromJson(j.out).array();
    }

    static QHash<QString, QJsonObject> byId(const QJsonArray &journal)
    {
        QHash<QString, QJsonObject> out;
        for (const QJsonValue &v : journal)
            out.insert(v.toObject().value(QStringLiteral("id")).toString(), v.toObject());
        return out;
    }

    // Restores `backup` into `target` expecting a refusal; checks nothing was written.
    void expectRefused(const QString &backup, const QString &target, const QString &why)
    {
        const bool existed = QFileInfo::exists(target);
        const CliResult r = runServerCommand({ QStringLiteral("admin"), QStringLiteral("--data"),
            target, QStringLiteral("restore"), QStringLiteral("--from"), backup });
        QVERIFY2(r.exitCode == 1,
            qPrintable(QStringLiteral("%1: exit %2, %3")
                           .arg(why)
                           .arg(r.exitCode)
                           .arg(QString::fromUtf8(r.err))));
        QVERIFY2(r.err.contains("Nothing was restored"), r.err.constData());
        if (existed)
            QVERIFY2(QDir(target).isEmpty(
                         QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot),
                qPrintable(why));
        else
            QVERIFY2(!QFileInfo::exists(target), qPrintable(why));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(smallSchoolJson()));
        for (const char *u : { "nina.nursery", "rob.reception", "lee.lead" })
            QVERIFY(m_server.setPassword(QLatin1String(u), m_password));
        QVERIFY(m_server.start());
        m_backup = scratch(QStringLiteral("backups/school.tar"));
        QVERIFY(QDir().mkpath(QFileInfo(m_backup).path()));
    }

    // Three staff push observations with photos, one after another each, while a backup
    // is taken against the running server.
    void backupUnderLoad()
    {
        QList<Writer> writers { { QStringLiteral("nina.nursery"), QStringLiteral("C001") },
            { QStringLiteral("rob.reception"), QStringLiteral("C003") },
            { QStringLiteral("lee.lead"), QStringLiteral("C002") } };
        int photoNo = 0;
        QList<QString> photos;
        for (int i = 0; i < kPerWriter * static_cast<int>(writers.size()); ++i) {
            photos.append(makePhoto(i));
            QVERIFY(!photos.last().isEmpty());
        }

        QEventLoop loop;
        enum class Backup { NotStarted, Running, Finished } backup = Backup::NotStarted;
        int completed = 0;
        int writersBusyAtBackupStart = 0;
        QProcess *backupProcess = nullptr;
        CliResult backupResult;

        std::function<void(Writer &)> startNext;
        const auto maybeDone = [&] {
            const bool writing = std::any_of(
                writers.cbegin(), writers.cend(), [](const Writer &w) { return w.process; });
            if (!writing && backup == Backup::Finished)
                loop.quit();
        };
        const auto startBackup = [&] {
            for (const Writer &w : writers)
                writersBusyAtBackupStart += w.process ? 1 : 0;
            backup = Backup::Running;
            backupProcess = startServerAdmin({ QStringLiteral("admin"), QStringLiteral("--data"),
                m_server.dataDir(), QStringLiteral("backup"), QStringLiteral("--out"), m_backup });
            connect(backupProcess, &QProcess::finished, this, [&] {
                backupResult = { backupProcess->exitCode(), backupProcess->readAllStandardOutput(),
                    backupProcess->readAllStandardError() };
                backup = Backup::Finished;
                maybeDone();
            });
        };
        startNext = [&](Writer &w) {
            if (w.done >= kPerWriter) {
                maybeDone();
                return;
            }
            const qsizetype index = m_pushes.size();
            Push push;
            push.user = w.user;
            push.startedAfterBackup = backup == Backup::Finished;
            m_pushes.append(push);
            w.process = startCli(scratch(QStringLiteral("profiles/") + w.user), w.user,
                { QStringLiteral("observe"), QStringLiteral("--child"), w.child,
                    QStringLiteral("--text"),
                    QStringLiteral("Observation %1 by %2").arg(w.done).arg(w.user),
                    QStringLiteral("--photo"), photos[photoNo++] });
            connect(w.process, &QProcess::finished, this, [&, index, p = w.process](int code) {
                Push &done = m_pushes[index];
                done.exitCode = code;
                const QJsonObject o = QJsonDocument::fromJson(p->readAllStandardOutput()).object();
                done.id = o.value(QStringLiteral("id")).toString();
                done.state = o.value(QStringLiteral("state")).toString();
                done.finishedBeforeBackup = backup == Backup::NotStarted;
                if (code != 0)
                    qWarning("observe by %s: exit %d: %s", qPrintable(done.user), code,
                        p->readAllStandardError().constData());
                p->deleteLater();
                for (Writer &owner : writers) {
                    if (owner.process == p) {
                        owner.process = nullptr;
                        ++owner.done;
                        ++completed;
                        if (backup == Backup::NotStarted && completed >= kBeforeBackup)
                            startBackup();
                        startNext(owner);
                    }
                }
            });
        };
        for (Writer &w : writers)
            startNext(w);
        QTimer::singleShot(600000, &loop, &QEventLoop::quit);
        loop.exec();
        if (backupProcess)
            backupProcess->disconnect(this);

        QCOMPARE(static_cast<int>(backup), static_cast<int>(Backup::Finished));
        QVERIFY2(backupResult.exitCode == 0, backupResult.err.constData());
        QVERIFY2(writersBusyAtBackupStart > 0,
            "the backup must run while observations are being pushed");
        const QJsonObject summary = QJsonDocument::fromJson(backupResult.out).object();
        QVERIFY(summary.value(QStringLiteral("media_objects")).toInt() >= kBeforeBackup);
        QVERIFY(!(QFile::permissions(m_backup)
            & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteOther)));

        int accepted = 0;
        for (const Push &p : std::as_const(m_pushes)) {
            QVERIFY2(p.exitCode == 0 && p.state == QLatin1String("accepted"), qPrintable(p.user));
            ++accepted;
        }
        QCOMPARE(accepted, kPerWriter * static_cast<int>(writers.size()));

        // The time of the backup is recorded for `doctor`, and audited.
        bool ok = false;
        const QByteArray audit = m_server.admin({ QStringLiteral("audit") }, &ok);
        QVERIFY(ok);
        QVERIFY(audit.contains("\"action\":\"backup\""));

        const CliResult verify
            = runServerCommand({ QStringLiteral("admin"), QStringLiteral("--data"),
                m_server.dataDir(), QStringLiteral("verify-backup"), m_backup });
        QVERIFY2(verify.exitCode == 0, verify.err.constData());
    }

    void restoreHoldsEveryAcknowledgedObservation()
    {
        const CliResult r = runServerCommand({ QStringLiteral("admin"), QStringLiteral("--data"),
            m_restored.dataDir(), QStringLiteral("restore"), QStringLiteral("--from"), m_backup });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(summary.value(QStringLiteral("fingerprint")).toString(), m_server.fingerprint());

        // The key keeps mode 0600; the restored directory holds a school.
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(m_restored.dataDir() + QStringLiteral("/tls/key.pem"))
                            .constData(),
                     &st),
            0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QVERIFY(m_restored.start());

        const QJsonArray original = leadJournal(
            m_server, scratch(QStringLiteral("profiles/lead-original")), m_server.port());
        const QJsonArray restored = leadJournal(
            m_restored, scratch(QStringLiteral("profiles/lead-restored")), m_restored.port());
        QVERIFY(!original.isEmpty());
        QVERIFY(!restored.isEmpty());
        const auto originalById = byId(original);
        const auto restoredById = byId(restored);

        int mustBeThere = 0;
        for (const Push &p : std::as_const(m_pushes)) {
            if (p.finishedBeforeBackup) {
                ++mustBeThere;
                QVERIFY2(restoredById.contains(p.id),
                    qPrintable(QStringLiteral("acknowledged observation %1 is missing").arg(p.id)));
            }
            if (p.startedAfterBackup)
                QVERIFY2(!restoredById.contains(p.id),
                    qPrintable(QStringLiteral("%1 was made after the backup").arg(p.id)));
        }
        QVERIFY(mustBeThere >= kBeforeBackup);
        const auto after = std::count_if(
            m_pushes.cbegin(), m_pushes.cend(), [](const Push &p) { return p.startedAfterBackup; });
        qInfo("%d observations acknowledged before the backup, %d started after it, %d overlapping "
              "it; %d in the restore",
            mustBeThere, static_cast<int>(after),
            static_cast<int>(m_pushes.size() - mustBeThere - after),
            static_cast<int>(restoredById.size()));

        // Every observation in the restored school is as it was, and every photo it shows as
        // available downloads with its SHA-256; the acknowledged ones have all their photos.
        int downloaded = 0;
        for (auto it = restoredById.cbegin(); it != restoredById.cend(); ++it) {
            QVERIFY(originalById.contains(it.key()));
            const QJsonObject before = originalById.value(it.key());
            QCOMPARE(it->value(QStringLiteral("text")), before.value(QStringLiteral("text")));
            QCOMPARE(
                it->value(QStringLiteral("children")), before.value(QStringLiteral("children")));
            const bool acknowledged = std::any_of(m_pushes.cbegin(), m_pushes.cend(),
                [&](const Push &p) { return p.id == it.key() && p.finishedBeforeBackup; });
            for (const QJsonValue &mv : it->value(QStringLiteral("media")).toArray()) {
                const QJsonObject m = mv.toObject();
                if (!m.value(QStringLiteral("available")).toBool()) {
                    QVERIFY2(!acknowledged,
                        qPrintable(
                            QStringLiteral("a photo of acknowledged %1 is missing").arg(it.key())));
                    continue;
                }
                const QString id = m.value(QStringLiteral("id")).toString();
                const QString out = scratch(QStringLiteral("downloads/%1").arg(id));
                QDir().mkpath(QFileInfo(out).path());
                const CliResult d = runCli(m_restored,
                    scratch(QStringLiteral("profiles/lead-restored")), QStringLiteral("lee.lead"),
                    m_password, { QStringLiteral("media"), id, QStringLiteral("--out"), out },
                    m_server.fingerprint(), m_restored.port());
                QVERIFY2(d.exitCode == 0, d.err.constData());
                QCOMPARE(fileSha256(out), m.value(QStringLiteral("sha256")).toString());
                const CliResult t
                    = runCli(m_restored, scratch(QStringLiteral("profiles/lead-restored")),
                        QStringLiteral("lee.lead"), m_password,
                        { QStringLiteral("media"), id, QStringLiteral("--thumbnail"),
                            QStringLiteral("--out"), out + QStringLiteral(".thumb") },
                        m_server.fingerprint(), m_restored.port());
                QVERIFY2(t.exitCode == 0, t.err.constData());
                ++downloaded;
            }
        }
        QVERIFY(downloaded >= mustBeThere);

        // The restored server accepts new work.
        const CliResult more = runCli(m_restored, scratch(QStringLiteral("profiles/nina-restored")),
            QStringLiteral("nina.nursery"), m_password,
            { QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                QStringLiteral("--text"), QStringLiteral("After the restore") },
            m_server.fingerprint(), m_restored.port());
        QVERIFY2(more.exitCode == 0, more.err.constData());
        const QString afterId
            = QJsonDocument::fromJson(more.out).object().value(QStringLiteral("id")).toString();

        // A device that synced with the old server after the backup was taken holds a
        // cursor beyond the restored school's changes: it must still receive what is new.
        const QJsonArray seenByOldDevice = leadJournal(
            m_restored, scratch(QStringLiteral("profiles/lead-original")), m_restored.port());
        QVERIFY2(byId(seenByOldDevice).contains(afterId),
            "a device that synced after the backup missed an observation made after the restore");
    }

    void restoreRefusesAnOccupiedDirectory()
    {
        // The live school, and a directory with something in it, are never written to.
        const CliResult r = runServerCommand({ QStringLiteral("admin"), QStringLiteral("--data"),
            m_server.dataDir(), QStringLiteral("restore"), QStringLiteral("--from"), m_backup });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("already holds a school"), r.err.constData());
        const QString occupied = scratch(QStringLiteral("occupied"));
        QVERIFY(QDir().mkpath(occupied));
        QFile note(occupied + QStringLiteral("/notes.txt"));
        QVERIFY(note.open(QIODevice::WriteOnly));
        note.write("keep me");
        note.close();
        const CliResult o = runServerCommand({ QStringLiteral("admin"), QStringLiteral("--data"),
            occupied, QStringLiteral("restore"), QStringLiteral("--from"), m_backup });
        QCOMPARE(o.exitCode, 1);
        QVERIFY2(o.err.contains("not empty"), o.err.constData());
        QCOMPARE(QDir(occupied).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
            QStringList { QStringLiteral("notes.txt") });
    }

    void restoreRefusesDamagedBackups_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("a byte in the middle") << QStringLiteral("flip-middle");
        QTest::newRow("a byte of the first header") << QStringLiteral("flip-header");
        QTest::newRow("a byte of the manifest") << QStringLiteral("flip-manifest");
        QTest::newRow("a byte of the end marker") << QStringLiteral("flip-last");
        QTest::newRow("a byte at random") << QStringLiteral("flip-random");
        QTest::newRow("truncated to half") << QStringLiteral("truncate-half");
        QTest::newRow("truncated before the manifest") << QStringLiteral("truncate-manifest");
        QTest::newRow("truncated by one byte") << QStringLiteral("truncate-one");
    }

    void restoreRefusesDamagedBackups()
    {
        QFETCH(QString, damage);
        QFile f(m_backup);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray data = f.readAll();
        f.close();
        const qsizetype manifestAt = data.lastIndexOf("\"format\"");
        QVERIFY(manifestAt > 0);
        if (damage == QLatin1String("flip-middle"))
            data[data.size() / 2] = static_cast<char>(data[data.size() / 2] ^ 0x01);
        else if (damage == QLatin1String("flip-header"))
            data[10] = static_cast<char>(data[10] ^ 0x01);
        else if (damage == QLatin1String("flip-manifest"))
            data[manifestAt + 2] = static_cast<char>(data[manifestAt + 2] ^ 0x20);
        else if (damage == QLatin1String("flip-last"))
            data[data.size() - 1] = 0x01;
        else if (damage == QLatin1String("flip-random")) {
            const auto at = static_cast<qsizetype>(
                QRandomGenerator::global()->bounded(static_cast<qint64>(data.size())));
            qInfo("flipping byte %lld", static_cast<long long>(at));
            data[at] = static_cast<char>(data[at] ^ 0x40);
        } else if (damage == QLatin1String("truncate-half"))
            data.truncate(data.size() / 2);
        else if (damage == QLatin1String("truncate-manifest"))
            data.truncate(manifestAt - 600);
        else if (damage == QLatin1String("truncate-one"))
            data.chop(1);
        const QString damaged = scratch(QStringLiteral("backups/damaged-%1.tar").arg(damage));
        QFile out(damaged);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(data);
        out.close();

        expectRefused(damaged, scratch(QStringLiteral("restore-%1").arg(damage)), damage);
        const QString empty = scratch(QStringLiteral("restore-empty-%1").arg(damage));
        QVERIFY(QDir().mkpath(empty));
        expectRefused(damaged, empty, damage);

        const CliResult v = runServerCommand({ QStringLiteral("admin"), QStringLiteral("--data"),
            empty, QStringLiteral("verify-backup"), damaged });
        QCOMPARE(v.exitCode, 1);
        QVERIFY2(v.err.contains("cannot be used"), v.err.constData());
    }

    void cleanupTestCase()
    {
        m_restored.stop();
        m_server.stop();
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
