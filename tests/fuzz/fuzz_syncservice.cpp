// libFuzzer target: every request handler of SyncService, reached through frames decoded
// from the input by the real FrameDecoder, as the network layer would pass them.
//
// Input: byte 0 picks who is on the connection (nobody yet, or signed in as a lead, a
// practitioner of each class, a parent, an admin); byte 1 moves the clock (up to three
// weeks, across the end of a half term); the rest is a stream of length-prefixed frames.
// One school (tests/support smallSchoolJson) in a SQLite file in memory; its state carries
// over from input to input, as on a real server.
//
// Invariants: every request gets exactly one reply, with its request id; no reply to a
// parent carries a staff-only note.

#include "clock.h"
#include "crypto.h"
#include "framecodec.h"
#include "fuzzsupport.h"
#include "mediastore.h"
#include "schoolimporter.h"
#include "serverstore.h"
#include "syncservice.h"
#include "testserver.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QThread>
#include <QTimeZone>

#include <cstdint>
#include <memory>

using namespace acorn;
using namespace acorn::server;

namespace {

struct Persona
{
    QString username; // empty: not signed in
    bool hello = true;
    qint64 userId = 0;
    QByteArray tokenHash;
};

struct World
{
    std::unique_ptr<ManualClock> clock;
    std::unique_ptr<ServerStore> store;
    std::unique_ptr<MediaStore> media;
    std::unique_ptr<SyncService> service;
    QList<Persona> personas;
    qint64 base = 0;
};

World *world = nullptr;

void die(const QString &why)
{
    std::fprintf(stderr, "acorn fuzz: setup failed: %s\n", qPrintable(why));
    std::abort();
}

// A live session for the persona (a Logout in an earlier input may have ended it).
void ensureSession(Persona &p)
{
    if (p.username.isEmpty())
        return;
    if (const auto s = world->store->sessionByTokenHash(p.tokenHash); s && s->userId == p.userId)
        return;
    p.tokenHash = crypto::sha256(crypto::randomBytes(32));
    if (!world->store->createSession(
            p.userId, p.tokenHash, QStringLiteral("fuzz"), world->clock->nowMs()))
        die(QStringLiteral("cannot create a session"));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    acorn::fuzz::startQt(argc, argv);
    world = new World;
    world->base = QDateTime(QDate(2026, 12, 7), QTime(9, 0), QTimeZone("Europe/London"))
                      .toMSecsSinceEpoch();
    world->clock = std::make_unique<ManualClock>(world->base);
    const QString dir = acorn::fuzz::scratchDir();
    auto store = ServerStore::openSqlite(dir + QStringLiteral("/acorn.db"), true);
    if (!store)
        die(store.error());
    world->store = std::move(store).value();
    SchoolImporter importer(*world->store, *world->clock);
    if (auto r = importer.importJson(acorn::test::smallSchoolJson(), QStringLiteral("fuzz")); !r)
        die(r.error());
    const crypto::ScryptParams cheap { 10, 8, 1 }; // the cheapest hashPassword() accepts
    for (const UserRecord &u : world->store->users()) {
        const auto hash = crypto::hashPassword(QStringLiteral("pass-%1").arg(u.username), cheap);
        if (!hash || !world->store->setPassword(u.id, hash.value()))
            die(hash ? world->store->lastError() : hash.error());
    }
    const auto dummy = crypto::hashPassword(QStringLiteral("x"), cheap);
    if (!dummy)
        die(dummy.error());
    world->store->setMeta(QStringLiteral("dummy_password_hash"), dummy.value());
    world->media = std::make_unique<MediaStore>(dir + QStringLiteral("/media"));
    if (!world->media->ensureLayout())
        die(QStringLiteral("no media store"));
    world->service = std::make_unique<SyncService>(*world->store, *world->media, *world->clock);
    world->service->setPasswordParams(cheap); // as the accounts' hashes: none is replaced
    LoginThrottlePolicy noDelays; // the throttle still counts and locks; it just never waits
    noDelays.account.delayCapMs = noDelays.address.delayCapMs = 0;
    noDelays.account.delayBaseMs = noDelays.address.delayBaseMs = 0;
    world->service->setThrottlePolicy(noDelays);

    world->personas.append(Persona { QString(), false, 0, {} });
    world->personas.append(Persona { QString(), true, 0, {} });
    for (const QString &name : { QStringLiteral("lee.lead"), QStringLiteral("nina.nursery"),
             QStringLiteral("rob.reception"), QStringLiteral("alex.brown"),
             QStringLiteral("ravi.shah"), QStringLiteral("ian.admin") }) {
        const auto u = world->store->userByUsername(name);
        if (!u)
            die(QStringLiteral("no account %1").arg(name));
        world->personas.append(Persona { name, true, u->id, {} });
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    Persona &persona = world->personas[data[0] % world->personas.size()];
    world->clock->setNowMs(world->base + qint64(data[1]) * 2 * 3600 * 1000);
    ensureSession(persona);

    ConnectionState state;
    state.helloDone = persona.hello;
    state.protocolVersion = persona.hello ? 1 : 0;
    state.clientKind = persona.username.isEmpty() ? wire::CLIENT_KIND_CLI : wire::CLIENT_KIND_STAFF;
    state.peerAddress = QStringLiteral("192.0.2.%1").arg(data[0]);
    state.userId = persona.userId;
    state.tokenHash = persona.tokenHash;
    state.device = QStringLiteral("fuzz");
    const bool parent = persona.username == QLatin1String("alex.brown")
        || persona.username == QLatin1String("ravi.shah");

    QObject guard;
    int requests = 0;
    int replies = 0;
    FrameDecoder decoder;
    QByteArrayView rest(data + 2, static_cast<qsizetype>(size - 2));
    while (!rest.isEmpty()) {
        const qsizetype used = decoder.feed(rest);
        rest = rest.sliced(used);
        if (decoder.state() != FrameDecoder::State::FrameReady)
            break; // a malformed frame closes the connection; an incomplete one waits forever
        const wire::Frame frame = decoder.takeFrame();
        const quint64 id = frame.request_id();
        ++requests;
        // As ClientConnection does: a request arriving while a sign-in is being checked is
        // answered at once; the sign-in's own reply comes later.
        world->service->handle(
            state, frame,
            [&, id, parent](const wire::Frame &reply) {
                ++replies;
                ACORN_FUZZ_CHECK(reply.request_id() == id, "a reply carries another request's id");
                if (parent && reply.has_pull_reply()) {
                    for (const auto &o : reply.pull_reply().observations())
                        ACORN_FUZZ_CHECK(
                            o.staff_note().empty(), "a parent was sent a staff-only note");
                }
            },
            &guard);
    }
    // Sign-ins finish on the hashing threads: wait for every answer.
    QDeadlineTimer deadline(10000);
    while (replies < requests && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        if (replies < requests)
            QThread::usleep(100);
    }
    ACORN_FUZZ_CHECK(replies == requests, "a request was never answered, or answered twice");
    return 0;
}
