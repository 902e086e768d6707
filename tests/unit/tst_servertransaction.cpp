#include "schoolfixture.h"
#include "serverstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace acorn;
using server::ServerStore;

// ServerStore::Transaction inside another one is a savepoint: a push commits its items
// together (one sync to disk) while an item that fails leaves nothing behind.
class TestServerTransaction : public QObject
{
    Q_OBJECT

    static QStringList classNames(ServerStore &store)
    {
        QStringList names;
        for (const server::ClassRecord &c : store.classes())
            names.append(c.name);
        names.sort();
        return names;
    }

    // An active parent's account; its id.
    static Result<qint64> addParent(ServerStore &store, const QString &username)
    {
        server::UserRecord u;
        u.username = username;
        u.displayName = username;
        u.role = QStringLiteral("parent");
        u.state = QStringLiteral("active");
        return store.insertUser(u, 1000);
    }

private slots:
    void innerCommitAndRollbackInsideOuterCommit()
    {
        QTemporaryDir dir;
        auto store = ServerStore::openSqlite(dir.filePath(QStringLiteral("acorn.db")), true);
        QVERIFY2(store.ok(), qPrintable(store.error()));
        ServerStore &s = *store.value();
        {
            ServerStore::Transaction outer(s, ServerStore::Transaction::Mode::Immediate);
            QVERIFY(outer.ok());
            {
                ServerStore::Transaction kept(s);
                QVERIFY(kept.ok());
                QVERIFY(s.upsertClass(QStringLiteral("Nursery"), true).ok());
                QVERIFY(kept.commit());
            }
            {
                ServerStore::Transaction dropped(s);
                QVERIFY(dropped.ok());
                QVERIFY(s.upsertClass(QStringLiteral("Reception"), false).ok());
                // no commit: rolled back to its savepoint when it goes out of scope
            }
            {
                ServerStore::Transaction alsoKept(s);
                QVERIFY(s.upsertClass(QStringLiteral("Kindergarten"), false).ok());
                QVERIFY(alsoKept.commit());
            }
            QVERIFY(outer.commit());
        }
        QCOMPARE(classNames(s), (QStringList { QStringLiteral("Kindergarten"), QStringLiteral("Nursery") }));
        // The depth is back to zero: a new transaction is an outermost one again.
        ServerStore::Transaction next(s);
        QVERIFY(next.ok());
        QVERIFY(next.commit());
    }

    void outerRollbackDiscardsCommittedInnerWork()
    {
        QTemporaryDir dir;
        auto store = ServerStore::openSqlite(dir.filePath(QStringLiteral("acorn.db")), true);
        QVERIFY2(store.ok(), qPrintable(store.error()));
        ServerStore &s = *store.value();
        {
            ServerStore::Transaction outer(s);
            ServerStore::Transaction inner(s);
            QVERIFY(s.upsertClass(QStringLiteral("Nursery"), true).ok());
            QVERIFY(inner.commit());
            // outer not committed
        }
        QVERIFY(classNames(s).isEmpty());
        QVERIFY(s.upsertClass(QStringLiteral("Reception"), false).ok()); // autocommit again
        QCOMPARE(classNames(s), QStringList { QStringLiteral("Reception") });
    }

