#include "schoolfixture.h"
#include "clientstore.h"
#include "clock.h"
#include "crypto.h"
#include "mediapipeline.h"
#include "mediastore.h"
#include "schoolimporter.h"
#include "serverstore.h"
#include "syncengine.h"
#include "syncserver.h"
#include "syncservice.h"
#include "testserver.h"
#include "tlspin.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>
#include <QUuid>

#include "certificategenerator.h"

using namespace acorn;
using namespace acorn::server;
using namespace acorn::client;

// The safeguarding rules over the real protocol: the real SyncServer on 127.0.0.1 with a
// real TLS handshake and pinning, the real client SyncEngine and device store, and a clock
// the test moves (the one thing a real deployment cannot do). Covers release propagation
// without edits, early release by a lead, tombstones for deletion and return to draft,
// consent rejection and media withheld for other children.
class TestRulesOverTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ServerStore> m_store;
    std::unique_ptr<MediaStore> m_media;
    std::unique_ptr<SyncService> m_service;
    std::unique_ptr<SyncServer> m_server;
    QString m_pin;
    QHash<QString, std::shared_ptr<ClientStore>> m_devices;
    QString m_photo;

    const QTimeZone london{"Europe/London"};
    qint64 at(int y, int m, int d, int h, int min = 0) const
    {
        return QDateTime(QDate(y, m, d), QTime(h, min), london).toMSecsSinceEpoch();
    }

    ClientStore &device(const QString &user)
    {
        if (!m_devices.contains(user)) {
            auto s = ClientStore::open(m_dir.filePath(QStringLiteral("devices/%1/acorn.db").arg(user)), client::DataKey::generate());
            if (!s.ok())
                qFatal("cannot open the device store: %s", qPrintable(s.error()));
            m_devices.insert(user, std::shared_ptr<ClientStore>(std::move(s).value()));
        }
        return *m_devices.value(user);
    }

    // One real sync over TLS; returns the engine's error.
    SyncError sync(const QString &user, SyncReport *report = nullptr, const QString &pin = {})
    {
        SyncOptions o;
        o.host = QStringLiteral("127.0.0.1");
        o.port = m_server->serverPort();
        o.pin = pin.isEmpty() ? m_pin : pin;
        o.username = user;
        o.password = QStringLiteral("pass-%1").arg(user);
        SyncEngine engine(device(user), o);
        QEventLoop loop;
        connect(&engine, &SyncEngine::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        engine.start();
        loop.exec();
        if (report)
            *report = engine.report();
        return engine.error();
    }

    QStringList journalIds(const QString &user)
    {
        QStringList ids;
        for (const auto &o : device(user).journal())
            ids.append(QString::fromStdString(o.id()));
        ids.sort();
        return ids;
    }

    std::optional<wire::Observation> cached(const QString &user, const QString &id)
    {
        return device(user).cached(id);
    }

    // Queues an observation on a staff device; returns its id.
    QString queue(const QString &staff, const QStringList &children, qint64 observedAt, const QString &text,
                  bool withPhoto = false, wire::ObservationState state = wire::PUBLISHED)
    {
        wire::Observation o;
        o.set_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
        o.set_observed_at_ms(observedAt);
        for (const QString &c : children)
            o.add_child_refs(c.toStdString());
        o.set_text(text.toStdString());
        o.set_staff_note("NOTE-FOR-STAFF");
        o.set_state(state);
        QList<OutboxMedia> media;
        if (withPhoto) {
            MediaPipeline pipeline(m_dir.filePath(QStringLiteral("devices/%1/outbox").arg(staff)),
                device(staff).dataKey());
            auto p = pipeline.preparePhoto(m_photo);
            if (!p.ok())
                qFatal("cannot prepare the photo: %s", qPrintable(p.error()));
            *o.add_media() = p->toWire();
            const QString id = QString::fromStdString(o.id());
            media.append({p->mediaId, id, wire::ORIGINAL, p->originalPath, p->size, p->sha256, false});
            media.append({p->mediaId, id, wire::THUMBNAIL, p->thumbnailPath, p->thumbnailSize, p->thumbnailSha256, false});
        }
        OutboxItem item;
        item.observation = o;
        item.changeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        item.queuedAt = m_clock->nowMs();
        if (!device(staff).queue(item, media).ok())
            qFatal("cannot queue");
        return QString::fromStdString(o.id());
    }

    // Queues an edit of a synced observation.
    void edit(const QString &staff, const QString &id, const std::function<void(wire::Observation &)> &change)
    {
        auto o = device(staff).cached(id);
        if (!o)
            qFatal("no cached copy of %s", qPrintable(id));
        const quint64 base = o->revision();
        change(*o);
        OutboxItem item;
        item.observation = *o;
        item.baseRevision = base;
        item.changeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        item.queuedAt = m_clock->nowMs();
        if (!device(staff).queue(item, {}).ok())
            qFatal("cannot queue the edit");
    }

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
        const QString cert = m_dir.filePath(QStringLiteral("tls/cert.pem"));
        const QString key = m_dir.filePath(QStringLiteral("tls/key.pem"));
        QVERIFY(CertificateGenerator::generate({cert, key}, {QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}));
        auto tls = loadServerTls(cert, key);
        QVERIFY(tls.ok());
        QFile certFile(cert);
        QVERIFY(certFile.open(QIODevice::ReadOnly));
        m_pin = tls::spkiFingerprint(certFile.readAll()).value();
        m_server = std::make_unique<SyncServer>(*m_service, tls.value());
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));

        QImage img(800, 600, QImage::Format_RGB32);
        img.fill(Qt::darkGreen);
        m_photo = m_dir.filePath(QStringLiteral("photo.jpg"));
        QVERIFY(img.save(m_photo));
    }

    void wrongPinIsRefused()
    {
        QString wrong = m_pin;
        wrong[5] = wrong[5] == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
        QCOMPARE(sync(QStringLiteral("alex.brown"), nullptr, wrong), SyncError::Tls);
    }

    void halfTermReleasePropagatesWithoutAnyEdit()
    {
        // Reception observation in Autumn 1: withheld until 23 October 16:00.
        const QString id = queue(QStringLiteral("rob.reception"), {QStringLiteral("C003")}, at(2026, 10, 5, 10),
                                 QStringLiteral("Cal wrote his name"));
        QCOMPARE(sync(QStringLiteral("rob.reception")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("alex.brown")).contains(id));

        // One minute before the release moment: still withheld.
        m_clock->setNowMs(at(2026, 10, 23, 15, 59));
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("alex.brown")).contains(id));

        // The moment passes; nothing is edited; the cursor is already past the change.
        m_clock->setNowMs(at(2026, 10, 23, 16, 0));
        SyncReport report;
        QCOMPARE(sync(QStringLiteral("alex.brown"), &report), SyncError::None);
        QVERIFY(journalIds(QStringLiteral("alex.brown")).contains(id));
        QCOMPARE(report.received, 1);
        QVERIFY(cached(QStringLiteral("alex.brown"), id)->staff_note().empty());
        // The other family never sees it.
        QCOMPARE(sync(QStringLiteral("ravi.shah")), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("ravi.shah")).contains(id));
    }

    void holidayObservationWaitsForTheNextHalfTerm()
    {
        const QString id = queue(QStringLiteral("rob.reception"), {QStringLiteral("C003")}, at(2026, 10, 28, 11),
                                 QStringLiteral("Holiday club painting"));
        QCOMPARE(sync(QStringLiteral("rob.reception")), SyncError::None);
        m_clock->setNowMs(at(2026, 11, 3, 9));
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("alex.brown")).contains(id));
        m_clock->setNowMs(at(2026, 12, 18, 16, 1));
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(journalIds(QStringLiteral("alex.brown")).contains(id));
    }

    void earlyReleaseByTheLeadPropagates()
    {
        m_clock->setNowMs(at(2027, 1, 20, 10)); // Spring 1
        const QString id = queue(QStringLiteral("rob.reception"), {QStringLiteral("C003")}, at(2027, 1, 12, 10),
                                 QStringLiteral("Cal counted to twenty"));
        QCOMPARE(sync(QStringLiteral("rob.reception")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("alex.brown")).contains(id));

        // A practitioner may not release; the lead may, over the protocol.
        auto releaseAs = [&](const QString &user) {
            SyncOptions o;
            o.host = QStringLiteral("127.0.0.1");
            o.port = m_server->serverPort();
            o.pin = m_pin;
            o.username = user;
            o.password = QStringLiteral("pass-%1").arg(user);
            o.push = o.pull = false;
            SyncEngine engine(device(user), o);
            QEventLoop loop;
            connect(&engine, &SyncEngine::finished, &loop, &QEventLoop::quit);
            engine.start();
            loop.exec();
            wire::Frame f;
            f.mutable_release()->set_class_name("Reception");
            f.mutable_release()->set_through_date("2027-01-15");
            wire::Frame reply;
            engine.connection()->request(f, [&](const wire::Frame &r) {
                reply = r;
                loop.quit();
            });
            loop.exec();
            return reply;
        };
        QVERIFY(releaseAs(QStringLiteral("rob.reception")).has_error());
        const wire::Frame ok = releaseAs(QStringLiteral("lee.lead"));
        QVERIFY2(ok.has_release_reply(), ok.error().message().c_str());

        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(journalIds(QStringLiteral("alex.brown")).contains(id));
        // Observations after the early-release date stay withheld.
        const QString later = queue(QStringLiteral("rob.reception"), {QStringLiteral("C003")}, at(2027, 1, 18, 10),
                                    QStringLiteral("After the early release"));
        QCOMPARE(sync(QStringLiteral("rob.reception")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("alex.brown")).contains(later));
        // The release is in the audit log with who did it.
        bool audited = false;
        for (const auto &e : m_store->auditSince(0))
            audited = audited || (e.action == QLatin1String("release") && e.actor == QLatin1String("lee.lead"));
        QVERIFY(audited);
    }

    void liveClassAmendDeleteAndDraftTombstones()
    {
        const QString id = queue(QStringLiteral("nina.nursery"), {QStringLiteral("C001")}, m_clock->nowMs(),
                                 QStringLiteral("Ava at the water tray"));
        QCOMPARE(sync(QStringLiteral("nina.nursery")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(journalIds(QStringLiteral("alex.brown")).contains(id));

        edit(QStringLiteral("nina.nursery"), id, [](wire::Observation &o) { o.set_text("Ava poured water carefully"); });
        QCOMPARE(sync(QStringLiteral("nina.nursery")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QCOMPARE(cached(QStringLiteral("alex.brown"), id)->text(), std::string("Ava poured water carefully"));
        QCOMPARE(cached(QStringLiteral("alex.brown"), id)->revision(), 2u);

        edit(QStringLiteral("nina.nursery"), id, [](wire::Observation &o) { o.set_state(wire::DRAFT); });
        QCOMPARE(sync(QStringLiteral("nina.nursery")), SyncError::None);
        SyncReport r;
        QCOMPARE(sync(QStringLiteral("alex.brown"), &r), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("alex.brown")).contains(id));
        QCOMPARE(r.removed, 1);

        edit(QStringLiteral("nina.nursery"), id, [](wire::Observation &o) { o.set_state(wire::PUBLISHED); });
        QCOMPARE(sync(QStringLiteral("nina.nursery")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(journalIds(QStringLiteral("alex.brown")).contains(id));

        edit(QStringLiteral("nina.nursery"), id, [](wire::Observation &o) { o.set_deleted(true); });
        QCOMPARE(sync(QStringLiteral("nina.nursery")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("alex.brown")).contains(id));
        QCOMPARE(sync(QStringLiteral("sam.brown")), SyncError::None); // the second guardian too
        QVERIFY(!journalIds(QStringLiteral("sam.brown")).contains(id));
    }

    void untaggingAChildRemovesItFromThatFamily()
    {
        const QString id = queue(QStringLiteral("nina.nursery"), {QStringLiteral("C001"), QStringLiteral("C002")},
                                 m_clock->nowMs(), QStringLiteral("Ava and Ben built a den"));
        QCOMPARE(sync(QStringLiteral("nina.nursery")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("grace.okafor")), SyncError::None);
        QVERIFY(journalIds(QStringLiteral("grace.okafor")).contains(id));
        // Grace sees her own child named, never the other family's.
        QCOMPARE(cached(QStringLiteral("grace.okafor"), id)->child_refs_size(), 1);
        QCOMPARE(cached(QStringLiteral("grace.okafor"), id)->child_refs(0), std::string("C002"));

        edit(QStringLiteral("nina.nursery"), id, [](wire::Observation &o) {
            o.clear_child_refs();
            o.add_child_refs("C001");
        });
        QCOMPARE(sync(QStringLiteral("nina.nursery")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("grace.okafor")), SyncError::None);
        QVERIFY(!journalIds(QStringLiteral("grace.okafor")).contains(id));
    }

    void consentRefusalAndWithheldMedia()
    {
        // Dev (C004) has no journal_media consent: a photo observation is refused, the
        // rest of the push is not lost.
        const QString refused = queue(QStringLiteral("rob.reception"), {QStringLiteral("C004")}, m_clock->nowMs(),
                                      QStringLiteral("Dev at the easel"), true);
        const QString fine = queue(QStringLiteral("rob.reception"), {QStringLiteral("C004")}, m_clock->nowMs(),
                                   QStringLiteral("Dev told a story"));
        SyncReport r;
        QCOMPARE(sync(QStringLiteral("rob.reception"), &r), SyncError::None);
        QCOMPARE(r.outcomes.value(refused), QStringLiteral("refused"));
        QVERIFY(r.reasons.value(refused).contains(QStringLiteral("consent")));
        QCOMPARE(r.outcomes.value(fine), QStringLiteral("accepted"));
        const auto kept = device(QStringLiteral("rob.reception")).outboxItem(refused);
        QVERIFY(kept); // kept, marked refused, not dropped
        QCOMPARE(kept->state, QStringLiteral("refused"));

        // Ben (C002) has no others_journals consent: in an observation with Ava, Ava's
        // parents get the text and a marker, and cannot fetch the photo.
        const QString shared = queue(QStringLiteral("nina.nursery"), {QStringLiteral("C001"), QStringLiteral("C002")},
                                     m_clock->nowMs(), QStringLiteral("Ava and Ben in the sandpit"), true);
        QCOMPARE(sync(QStringLiteral("nina.nursery")), SyncError::None);
        QCOMPARE(sync(QStringLiteral("alex.brown")), SyncError::None);
        const auto seenByAlex = cached(QStringLiteral("alex.brown"), shared);
        QVERIFY(seenByAlex);
        QCOMPARE(seenByAlex->media_size(), 1);
        QCOMPARE(seenByAlex->media(0).withheld(), wire::OTHER_CHILDREN);
        QVERIFY(seenByAlex->media(0).sha256().empty());
        // Ben's own parent sees the photo (Ava's family consented).
        QCOMPARE(sync(QStringLiteral("grace.okafor")), SyncError::None);
        const auto seenByGrace = cached(QStringLiteral("grace.okafor"), shared);
        QCOMPARE(seenByGrace->media(0).withheld(), wire::NOT_WITHHELD);
        QVERIFY(seenByGrace->media(0).available());

        // A direct fetch by Alex is refused.
        SyncOptions o;
        o.host = QStringLiteral("127.0.0.1");
        o.port = m_server->serverPort();
        o.pin = m_pin;
        o.username = QStringLiteral("alex.brown");
        o.password = QStringLiteral("pass-alex.brown");
        o.push = o.pull = false;
        SyncEngine engine(device(QStringLiteral("alex.brown")), o);
        QEventLoop loop;
        connect(&engine, &SyncEngine::finished, &loop, &QEventLoop::quit);
        engine.start();
        loop.exec();
        MediaDownload d(*engine.connection(), QString::fromStdString(seenByAlex->media(0).id()), wire::THUMBNAIL,
                        m_dir.filePath(QStringLiteral("alex-thumb.jpg")));
        connect(&d, &MediaDownload::finished, &loop, &QEventLoop::quit);
        d.start();
        loop.exec();
        QVERIFY(d.failed());
        QVERIFY(d.refused());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("alex-thumb.jpg"))));
    }

    void disabledAccountCannotSignIn()
    {
        QCOMPARE(sync(QStringLiteral("ravi.shah")), SyncError::None);
        const auto u = m_store->userByUsername(QStringLiteral("ravi.shah"));
        QVERIFY(m_store->setUserState(u->id, QStringLiteral("disabled")));
        QVERIFY(m_store->revokeSessionsOfUser(u->id, m_clock->nowMs()));
        QCOMPARE(sync(QStringLiteral("ravi.shah")), SyncError::Authentication);
    }

    void cleanupTestCase()
    {
        m_server.reset();
        m_service.reset();
    }
};

QTEST_GUILESS_MAIN(TestRulesOverTls)
#include "tst_rules_tls.moc"
