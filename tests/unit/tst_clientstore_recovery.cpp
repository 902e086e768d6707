#include "clientstore.h"
#include "testserver.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace acorn;
using namespace acorn::client;

namespace {
// The data key of this test's device stores: one per run, as a device keeps one.
const acorn::client::DataKey &testDataKey()
{
    static const acorn::client::DataKey key = acorn::client::DataKey::generate();
    return key;
}
} // namespace

// A damaged local store on a device: real SQLite files, damaged the way a failing SD card
// or a power cut damages them. Opening finds it (quick_check), sets the file aside, starts
// afresh and rescues the outbox; a file that is not a database at all still opens; a
// healthy file is left alone.
class TestClientStoreRecovery : public QObject
{
    Q_OBJECT

    static OutboxItem edit(const QString &text)
    {
        OutboxItem i;
        i.observation.set_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
        i.observation.set_text(text.toStdString());
        i.observation.add_child_refs("C001");
        i.changeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        i.queuedAt = 1000;
        return i;
    }

private slots:
    void aDamagedCacheIsReplacedAndTheOutboxRescued()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profile/acorn.db"));
        QStringList changeIds;
        QStringList mediaIds;
        {
            auto store = ClientStore::open(path, testDataKey());
            QVERIFY2(store, qPrintable(store.error()));
            QVERIFY(!store.value()->recovery());
            for (int i = 0; i < 2; ++i) {
                const OutboxItem item = edit(QStringLiteral("unsent %1").arg(i));
                OutboxMedia m;
                m.mediaId = QUuid::createUuid().toString(QUuid::WithoutBraces);
                m.observationId = QString::fromStdString(item.observation.id());
                m.path = QStringLiteral("media/photo%1.jpg").arg(i);
                m.size = 10;
                m.sha256 = QByteArray(32, 'x');
                QVERIFY(store.value()->queue(item, { m }));
                changeIds.append(item.changeId);
                mediaIds.append(m.mediaId);
            }
            // A cache large enough to span many pages, and a sync position.
            wire::PullReply page;
            for (int i = 0; i < 200; ++i) {
                wire::Observation *o = page.add_observations();
                o->set_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
                o->set_text(std::string(300, 'a'));
                o->add_child_refs("C001");
                o->set_revision(1);
            }
            page.set_next_cursor("position");
            QVERIFY(store.value()->applyPull(page));
            QVERIFY(
                store.value()->setSetting(QStringLiteral("role"), QStringLiteral("practitioner")));
            QCOMPARE(store.value()->journal().size(), 200);
        }
        QVERIFY(acorn::test::damageTablePage(path, QStringLiteral("observations")));

        auto reopened = ClientStore::open(path, testDataKey());
        QVERIFY2(reopened, qPrintable(reopened.error()));
        ClientStore &store = *reopened.value();
        QVERIFY(store.recovery());
        QCOMPARE(store.recovery()->editsSalvaged, 2);
        QCOMPARE(store.recovery()->mediaSalvaged, 2);
        QVERIFY(QFile::exists(store.recovery()->damagedCopy));
        QVERIFY(store.recovery()->message().contains(QStringLiteral("2 unsent observation")));
        // The outbox is all there, the cache starts again (a first sync), settings stay.
        QStringList rescued;
        for (const OutboxItem &i : store.outbox())
            rescued.append(i.changeId);
        rescued.sort();
        changeIds.sort();
        QCOMPARE(rescued, changeIds);
        QCOMPARE(store.queuedMediaPath(mediaIds[1], 0), QStringLiteral("media/photo1.jpg"));
        QCOMPARE(store.journal().size(), 0);
        QVERIFY(store.cursor().isEmpty());
        QCOMPARE(store.setting(QStringLiteral("role")), QStringLiteral("practitioner"));
        // Work goes on in the new store.
        QVERIFY(store.queue(edit(QStringLiteral("after")), {}));
        QCOMPARE(store.outbox().size(), 3);
    }

    void aFileThatIsNoDatabaseStillOpens()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, '\x17'));
        f.close();
        auto store = ClientStore::open(path, testDataKey());
        QVERIFY2(store, qPrintable(store.error()));
        QVERIFY(store.value()->recovery());
        QCOMPARE(store.value()->recovery()->editsSalvaged, 0);
        QVERIFY(store.value()->queue(edit(QStringLiteral("new")), {}));
    }

    void aHealthyStoreIsLeftAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.db"));
        {
            auto store = ClientStore::open(path, testDataKey());
            QVERIFY(store);
            QVERIFY(store.value()->queue(edit(QStringLiteral("kept")), {}));
        }
        auto again = ClientStore::open(path, testDataKey());
        QVERIFY(again);
        QVERIFY(!again.value()->recovery());
        QCOMPARE(again.value()->outbox().size(), 1);
        QCOMPARE(QDir(dir.path()).entryList({ QStringLiteral("*.damaged-*") }).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestClientStoreRecovery)
#include "tst_clientstore_recovery.moc"
