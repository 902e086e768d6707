#include "clientstore.h"
#include "faultproxy.h"
#include "mediapipeline.h"
#include "observationqueue.h"
#include "syncengine.h"
#include "syncscheduler.h"
#include "testserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>
#include <QTimer>

using namespace acorn;
using namespace acorn::client;
using namespace acorn::test;

// Network faults between a staff device and a real acorn-server: a fault-injecting TCP
// proxy on loopback (tests/support/faultproxy.*) drops connections at every TLS record
// boundary (where frames end), mid-chunk at random byte counts, resets them during the TLS
// handshake, and delays everything. The device is the real client core: a ClientStore, the
// ObservationQueue and the SyncScheduler retrying by itself (short back-off for the test).
// Each scenario must converge with no manual step: the outbox empties and the server holds
// each observation once, each photo with the device's bytes. The randomness is seeded
// (printed; ACORN_FAULT_SEED repeats a run).
class TestNetworkFaults : public QObject
{
    Q_OBJECT

    TestServer m_server;
    quint32 m_seed = 0;
    QRandomGenerator m_rng;
    QString m_photo;
    QByteArray m_token;
    int m_device = 0;

    static QString password() { return QStringLiteral("correct horse 1"); }

    SyncOptions options(quint16 port) const
    {
        SyncOptions o;
        o.host = QStringLiteral("127.0.0.1");
        o.port = port;
        o.pin = m_server.fingerprint();
        o.username = QStringLiteral("nina.nursery");
        o.kind = wire::CLIENT_KIND_STAFF;
        o.deviceName = QStringLiteral("fault-test");
        return o;
    }

    struct Device
    {
        QString dir;
        std::unique_ptr<ClientStore> store;
        QStringList ids;
        QHash<QString, QString> photoSha; // media id -> SHA-256 hex of the device's file
    };

    // A new device, signed in once directly (the roster cached), with two observations
    // with a photo each and one without, saved in its outbox.
    std::unique_ptr<Device> newDevice()
    {
        auto d = std::make_unique<Device>();
        d->dir = m_server.scratch() + QStringLiteral("/device%1").arg(++m_device);
        auto store = ClientStore::open(d->dir + QStringLiteral("/acorn.db"), client::DataKey::generate());
        if (!store)
            return nullptr;
        d->store = std::move(store).value();
        SyncOptions o = options(m_server.port());
        o.password = password();
        SyncEngine first(*d->store, o);
        QEventLoop loop;
        connect(&first, &SyncEngine::finished, &loop, &QEventLoop::quit);
        first.start();
        loop.exec();
        if (first.error() != SyncError::None) {
            qWarning("sign-in failed: %s", qPrintable(first.errorString()));
            return nullptr;
        }
        m_token = first.report().newToken;
        ObservationQueue queue(*d->store, d->dir + QStringLiteral("/outbox"));
        for (int i = 0; i < 3; ++i) {
            QList<PreparedMedia> media;
            if (i < 2) {
                auto p = queue.pipeline().preparePhoto(m_photo);
                if (!p)
                    return nullptr;
                media.append(p.value());
                d->photoSha.insert(p.value().mediaId, QString::fromLatin1(p.value().sha256.toHex()));
            }
            wire::Observation obs;
            obs.add_child_refs(i == 1 ? "C002" : "C001");
            obs.set_text(QStringLiteral("Network fault %1 #%2").arg(m_device).arg(i).toStdString());
            obs.set_state(wire::PUBLISHED);
            for (const PreparedMedia &m : std::as_const(media))
                *obs.add_media() = m.toWire();
            auto id = queue.saveNew(obs, media);
            if (!id) {
                qWarning("save failed: %s", qPrintable(id.error()));
                return nullptr;
            }
            d->ids.append(id.value());
        }
        return d;
    }