    // A full disk, made by capping the SQLite file at its current size: the push is
    // answered STORAGE_FULL, nothing of it is kept (not even the items before the one that
    // did not fit), and the same push succeeds once there is room again.
    void fullDiskRefusesTheWholePushAndKeepsNothing()
    {
        using namespace fixture;
        SchoolModel m;
        m.calendar.append({ QStringLiteral("Autumn 1"), QDate(2026, 9, 1), QDate(2026, 10, 23) });
        m.classes.append({ QStringLiteral("Nursery"), true, {}, std::numeric_limits<qint64>::min() });
        m.children.append({ QStringLiteral("C001"), QStringLiteral("Ava"), QStringLiteral("Brown"),
            QDate(2022, 5, 1), QStringLiteral("Nursery"), QStringLiteral("F1"), true, true });
        m.accounts.append({ QStringLiteral("lead"), QStringLiteral("The Lead"), QStringLiteral("lead"),
            {}, {}, false });
        ServerHarness h(m.at(QDate(2026, 9, 15), QTime(12, 0)));
        QVERIFY2(h.isValid(), qPrintable(h.error()));
        QCOMPARE(h.importSchool(m), QString());
        QCOMPARE(h.setPassword(QStringLiteral("lead"), QStringLiteral("lead-password-1")), QString());
        WireClient lead(h);
        lead.hello(wire::CLIENT_KIND_STAFF);
        QVERIFY(lead.login(QStringLiteral("lead"), QStringLiteral("lead-password-1")).has_login_reply());

        QList<wire::PushItem> items;
        for (int i = 0; i < 40; ++i) {
            SchoolModel::Observation o;
            o.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            o.author = QStringLiteral("lead");
            o.observedAtMs = m.at(QDate(2026, 9, 14), QTime(10, 0));
            o.children = { QStringLiteral("C001") };
            o.text = QString(4000, QLatin1Char('a' + i % 26));
            items.append(pushItem(m, o, 0, QUuid::createUuid().toString(QUuid::WithoutBraces)));
        }

        QStringList connections;
        for (const QString &name : QSqlDatabase::connectionNames()) {
            if (name.startsWith(QLatin1String("acorn-server-")))
                connections.append(name);
        }
        QCOMPARE(connections.size(), 1);
        QSqlDatabase db = QSqlDatabase::database(connections.first());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
        const qint64 pages = q.value(0).toLongLong();
        QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages + 2)));

        const wire::Frame full = lead.push(items);
        QVERIFY(full.has_error());
        QCOMPARE(full.error().code(), wire::Error::STORAGE_FULL);
        QVERIFY2(QString::fromStdString(full.error().message()).contains(QStringLiteral("sent again")),
            full.error().message().c_str());
        for (const wire::PushItem &item : items)
            QVERIFY(!h.store->observation(QString::fromStdString(item.observation().id())));

        QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = 1073741823")));
        const wire::Frame ok = lead.push(items);
        QVERIFY(ok.has_push_reply());
        QCOMPARE(ok.push_reply().results_size(), items.size());
        for (const wire::PushResult &r : ok.push_reply().results())
            QCOMPARE(r.outcome(), wire::PushResult::ACCEPTED);
    }

    // What SyncService keeps its school snapshot by: equal while nothing changed, different
    // after a change by this connection and after one by another connection (an admin
    // command in another process), and a read changes nothing.
    void dataVersionSeesEveryChange()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        auto opened = ServerStore::openSqlite(path, true);
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        ServerStore &s = *opened.value();
        const ServerStore::DataVersion v0 = s.dataVersion();
        QVERIFY(v0.valid);
        QVERIFY(s.dataVersion() == v0);
        (void)s.classes();
        QVERIFY(s.dataVersion() == v0);
        QVERIFY(s.upsertClass(QStringLiteral("Nursery"), true).ok());
        const ServerStore::DataVersion v1 = s.dataVersion();
        QVERIFY(!(v1 == v0));
        QVERIFY(s.dataVersion() == v1);
        {
            auto other = ServerStore::openSqlite(path, false);
            QVERIFY2(other.ok(), qPrintable(other.error()));
            QVERIFY(other.value()->upsertClass(QStringLiteral("Reception"), false).ok());
        }
        QVERIFY(!(s.dataVersion() == v1));
        QCOMPARE(classNames(s), (QStringList { QStringLiteral("Nursery"), QStringLiteral("Reception") }));
    }

    // The bookkeeping of sign-ins (a new session, its last use, an audit entry) changes
    // nothing a reader keeps, so it leaves the version alone: a release storm's hundreds
    // of sign-ins no longer make every connection check everything again. Ending a
    // session, or any other change, still counts, inside a transaction or not.
    void dataVersionLeavesOutSignInBookkeeping()
    {
        QTemporaryDir dir;
        auto opened = ServerStore::openSqlite(dir.filePath(QStringLiteral("acorn.db")), true);
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        ServerStore &s = *opened.value();
        const auto id = addParent(s, QStringLiteral("sam.parent"));
        QVERIFY2(id.ok(), qPrintable(id.error()));
        const ServerStore::DataVersion v0 = s.dataVersion();
        QVERIFY(v0.valid);
        const QByteArray tokenHash(32, 'a');
        QVERIFY(s.createSession(id.value(), tokenHash, QStringLiteral("tablet"), 1000).ok());
        const auto session = s.sessionByTokenHash(tokenHash);
        QVERIFY(session);
        QVERIFY(s.touchSession(session->id, 70'000).ok());
        QVERIFY(s.audit(QStringLiteral("sam.parent"), QStringLiteral("tablet"), QStringLiteral("login"),
                        QStringLiteral("127.0.0.1"), QStringLiteral("success"), 70'000).ok());
        {
            ServerStore::Transaction tx(s);
            QVERIFY(s.touchSession(session->id, 140'000).ok());
            QVERIFY(tx.commit().ok());
        }
        QVERIFY(s.dataVersion() == v0);
        QCOMPARE(s.sessionByTokenHash(tokenHash)->lastUsedAt, 140'000);

        QVERIFY(s.endSession(session->id, 150'000, QStringLiteral("signed out")).ok());
        const ServerStore::DataVersion v1 = s.dataVersion();
        QVERIFY(!(v1 == v0));
        // A change made together with bookkeeping in one transaction still counts.
        {
            ServerStore::Transaction tx(s);
            QVERIFY(s.upsertClass(QStringLiteral("Nursery"), true).ok());
            QVERIFY(s.audit(QStringLiteral("admin"), QString(), QStringLiteral("class"), QStringLiteral("Nursery"),
                            QString(), 160'000).ok());
            QVERIFY(tx.commit().ok());
        }
        QVERIFY(!(s.dataVersion() == v1));
    }

    // A session's last use is written without waiting for the disk: recorded all the same,
    // and every write after it is synced fully again; inside a transaction it is left to
    // the transaction's commit.
    void sessionTouchIsRecordedAndTheRestStaysFullySynced()
    {
        QTemporaryDir dir;
        auto opened = ServerStore::openSqlite(dir.filePath(QStringLiteral("acorn.db")), true);
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        ServerStore &s = *opened.value();
        const auto id = addParent(s, QStringLiteral("alex.brown"));
        QVERIFY2(id.ok(), qPrintable(id.error()));
        const QByteArray token = QByteArrayLiteral("token-hash-0123456789abcdef");
        QVERIFY(s.createSession(id.value(), token, QStringLiteral("phone"), 1000).ok());
        const auto session = s.sessionByTokenHash(token);
        QVERIFY(session);

        const auto synchronous = [&s] {
            QStringList names;
            for (const QString &name : QSqlDatabase::connectionNames()) {
                if (name.startsWith(QLatin1String("acorn-server-")))
                    names.append(name);
            }
            QSqlQuery q(QSqlDatabase::database(names.value(0)));
            return q.exec(QStringLiteral("PRAGMA synchronous")) && q.next() ? q.value(0).toInt() : -1;
        };
        QCOMPARE(synchronous(), 2); // FULL
        QVERIFY(s.touchSession(session->id, 61'000).ok());
        QCOMPARE(s.sessionByTokenHash(token)->lastUsedAt, 61'000);
        QCOMPARE(synchronous(), 2);
        {
            ServerStore::Transaction tx(s, ServerStore::Transaction::Mode::Immediate);
            QVERIFY(s.touchSession(session->id, 122'000).ok());
            QCOMPARE(synchronous(), 2);
            QVERIFY(tx.commit().ok());
        }
        QCOMPARE(s.sessionByTokenHash(token)->lastUsedAt, 122'000);
    }
};

QTEST_GUILESS_MAIN(TestServerTransaction)
#include "tst_servertransaction.moc"
