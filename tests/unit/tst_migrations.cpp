#include "clientstore.h"
#include "database.h"
#include "schema.h"
#include "serverstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace acorn;

namespace {
// The data key of this test's device stores: one per run, as a device keeps one.
const acorn::client::DataKey &testDataKey()
{
    static const acorn::client::DataKey key = acorn::client::DataKey::generate();
    return key;
}
} // namespace

// Schema migrations of the server database and the device store: a fresh file reaches the
// latest version, reopening changes nothing, a failed step changes nothing, and a file
// written by a newer Acorn is refused with a message saying what to do.
class TestMigrations : public QObject
{
    Q_OBJECT

    static void rawExec(const QString &path, const QStringList &statements)
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const QString &s : statements)
                QVERIFY2(q.exec(s), qPrintable(s));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    }

    static QStringList tables(const QString &path)
    {
        QStringList out;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(path);
            db.open();
            QSqlQuery q(db);
            q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
            while (q.next())
                out.append(q.value(0).toString());
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        return out;
    }

private slots:
    void freshServerDatabaseReachesLatest()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        {
            auto db = server::Database::openSqlite(path, true);
            QVERIFY2(db.ok(), qPrintable(db.error()));
            QCOMPARE(db.value()->schemaVersion(), server::Database::latestSchemaVersion());
            QSqlQuery q(db.value()->db());
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        }
        const QStringList first = tables(path);
        QVERIFY(first.contains(QStringLiteral("observations")));
        QVERIFY(first.contains(QStringLiteral("audit")));
        // Reopening migrates nothing and loses nothing.
        {
            auto store = server::ServerStore::openSqlite(path, false);
            QVERIFY(store.ok());
            QVERIFY(store.value()->saveSchool({QStringLiteral("Test"), QStringLiteral("Europe/London"), QStringLiteral("16:00"), {}}));
        }
        {
            auto store = server::ServerStore::openSqlite(path, false);
            QVERIFY(store.ok());
            QCOMPARE(store.value()->school()->name, QStringLiteral("Test"));
        }
        QCOMPARE(tables(path), first);
    }

    // A school database of schema 2 (throttling, before issue 7) reaches the latest schema
    // with its data: two-factor secrets and erasure stubs are added, nothing else changes.
    void schemaTwoDatabaseMigratesToFour()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        QStringList v2 = server::schema::migrationStep(1, server::SqlDialect::Sqlite) + server::schema::migrationStep(2, server::SqlDialect::Sqlite);
        v2 << QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', '2')")
           << QStringLiteral(
                  "INSERT INTO classes (id, name, release) VALUES (1, 'Nursery', 'live')")
           << QStringLiteral("INSERT INTO families (id, ref) VALUES (1, 'F001')")
           << QStringLiteral(
                  "INSERT INTO children (id, ref, first_name, last_name, date_of_birth, class_id,"
                  " family_id, journal_media, others_journals) VALUES"
                  " (1, 'C001', 'Ava', 'Brown', '2023-01-10', 1, 1, 1, 1)");
        rawExec(path, v2);
        auto store = server::ServerStore::openSqlite(path, false);
        QVERIFY2(store.ok(), qPrintable(store.error()));
        QCOMPARE(store.value()->schemaVersion(), server::Database::latestSchemaVersion());
        QVERIFY(server::Database::latestSchemaVersion() >= 4);
        QVERIFY(tables(path).contains(QStringLiteral("two_factor")));
        QCOMPARE(store.value()->children().size(), 1);
        QCOMPARE(
            store.value()->childByRef(QStringLiteral("C001"))->firstName, QStringLiteral("Ava"));
        QVERIFY(store.value()->eraseChildRecord(1, 5));
        QVERIFY(store.value()->children().isEmpty());
        QVERIFY(!store.value()->childByRef(QStringLiteral("C001")));
    }

    // Schema 4 (two-factor sign-in by the admin command) to 5 (set-up from a device): the
    // enrolled accounts keep their secret and last used step; pending set-ups start empty.
    void schemaFourDatabaseMigratesToFive()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        QStringList v4;
        for (int step = 1; step <= 4; ++step)
            v4 += server::schema::migrationStep(step, server::SqlDialect::Sqlite);
        v4 << QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', '4')")
           << QStringLiteral(
                  "INSERT INTO users (id, username, display_name, role, state, created_at)"
                  " VALUES (1, 'lee.lead', 'Lee', 'lead', 'active', 1)")
           << QStringLiteral("INSERT INTO two_factor (user_id, secret, last_step, created_at)"
                             " VALUES (1, X'0102030405', 77, 1)");
        rawExec(path, v4);
        QVERIFY(!tables(path).contains(QStringLiteral("two_factor_pending")));
        auto store = server::ServerStore::openSqlite(path, false);
        QVERIFY2(store.ok(), qPrintable(store.error()));
        QCOMPARE(store.value()->schemaVersion(), 5);
        QVERIFY(tables(path).contains(QStringLiteral("two_factor_pending")));
        const auto kept = store.value()->twoFactor(1);
        QVERIFY(kept);
        QCOMPARE(kept->secret, QByteArray::fromHex("0102030405"));
        QCOMPARE(kept->lastStep, qint64(77));
        QVERIFY(!store.value()->pendingTwoFactor(1));
        QVERIFY(store.value()->setPendingTwoFactor(1, { QByteArray(20, 'k'), 10, 20 }));
        QCOMPARE(store.value()->pendingTwoFactor(1)->expiresAt, qint64(20));
    }

    void missingDatabaseIsNotCreatedByAccident()
    {
        QTemporaryDir dir;
        auto db = server::Database::openSqlite(dir.filePath(QStringLiteral("nothing.db")), false);
        QVERIFY(!db.ok());
        QVERIFY(db.error().contains(QStringLiteral("acorn-server init")));
    }

    void newerServerSchemaIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        { QVERIFY(server::Database::openSqlite(path, true).ok()); }
        rawExec(path, {QStringLiteral("UPDATE meta SET value = '%1' WHERE key = 'schema_version'")
                           .arg(server::Database::latestSchemaVersion() + 1)});
        auto again = server::Database::openSqlite(path, false);
        QVERIFY(!again.ok());
        QVERIFY2(again.error().contains(QStringLiteral("newer version of Acorn")), qPrintable(again.error()));
    }

    void failedStepChangesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        // A stray table with a name the first step needs: the step fails part-way.
        rawExec(path, {QStringLiteral("CREATE TABLE observations (x)")});
        auto db = server::Database::openSqlite(path, true);
        QVERIFY(!db.ok());
        QVERIFY(db.error().contains(QStringLiteral("nothing was changed")));
        QCOMPARE(tables(path), QStringList{QStringLiteral("observations")});
    }

    // A school's version-2 database (before assessments) gains the assessment tables and
    // keeps everything it held.
    void version2DatabaseMigratesToAssessments()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        QStringList v2 = server::schema::migrationStep(1, server::SqlDialect::Sqlite) + server::schema::migrationStep(2, server::SqlDialect::Sqlite);
        v2 << QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', '2')")
           << QStringLiteral("INSERT INTO school (id, name, time_zone, release_time) VALUES (1, 'Old', 'Europe/London', '16:00')");
        rawExec(path, v2);
        QVERIFY(!tables(path).contains(QStringLiteral("assessments")));
        auto store = server::ServerStore::openSqlite(path, false);
        QVERIFY2(store.ok(), qPrintable(store.error()));
        QCOMPARE(store.value()->schemaVersion(), server::Database::latestSchemaVersion());
        QCOMPARE(store.value()->school()->name, QStringLiteral("Old"));
        QVERIFY(tables(path).contains(QStringLiteral("assessments")));
        QVERIFY(tables(path).contains(QStringLiteral("assessment_history")));
        QVERIFY(!store.value()->assessmentsVisibleToParents());
    }

    void auditLogIsAppendOnly()
    {
        QTemporaryDir dir;
        auto store = server::ServerStore::openSqlite(dir.filePath(QStringLiteral("acorn.db")), true);
        QVERIFY(store.ok());
        QVERIFY(store.value()->audit(QStringLiteral("a"), QStringLiteral("d"), QStringLiteral("x"), {}, {}, 1));
        auto db = server::Database::openSqlite(dir.filePath(QStringLiteral("acorn.db")), false);
        QSqlQuery q(db.value()->db());
        QVERIFY(!q.exec(QStringLiteral("UPDATE audit SET actor = 'b'")));
        QVERIFY(!q.exec(QStringLiteral("DELETE FROM audit")));
        QCOMPARE(store.value()->auditSince(0).size(), 1);
    }

    void deviceStoreMigratesAndRefusesNewer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("device.db"));
        {
            auto s = client::ClientStore::open(path, testDataKey());
            QVERIFY2(s.ok(), qPrintable(s.error()));
            QVERIFY(s.value()->setSetting(QStringLiteral("k"), QStringLiteral("v")));
        }
        {
            auto s = client::ClientStore::open(path, testDataKey());
            QVERIFY(s.ok());
            QCOMPARE(s.value()->setting(QStringLiteral("k")), QStringLiteral("v"));
        }
        rawExec(path, {QStringLiteral("PRAGMA user_version = %1").arg(client::ClientStore::kSchemaVersion + 1)});
        auto s = client::ClientStore::open(path, testDataKey());
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QStringLiteral("newer version of Acorn")), qPrintable(s.error()));
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
