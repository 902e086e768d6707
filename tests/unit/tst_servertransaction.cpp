#include "serverstore.h"

#include <QTemporaryDir>
#include <QTest>

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
};

QTEST_GUILESS_MAIN(TestServerTransaction)
#include "tst_servertransaction.moc"
