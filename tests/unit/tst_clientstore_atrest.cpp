#include "clientstore.h"
#include "observationqueue.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace acorn;
using namespace acorn::client;

// The device's local store at rest: what a thief who copies acorn.db (and its write-ahead
// log) off a lost tablet reads. Real SQLite files, the real store and outbox; only the key
// is made here rather than fetched from the keychain (tst_keychain_available covers that).
class TestClientStoreAtRest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    DataKey m_key = DataKey::generate();

    // Personal data that must never be readable in the files.
    static constexpr const char *kNote = "Mia stacked nine cups by the sandpit";
    static constexpr const char *kChildName = "Zebedee-Quartz"; // the family name
    static constexpr const char *kStaffNote = "Speech therapist referral discussed";
    static constexpr const char *kReason = "Refused: Quentin Zyx has no consent";
    static constexpr const char *kClassName = "Hedgehogs-Room"; // the class row key stays plain
    static constexpr const char *kJudgement = "exceeding-zz";

    static QByteArray filesOf(const QString &dbPath)
    {
        QByteArray all;
        for (const QString &suffix : { QString(), QStringLiteral("-wal") }) {
            QFile f(dbPath + suffix);
            if (f.open(QIODevice::ReadOnly))
                all += f.readAll();
        }
        return all;
    }
    static QByteArray hashOf(const QString &dbPath)
    {
        return QCryptographicHash::hash(filesOf(dbPath), QCryptographicHash::Sha256);
    }
    static void rawExec(const QString &path, const QString &sql, const QVariantList &binds = {})
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY2(q.prepare(sql), qPrintable(sql));
            for (const QVariant &v : binds)
                q.addBindValue(v);
            QVERIFY2(q.exec(), qPrintable(sql + u' ' + q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    }
    static QByteArray bytes(const google::protobuf::MessageLite &m)
    {
        return QByteArray::fromStdString(m.SerializeAsString());
    }
    static wire::Child child()
    {
        wire::Child c;
        c.set_ref("C001");
        c.set_first_name("Mia");
        c.set_last_name(kChildName);
        c.set_consent_journal_media(true);
        return c;
    }
    static wire::Observation observation(const QString &id)
    {
        wire::Observation o;
        o.set_id(id.toStdString());
        o.set_text(kNote);
        o.set_staff_note(kStaffNote);
        o.add_child_refs("C001");
        o.set_observed_at_ms(1700000000000);
        o.set_revision(2);
        return o;
    }
    static void expectNoPersonalData(const QByteArray &raw)
    {
        for (const char *secret : { kNote, kChildName, kStaffNote, kReason, kJudgement })
            QVERIFY2(!raw.contains(secret), secret);
    }

    // Markers of plain media: a JPEG's start (FF D8 FF E0, JFIF) and an MP4's 'ftyp' box.
    // Four bytes each: in sealed (random-looking) bytes of the small files here the chance
    // of one by accident is below one in ten thousand.
    static void expectNoPlainMedia(const QByteArray &raw, const QString &where)
    {
        QVERIFY2(!raw.contains(QByteArray::fromHex("FFD8FFE0")), qPrintable(where));
        QVERIFY2(!raw.contains("JFIF"), qPrintable(where));
        QVERIFY2(!raw.contains("ftyp"), qPrintable(where));
    }

private slots:
    // A capture through the real pipeline and outbox into a real profile folder, then
    // every byte of the folder read as a thief would: no note, no name, no photo, no video.
    void aCaptureLeavesNothingReadableInTheProfile()
    {
        const QString profile = m_dir.filePath(QStringLiteral("capture"));
        const QString source = m_dir.filePath(QStringLiteral("camera"));
        QDir().mkpath(source);
        QImage photo(640, 480, QImage::Format_RGB32);
        photo.fill(Qt::darkGreen);
        QVERIFY(photo.save(source + QStringLiteral("/IMG_0001.jpg"), "JPEG"));
        QFile video(source + QStringLiteral("/VID_0001.mp4"));
        QVERIFY(video.open(QIODevice::WriteOnly));
        video.write(QByteArray::fromHex("0000002066747970") + "isom" + QByteArray(5000, 'v'));
        video.close();
        {
            QFile check(source + QStringLiteral("/IMG_0001.jpg"));
            QVERIFY(check.open(QIODevice::ReadOnly));
            QVERIFY(check.readAll().contains(QByteArray::fromHex("FFD8FFE0"))); // the marker is real
        }

        auto opened = ClientStore::open(profile + QStringLiteral("/acorn.db"), m_key);
        QVERIFY2(opened, qPrintable(opened.error()));
        ClientStore &store = *opened.value();
        wire::PullReply page;
        *page.add_children() = child();
        page.set_roster_changed(true);
        QVERIFY(store.applyPull(page));
        ObservationQueue queue(store, profile + QStringLiteral("/outbox"));
        auto p = queue.pipeline().prepare(source + QStringLiteral("/IMG_0001.jpg"));
        QVERIFY2(p, qPrintable(p.error()));
        auto v = queue.pipeline().prepare(source + QStringLiteral("/VID_0001.mp4"));
        QVERIFY2(v, qPrintable(v.error()));
        QCOMPARE(v->kind, wire::VIDEO);
        wire::Observation o;
        o.set_text(kNote);
        o.set_staff_note(kStaffNote);
        o.add_child_refs("C001");
        const auto id = queue.saveNew(o, { p.value(), v.value() });
        QVERIFY2(id, qPrintable(id.error()));

        // What the app reads back is the capture.
        const auto original = readMediaFile(p->originalPath);
        QVERIFY2(original, qPrintable(original.error()));
        QCOMPARE(QImage::fromData(original.value()).size(), QSize(640, 480));
        QCOMPARE(readMediaFile(v->originalPath).value().left(12), QByteArray::fromHex("0000002066747970") + "isom");
        QCOMPARE(QString::fromStdString(queue.find(id.value())->observation.text()), QString::fromLatin1(kNote));

        // What is on the disk is not.
        int files = 0;
        QDirIterator it(profile, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString f = it.next();
            QFile file(f);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray raw = file.readAll();
            expectNoPersonalData(raw);
            expectNoPlainMedia(raw, f);
            if (f.contains(QStringLiteral("/outbox/")))
                QVERIFY2(raw.startsWith("ACRNSEAL"), qPrintable(f));
            ++files;
        }
        QVERIFY(files >= 4); // acorn.db (+ -wal), the photo, its thumbnail, the video
        QVERIFY(QFileInfo::exists(p->thumbnailPath));
    }

    void whatIsSavedIsNotReadableInTheFiles()
    {
        const QString path = m_dir.filePath(QStringLiteral("saved/acorn.db"));
        auto opened = ClientStore::open(path, m_key);
        QVERIFY2(opened, qPrintable(opened.error()));
        ClientStore &store = *opened.value();
        // The roster and the cache, as a pull brings them.
        wire::PullReply page;
        *page.add_children() = child();
        page.set_roster_changed(true);
        wire::ClassInfo *cls = page.add_classes();
        cls->set_name(kClassName);
        *page.add_observations() = observation(QUuid::createUuid().toString(QUuid::WithoutBraces));
        wire::Assessment *a = page.add_assessments();
        a->set_child_ref("C001");
        a->set_item_key("CL-1");
        a->set_half_term("2025-aut1");
        a->set_judgement(kJudgement);
        QVERIFY(store.applyPull(page));
        // A capture through the real outbox, refused once with a reason.
        ObservationQueue queue(store, m_dir.filePath(QStringLiteral("saved/outbox")));
        wire::Observation fresh;
        fresh.set_text(kNote);
        fresh.set_staff_note(kStaffNote);
        fresh.add_child_refs("C001");
        const auto id = queue.saveNew(fresh, {});
        QVERIFY2(id, qPrintable(id.error()));
        const auto item = store.outboxItem(id.value());
        QVERIFY(item);
        QVERIFY(store.markOutcome(id.value(), item->changeId, QStringLiteral("refused"), QString::fromLatin1(kReason)));
        AssessmentEdit edit;
        edit.assessment = *a;
        edit.changeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QVERIFY(store.queueAssessment(edit));

        // Everything reads back...
        QCOMPARE(QString::fromStdString(store.roster().value(0).last_name()), QString::fromLatin1(kChildName));
        QCOMPARE(store.journal(QStringLiteral("C001")).size(), 1);
        QCOMPARE(QString::fromStdString(store.outboxItem(id.value())->observation.text()), QString::fromLatin1(kNote));
        QCOMPARE(store.outboxItem(id.value())->reason, QString::fromLatin1(kReason));
        QCOMPARE(QString::fromStdString(store.assessmentOutbox().value(0).assessment.judgement()),
                 QString::fromLatin1(kJudgement));
        QCOMPARE(QString::fromStdString(store.assessments().value(0).judgement()), QString::fromLatin1(kJudgement));
        QCOMPARE(QString::fromStdString(store.classes().value(0).name()), QString::fromLatin1(kClassName));
        // ...while neither the database nor its write-ahead log holds it in plain text.
        const QByteArray raw = filesOf(path);
        QVERIFY(raw.size() > 4096);
        QVERIFY(raw.contains(kClassName)); // the plain row key: the test does read the files
        expectNoPersonalData(raw);
        opened = Result<std::unique_ptr<ClientStore>>::failure({});
        expectNoPersonalData(filesOf(path));
    }

    void aSchemaThreeStoreIsEncryptedInPlace()
    {
        const QString path = m_dir.filePath(QStringLiteral("old/acorn.db"));
        QDir().mkpath(QFileInfo(path).path());
        // A store as Acorn before encryption left it: schema 3, everything in plain text.
        const QStringList v3 = {
            QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE outbox (observation_id TEXT PRIMARY KEY, change_id TEXT NOT NULL,"
                           " base_revision INTEGER NOT NULL, payload BLOB NOT NULL,"
                           " state TEXT NOT NULL CHECK (state IN ('pending', 'refused', 'conflict')),"
                           " reason TEXT NOT NULL DEFAULT '', queued_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE outbox_media (media_id TEXT NOT NULL, variant INTEGER NOT NULL,"
                           " observation_id TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,"
                           " sha256 BLOB NOT NULL, done INTEGER NOT NULL DEFAULT 0,"
                           " PRIMARY KEY (media_id, variant))"),
            QStringLiteral("CREATE TABLE observations (id TEXT PRIMARY KEY, observed_at INTEGER NOT NULL,"
                           " revision INTEGER NOT NULL, payload BLOB NOT NULL)"),
            QStringLiteral("CREATE INDEX observations_observed ON observations(observed_at)"),
            QStringLiteral("CREATE TABLE observation_children (observation_id TEXT NOT NULL, child_ref TEXT NOT NULL,"
                           " PRIMARY KEY (observation_id, child_ref))"),
            QStringLiteral("CREATE TABLE children (ref TEXT PRIMARY KEY, payload BLOB NOT NULL)"),
            QStringLiteral("CREATE TABLE classes (name TEXT PRIMARY KEY, payload BLOB NOT NULL)"),
            QStringLiteral("CREATE TABLE assessments (child_ref TEXT NOT NULL, item_key TEXT NOT NULL,"
                           " half_term TEXT NOT NULL, payload BLOB NOT NULL,"
                           " PRIMARY KEY (child_ref, item_key, half_term))"),
            QStringLiteral("CREATE TABLE assessment_outbox (child_ref TEXT NOT NULL, item_key TEXT NOT NULL,"
                           " half_term TEXT NOT NULL, judgement TEXT NOT NULL, change_id TEXT NOT NULL UNIQUE,"
                           " base_revision INTEGER NOT NULL,"
                           " state TEXT NOT NULL CHECK (state IN ('pending', 'refused', 'conflict')),"
                           " reason TEXT NOT NULL DEFAULT '', queued_at INTEGER NOT NULL,"
                           " PRIMARY KEY (child_ref, item_key, half_term))"),
            QStringLiteral("CREATE TABLE journal_views (view_id TEXT PRIMARY KEY, child_ref TEXT NOT NULL,"
                           " viewed_at INTEGER NOT NULL)"),
            QStringLiteral("PRAGMA user_version = 3"),
        };
        for (const QString &s : v3)
            rawExec(path, s);
        const QString queuedId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString cachedId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        rawExec(path, QStringLiteral("INSERT INTO outbox VALUES (?, 'change-1', 0, ?, 'refused', ?, 5)"),
                { queuedId, bytes(observation(queuedId)), QString::fromLatin1(kReason) });
        rawExec(path, QStringLiteral("INSERT INTO outbox_media VALUES ('m1', 0, ?, 'outbox/m1.jpg', 10, ?, 0)"),
                { queuedId, QByteArray(32, 's') });
        rawExec(path, QStringLiteral("INSERT INTO observations VALUES (?, 1700000000000, 2, ?)"),
                { cachedId, bytes(observation(cachedId)) });
        rawExec(path, QStringLiteral("INSERT INTO observation_children VALUES (?, 'C001')"), { cachedId });
        rawExec(path, QStringLiteral("INSERT INTO children VALUES ('C001', ?)"), { bytes(child()) });
        wire::ClassInfo cls;
        cls.set_name(kClassName);
        rawExec(path, QStringLiteral("INSERT INTO classes VALUES (?, ?)"), { QString::fromLatin1(kClassName), bytes(cls) });
        wire::Assessment a;
        a.set_child_ref("C001");
        a.set_item_key("CL-1");
        a.set_half_term("2025-aut1");
        a.set_judgement(kJudgement);
        rawExec(path, QStringLiteral("INSERT INTO assessments VALUES ('C001', 'CL-1', '2025-aut1', ?)"), { bytes(a) });
        rawExec(path,
                QStringLiteral("INSERT INTO assessment_outbox VALUES ('C001', 'CL-1', '2025-aut1', ?, 'change-2', 0, "
                               "'refused', ?, 6)"),
                { QString::fromLatin1(kJudgement), QString::fromLatin1(kReason) });
        rawExec(path, QStringLiteral("INSERT INTO settings VALUES ('cursor', 'abc=')"));
        QVERIFY(filesOf(path).contains(kNote)); // the fixture is plain indeed
        QVERIFY(!ClientStore::holdsSealedData(path)); // so a new key may be made for it

        {
            auto opened = ClientStore::open(path, m_key);
            QVERIFY2(opened, qPrintable(opened.error()));
            ClientStore &store = *opened.value();
            QVERIFY(!store.recovery());
            // All of it reads back the same.
            const auto queued = store.outboxItem(queuedId);
            QVERIFY(queued);
            QCOMPARE(bytes(queued->observation), bytes(observation(queuedId)));
            QCOMPARE(queued->state, QStringLiteral("refused"));
            QCOMPARE(queued->reason, QString::fromLatin1(kReason));
            QCOMPARE(queued->changeId, QStringLiteral("change-1"));
            QCOMPARE(store.queuedMediaPath(QStringLiteral("m1"), 0), QStringLiteral("outbox/m1.jpg"));
            QCOMPARE(store.journal(QStringLiteral("C001")).size(), 1);
            QCOMPARE(bytes(*store.cached(cachedId)), bytes(observation(cachedId)));
            QCOMPARE(bytes(store.roster().value(0)), bytes(child()));
            QCOMPARE(bytes(store.classes().value(0)), bytes(cls));
            QCOMPARE(bytes(store.assessments().value(0)), bytes(a));
            const AssessmentEdit edit = store.assessmentOutbox().value(0);
            QCOMPARE(QString::fromStdString(edit.assessment.judgement()), QString::fromLatin1(kJudgement));
            QCOMPARE(edit.reason, QString::fromLatin1(kReason));
            QCOMPARE(store.cursor(), QByteArray::fromBase64("abc="));
            QCOMPARE(store.observationCounts(0, 1800000000000).value(QStringLiteral("C001")), 2);
        }
        QVERIFY(ClientStore::holdsSealedData(path));
        // Nothing of the old plain text is left in the file, its log or its free pages.
        expectNoPersonalData(filesOf(path));
        // And it opens again (no second conversion).
        auto again = ClientStore::open(path, m_key);
        QVERIFY(again);
        QCOMPARE(again.value()->outboxItem(queuedId)->reason, QString::fromLatin1(kReason));
    }

    void theWrongKeyIsRefusedAndNothingIsLost()
    {
        const QString path = m_dir.filePath(QStringLiteral("wrongkey/acorn.db"));
        QString id;
        {
            auto store = ClientStore::open(path, m_key);
            QVERIFY(store);
            ObservationQueue queue(*store.value(), m_dir.filePath(QStringLiteral("wrongkey/outbox")));
            wire::Observation o;
            o.set_text(kNote);
            o.add_child_refs("C001");
            id = queue.saveNew(o, {}).value();
        }
        const QByteArray before = hashOf(path);
        const auto wrong = ClientStore::open(path, DataKey::generate());
        QVERIFY(!wrong);
        QVERIFY2(wrong.error().contains(QStringLiteral("another key")), qPrintable(wrong.error()));
        QVERIFY(wrong.error().contains(QStringLiteral("Nothing was changed or deleted")));
        const auto none = ClientStore::open(path, DataKey());
        QVERIFY(!none);
        QVERIFY(none.error().contains(QStringLiteral("data key")));
        QCOMPARE(hashOf(path), before);
        QVERIFY(QDir(QFileInfo(path).path()).entryList({ QStringLiteral("*.damaged-*") }).isEmpty());
        auto right = ClientStore::open(path, m_key);
        QVERIFY(right);
        QCOMPARE(QString::fromStdString(right.value()->outboxItem(id)->observation.text()), QString::fromLatin1(kNote));
    }

    void aSealedRowMovedToAnotherRowDoesNotOpen()
    {
        const QString path = m_dir.filePath(QStringLiteral("swap/acorn.db"));
        const QString a = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString b = QUuid::createUuid().toString(QUuid::WithoutBraces);
        {
            auto store = ClientStore::open(path, m_key);
            QVERIFY(store);
            QVERIFY(store.value()->cacheObservation(observation(a)));
            QVERIFY(store.value()->cacheObservation(observation(b)));
        }
        // Someone with the file but not the key copies row a's sealed payload over row b's.
        rawExec(path, QStringLiteral("UPDATE observations SET payload = (SELECT payload FROM observations WHERE id = ?) "
                                     "WHERE id = ?"),
                { a, b });
        auto store = ClientStore::open(path, m_key);
        QVERIFY(store);
        QVERIFY(store.value()->cached(a));
        QVERIFY(!store.value()->cached(b)); // refused, not shown as a's content under b's id
        QCOMPARE(store.value()->journal().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestClientStoreAtRest)
#include "tst_clientstore_atrest.moc"