    // The device's own scheduler, through the proxy, until its outbox is empty (bounded).
    bool syncThrough(Device &d, FaultProxy &proxy, int *attempts)
    {
        SyncOptions o = options(proxy.port());
        o.token = m_token;
        SyncScheduler scheduler(*d.store, o);
        scheduler.setRetryDelays({10, 50, 100});
        scheduler.setInterval(0);
        *attempts = 0;
        connect(&scheduler, &SyncScheduler::stateChanged, this, [&] {
            if (scheduler.state() == SyncScheduler::State::Syncing)
                ++*attempts;
        });
        scheduler.start();
        scheduler.syncNow();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 120000) {
            QEventLoop loop;
            QTimer::singleShot(20, &loop, &QEventLoop::quit);
            loop.exec();
            if (scheduler.state() == SyncScheduler::State::SignInNeeded
                || scheduler.state() == SyncScheduler::State::FingerprintChanged) {
                qWarning("the device stopped: %s", qPrintable(scheduler.errorString()));
                return false;
            }
            if (scheduler.state() == SyncScheduler::State::Idle && scheduler.lastError() == SyncError::None
                && d.store->outbox().isEmpty())
                return true;
        }
        qWarning("no convergence in 120 s: %s", qPrintable(scheduler.errorString()));
        return false;
    }

    // What the server holds, seen by a lead over a direct connection.
    void checkServer(const Device &d, const QString &label)
    {
        const QString lead = m_server.scratch() + QStringLiteral("/lead-") + label;
        QCOMPARE(runCli(m_server, lead, QStringLiteral("lee.lead"), password(), {QStringLiteral("sync")}).exitCode, 0);
        const QJsonArray journal
            = QJsonDocument::fromJson(runCli(m_server, lead, QStringLiteral("lee.lead"), {}, {QStringLiteral("journal")}).out)
                  .array();
        for (const QString &id : d.ids) {
            int copies = 0;
            for (const QJsonValue &v : journal) {
                const QJsonObject o = v.toObject();
                if (o.value(QStringLiteral("id")).toString() != id)
                    continue;
                ++copies;
                for (const QJsonValue &m : o.value(QStringLiteral("media")).toArray()) {
                    const QJsonObject mo = m.toObject();
                    const QString mediaId = mo.value(QStringLiteral("id")).toString();
                    QCOMPARE(mo.value(QStringLiteral("sha256")).toString(), d.photoSha.value(mediaId));
                    QVERIFY2(mo.value(QStringLiteral("available")).toBool(), qPrintable(mediaId));
                    const QString out = lead + QStringLiteral("/") + mediaId + QStringLiteral(".jpg");
                    const CliResult r = runCli(m_server, lead, QStringLiteral("lee.lead"), password(),
                                               {QStringLiteral("media"), mediaId, QStringLiteral("--out"), out});
                    QVERIFY2(r.exitCode == 0, r.err.constData());
                    QCOMPARE(fileSha256(out), d.photoSha.value(mediaId));
                }
            }
            QCOMPARE(copies, 1);
        }
    }

    void runScenario(const QString &label, const std::function<void(FaultProxy &)> &faults, bool expectResets = false)
    {
        auto d = newDevice();
        QVERIFY(d);
        FaultProxy proxy(m_server.port());
        QVERIFY(proxy.listen());
        faults(proxy);
        int attempts = 0;
        QVERIFY(syncThrough(*d, proxy, &attempts));
        qInfo("%s: converged after %d attempts over %d connections, %d cut (%d reset)", qPrintable(label), attempts,
              proxy.connections(), proxy.cuts(), proxy.resets());
        if (expectResets)
            QVERIFY(proxy.resets() > 0);
        checkServer(*d, label);
    }

private slots:
    void initTestCase()
    {
        m_seed = faultSeed();
        m_rng.seed(m_seed);
        qInfo("seed %u (ACORN_FAULT_SEED=%u repeats this run)", m_seed, m_seed);
        QVERIFY(m_server.init(smallSchoolJson()));
        for (const char *u : {"nina.nursery", "lee.lead"})
            QVERIFY(m_server.setPassword(QLatin1String(u), password()));
        QVERIFY(m_server.start());
        // Noise stays large as JPEG: each photo spans two or three 1 MiB chunks.
        m_photo = writeNoisyPhoto(m_server.scratch() + QStringLiteral("/noise.jpg"), m_seed, 1800, 1200);
        QVERIFY(!m_photo.isEmpty());
    }

    void droppedAtEveryMessageBoundary()
    {
        // Connection k is cut after k TLS records (both directions counted): the first 60
        // connections stop at each boundary of the handshake, sign-in, push and the first
        // upload chunks in turn; later ones advance 24 records at a time.
        runScenario(QStringLiteral("boundaries"), [&](FaultProxy &p) {
            p.setCutAfterRecords([](int k) { return k <= 60 ? k : 60 + (k - 60) * 24; });
        });
    }

    void droppedMidChunk()
    {
        // Each connection cut after a random number of client bytes (64 KB to 1.5 MB): in
        // the middle of chunks, frames and TLS records.
        const quint32 base = m_rng.generate();
        runScenario(QStringLiteral("mid-chunk"), [base](FaultProxy &p) {
            p.setCutAfterClientBytes([base](int k) {
                QRandomGenerator r(base + static_cast<quint32>(k));
                return k <= 40 ? static_cast<qint64>(r.bounded(64 * 1024, 1500 * 1024)) : qint64(-1);
            });
        });
    }

    void resetDuringTlsHandshake()
    {
        // The first four connections are reset half-way through the server's first flight.
        runScenario(
            QStringLiteral("handshake-reset"),
            [](FaultProxy &p) { p.setResetInHandshake([](int k) { return k <= 4; }); }, true);
    }

    void delayedAndCut()
    {
        // Every piece held 30 ms each way, and the first three connections cut mid-upload.
        runScenario(QStringLiteral("delayed"), [](FaultProxy &p) {
            p.setDelayMs(30);
            p.setCutAfterClientBytes([](int k) { return k <= 3 ? qint64(900 * 1024 * k) : qint64(-1); });
        });
    }
};

QTEST_GUILESS_MAIN(TestNetworkFaults)
#include "tst_network_faults.moc"
