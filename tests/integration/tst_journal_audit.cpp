#include "clientstore.h"
#include "syncengine.h"
#include "testserver.h"

#include <QDateTime>
#include <QTimeZone>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace acorn;
using namespace acorn::client;
using namespace acorn::test;

// The audit of staff views of a child's journal, end to end: a staff device records each
// journal opened (offline too) in its store, its next sync reports them, and the real
// acorn-server writes one `view-journal` entry per view with who, which child, when and
// from which device. And `admin audit`'s filters: --since, --until, --actor, --action,
// --child.
class TestJournalAudit : public QObject
{
    Q_OBJECT

    TestServer m_server;

    static QString password() { return QStringLiteral("correct horse 1"); }

    SyncError sync(ClientStore &store, const QString &user, wire::ClientKind kind, const QString &device)
    {
        SyncOptions o;
        o.host = QStringLiteral("127.0.0.1");
        o.port = m_server.port();
        o.pin = m_server.fingerprint();
        o.username = user;
        o.password = password();
        o.kind = kind;
        o.deviceName = device;
        SyncEngine e(store, o);
        QEventLoop loop;
        connect(&e, &SyncEngine::finished, &loop, &QEventLoop::quit);
        e.start();
        loop.exec();
        return e.error();
    }

    QList<QJsonObject> audit(const QStringList &filters, bool *ok = nullptr)
    {
        QList<QJsonObject> out;
        const QByteArray lines = m_server.admin(QStringList{QStringLiteral("audit")} + filters, ok);
        for (const QByteArray &l : lines.split('\n')) {
            if (!l.trimmed().isEmpty())
                out.append(QJsonDocument::fromJson(l).object());
        }
        return out;
    }

    std::unique_ptr<ClientStore> openStore(const QString &name)
    {
        auto s = ClientStore::open(m_server.scratch() + QLatin1Char('/') + name + QStringLiteral("/acorn.db"), client::DataKey::generate());
        return s ? std::move(s).value() : nullptr;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(smallSchoolJson()));
        for (const char *u : {"nina.nursery", "alex.brown"})
            QVERIFY(m_server.setPassword(QLatin1String(u), password()));
        QVERIFY(m_server.start());
    }

    void staffViewsOfAJournalAreAudited()
    {
        auto store = openStore(QStringLiteral("tablet"));
        QVERIFY(store);
        // Opened offline, before the device ever synced: kept until the server has them.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(store->recordJournalView(QStringLiteral("C001"), now - 60'000));
        QVERIFY(store->recordJournalView(QStringLiteral("C002"), now - 30'000));
        QCOMPARE(store->pendingJournalViews(10).size(), 2);
        QCOMPARE(sync(*store, QStringLiteral("nina.nursery"), wire::CLIENT_KIND_STAFF, QStringLiteral("Nursery tablet 3")),
                 SyncError::None);
        QVERIFY(store->pendingJournalViews(10).isEmpty());

        const QList<QJsonObject> views = audit({QStringLiteral("--action"), QStringLiteral("view-journal")});
        QCOMPARE(views.size(), 2);
        QCOMPARE(views[0].value(QStringLiteral("actor")).toString(), QStringLiteral("nina.nursery"));
        QCOMPARE(views[0].value(QStringLiteral("device")).toString(), QStringLiteral("Nursery tablet 3"));
        QCOMPARE(views[0].value(QStringLiteral("target")).toString(), QStringLiteral("C001"));
        QCOMPARE(views[1].value(QStringLiteral("target")).toString(), QStringLiteral("C002"));
        // When it was opened, not when it was reported (to the second, as printed).
        QCOMPARE(views[0].value(QStringLiteral("at")).toString(),
                 QDateTime::fromMSecsSinceEpoch(now - 60'000, QTimeZone::utc()).toString(Qt::ISODate));

        // Reported once: the next sync sends nothing more.
        QCOMPARE(sync(*store, QStringLiteral("nina.nursery"), wire::CLIENT_KIND_STAFF, QStringLiteral("Nursery tablet 3")),
                 SyncError::None);
        QCOMPARE(audit({QStringLiteral("--action"), QStringLiteral("view-journal")}).size(), 2);
    }

    void parentsDoNotReportViews()
    {
        // A parent's viewer records nothing; a client that tries anyway is refused, and
        // nothing is written in the parent's name.
        auto store = openStore(QStringLiteral("parent"));
        QVERIFY(store);
        QVERIFY(store->recordJournalView(QStringLiteral("C001"), QDateTime::currentMSecsSinceEpoch()));
        QCOMPARE(sync(*store, QStringLiteral("alex.brown"), wire::CLIENT_KIND_VIEWER, QStringLiteral("phone")),
                 SyncError::Refused);
        QVERIFY(audit({QStringLiteral("--action"), QStringLiteral("view-journal"), QStringLiteral("--actor"),
                       QStringLiteral("alex.brown")})
                    .isEmpty());
    }

    void auditFilters()
    {
        const QList<QJsonObject> all = audit({});
        QVERIFY(all.size() > 4);
        const QList<QJsonObject> child = audit({QStringLiteral("--child"), QStringLiteral("C001")});
        QVERIFY(!child.isEmpty());
        for (const QJsonObject &e : child)
            QCOMPARE(e.value(QStringLiteral("target")).toString(), QStringLiteral("C001"));

        const QList<QJsonObject> alexLogins
            = audit({QStringLiteral("--actor"), QStringLiteral("alex.brown"), QStringLiteral("--action"), QStringLiteral("login")});
        QVERIFY(!alexLogins.isEmpty());
        for (const QJsonObject &e : alexLogins) {
            QCOMPARE(e.value(QStringLiteral("actor")).toString(), QStringLiteral("alex.brown"));
            QCOMPARE(e.value(QStringLiteral("action")).toString(), QStringLiteral("login"));
        }
        QVERIFY(alexLogins.size() < all.size());

        QVERIFY(audit({QStringLiteral("--since"), QStringLiteral("2100-01-01T00:00:00Z")}).isEmpty());
        QVERIFY(audit({QStringLiteral("--until"), QStringLiteral("2000-01-01T00:00:00Z")}).isEmpty());
        const QString inAnHour = QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate);
        QCOMPARE(audit({QStringLiteral("--since"), QStringLiteral("2000-01-01T00:00:00Z"), QStringLiteral("--until"), inAnHour}).size(),
                 all.size());

        bool ok = true;
        audit({QStringLiteral("--until"), QStringLiteral("yesterday")}, &ok);
        QVERIFY(!ok);
    }
};

QTEST_GUILESS_MAIN(TestJournalAudit)
#include "tst_journal_audit.moc"
