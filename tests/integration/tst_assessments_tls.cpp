#include "schoolfixture.h"
#include "certificategenerator.h"
#include "clientstore.h"
#include "clock.h"
#include "crypto.h"
#include "mediastore.h"
#include "schoolimporter.h"
#include "serverstore.h"
#include "syncengine.h"
#include "syncserver.h"
#include "syncservice.h"
#include "testserver.h"
#include "tlspin.h"
#include "wireconnection.h"

#include <QEventLoop>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>
#include <QUuid>

#include <map>
#include <memory>

using namespace acorn;
using namespace acorn::server;
using acorn::test::describe;
using acorn::test::WireConnection;

// Assessments over the real protocol: the real SyncServer on 127.0.0.1 with a real TLS
// handshake, wire frames from several devices, and a clock the test moves. Covers recording
// and amending with history, idempotent retries, a conflict between two devices (both
// judgements kept), the rules' refusals, and release to parents: only when the school turns
// parent visibility on, and only through the same release gate as the class's observations.
class TestAssessmentsOverTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ServerStore> m_store;
    std::unique_ptr<MediaStore> m_media;
    std::unique_ptr<SyncService> m_service;
    std::unique_ptr<SyncServer> m_server;
    // One signed-in device per name, and its pull cursor and cache of assessments
    // ("child|item|half term" -> assessment), as a client would keep them.
    struct Device
    {
        std::unique_ptr<WireConnection> connection;
        std::unique_ptr<client::ClientStore> store; // the device's own store, fed every page
        std::string cursor;
        QHash<QString, wire::Assessment> assessments;
        int resets = 0;
    };
    std::map<QString, Device> m_devices;
    QString m_pin;
    // Devices synced by the real client engine (the staff app's and acorn-cli's).
    std::map<QString, std::unique_ptr<client::ClientStore>> m_engineDevices;

    client::ClientStore &engineDevice(const QString &name)
    {
        auto &store = m_engineDevices[name];
        if (!store) {
            auto s = client::ClientStore::open(
                m_dir.filePath(QStringLiteral("engine-devices/%1/acorn.db").arg(name)), client::DataKey::generate());
            if (!s)
                qFatal("cannot open the device store: %s", qPrintable(s.error()));
            store = std::move(s).value();
        }
        return *store;
    }

    client::SyncError engineSync(client::ClientStore &store, const QString &user, quint16 port,
        client::SyncReport *report = nullptr)
    {
        client::SyncOptions o;
        o.host = QStringLiteral("127.0.0.1");
        o.port = port;
        o.pin = m_pin;
        o.username = user;
        o.password = QStringLiteral("pass-%1").arg(user);
        client::SyncEngine engine(store, o);
        QEventLoop loop;
        connect(&engine, &client::SyncEngine::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        engine.start();
        loop.exec();
        if (report)
            *report = engine.report();
        return engine.error();
    }

    static client::AssessmentEdit edit(const QString &child, const QString &itemKey,
        const QString &halfTerm, const QString &judgement, quint64 baseRevision)
    {
        client::AssessmentEdit e;
        e.assessment = item(child, itemKey, halfTerm, judgement, baseRevision).assessment();
        e.baseRevision = baseRevision;
        e.changeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        e.queuedAt = QDateTime::currentMSecsSinceEpoch();
        return e;
    }

    const QTimeZone london { "Europe/London" };
    qint64 at(int y, int m, int d, int h, int min = 0) const
    {
        return QDateTime(QDate(y, m, d), QTime(h, min), london).toMSecsSinceEpoch();
    }

    static QString keyOf(const wire::Assessment &a)
    {
        return QStringLiteral("%1|%2|%3")
            .arg(QString::fromStdString(a.child_ref()), QString::fromStdString(a.item_key()),
                QString::fromStdString(a.half_term()));
    }

    // A device signed in as `user` ("rob.reception@tablet-2" is Rob's second tablet).
    Device &device(const QString &name)
    {
        Device &d = m_devices[name];
        if (!d.connection) {
            d.connection = std::make_unique<WireConnection>();
            const QString user = name.section(QLatin1Char('@'), 0, 0);
            if (!d.connection->open(m_server->serverPort()))
                qFatal("cannot connect");
            if (!d.connection->hello().has_hello_reply())
                qFatal("no hello reply");
            const wire::Frame login
                = d.connection->login(user, QStringLiteral("pass-%1").arg(user));
            if (!login.has_login_reply())
                qFatal("cannot sign in %s: %s", qPrintable(user), qPrintable(describe(login)));
            auto store = client::ClientStore::open(
                m_dir.filePath(QStringLiteral("devices/%1/acorn.db").arg(name)), client::DataKey::generate());
            if (!store)
                qFatal("cannot open the device store: %s", qPrintable(store.error()));
            d.store = std::move(store).value();
        }
        return d;
    }

    // Pulls every page; returns how many assessments arrived.
    int pull(const QString &name)
    {
        Device &d = device(name);
        int received = 0;
        for (int page = 0; page < 50; ++page) {
            wire::Frame f;
            f.mutable_pull()->set_cursor(d.cursor);
            const wire::Frame reply = d.connection->call(f);
            if (!reply.has_pull_reply())
                qFatal("pull failed: %s", qPrintable(describe(reply)));
            const wire::PullReply &r = reply.pull_reply();
            if (!d.store->applyPull(r))
                qFatal("the device could not store the page");
            if (r.assessments_reset()) {
                d.assessments.clear();
                ++d.resets;
            }
            for (const wire::Assessment &a : r.assessments()) {
                d.assessments.insert(keyOf(a), a);
                ++received;
            }
            d.cursor = r.next_cursor();
            if (!r.more()) {
                // The device store holds exactly what the protocol says the user has.
                QHash<QString, wire::Assessment> stored;
                for (const wire::Assessment &a : d.store->assessments())
                    stored.insert(keyOf(a), a);
                if (stored.keys().size() != d.assessments.size())
                    qFatal("the device store holds %d assessments, the protocol %d",
                        int(stored.size()), int(d.assessments.size()));
                for (auto it = d.assessments.cbegin(); it != d.assessments.cend(); ++it) {
                    if (!stored.contains(it.key())
                        || stored.value(it.key()).SerializeAsString() != it->SerializeAsString())
                        qFatal("the device store differs for %s", qPrintable(it.key()));
                }
                return received;
            }
        }
        qFatal("the pull never ended");
    }

    std::optional<wire::Assessment> cached(
        const QString &name, const QString &child, const QString &item, const QString &halfTerm)
    {
        const auto &all = m_devices[name].assessments;
        const auto it = all.constFind(QStringLiteral("%1|%2|%3").arg(child, item, halfTerm));
        return it == all.cend() ? std::nullopt : std::optional<wire::Assessment>(*it);
    }

    static wire::AssessmentPushItem item(const QString &child, const QString &itemKey,
        const QString &halfTerm, const QString &judgement, quint64 baseRevision,
        const QString &changeId = QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        wire::AssessmentPushItem i;
        i.mutable_assessment()->set_child_ref(child.toStdString());
        i.mutable_assessment()->set_item_key(itemKey.toStdString());
        i.mutable_assessment()->set_half_term(halfTerm.toStdString());
        i.mutable_assessment()->set_judgement(judgement.toStdString());
        i.set_base_revision(baseRevision);
        i.set_change_id(changeId.toStdString());
        return i;
    }

    wire::AssessmentPushResult push(const QString &name, const wire::AssessmentPushItem &i)
    {
        wire::Frame f;
        *f.mutable_assessment_push()->add_items() = i;
        const wire::Frame reply = device(name).connection->call(f);
        if (!reply.has_assessment_push_reply() || reply.assessment_push_reply().results_size() != 1)
            qFatal("assessment push failed: %s", qPrintable(describe(reply)));
        return reply.assessment_push_reply().results(0);
    }

    const QString autumn1 = QStringLiteral("2026-10-23");
    const QString autumn2 = QStringLiteral("2026-12-18");

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_clock = std::make_unique<ManualClock>(at(2026, 10, 5, 9)); // Autumn 1, week 5
        auto store
            = acorn::fixture::openTestSchool(m_dir.filePath(QStringLiteral("server.db")), *m_clock);
        QVERIFY2(store.ok(), qPrintable(store.error()));
        m_store = std::move(store).value();
        m_media = std::make_unique<MediaStore>(m_dir.filePath(QStringLiteral("media")));
        QVERIFY(m_media->ensureLayout());
        m_service = std::make_unique<SyncService>(*m_store, *m_media, *m_clock);
        m_service->setPasswordParams({ 10, 8, 1 }); // as the accounts' hashes: none is replaced
        // The test's clock jumps weeks ahead; signed-in devices must not expire meanwhile.
        SessionLifetimes lifetimes;
        lifetimes.idleDays = 3650;
        lifetimes.maxAgeDays = 3650;
        m_service->setSessionLifetimes(lifetimes);
        const QString cert = m_dir.filePath(QStringLiteral("tls/cert.pem"));
        const QString key = m_dir.filePath(QStringLiteral("tls/key.pem"));
        QVERIFY(CertificateGenerator::generate({ cert, key }, { QStringLiteral("127.0.0.1") }));
        auto tls = loadServerTls(cert, key);
        QVERIFY(tls.ok());
        QFile certFile(cert);
        QVERIFY(certFile.open(QIODevice::ReadOnly));
        m_pin = tls::spkiFingerprint(certFile.readAll()).value();
        m_server = std::make_unique<SyncServer>(*m_service, tls.value());
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        QVERIFY(!m_store->assessmentsVisibleToParents()); // off until the school says so
    }

    void recordAmendAndRetry()
    {
        const auto first = item(QStringLiteral("C003"), QStringLiteral("CL-ELG-02"), autumn1,
            QStringLiteral("emerging"), 0);
        const auto r1 = push(QStringLiteral("rob.reception@tablet-1"), first);
        QCOMPARE(r1.outcome(), wire::PushResult::ACCEPTED);
        QCOMPARE(r1.revision(), 1u);
        // A retry of the same change (the reply was lost) changes nothing.
        const auto again = push(QStringLiteral("rob.reception@tablet-1"), first);
        QCOMPARE(again.outcome(), wire::PushResult::ACCEPTED);
        QCOMPARE(again.revision(), 1u);
        // The same change id from another member of staff is refused.
        QCOMPARE(
            push(QStringLiteral("lee.lead@office"), first).outcome(), wire::PushResult::REJECTED);

        QCOMPARE(pull(QStringLiteral("rob.reception@tablet-1")), 1);
        const auto seen = cached(QStringLiteral("rob.reception@tablet-1"), QStringLiteral("C003"),
            QStringLiteral("CL-ELG-02"), autumn1);
        QVERIFY(seen);
        QCOMPARE(seen->judgement(), std::string("emerging"));
        QCOMPARE(seen->by_username(), std::string("rob.reception"));
        QCOMPARE(seen->history_size(), 1);

        // Amended on the same device with the revision it saw.
        const auto r2 = push(QStringLiteral("rob.reception@tablet-1"),
            item(QStringLiteral("C003"), QStringLiteral("CL-ELG-02"), autumn1,
                QStringLiteral("expected"), 1));
        QCOMPARE(r2.outcome(), wire::PushResult::ACCEPTED);
        QCOMPARE(r2.revision(), 2u);
        QCOMPARE(pull(QStringLiteral("rob.reception@tablet-1")), 1); // only the change
        const auto amended = cached(QStringLiteral("rob.reception@tablet-1"),
            QStringLiteral("C003"), QStringLiteral("CL-ELG-02"), autumn1);
        QCOMPARE(amended->judgement(), std::string("expected"));
        QCOMPARE(amended->revision(), 2u);
        QCOMPARE(amended->history_size(), 2);
        QCOMPARE(amended->history(0).judgement(), std::string("emerging"));
        QCOMPARE(amended->history(1).judgement(), std::string("expected"));
    }

    void conflictBetweenTwoDevicesKeepsBoth()
    {
        // Both tablets sync, then both judge the same thing offline.
        pull(QStringLiteral("rob.reception@tablet-1"));
        pull(QStringLiteral("lee.lead@office"));
        const QString dm = QStringLiteral("M-DM-R");
        const auto fromTablet = push(QStringLiteral("rob.reception@tablet-1"),
            item(QStringLiteral("C004"), dm, autumn1, QStringLiteral("on-track"), 0));
        QCOMPARE(fromTablet.outcome(), wire::PushResult::ACCEPTED);
        const auto officeChange = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const auto fromOffice = push(QStringLiteral("lee.lead@office"),
            item(QStringLiteral("C004"), dm, autumn1, QStringLiteral("secure"), 0, officeChange));
        QCOMPARE(fromOffice.outcome(), wire::PushResult::CONFLICT);
        QCOMPARE(fromOffice.revision(), 1u);
        QCOMPARE(fromOffice.server_copy().judgement(), std::string("on-track"));
        // The submission that lost is in the history, with who made it: nothing is lost.
        QCOMPARE(fromOffice.server_copy().history_size(), 2);
        QCOMPARE(fromOffice.server_copy().history(1).conflict(), true);
        QCOMPARE(fromOffice.server_copy().history(1).judgement(), std::string("secure"));
        QCOMPARE(fromOffice.server_copy().history(1).by_username(), std::string("lee.lead"));
        // Its retry is answered the same way and not stored twice.
        const auto retried = push(QStringLiteral("lee.lead@office"),
            item(QStringLiteral("C004"), dm, autumn1, QStringLiteral("secure"), 0, officeChange));
        QCOMPARE(retried.outcome(), wire::PushResult::CONFLICT);
        QCOMPARE(retried.server_copy().history_size(), 2);

        // The other tablet sees the conflict in the history at its next pull.
        pull(QStringLiteral("rob.reception@tablet-2"));
        const auto onTablet2
            = cached(QStringLiteral("rob.reception@tablet-2"), QStringLiteral("C004"), dm, autumn1);
        QVERIFY(onTablet2);
        QCOMPARE(onTablet2->judgement(), std::string("on-track"));
        QCOMPARE(onTablet2->history_size(), 2);
        QVERIFY(onTablet2->history(1).conflict());

        // The lead resolves it deliberately, on the revision they now have.
        const auto resolved = push(QStringLiteral("lee.lead@office"),
            item(QStringLiteral("C004"), dm, autumn1, QStringLiteral("secure"), 1));
        QCOMPARE(resolved.outcome(), wire::PushResult::ACCEPTED);
        QCOMPARE(resolved.revision(), 2u);
        pull(QStringLiteral("rob.reception@tablet-1"));
        const auto final
            = cached(QStringLiteral("rob.reception@tablet-1"), QStringLiteral("C004"), dm, autumn1);
        QCOMPARE(final->judgement(), std::string("secure"));
        QCOMPARE(final->history_size(), 3);
    }

    void rulesRefuse_data()
    {
        QTest::addColumn<QString>("device");
        QTest::addColumn<QString>("child");
        QTest::addColumn<QString>("itemKey");
        QTest::addColumn<QString>("halfTerm");
        QTest::addColumn<QString>("judgement");
        QTest::addColumn<QString>("reason");
        QTest::newRow("parent") << "alex.brown@phone"
                                << "C003"
                                << "CL-ELG-01" << autumn1 << "expected"
                                << "only staff can record assessments";
        QTest::newRow("admin") << "ian.admin@office"
                               << "C003"
                               << "CL-ELG-01" << autumn1 << "expected"
                               << "only staff can record assessments";
        QTest::newRow("another class") << "nina.nursery@tablet"
                                       << "C003"
                                       << "CL-ELG-01" << autumn1 << "expected"
                                       << "child C003 is not in a class you are assigned to";
        QTest::newRow("judgement not on the scale")
            << "rob.reception@tablet-1"
            << "C003"
            << "CL-ELG-01" << autumn1 << "secure"
            << "\"secure\" is not a judgement for CL-ELG-01 (use one of: emerging, expected)";
        QTest::newRow("area is not assessed") << "rob.reception@tablet-1"
                                              << "C003"
                                              << "CL" << autumn1 << "expected"
                                              << "CL is not assessed (it has no judgement scale)";
        QTest::newRow("unknown item") << "rob.reception@tablet-1"
                                      << "C003"
                                      << "CL-ELG-09" << autumn1 << "expected"
                                      << "CL-ELG-09 is not an item of the school's EYFS framework";
        QTest::newRow("not a half term")
            << "rob.reception@tablet-1"
            << "C003"
            << "CL-ELG-01"
            << "2026-10-22"
            << "expected"
            << "2026-10-22 is not the last day of a half term in the school calendar";
        QTest::newRow("unknown child") << "rob.reception@tablet-1"
                                       << "C999"
                                       << "CL-ELG-01" << autumn1 << "expected"
                                       << "there is no child with reference C999";
    }

    void rulesRefuse()
    {
        QFETCH(QString, device);
        QFETCH(QString, child);
        QFETCH(QString, itemKey);
        QFETCH(QString, halfTerm);
        QFETCH(QString, judgement);
        QFETCH(QString, reason);
        const auto r = push(device, item(child, itemKey, halfTerm, judgement, 0));
        QCOMPARE(r.outcome(), wire::PushResult::REJECTED);
        QCOMPARE(QString::fromStdString(r.reason()), reason);
    }

    void staffSeeOnlyTheirClasses()
    {
        QCOMPARE(push(QStringLiteral("nina.nursery@tablet"),
                     item(QStringLiteral("C001"), QStringLiteral("PSED-DM-34"), autumn1,
                         QStringLiteral("on-track"), 0))
                     .outcome(),
            wire::PushResult::ACCEPTED);
        pull(QStringLiteral("nina.nursery@tablet"));
        const auto &nina = m_devices[QStringLiteral("nina.nursery@tablet")].assessments;
        QCOMPARE(nina.size(), 1);
        QVERIFY(nina.contains(QStringLiteral("C001|PSED-DM-34|%1").arg(autumn1)));
        pull(QStringLiteral("lee.lead@office"));
        QCOMPARE(m_devices[QStringLiteral("lee.lead@office")].assessments.size(), 3);
        pull(QStringLiteral("ian.admin@office"));
        QCOMPARE(m_devices[QStringLiteral("ian.admin@office")].assessments.size(), 0);
    }

    void parentsSeeNothingUntilTheSchoolSaysSo()
    {
        pull(QStringLiteral("alex.brown@phone"));
        QCOMPARE(m_devices[QStringLiteral("alex.brown@phone")].assessments.size(), 0);
        // Even after the half term is released.
        m_clock->setNowMs(at(2026, 10, 23, 16, 1));
        pull(QStringLiteral("alex.brown@phone"));
        QCOMPARE(m_devices[QStringLiteral("alex.brown@phone")].assessments.size(), 0);
        m_clock->setNowMs(at(2026, 10, 5, 9));
        pull(QStringLiteral("alex.brown@phone"));
    }

    void parentsSeeReleasedAssessmentsOnceVisible()
    {
        const QString alex = QStringLiteral("alex.brown@phone");
        QVERIFY(m_store->setAssessmentsVisibleToParents(true));
        const int resetsBefore = m_devices[alex].resets;
        pull(alex);
        QCOMPARE(m_devices[alex].resets, resetsBefore + 1); // visibility changed: a new set
        // Nursery is live: Ava's judgement shows at once; Reception waits for 23 October 16:00.
        QCOMPARE(m_devices[alex].assessments.size(), 1);
        const auto ava
            = cached(alex, QStringLiteral("C001"), QStringLiteral("PSED-DM-34"), autumn1);
        QVERIFY(ava);
        QCOMPARE(ava->judgement(), std::string("on-track"));
        // Parents see the judgement, never who made it or its history.
        QVERIFY(ava->by_username().empty());
        QVERIFY(ava->by_name().empty());
        QCOMPARE(ava->history_size(), 0);

        // Just before the release moment: still withheld.
        m_clock->setNowMs(at(2026, 10, 23, 15, 59));
        pull(alex);
        QVERIFY(!cached(alex, QStringLiteral("C003"), QStringLiteral("CL-ELG-02"), autumn1));
        // The half term is released with no edit: Cal's judgement arrives.
        m_clock->setNowMs(at(2026, 10, 23, 16, 0));
        pull(alex);
        const auto cal = cached(alex, QStringLiteral("C003"), QStringLiteral("CL-ELG-02"), autumn1);
        QVERIFY(cal);
        QCOMPARE(cal->judgement(), std::string("expected"));
        QCOMPARE(cal->revision(), 2u);
        QCOMPARE(m_devices[alex].assessments.size(), 2);
        // Another family never sees Cal's or Ava's; Ravi sees Dev's, now released.
        pull(QStringLiteral("ravi.shah@phone"));
        const auto &ravi = m_devices[QStringLiteral("ravi.shah@phone")].assessments;
        QCOMPARE(ravi.size(), 1);
        QVERIFY(ravi.contains(QStringLiteral("C004|M-DM-R|%1").arg(autumn1)));
        QCOMPARE(ravi.constBegin()->history_size(), 0);

        // An amendment after release reaches the parent as a change.
        const auto amend = push(QStringLiteral("rob.reception@tablet-1"),
            item(QStringLiteral("C003"), QStringLiteral("CL-ELG-02"), autumn1,
                QStringLiteral("emerging"), 2));
        QCOMPARE(amend.outcome(), wire::PushResult::ACCEPTED);
        const int resets = m_devices[alex].resets;
        QCOMPARE(pull(alex), 1);
        QCOMPARE(m_devices[alex].resets, resets); // a change, not a new set
        QCOMPARE(
            cached(alex, QStringLiteral("C003"), QStringLiteral("CL-ELG-02"), autumn1)->judgement(),
            std::string("emerging"));

        // Autumn 2 judgements wait for Autumn 2's release.
        QCOMPARE(push(QStringLiteral("rob.reception@tablet-1"),
                     item(QStringLiteral("C003"), QStringLiteral("L-ELG-03"), autumn2,
                         QStringLiteral("expected"), 0))
                     .outcome(),
            wire::PushResult::ACCEPTED);
        pull(alex);
        QVERIFY(!cached(alex, QStringLiteral("C003"), QStringLiteral("L-ELG-03"), autumn2));
        // Still withheld on the morning of Autumn 2's last day ...
        m_clock->setNowMs(at(2026, 12, 18, 12));
        pull(alex);
        QVERIFY(!cached(alex, QStringLiteral("C003"), QStringLiteral("L-ELG-03"), autumn2));
        // ... until the lead releases the class early (the school closes at noon).
        auto released = m_service->releaseClass(
            QStringLiteral("Reception"), {}, QStringLiteral("lee.lead"), QStringLiteral("office"));
        QVERIFY2(released.ok(), qPrintable(released.error()));
        pull(alex);
        QVERIFY(cached(alex, QStringLiteral("C003"), QStringLiteral("L-ELG-03"), autumn2));
    }

    void turningVisibilityOffWithdrawsThem()
    {
        const QString alex = QStringLiteral("alex.brown@phone");
        QVERIFY(!m_devices[alex].assessments.isEmpty());
        QVERIFY(m_store->setAssessmentsVisibleToParents(false));
        pull(alex);
        QCOMPARE(m_devices[alex].assessments.size(), 0);
        // Staff are not affected.
        pull(QStringLiteral("lee.lead@office"));
        QCOMPARE(m_devices[QStringLiteral("lee.lead@office")].assessments.size(), 4);
    }

    // The device side: judgements recorded offline wait in the device's outbox, go when the
    // server can be reached, and a conflict stays on the device (and in the server's history)
    // until someone decides; the real client engine and device store.
    void deviceOutboxWaitsSendsAndKeepsConflicts()
    {
        const QString half = autumn2;
        client::ClientStore &tablet = engineDevice(QStringLiteral("rob-tablet"));
        client::ClientStore &office = engineDevice(QStringLiteral("lee-office"));
        QVERIFY(tablet.queueAssessment(edit(QStringLiteral("C004"), QStringLiteral("PD-ELG-01"),
            half, QStringLiteral("expected"), 0)));

        // Offline: nothing answers on this port; the judgement stays queued.
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        QCOMPARE(engineSync(tablet, QStringLiteral("rob.reception"), closedPort),
            client::SyncError::Unreachable);
        QCOMPARE(tablet.assessmentOutbox().size(), 1);
        QCOMPARE(tablet.assessmentOutbox().at(0).state, QStringLiteral("pending"));

        // Meanwhile the lead judges the same thing from the office, online.
        QVERIFY(office.queueAssessment(edit(QStringLiteral("C004"), QStringLiteral("PD-ELG-01"),
            half, QStringLiteral("emerging"), 0)));
        client::SyncReport report;
        QCOMPARE(engineSync(office, QStringLiteral("lee.lead"), m_server->serverPort(), &report),
            client::SyncError::None);
        QCOMPARE(report.assessmentsAccepted, 1);
        QVERIFY(office.assessmentOutbox().isEmpty());

        // The tablet comes back online: a conflict, kept on the tablet and on the server.
        QCOMPARE(
            engineSync(tablet, QStringLiteral("rob.reception"), m_server->serverPort(), &report),
            client::SyncError::None);
        QCOMPARE(report.assessmentConflicts, 1);
        QCOMPARE(tablet.assessmentOutbox().size(), 1);
        QCOMPARE(tablet.assessmentOutbox().at(0).state, QStringLiteral("conflict"));
        QCOMPARE(QString::fromStdString(tablet.assessmentOutbox().at(0).assessment.judgement()),
            QStringLiteral("expected"));
        std::optional<wire::Assessment> current;
        for (const wire::Assessment &a : tablet.assessments(QStringLiteral("C004"))) {
            if (a.item_key() == "PD-ELG-01")
                current = a;
        }
        QVERIFY(current);
        QCOMPARE(current->judgement(), std::string("emerging"));
        QCOMPARE(current->history_size(), 2);
        QVERIFY(current->history(1).conflict());
        QCOMPARE(current->history(1).judgement(), std::string("expected"));
        // Syncing again does not send the conflict again.
        QCOMPARE(
            engineSync(tablet, QStringLiteral("rob.reception"), m_server->serverPort(), &report),
            client::SyncError::None);
        QCOMPARE(report.assessmentConflicts, 0);

        // The practitioner decides, on the revision they now see: accepted, outbox empty.
        QVERIFY(tablet.queueAssessment(edit(QStringLiteral("C004"), QStringLiteral("PD-ELG-01"),
            half, QStringLiteral("expected"), current->revision())));
        QCOMPARE(tablet.assessmentOutbox().size(), 1); // the new edit replaced the conflict
        QCOMPARE(
            engineSync(tablet, QStringLiteral("rob.reception"), m_server->serverPort(), &report),
            client::SyncError::None);
        QCOMPARE(report.assessmentsAccepted, 1);
        QVERIFY(tablet.assessmentOutbox().isEmpty());
        QCOMPARE(engineSync(office, QStringLiteral("lee.lead"), m_server->serverPort(), &report),
            client::SyncError::None);
        for (const wire::Assessment &a : office.assessments(QStringLiteral("C004"))) {
            if (a.item_key() == "PD-ELG-01") {
                QCOMPARE(a.judgement(), std::string("expected"));
                QCOMPARE(a.revision(), 2u);
                QCOMPARE(a.history_size(), 3);
            }
        }

        // A refused judgement stays on the device with the reason, never silently dropped.
        QVERIFY(tablet.queueAssessment(edit(QStringLiteral("C004"), QStringLiteral("PD-ELG-02"),
            half, QStringLiteral("secure"), 0)));
        QCOMPARE(
            engineSync(tablet, QStringLiteral("rob.reception"), m_server->serverPort(), &report),
            client::SyncError::None);
        QCOMPARE(report.assessmentsRefused, 1);
        QCOMPARE(tablet.assessmentOutbox().at(0).state, QStringLiteral("refused"));
        QVERIFY(
            tablet.assessmentOutbox().at(0).reason.contains(QStringLiteral("emerging, expected")));
    }
};

QTEST_GUILESS_MAIN(TestAssessmentsOverTls)
#include "tst_assessments_tls.moc"
