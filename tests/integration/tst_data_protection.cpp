// Subject access and erasure with real processes: a practitioner (acorn-cli) records
// observations with photos of a child alone and with another child; a parent and the
// practitioner sync; the IT manager exports the child's data and then erases it
// (acorn-server admin); the database, the media folder and both devices' next syncs are
// checked for what must be gone and what must stay. Also the retention report of leavers.
#include "datadir.h"
#include "mediastore.h"
#include "serverstore.h"
#include "testserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace acorn;
using namespace acorn::test;

namespace {
const QString kPassword = QStringLiteral("a password for tests");
const QString kNote = QStringLiteral("staff note: Ava was upset at drop-off");
const QString kAloneText = QStringLiteral("Ava built a tall tower on her own");
} // namespace

class TestDataProtection : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QString m_alone; // observation of C001 alone, with a photo
    QString m_shared; // C001 with C002, with a photo
    QString m_other; // C002 alone
    QString m_alonePhotoSha;
    QString m_sharedPhotoSha;

    QString scratch(const QString &name) const
    {
        return m_server.scratch() + QLatin1Char('/') + name;
    }

    QString makePhoto(int n)
    {
        return writeNoisyPhoto(scratch(QStringLiteral("photos/p%1.jpg").arg(n)),
            static_cast<quint32>(77 + n), 320, 240);
    }

    CliResult admin(const QStringList &args)
    {
        return runServerCommand(
            QStringList { QStringLiteral("admin"), QStringLiteral("--data"), m_server.dataDir() }
            + args);
    }

    QString observe(const QStringList &children, const QString &text, const QString &photo)
    {
        QStringList cmd { QStringLiteral("observe"), QStringLiteral("--text"), text,
            QStringLiteral("--note"), kNote };
        for (const QString &c : children)
            cmd << QStringLiteral("--child") << c;
        if (!photo.isEmpty())
            cmd << QStringLiteral("--photo") << photo;
        const CliResult r = runCli(m_server, scratch(QStringLiteral("profiles/nina")),
            QStringLiteral("nina.nursery"), kPassword, cmd);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        if (r.exitCode != 0
            || o.value(QStringLiteral("state")).toString() != QLatin1String("accepted")) {
            qWarning("observe failed: %s %s", r.out.constData(), r.err.constData());
            return {};
        }
        return o.value(QStringLiteral("id")).toString();
    }

    // Syncs a device and returns its journal by observation id.
    QHash<QString, QJsonObject> journalAfterSync(const QString &profile, const QString &user)
    {
        QHash<QString, QJsonObject> out;
        const CliResult sync
            = runCli(m_server, scratch(profile), user, kPassword, { QStringLiteral("sync") });
        if (sync.exitCode != 0) {
            qWarning("sync of %s failed: %s", qPrintable(user), sync.err.constData());
            return out;
        }
        const CliResult j
            = runCli(m_server, scratch(profile), user, kPassword, { QStringLiteral("journal") });
        for (const QJsonValue &v : QJsonDocument::fromJson(j.out).array())
            out.insert(v[QStringLiteral("id")].toString(), v.toObject());
        return out;
    }

    static QStringList childrenOf(const QJsonObject &o)
    {
        QStringList refs;
        for (const QJsonValue &v : o[QStringLiteral("children")].toArray())
            refs.append(v.toString());
        return refs;
    }

    std::unique_ptr<server::ServerStore> openStore()
    {
        auto s = server::ServerStore::openSqlite(
            server::DataDir(m_server.dataDir()).databasePath(), false);
        return s ? std::move(s).value() : nullptr;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(smallSchoolJson()));
        for (const char *u : { "nina.nursery", "alex.brown", "grace.okafor" })
            QVERIFY(m_server.setPassword(QLatin1String(u), kPassword));
        QVERIFY(m_server.start());
        const CliResult consent = admin({ QStringLiteral("consent"), QStringLiteral("C001"),
            QStringLiteral("--others-journals"), QStringLiteral("yes"),
            QStringLiteral("--recorded-by"), QStringLiteral("Mrs Patel") });
        QVERIFY2(consent.exitCode == 0, consent.err.constData());

        m_alone = observe({ QStringLiteral("C001") }, kAloneText, makePhoto(1));
        m_shared = observe({ QStringLiteral("C001"), QStringLiteral("C002") },
            QStringLiteral("Ava and Ben shared the sand tray"), makePhoto(2));
        m_other = observe({ QStringLiteral("C002") }, QStringLiteral("Ben painted"), QString());
        QVERIFY(!m_alone.isEmpty() && !m_shared.isEmpty() && !m_other.isEmpty());
        auto store = openStore();
        QVERIFY(store);
        m_alonePhotoSha = store->observation(m_alone)->content.media(0).sha256().empty()
            ? QString()
            : QString::fromLatin1(
                QByteArray::fromStdString(store->observation(m_alone)->content.media(0).sha256())
                    .toHex());
        m_sharedPhotoSha = QString::fromLatin1(
            QByteArray::fromStdString(store->observation(m_shared)->content.media(0).sha256())
                .toHex());
        QVERIFY(!m_alonePhotoSha.isEmpty());
        server::MediaStore media(server::DataDir(m_server.dataDir()).mediaPath());
        QVERIFY(media.hasObject(m_alonePhotoSha));
        QVERIFY(media.hasObject(m_sharedPhotoSha));

        // Both devices hold the child's observations before the erasure.
        const auto parent
            = journalAfterSync(QStringLiteral("profiles/alex"), QStringLiteral("alex.brown"));
        QVERIFY(parent.contains(m_alone) && parent.contains(m_shared));
        const auto staff
            = journalAfterSync(QStringLiteral("profiles/nina"), QStringLiteral("nina.nursery"));
        QVERIFY(staff.contains(m_alone) && staff.contains(m_shared) && staff.contains(m_other));
    }

    void exportHoldsEverythingAboutTheChild()
    {
        const QString out = scratch(QStringLiteral("export-C001"));
        const CliResult r = admin({ QStringLiteral("export-child"), QStringLiteral("C001"),
            QStringLiteral("--out"), out });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(summary[QStringLiteral("observations")].toInt(), 2);
        QCOMPARE(summary[QStringLiteral("media_files")].toInt(), 2);
        QFile f(out + QStringLiteral("/child.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(doc[QStringLiteral("child")][QStringLiteral("first_name")].toString(),
            QStringLiteral("Ava"));
        QCOMPARE(doc[QStringLiteral("child")][QStringLiteral("date_of_birth")].toString(),
            QStringLiteral("2023-01-10"));
        QStringList guardians;
        for (const QJsonValue &g : doc[QStringLiteral("guardians")].toArray())
            guardians.append(g[QStringLiteral("username")].toString());
        QCOMPARE(guardians.size(), 2);
        QVERIFY(guardians.contains(QStringLiteral("alex.brown")));
        QCOMPARE(doc[QStringLiteral("consent_history")].toArray().size(), 1);
        QVERIFY(
            doc[QStringLiteral("consent_history")][0][QStringLiteral("detail")].toString().contains(
                QStringLiteral("others_journals=yes")));
        QCOMPARE(
            doc[QStringLiteral("child")][QStringLiteral("consent")][QStringLiteral("recorded_by")]
                .toString(),
            QStringLiteral("Mrs Patel"));
        QHash<QString, QJsonObject> observations;
        for (const QJsonValue &v : doc[QStringLiteral("observations")].toArray())
            observations.insert(v[QStringLiteral("id")].toString(), v.toObject());
        QCOMPARE(observations.size(), 2);
        QCOMPARE(observations[m_alone][QStringLiteral("staff_note")].toString(),
            kNote); // staff notes too
        QCOMPARE(observations[m_alone][QStringLiteral("revisions")].toArray().size(), 1);
        // The other child is counted, never named.
        QCOMPARE(observations[m_shared][QStringLiteral("other_children_tagged")].toInt(), 1);
        QVERIFY(!QJsonDocument(doc).toJson().contains("C002"));
        QVERIFY(!QJsonDocument(doc).toJson().contains("Okafor"));
        // The photos, byte for byte.
        for (const QJsonValue &m : doc[QStringLiteral("media_files")].toArray()) {
            QFile photo(out + QLatin1Char('/') + m[QStringLiteral("file")].toString());
            QVERIFY2(photo.open(QIODevice::ReadOnly), qPrintable(photo.fileName()));
            QCOMPARE(
                QString::fromLatin1(
                    QCryptographicHash::hash(photo.readAll(), QCryptographicHash::Sha256).toHex()),
                m[QStringLiteral("sha256")].toString());
        }
        // Audited; and a second export into the same folder is refused.
        QVERIFY(admin({ QStringLiteral("audit") }).out.contains("\"export-child\""));
        QCOMPARE(admin({ QStringLiteral("export-child"), QStringLiteral("C001"),
                           QStringLiteral("--out"), out })
                     .exitCode,
            1);
        QCOMPARE(admin({ QStringLiteral("export-child"), QStringLiteral("C999"),
                           QStringLiteral("--out"), scratch(QStringLiteral("nobody")) })
                     .exitCode,
            1);
    }

    void erasureRemovesTheChildEverywhere()
    {
        QCOMPARE(admin({ QStringLiteral("erase-child"), QStringLiteral("C001") }).exitCode,
            2); // no --yes
        const CliResult r = admin(
            { QStringLiteral("erase-child"), QStringLiteral("C001"), QStringLiteral("--yes") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(summary[QStringLiteral("observations_deleted")].toInt(), 1);
        QCOMPARE(summary[QStringLiteral("observations_untagged")].toInt(), 1);
        QCOMPARE(summary[QStringLiteral("media_deleted")].toInt(), 1);
        QVERIFY(summary[QStringLiteral("files_deleted")].toInt() >= 1);

        // The database: no record, the lone observation a bare tombstone in every revision,
        // the shared one without the child in any revision, the lone photo gone.
        {
            auto store = openStore();
            QVERIFY(store);
            QVERIFY(!store->childByRef(QStringLiteral("C001")));
            for (const auto &c : store->children())
                QVERIFY(c.firstName != QLatin1String("Ava"));
            const auto tomb = store->observation(m_alone);
            QVERIFY(tomb);
            QVERIFY(tomb->content.deleted());
            QVERIFY(tomb->content.text().empty() && tomb->content.staff_note().empty());
            QCOMPARE(tomb->content.media_size(), 0);
            for (const auto &rev : store->observationRevisions(m_alone))
                QVERIFY(rev.content.text().empty() && rev.content.staff_note().empty());
            const auto shared = store->observation(m_shared);
            QVERIFY(shared && !shared->content.deleted());
            QCOMPARE(shared->content.child_refs_size(), 1);
            QCOMPARE(shared->content.child_refs(0), std::string("C002"));
            for (const auto &rev : store->observationRevisions(m_shared)) {
                for (const auto &ref : rev.content.child_refs())
                    QVERIFY(ref != "C001");
            }
            QCOMPARE(shared->content.media_size(), 1);
            QVERIFY(store->media(QString::fromStdString(shared->content.media(0).id())));
            // The audit entry names no child.
            bool found = false;
            for (const auto &e : store->auditSince(0)) {
                if (e.action != QLatin1String("erase-child"))
                    continue;
                found = true;
                QVERIFY2(!e.target.contains(QStringLiteral("C001"))
                        && !e.detail.contains(QStringLiteral("C001")),
                    qPrintable(e.target + e.detail));
                QVERIFY(!e.detail.contains(QStringLiteral("Ava")));
            }
            QVERIFY(found);
        }
        // The media folder: the lone photo's file is gone, the shared one stays.
        server::MediaStore media(server::DataDir(m_server.dataDir()).mediaPath());
        QVERIFY(!media.hasObject(m_alonePhotoSha));
        QVERIFY(media.hasObject(m_sharedPhotoSha));

        // The parent's next sync drops both observations; the practitioner keeps the shared
        // one without the child, and the other child's observation.
        const auto parent
            = journalAfterSync(QStringLiteral("profiles/alex"), QStringLiteral("alex.brown"));
        QVERIFY2(!parent.contains(m_alone), "the parent still has the erased observation");
        QVERIFY2(!parent.contains(m_shared), "the parent still has the shared observation");
        const auto staff
            = journalAfterSync(QStringLiteral("profiles/nina"), QStringLiteral("nina.nursery"));
        QVERIFY2(!staff.contains(m_alone), "the practitioner still has the erased observation");
        QVERIFY(staff.contains(m_shared) && staff.contains(m_other));
        QCOMPARE(childrenOf(staff[m_shared]), QStringList { QStringLiteral("C002") });
        const auto otherParent
            = journalAfterSync(QStringLiteral("profiles/grace"), QStringLiteral("grace.okafor"));
        QVERIFY(otherParent.contains(m_shared) && otherParent.contains(m_other));

        // The erased text is not left in the database file either.
        QFile db(server::DataDir(m_server.dataDir()).databasePath());
        QVERIFY(db.open(QIODevice::ReadOnly));
        const QByteArray bytes = db.readAll();
        QVERIFY2(
            !bytes.contains(kAloneText.toUtf8()), "the erased text is still in the database file");
        QFile wal(server::DataDir(m_server.dataDir()).databasePath() + QStringLiteral("-wal"));
        if (wal.open(QIODevice::ReadOnly))
            QVERIFY2(!wal.readAll().contains(kAloneText.toUtf8()),
                "the erased text is still in the WAL");

        // A second erasure finds nobody.
        QCOMPARE(admin({ QStringLiteral("erase-child"), QStringLiteral("C001"),
                           QStringLiteral("--yes") })
                     .exitCode,
            1);
    }

    void retentionListsLeaversPastThePeriod()
    {
        QVERIFY(admin({ QStringLiteral("leaving"), QStringLiteral("C003"),
                          QStringLiteral("2020-07-20") })
                    .exitCode
            == 0);
        const QString today = QDate::currentDate().toString(Qt::ISODate);
        QVERIFY(admin({ QStringLiteral("leaving"), QStringLiteral("C004"), today }).exitCode == 0);
        QCOMPARE(
            admin({ QStringLiteral("leaving"), QStringLiteral("C004"), QStringLiteral("20 July") })
                .exitCode,
            1);
        CliResult r = admin({ QStringLiteral("retention") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(report[QStringLiteral("days_after_leaving")].toInt(), 365);
        QJsonArray due = report[QStringLiteral("due")].toArray();
        QCOMPARE(due.size(), 1);
        QCOMPARE(due[0][QStringLiteral("child")].toString(), QStringLiteral("C003"));
        QCOMPARE(due[0][QStringLiteral("leaving_date")].toString(), QStringLiteral("2020-07-20"));

        // A shorter period from the configuration; a nonsense one is refused with the reason.
        QFile conf(server::DataDir(m_server.dataDir()).configPath());
        QVERIFY(conf.open(QIODevice::Append));
        conf.write("\n[retention]\ndays_after_leaving=0\n");
        conf.close();
        r = admin({ QStringLiteral("retention") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("days_after_leaving"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestDataProtection)
#include "tst_data_protection.moc"
