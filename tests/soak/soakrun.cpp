#include "soakrun.h"

#include "crypto.h"
#include "datadir.h"
#include "mediastore.h"
#include "memorywatch.h"
#include "parentdevice.h"
#include "processstats.h"
#include "soakcontext.h"
#include "soakschool.h"
#include "staffdevice.h"
#include "syncgate.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QImage>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

namespace acorn::soak {

using M = fixture::SchoolModel;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

// Runs the event loop until `done` holds or `timeoutMs` passed; true if it held.
bool waitUntil(const std::function<bool()> &done, qint64 timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() >= timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// The "camera" picture: a soft gradient, 320 x 240, made once.
QImage makePicture()
{
    QImage image(320, 240, QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(x, y, qRgb(x * 255 / image.width(), y * 255 / image.height(), 140));
    }
    return image;
}

QString ms(double v)
{
    return QStringLiteral("%1 ms").arg(v, 0, 'f', 0);
}

// A fresh device of `username` pulls everything it may see; the engine stays signed in
// for follow-up requests. Empty on success, else why not.
QString fullPull(SoakContext &ctx, const QString &dir, const SoakSchool::Device &d,
    std::unique_ptr<client::ClientStore> &store, std::unique_ptr<client::SyncEngine> &engine,
    bool *timedOut)
{
    auto opened = openProfile(dir);
    if (!opened)
        return opened.error();
    store = std::move(opened).value();
    engine = std::make_unique<client::SyncEngine>(
        *store, ctx.options(wire::CLIENT_KIND_STAFF, d.username, d.token));
    bool finished = false;
    QObject::connect(engine.get(), &client::SyncEngine::finished, engine.get(),
        [&finished] { finished = true; });
    engine->start();
    if (!waitUntil([&] { return finished; }, 60000)) {
        *timedOut = true;
        return QStringLiteral("the full pull of %1 did not finish in 60 s").arg(d.username);
    }
    if (engine->error() != client::SyncError::None)
        return QStringLiteral("the full pull of %1 failed: %2")
            .arg(d.username, engine->errorString());
    return {};
}

QMap<QString, wire::Observation> heldBy(client::ClientStore &store)
{
    QMap<QString, wire::Observation> held;
    for (const wire::Observation &o : store.journal())
        held.insert(QString::fromStdString(o.id()), o);
    return held;
}

} // namespace

int runSoak(const SoakOptions &opt)
{
    out() << "Soak: " << opt.devices << " staff devices, " << opt.parents << " parents, "
          << opt.seconds << " s, at most " << opt.maxSyncsAtOnce << " syncs at once\n"
          << "seed " << opt.seed << " (--seed " << opt.seed << " or ACORN_SOAK_SEED=" << opt.seed
          << " repeats the schedule)\n";
    out().flush();
    if (opt.devices < 1 || opt.parents < 1 || opt.seconds < 4) {
        out() << "FAILED: need at least one device, one parent and four seconds\n";
        return 2;
    }

    QElapsedTimer setup;
    setup.start();
    test::TestServer server;
    SoakSchool school(server, opt.devices, opt.parents);
    if (!school.error().isEmpty()) {
        out() << "FAILED: the school could not be made: " << school.error() << "\n";
        return 1;
    }
    if (!server.start()) {
        out() << "FAILED: the server did not start: " << server.log() << "\n";
        return 1;
    }
    const qint64 pid = server.pid();

    SyncGate gate(opt.maxSyncsAtOnce);
    SoakContext ctx(school.model, gate);
    ctx.port = server.port();
    ctx.pin = server.fingerprint();
    ctx.seed = opt.seed;
    ctx.picture = makePicture();

    std::vector<std::unique_ptr<StaffDevice>> devices;
    for (int i = 0; i < opt.devices; ++i) {
        const SoakSchool::Device &d = school.staffDevices[i];
        devices.push_back(std::make_unique<StaffDevice>(ctx, i + 1, d.username, d.token,
            school.childrenOf(d.username),
            server.scratch() + QStringLiteral("/staff/%1").arg(i + 1)));
        if (const QString e = devices.back()->open(); !e.isEmpty()) {
            out() << "FAILED: staff device " << i + 1 << ": " << e << "\n";
            return 1;
        }
    }
    std::vector<std::unique_ptr<ParentDevice>> parents;
    for (int i = 0; i < opt.parents; ++i) {
        const SoakSchool::Device &d = school.parents[i];
        parents.push_back(std::make_unique<ParentDevice>(ctx, i + 1, d.username, d.token,
            server.scratch() + QStringLiteral("/parents/%1").arg(i + 1)));
        if (const QString e = parents.back()->open(); !e.isEmpty()) {
            out() << "FAILED: parent device " << i + 1 << ": " << e << "\n";
            return 1;
        }
    }
    out() << "school: " << school.model.classes.size() << " classes, "
          << school.model.children.size() << " children, " << school.checkers.size()
          << " practitioner accounts; set up in " << double(setup.elapsed()) / 1000
          << " s; server pid " << pid << " on 127.0.0.1:" << ctx.port << "\n";
    out().flush();

    // ---- the run: generate for `seconds`, sampling the server's memory.
    const qint64 runMs = qint64(opt.seconds) * 1000;
    const double serverCpuStart = test::cpuSecondsOf(pid);
    const double ownCpuStart = test::cpuSecondsOf(QCoreApplication::applicationPid());
    MemoryWatch memory(pid, runMs);
    memory.start();
    for (auto &d : devices)
        d->begin();
    for (auto &p : parents)
        p->begin(int(std::min<qint64>(runMs / 2, 10000)));
    QElapsedTimer run;
    run.start();
    qint64 nextReport = std::min<qint64>(30000, runMs / 4);
    bool serverDied = false;
    while (run.elapsed() < runMs) {
        waitUntil([] { return false; }, std::min<qint64>(1000, runMs - run.elapsed()));
        if (!server.isRunning()) {
            serverDied = true;
            ctx.problem(QStringLiteral("the server process stopped during the run, after %1 s: %2")
                            .arg(run.elapsed() / 1000)
                            .arg(server.log().right(2000)));
            break;
        }
        server.log(); // keep its log pipe drained
        if (run.elapsed() >= nextReport) {
            out() << QStringLiteral(
                "  %1 s: %2 device syncs, %3 pulls, %4 syncing, %5 waiting, server RSS %6 MiB\n")
                         .arg(run.elapsed() / 1000, 4)
                         .arg(ctx.deviceSyncs)
                         .arg(ctx.pulls)
                         .arg(gate.running())
                         .arg(gate.waiting())
                         .arg(test::statusMiB(pid, "VmRSS:"), 0, 'f', 1);
            out().flush();
            nextReport += std::min<qint64>(30000, runMs / 4);
        }
    }
    ctx.generating = false;
    memory.stop();
    const qint64 generatedMs = run.elapsed();
    out() << "generation stopped after " << double(generatedMs) / 1000 << " s\n";
    out().flush();

    // ---- the end: every device syncs until its outbox is empty, bounded.
    QElapsedTimer drain;
    drain.start();
    const qint64 drainMs = qint64(opt.drainSeconds) * 1000;
    int rounds = 0;
    bool drained = false;
    while (!serverDied && drain.elapsed() < drainMs) {
        if (!waitUntil([&] { return gate.idle(); }, drainMs - drain.elapsed()))
            break;
        QList<StaffDevice *> busy;
        for (auto &d : devices) {
            if (d->hasWork())
                busy.append(d.get());
        }
        if (busy.isEmpty()) {
            drained = true;
            break;
        }
        ++rounds;
        for (StaffDevice *d : busy)
            d->sync([] {});
        // Wait for this round before looking again.
        waitUntil([&] { return gate.idle(); }, drainMs - drain.elapsed());
    }
    if (!drained) {
        for (auto &d : devices) {
            if (d->hasWork())
                ctx.problem(QStringLiteral(
                    "device %1 (%2) still has work after %3 s of syncing at the end: %4")
                                .arg(d->index())
                                .arg(d->username())
                                .arg(drain.elapsed() / 1000)
                                .arg(d->waitingReason()));
        }
    }
    out() << "outboxes " << (drained ? "empty" : "NOT empty") << " after "
          << double(drain.elapsed()) / 1000 << " s, " << rounds << " rounds of syncs\n";
    out().flush();

    // (1) Every observation a device was told is saved was accepted once, and the server
    // holds exactly the accepted versions: the lead's and each practitioner's full pull
    // into a fresh store, against the oracle.
    int savedTotal = 0;
    for (auto &d : devices) {
        savedTotal += int(d->saved().size());
        for (auto it = d->saved().cbegin(); it != d->saved().cend(); ++it) {
            if (!d->accepted().contains(it.key()))
                ctx.problem(
                    QStringLiteral("device %1: %2 was saved but the server never accepted it")
                        .arg(d->index())
                        .arg(it.key()));
        }
    }
    int journalsChecked = 0;
    std::unique_ptr<client::ClientStore> leadStore;
    std::unique_ptr<client::SyncEngine> leadEngine;
    QList<SoakSchool::Device> staffCheckers = school.checkers;
    staffCheckers.prepend(school.lead);
    for (const SoakSchool::Device &c : std::as_const(staffCheckers)) {
        std::unique_ptr<client::ClientStore> store;
        std::unique_ptr<client::SyncEngine> engine;
        bool timedOut = false;
        const QString e = fullPull(ctx, server.scratch() + QStringLiteral("/check/") + c.username,
            c, store, engine, &timedOut);
        if (!e.isEmpty()) {
            ctx.problem(e);
            if (timedOut)
                break; // the server does not answer: the other pulls would only wait as long
            continue;
        }
        const QMap<QString, wire::Observation> held = heldBy(*store);
        for (const QString &p :
            fixture::compareStaffJournal(school.model, *school.model.account(c.username), held))
            ctx.problem(p);
        ++journalsChecked;
        if (c.username == school.lead.username) {
            leadStore = std::move(store);
            leadEngine = std::move(engine);
            int published = 0;
            for (const M::Observation &o : std::as_const(school.model.observations))
                published += !o.draft;
            out() << "lead's journal: " << held.size()
                  << " observations (the model's published: " << published << ")\n";
        }
    }

    // (2) Every media file in the server's object store matches the SHA-256 its device
    // computed; the lead fetches a sample through the protocol.
    const server::MediaStore objects(server::DataDir(server.dataDir()).mediaPath());
    int mediaChecked = 0;
    qint64 mediaBytes = 0;
    QList<QPair<QString, QByteArray>> fetchable; // media id, SHA-256 the device computed
    for (auto &d : devices) {
        for (auto it = d->mediaSha().cbegin(); it != d->mediaSha().cend(); ++it) {
            const M::Media &md = school.model.media.value(it.key());
            const QString hex = QString::fromLatin1(it.value().toHex());
            const QString thumbHex = crypto::sha256Hex(md.thumbnail);
            if (crypto::sha256(md.original) != it.value())
                ctx.problem(
                    QStringLiteral("media %1: the device's file changed after it was prepared")
                        .arg(it.key()));
            for (const QString &h : { hex, thumbHex }) {
                const QString path = objects.objectPath(h);
                const QString got = test::fileSha256(path);
                if (got != h)
                    ctx.problem(QStringLiteral("media %1: the server's object %2 %3")
                                    .arg(it.key(), h.left(12),
                                        got.isEmpty()
                                            ? QStringLiteral("is missing")
                                            : QStringLiteral("has SHA-256 %1").arg(got.left(12))));
                else
                    mediaBytes += QFileInfo(path).size();
            }
            ++mediaChecked;
            if (fetchable.size() < 40
                && fixture::oracle::mayFetchMedia(school.model,
                    *school.model.account(school.lead.username), it.key(),
                    QDateTime::currentMSecsSinceEpoch()))
                fetchable.append({ it.key(), it.value() });
        }
    }
    // No upload is left half-way: what the devices sent was all committed.
    const QDir incoming(
        server::DataDir(server.dataDir()).mediaPath() + QStringLiteral("/incoming"));
    const QStringList halfWay = incoming.entryList(QDir::Files);
    if (!halfWay.isEmpty())
        ctx.problem(
            QStringLiteral("%1 uploads are left half-way in the server's media/incoming: %2")
                .arg(halfWay.size())
                .arg(halfWay.mid(0, 5).join(QStringLiteral(", "))));
    int fetched = 0;
    if (leadEngine && leadEngine->connection()) {
        for (const auto &[id, sha] : std::as_const(fetchable)) {
            const QString path = server.scratch() + QStringLiteral("/check/fetched-") + id
                + QStringLiteral(".jpg");
            client::MediaDownload download(*leadEngine->connection(), id, wire::ORIGINAL, path);
            bool finished = false;
            QObject::connect(&download, &client::MediaDownload::finished, &download,
                [&finished] { finished = true; });
            download.start();
            if (!waitUntil([&] { return finished; }, 60000)) {
                ctx.problem(
                    QStringLiteral("the lead's fetch of media %1 did not finish in 60 s").arg(id));
                break;
            }
            if (download.failed())
                ctx.problem(QStringLiteral("the lead could not fetch media %1: %2")
                                .arg(id, download.errorString()));
            else if (download.sha256() != sha
                || test::fileSha256(path) != QString::fromLatin1(sha.toHex()))
                ctx.problem(
                    QStringLiteral("the lead fetched media %1 with the wrong bytes").arg(id));
            else
                ++fetched;
        }
    }
    leadEngine.reset();

    // (3) Every parent's final pull matches the oracle exactly.
    int finalPulls = 0;
    for (auto &p : parents)
        p->pull([&finalPulls] { ++finalPulls; });
    if (!waitUntil([&] { return gate.idle(); }, 300000))
        ctx.problem(QStringLiteral("the parents' final pulls did not finish in 300 s (%1 of %2)")
                        .arg(finalPulls)
                        .arg(parents.size()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    int parentObservations = 0;
    for (auto &p : parents) {
        const QMap<QString, wire::Observation> held = p->held();
        parentObservations += int(held.size());
        for (const QString &problem : fixture::compareParentJournal(
                 school.model, *school.model.account(p->username()), held, now))
            ctx.problem(problem);
    }

    // (4) The memory bound, (5) the server still alive.
    QStringList memorySummary;
    for (const QString &p : memory.judge(&memorySummary))
        ctx.problem(p);
    if (!server.isRunning())
        ctx.problem(QStringLiteral("the server is not running at the end"));
    const double serverCpu = test::cpuSecondsOf(pid) - serverCpuStart;
    const double ownCpu = test::cpuSecondsOf(QCoreApplication::applicationPid()) - ownCpuStart;

    // ---- figures
    out() << "\nFigures\n-------\n";
    out() << "device syncs: " << ctx.deviceSyncs << " (" << ctx.failedSyncs << " failed), p50 "
          << ms(percentile(ctx.syncMs, 0.5)) << ", p95 " << ms(percentile(ctx.syncMs, 0.95))
          << ", max " << ms(percentile(ctx.syncMs, 1)) << "\n";
    out() << "parent pulls: " << ctx.pulls << " (" << ctx.failedPulls << " failed; " << finalPulls
          << " final), p50 " << ms(percentile(ctx.pullMs, 0.5)) << ", p95 "
          << ms(percentile(ctx.pullMs, 0.95)) << ", max " << ms(percentile(ctx.pullMs, 1)) << "\n";
    out() << "observations: " << ctx.observationsNew << " new (" << ctx.withPhoto
          << " with a photo, " << ctx.twoFamilies << " tagging two families, " << ctx.drafts
          << " drafts), " << ctx.observationsEdited << " amendments; " << savedTotal << " saved, "
          << school.model.observations.size() << " on the server; " << ctx.accepted
          << " accepted pushes\n";
    out() << "media: " << mediaChecked << " items checked in the object store ("
          << mediaBytes / 1024 << " KiB of objects read), " << ctx.mediaBytesUploaded / 1024
          << " KiB uploaded, " << fetched << " of " << fetchable.size()
          << " fetched by the lead and verified\n";
    out() << "parents: " << ctx.parentObservationsChecked
          << " cached observations checked after pulls; " << parentObservations
          << " held at the end, compared with the oracle\n";
    out() << "staff journals compared with the oracle: " << journalsChecked << "\n";
    out() << "server CPU: " << QString::number(serverCpu, 'f', 1) << " s over "
          << QString::number(double(generatedMs + drain.elapsed()) / 1000, 'f', 0)
          << " s (this process: " << QString::number(ownCpu, 'f', 1) << " s); server RSS:\n";
    for (const QString &line : std::as_const(memorySummary))
        out() << "  " << line << "\n";

    if (!ctx.problems.isEmpty()) {
        // Grouped by kind (numbers and ids left out), each kind with its count and first case.
        QMap<QString, QPair<int, QString>> kinds;
        QList<QString> order;
        static const QRegularExpression ids(
            QStringLiteral("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9a-f]{8}\\b|\\d+"));
        for (const QString &p : std::as_const(ctx.problems)) {
            const QString kind = QString(p).replace(ids, QStringLiteral("#"));
            if (!kinds.contains(kind))
                order.append(kind);
            auto &k = kinds[kind];
            if (k.first++ == 0)
                k.second = p;
        }
        out() << "\nFAILED: " << ctx.problems.size() << " problems of " << order.size()
              << " kinds\n";
        for (const QString &kind : order.mid(0, 60))
            out() << "  - " << kinds[kind].first << "x, e.g. " << kinds[kind].second << "\n";
        // What the server said about it: its warnings, the most frequent first.
        QMap<QString, int> said;
        for (const QString &line : server.log().split(QLatin1Char('\n'))) {
            if (line.contains(QLatin1String("warning"), Qt::CaseInsensitive)
                || line.contains(QLatin1String("refus")) || line.contains(QLatin1String("clos")))
                ++said[line.section(QLatin1Char(':'), -2).simplified().left(160)];
        }
        QList<QPair<int, QString>> byCount;
        for (auto it = said.cbegin(); it != said.cend(); ++it)
            byCount.append({ it.value(), it.key() });
        std::sort(byCount.begin(), byCount.end(),
            [](const auto &a, const auto &b) { return a.first > b.first; });
        if (!byCount.isEmpty())
            out() << "the server's log (warnings, closes and refusals, by count):\n";
        for (const auto &[count, line] : byCount.mid(0, 12))
            out() << "  " << count << "x " << line << "\n";
        out() << "seed " << opt.seed << "\n";
        out().flush();
        return 1;
    }
    out() << "\nOK: every invariant held (seed " << opt.seed << ")\n";
    out().flush();
    return 0;
}

} // namespace acorn::soak
