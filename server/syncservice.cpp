#include "syncservice.h"

#include "clock.h"
#include "crypto.h"
#include "eyfsframework.h"
#include "logging.h"
#include "mediastore.h"
#include "protocol.h"
#include "serverstore.h"
#include "timeutil.h"
#include "totp.h"
#include "twofactorenrolment.h"

#include <QFutureWatcher>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <QTimeZone>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace acorn::server {

namespace {

constexpr int kMaxTextChars = 20000;
constexpr int kMaxChildrenPerObservation = 60;
constexpr int kMaxMediaPerObservation = 30;
constexpr qint64 kMaxMediaBytes = 4LL * 1024 * 1024 * 1024;
constexpr int kMinPasswordChars = 8;

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

bool isUuid(const std::string &s)
{
    return s.size() == 36 && !QUuid::fromString(QLatin1String(s.c_str())).isNull();
}

QString hex(const std::string &bytes)
{
    return QString::fromLatin1(QByteArray::fromStdString(bytes).toHex());
}

} // namespace

wire::Frame errorFrame(quint64 requestId, wire::Error::Code code, const QString &message)
{
    wire::Frame f;
    f.set_request_id(requestId);
    f.mutable_error()->set_code(code);
    f.mutable_error()->set_message(message.toStdString());
    return f;
}

// Everything the rules read about the school, as of one request. Copies are cheap: the
// containers are implicitly shared and the gate is shared and read-only.
struct SyncService::Snapshot
{
    SchoolSettings school;
    QHash<qint64, ChildRecord> children;
    QHash<qint64, ClassRecord> classes;
    QHash<QString, qint64> childIdByRef;
    QHash<qint64, qint64> earlyReleases;
    std::shared_ptr<const ReleaseGate> gate;
    bool parentsSeeAssessments = false;
    qint64 now = 0;
};

SyncService::SyncService(ServerStore &store, MediaStore &media, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_media(media)
    , m_clock(clock)
    , m_throttle(store)
{
    m_hashPool.setMaxThreadCount(kHashThreads);
    // Every server process of the school signs cursors with the same key: the first to
    // start makes it, the others take it, so a client may pull from any of them.
    m_cursorKey = QByteArray::fromHex(m_store.meta(QStringLiteral("cursor_key")).toLatin1());
    if (m_cursorKey.size() != 32) {
        m_cursorKey = QByteArray::fromHex(
            m_store.metaOrInsert(QStringLiteral("cursor_key"), QString::fromLatin1(crypto::randomBytes(32).toHex()))
                .toLatin1());
    }
    // A fixed hash of a random password: unknown usernames cost as much as known ones.
    m_dummyHash = m_store.meta(QStringLiteral("dummy_password_hash"));
    if (m_dummyHash.isEmpty()) {
        auto h = crypto::hashPassword(QString::fromLatin1(crypto::randomBytes(16).toHex()));
        if (h) {
            m_dummyHash = h.value();
            m_store.setMeta(QStringLiteral("dummy_password_hash"), m_dummyHash);
        }
    }
}

SyncService::~SyncService()
{
    m_hashPool.waitForDone();
}

template<typename Job>
auto SyncService::runHash(std::uint64_t memoryBytes, Job job)
{
    const int mib = static_cast<int>(
        std::clamp<std::uint64_t>((memoryBytes + (1 << 20) - 1) >> 20, 1, kHashMemoryMiB));
    return QtConcurrent::run(&m_hashPool, [this, mib, job = std::move(job)] {
        m_hashMemory.acquire(mib);
        const QSemaphoreReleaser release(m_hashMemory, mib);
        return job();
    });
}

std::unique_ptr<SyncService::Snapshot> SyncService::snapshot()
{
    // Loading the school is most of what a small request costs (a release storm's thumbnail
    // fetches spent over half their time here), so it is kept while the database has not
    // changed. The version is read before loading: a change committed meanwhile (by this
    // server or by an admin command) makes the next request load again.
    const ServerStore::DataVersion version = m_store.dataVersion();
    if (!m_school || !version.valid || !(version == m_schoolVersion)) {
        m_school = loadSnapshot();
        m_schoolVersion = version;
    }
    auto snap = std::make_unique<Snapshot>(*m_school);
    snap->now = m_clock.nowMs();
    return snap;
}

std::unique_ptr<SyncService::Snapshot> SyncService::loadSnapshot()
{
    auto snap = std::make_unique<Snapshot>();
    snap->school = m_store.school().value_or(SchoolSettings{});
    for (const ChildRecord &c : m_store.children()) {
        snap->children.insert(c.id, c);
        snap->childIdByRef.insert(c.ref, c.id);
    }
    for (const ClassRecord &c : m_store.classes())
        snap->classes.insert(c.id, c);
    snap->earlyReleases = m_store.earlyReleases();
    snap->parentsSeeAssessments = m_store.assessmentsVisibleToParents();
    snap->gate = std::make_shared<const ReleaseGate>(
        ReleaseGate::forSchool(m_store.halfTerms(), snap->school.timeZone, snap->school.releaseTime));
    return snap;
}

Viewer SyncService::viewerFor(const UserRecord &user, const Snapshot &snap)
{
    Viewer v;
    v.userId = user.id;
    v.username = user.username;
    v.role = roleFromName(user.role);
    v.familyId = user.familyId;
    switch (v.role) {
    case wire::ROLE_PARENT:
        for (const ChildRecord &c : snap.children) {
            if (c.familyId == user.familyId && user.familyId != 0) {
                const ClassRecord cls = snap.classes.value(c.classId);
                v.cutoffs.insert(c.id, snap.gate->classCutoff(cls.live, snap.earlyReleases.value(c.classId, ReleaseGate::kNothing),
                                                              snap.now));
            }
        }
        break;
    case wire::ROLE_LEAD:
        for (const ChildRecord &c : snap.children)
            v.cutoffs.insert(c.id, ReleaseGate::kEverything);
        break;
    case wire::ROLE_PRACTITIONER: {
        const QSet<qint64> classIds = m_store.staffClassIds(user.id);
        for (const ChildRecord &c : snap.children) {
            if (classIds.contains(c.classId))
                v.cutoffs.insert(c.id, ReleaseGate::kEverything);
        }
        break;
    }
    default:
        break; // admins read no journal
    }
    return v;
}

// ------------------------------------------------------------------ dispatch

void SyncService::handle(ConnectionState &state, const wire::Frame &frame, const Reply &reply, QObject *guard)
{
    const quint64 rid = frame.request_id();
    if (frame.body_case() == wire::Frame::kHello) {
        onHello(state, frame, reply);
        return;
    }
    if (!state.helloDone) {
        reply(errorFrame(rid, wire::Error::BAD_REQUEST, QStringLiteral("say Hello first")));
        return;
    }
    if (state.loginInProgress) {
        reply(errorFrame(rid, wire::Error::BAD_REQUEST, QStringLiteral("wait for the sign-in to finish")));
        return;
    }
    switch (frame.body_case()) {
    case wire::Frame::kLogin:
        onLogin(state, frame, reply, guard);
        return;
    case wire::Frame::kTokenLogin:
        onTokenLogin(state, frame, reply);
        return;
    case wire::Frame::kActivate:
        onActivate(state, frame, reply, guard);
        return;
    default:
        break;
    }

    // Everything else needs a live session of an active account.
    const std::optional<UserRecord> user = state.userId ? signedInUser(state, m_clock.nowMs()) : std::nullopt;
    if (!user) {
        reply(errorFrame(rid, wire::Error::UNAUTHENTICATED, QStringLiteral("sign in first (the session has ended)")));
        return;
    }

    switch (frame.body_case()) {
    case wire::Frame::kLogout: {
        if (auto s = m_store.sessionByTokenHash(state.tokenHash))
            m_store.endSession(s->id, m_clock.nowMs(), QStringLiteral("signed out"));
        state.userId = 0;
        state.memo = {};
        wire::Frame f;
        f.set_request_id(rid);
        f.mutable_logout();
        reply(f);
        return;
    }
    case wire::Frame::kPull:
        onPull(*user, state, frame, reply);
        return;
    case wire::Frame::kPush:
        onPush(*user, state, frame, reply);
        return;
    case wire::Frame::kUploadBegin:
        onUploadBegin(*user, frame, reply);
        return;
    case wire::Frame::kUploadChunk:
        onUploadChunk(*user, frame, reply);
        return;
    case wire::Frame::kMediaFetch:
        onMediaFetch(*user, state, frame, reply);
        return;
    case wire::Frame::kRelease:
        onRelease(*user, state, frame, reply);
        return;
    case wire::Frame::kAssessmentPush:
        onAssessmentPush(*user, state, frame, reply);
        return;
    case wire::Frame::kJournalViews:
        onJournalViews(*user, state, frame, reply);
        return;
    case wire::Frame::kTwoFactorSetup:
        onTwoFactorSetup(*user, state, frame, reply, guard);
        return;
    case wire::Frame::kTwoFactorConfirm:
        onTwoFactorConfirm(*user, state, frame, reply, guard);
        return;
    default:
        reply(errorFrame(rid, wire::Error::UNSUPPORTED, QStringLiteral("this server does not understand that request")));
        return;
    }
}

void SyncService::onHello(ConnectionState &state, const wire::Frame &frame, const Reply &reply)
{
    const wire::Hello &hello = frame.hello();
    if (hello.protocol_version() < protocol::kMinProtocolVersion) {
        reply(errorFrame(frame.request_id(), wire::Error::UNSUPPORTED,
                         QStringLiteral("this app is too old for the school's server: please update it")));
        return;
    }
    state.helloDone = true;
    state.protocolVersion = std::min(hello.protocol_version(), protocol::kProtocolVersion);
    state.clientKind = hello.client_kind();
    const SchoolSettings school = m_store.school().value_or(SchoolSettings{});
    wire::Frame f;
    f.set_request_id(frame.request_id());
    wire::HelloReply *r = f.mutable_hello_reply();
    r->set_protocol_version(protocol::kProtocolVersion);
    r->set_server_version(ACORN_VERSION);
    r->set_school_name(school.name.toStdString());
    r->set_school_contact(school.contact.toStdString());
    r->set_max_frame_bytes(protocol::kMaxFrameBytes);
    r->set_max_chunk_bytes(protocol::kMaxChunkBytes);
    reply(f);
}

// ------------------------------------------------------------------ sign-in

void SyncService::completeLogin(ConnectionState &state, const UserRecord &user, const Reply &reply, quint64 requestId,
                                const QString &how)
{
    const qint64 now = m_clock.nowMs();
    const QByteArray token = crypto::randomBytes(32);
    const QByteArray tokenHash = crypto::sha256(token);
    if (Status s = m_store.createSession(user.id, tokenHash, state.device, now); !s) {
        reply(errorFrame(requestId, wire::Error::INTERNAL, QStringLiteral("the server could not start a session")));
        return;
    }
    m_store.audit(user.username, state.device, how, state.peerAddress, QStringLiteral("success"), now);
    state.userId = user.id;
    state.tokenHash = tokenHash;
    state.memo = {};
    qCInfo(lcServerAuth) << "user" << user.id << "signed in from" << state.peerAddress << "by" << how;
    wire::Frame f;
    f.set_request_id(requestId);
    wire::LoginReply *r = f.mutable_login_reply();
    r->set_token(token.toStdString());
    r->set_username(user.username.toStdString());
    r->set_display_name(user.displayName.toStdString());
    r->set_role(roleFromName(user.role));
    reply(f);
}

void SyncService::onLogin(ConnectionState &state, const wire::Frame &frame, const Reply &reply, QObject *guard)
{
    const wire::LoginRequest &req = frame.login();
    const QString username = str(req.username()).trimmed().toLower();
    const QString password = str(req.password());
    const QString secondFactorCode = str(req.second_factor_code()).left(20);
    state.device = str(req.device_name()).left(100);
    const quint64 rid = frame.request_id();
    state.userId = 0;
    const LoginAttempt attempt = m_throttle.begin(username, state.peerAddress, m_clock.nowMs());
    if (!attempt.allowed) {
        refuseThrottled(state, username, QStringLiteral("login"), attempt, reply, rid);
        return;
    }
    state.loginInProgress = true;
    ConnectionState *statePtr = &state;
    afterThrottleDelay(attempt, guard, [=, this] {
        verifyLogin(statePtr, guard, { username, password, secondFactorCode }, attempt, reply, rid);
    });
}

SyncService::SecondFactor SyncService::checkSecondFactor(
    qint64 userId, const QString &typed, qint64 now)
{
    const auto enrolled = m_store.twoFactor(userId);
    if (!enrolled)
        return SecondFactor::NotEnrolled;
    if (typed.trimmed().isEmpty())
        return SecondFactor::Missing;
    const auto step = Totp::acceptedStep(enrolled->secret, typed, now, enrolled->lastStep);
    // Consumed at once, in one statement: the same code on another connection is refused.
    if (!step || !m_store.consumeTwoFactorStep(userId, *step))
        return SecondFactor::Wrong;
    return SecondFactor::Accepted;
}

void SyncService::verifyLogin(ConnectionState *statePtr, QObject *guard,
    const Credentials &credentials, const LoginAttempt &attempt, const Reply &reply, quint64 rid)
{
    const QString username = credentials.username;
    const QString password = credentials.password;
    const QString secondFactorCode = credentials.secondFactorCode;
    const std::optional<UserRecord> user = m_store.userByUsername(username);
    const QString hash = user && !user->passwordHash.isEmpty() ? user->passwordHash : m_dummyHash;
    const QString device = statePtr->device;
    const QString peer = statePtr->peerAddress;

    auto *watcher = new QFutureWatcher<Verified>(this);
    QPointer<QObject> alive(guard);
    connect(watcher, &QFutureWatcherBase::finished, this, [=, this] {
        const Verified result = watcher->result();
        const bool verified = result.ok;
        watcher->deleteLater();
        const qint64 now = m_clock.nowMs();
        const bool passwordOk = verified && user && !user->passwordHash.isEmpty();
        // The code is looked at only after the right password. A wrong (or reused) code
        // counts toward the throttle like a wrong password; a missing one is no guess.
        const SecondFactor second = passwordOk ? checkSecondFactor(user->id, secondFactorCode, now)
                                               : SecondFactor::NotEnrolled;
        const bool failed = !passwordOk || second == SecondFactor::Wrong;
        // The throttle counts the attempt even when the connection went away meanwhile.
        if (failed) {
            m_store.audit(username, device, QStringLiteral("login"), peer,
                passwordOk ? QStringLiteral("failure: second factor") : QStringLiteral("failure"),
                now);
            qCInfo(lcServerAuth) << "failed sign-in from" << peer;
            for (const ImposedLock &lock : m_throttle.failed(attempt, now))
                auditLock(username, device, peer, lock, now);
        } else {
            m_throttle.succeeded(attempt);
            // Only if the hash is still the one just verified (a password set meanwhile wins).
            if (!result.newHash.isEmpty()
                && m_store.replacePasswordHash(user->id, user->passwordHash, result.newHash)) {
                qCInfo(lcServerAuth) << "password hash of user" << user->id << "moved to the current scrypt parameters";
            }
        }
        if (!alive)
            return; // the connection went away meanwhile
        ConnectionState &st = *statePtr;
        st.loginInProgress = false;
        if (failed) {
            reply(errorFrame(rid, wire::Error::AUTH_FAILED,
                passwordOk
                    ? QStringLiteral("that code is not right or was used already: wait for the "
                                     "next code in your authenticator app and try again")
                    : QStringLiteral(
                        "the username or password is not right: check them and try again")));
            return;
        }
        // Account state is revealed only to someone who knows the password.
        const std::optional<UserRecord> fresh = m_store.userByUsername(username);
        if (!fresh || fresh->state == QLatin1String("disabled") || fresh->state == QLatin1String("locked")) {
            m_store.audit(username, st.device, QStringLiteral("login"), st.peerAddress, QStringLiteral("account-locked"), now);
            const SchoolSettings school = m_store.school().value_or(SchoolSettings{});
            reply(errorFrame(rid, wire::Error::ACCOUNT_LOCKED,
                             QStringLiteral("this account is switched off: please speak to a member of staff%1")
                                 .arg(school.contact.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(school.contact))));
            return;
        }
        if (second == SecondFactor::Missing) {
            reply(errorFrame(rid, wire::Error::SECOND_FACTOR_REQUIRED,
                QStringLiteral("this account signs in with a second factor: enter the 6-digit code "
                               "from your authenticator app")));
            return;
        }
        completeLogin(st, *fresh, reply, rid,
            second == SecondFactor::Accepted ? QStringLiteral("login-2fa")
                                             : QStringLiteral("login"));
    });
    // A hash made with older parameters is replaced by a new one once the password proved
    // right, in the same job (one after the other, so the memory is the larger of the two).
    const crypto::ScryptParams params = m_passwordParams;
    const std::uint64_t memory = std::max(crypto::scryptMemory(crypto::storedParams(hash).value_or(params)),
        crypto::scryptMemory(params));
    watcher->setFuture(runHash(memory, [password, hash, params] {
        Verified v;
        v.ok = crypto::verifyPassword(password, hash);
        if (v.ok && crypto::needsRehash(hash, params)) {
            if (auto fresh = crypto::hashPassword(password, params))
                v.newHash = fresh.value();
        }
        return v;
    }));
}

// ------------------------------------------------------------------ two-factor set-up

void SyncService::throttledCodeCheck(ConnectionState &state, const QString &username,
    const QString &how, quint64 rid, const Reply &reply, QObject *guard,
    const std::function<bool(ConnectionState &)> &check)
{
    const LoginAttempt attempt = m_throttle.begin(username, state.peerAddress, m_clock.nowMs());
    if (!attempt.allowed) {
        refuseThrottled(state, username, how, attempt, reply, rid);
        return;
    }
    state.loginInProgress = true;
    ConnectionState *statePtr = &state;
    // afterThrottleDelay runs this only while the connection (and so *statePtr) lives.
    afterThrottleDelay(attempt, guard, [=, this] {
        statePtr->loginInProgress = false;
        const bool wrong = check(*statePtr);
        const qint64 now = m_clock.nowMs();
        if (wrong) {
            qCInfo(lcServerAuth) << "wrong two-factor code in a set-up from"
                                 << statePtr->peerAddress;
            for (const ImposedLock &lock : m_throttle.failed(attempt, now))
                auditLock(username, statePtr->device, statePtr->peerAddress, lock, now);
        } else {
            m_throttle.succeeded(attempt);
        }
    });
}

namespace {
// The answer to a two-factor set-up step that did not succeed: what happened and what to do.
wire::Frame twoFactorRefusal(quint64 rid, TwoFactorEnrolment::Outcome outcome, bool confirming)
{
    using O = TwoFactorEnrolment::Outcome;
    switch (outcome) {
    case O::NotAllowed:
        return errorFrame(rid, wire::Error::FORBIDDEN,
            QStringLiteral("two-factor sign-in is not switched on for parents at this school: "
                           "ask the school if you would like it"));
    case O::CodeNeeded:
        return errorFrame(rid, wire::Error::SECOND_FACTOR_REQUIRED,
            QStringLiteral("this account already signs in with a code from an authenticator "
                           "app: enter its current code to replace it, or ask the school's "
                           "admin to reset two-factor sign-in (for a lost phone)"));
    case O::WrongCode:
        return errorFrame(rid, wire::Error::AUTH_FAILED,
            confirming ? QStringLiteral("that code is not right: type the 6 digits your "
                                        "authenticator app shows now for this account")
                       : QStringLiteral("that code of your present authenticator app is not "
                                        "right or was used already: wait for the next code "
                                        "and try again"));
    case O::NoPending:
        return errorFrame(rid, wire::Error::NOT_FOUND,
            QStringLiteral("there is no two-factor set-up in progress: start it again"));
    case O::Expired:
        return errorFrame(rid, wire::Error::CODE_EXPIRED,
            QStringLiteral("the set-up waited more than %1 minutes: start again for a new QR code")
                .arg(TwoFactorEnrolment::kPendingLifetimeMs / 60'000));
    case O::Done:
    case O::Failed:
        break;
    }
    return errorFrame(rid, wire::Error::INTERNAL,
        QStringLiteral("the server could not store the two-factor set-up: nothing was changed, "
                       "try again later"));
}
} // namespace

void SyncService::onTwoFactorSetup(const UserRecord &user, ConnectionState &state,
    const wire::Frame &frame, const Reply &reply, QObject *guard)
{
    const QString currentCode = str(frame.two_factor_setup().current_code()).left(20);
    const quint64 rid = frame.request_id();
    auto run = [=, this](ConnectionState &st) {
        TwoFactorEnrolment enrolment(m_store, m_clock);
        const TwoFactorEnrolment::Started started = enrolment.start(user, currentCode, st.device);
        if (started.outcome != TwoFactorEnrolment::Outcome::Done) {
            reply(twoFactorRefusal(rid, started.outcome, false));
            return started.outcome == TwoFactorEnrolment::Outcome::WrongCode;
        }
        wire::Frame f;
        f.set_request_id(rid);
        wire::TwoFactorSetupReply *r = f.mutable_two_factor_setup_reply();
        r->set_otpauth_uri(started.otpauthUri.toStdString());
        r->set_secret_base32(Totp::base32(started.secret).toStdString());
        r->set_digits(Totp::kDigits);
        r->set_period_seconds(Totp::kStepSeconds);
        r->set_expires_at_ms(started.expiresAtMs);
        r->set_replaces_existing(started.replacesExisting);
        reply(f);
        return false;
    };
    // Only a code is a guess: a first set-up sends none and is not throttled.
    if (currentCode.trimmed().isEmpty()) {
        run(state);
        return;
    }
    throttledCodeCheck(
        state, user.username, QStringLiteral("two-factor set-up"), rid, reply, guard, run);
}

void SyncService::onTwoFactorConfirm(const UserRecord &user, ConnectionState &state,
    const wire::Frame &frame, const Reply &reply, QObject *guard)
{
    const QString code = str(frame.two_factor_confirm().code()).left(20);
    const quint64 rid = frame.request_id();
    const QByteArray tokenHash = state.tokenHash;
    throttledCodeCheck(state, user.username, QStringLiteral("two-factor set-up"), rid, reply, guard,
        [=, this](ConnectionState &st) {
            const auto session = m_store.sessionByTokenHash(tokenHash);
            TwoFactorEnrolment enrolment(m_store, m_clock);
            const TwoFactorEnrolment::Confirmed confirmed
                = enrolment.confirm(user, session ? session->id : 0, code, st.device);
            if (confirmed.outcome != TwoFactorEnrolment::Outcome::Done) {
                reply(twoFactorRefusal(rid, confirmed.outcome, true));
                return confirmed.outcome == TwoFactorEnrolment::Outcome::WrongCode;
            }
            qCInfo(lcServerAuth) << "user" << user.id << "set up two-factor sign-in;"
                                 << confirmed.sessionsEnded << "other sessions ended";
            wire::Frame f;
            f.set_request_id(rid);
            f.mutable_two_factor_confirm_reply()->set_sessions_ended(
                static_cast<quint32>(confirmed.sessionsEnded));
            reply(f);
            return false;
        });
}

void SyncService::afterThrottleDelay(const LoginAttempt &attempt, QObject *guard, const std::function<void()> &next)
{
    if (attempt.delayMs <= 0) {
        next();
        return;
    }
    // A timer, not a sleep: every other connection is served meanwhile.
    QPointer<QObject> alive(guard);
    QTimer::singleShot(std::chrono::milliseconds(attempt.delayMs), this, [=, this] {
        if (!alive) {
            m_throttle.abandoned(attempt); // nothing was tried
            return;
        }
        next();
    });
}

void SyncService::refuseThrottled(const ConnectionState &state, const QString &username, const QString &how,
                                  const LoginAttempt &attempt, const Reply &reply, quint64 rid)
{
    const qint64 now = m_clock.nowMs();
    for (const ImposedLock &lock : attempt.imposed)
        auditLock(username, state.device, state.peerAddress, lock, now);
    const qint64 seconds = std::max<qint64>(1, (attempt.retryAfterMs + 999) / 1000);
    const QString wait = seconds < 120 ? QStringLiteral("%1 seconds").arg(seconds)
                                       : QStringLiteral("%1 minutes").arg((seconds + 59) / 60);
    const QString message = attempt.refusedBy == QLatin1String("address")
        ? QStringLiteral("too many failed sign-ins from this network: wait %1 and try again").arg(wait)
        : QStringLiteral("too many failed sign-ins for this account: wait %1 and try again, "
                         "or ask the school to set a new password")
              .arg(wait);
    // Debug only: refusals come as fast as an attacker sends them; the lock itself was
    // logged (and audited) once.
    qCDebug(lcServerAuth).noquote() << how << "refused for" << seconds << "s (" << attempt.refusedBy
                                    << "throttled) from" << state.peerAddress;
    wire::Frame f = errorFrame(rid, wire::Error::THROTTLED, message);
    f.mutable_error()->set_retry_after_seconds(static_cast<quint32>(std::min<qint64>(seconds, 24 * 3600)));
    reply(f);
}

void SyncService::auditLock(const QString &username, const QString &device, const QString &peer,
                            const ImposedLock &lock, qint64 now)
{
    const QString detail = QStringLiteral("%1 locked for %2 s after %3 failed sign-ins%4 (lock %5 in a row)")
                               .arg(lock.kind)
                               .arg(lock.durationMs / 1000)
                               .arg(lock.failures)
                               .arg(lock.hourlyCap ? QStringLiteral(" in an hour") : QString())
                               .arg(lock.level + 1);
    m_store.audit(username, device, QStringLiteral("login-throttle"), peer, detail, now);
    qCWarning(lcServerAuth).noquote() << "sign-in throttle:" << lock.kind << "locked for" << lock.durationMs / 1000
                                      << "s after" << lock.failures << "failures; from" << peer;
}

void AccessMemo::keepOnlyFor(const ServerStore::DataVersion &current, const QByteArray &session, qint64 nowMs)
{
    if (!(current == version && session == tokenHash && nowMs >= latestMs)) {
        *this = {};
        version = current;
        tokenHash = session;
    }
    latestMs = nowMs;
}

void AccessMemo::keepSignIn(const SessionRecord &liveSession, const UserRecord &activeUser)
{
    if (!version.valid)
        return;
    session = liveSession;
    user = activeUser;
}

void AccessMemo::grantMedia(const MediaRecord &record, qint64 decidedAtMs)
{
    if (!version.valid || !user)
        return;
    if (media.size() >= kMaxMedia)
        media.clear();
    media.insert(record.id, record);
    latestMs = std::max(latestMs, decidedAtMs);
}

std::optional<UserRecord> SyncService::signedInUser(ConnectionState &state, qint64 now)
{
    AccessMemo &memo = state.memo;
    // Read before anything it vouches for, so a change committed meanwhile ends the memo.
    memo.keepOnlyFor(m_store.dataVersion(), state.tokenHash, now);
    // Decided at this version for this session, and no write due: its last use was
    // recorded within the minute, so it cannot have gone idle, and age is checked again.
    if (memo.user && memo.session && memo.user->id == state.userId
        && now - memo.session->lastUsedAt <= SessionLifetimes::kTouchIntervalMs
        && m_lifetimes.stateOf(*memo.session, now) == SessionLifetimes::State::Active)
        return memo.user;

    memo.session.reset();
    memo.user.reset();
    memo.media.clear();
    std::optional<UserRecord> user;
    auto session = m_store.sessionByTokenHash(state.tokenHash);
    if (session && session->userId == state.userId && sessionStillLive(*session, now))
        user = m_store.userById(state.userId);
    if (!user || user->state != QLatin1String("active")) {
        state.userId = 0;
        return std::nullopt;
    }
    memo.keepSignIn(*session, *user);
    return user;
}

bool SyncService::sessionStillLive(SessionRecord &session, qint64 now)
{
    const SessionLifetimes::State s = m_lifetimes.stateOf(session, now);
    if (s == SessionLifetimes::State::Idle || s == SessionLifetimes::State::TooOld) {
        m_store.endSession(session.id, now, SessionLifetimes::endReason(s));
        qCInfo(lcServerAuth) << "session" << session.id << "of user" << session.userId << "expired:"
                             << SessionLifetimes::stateName(s);
        return false;
    }
    if (s != SessionLifetimes::State::Active)
        return false;
    if (now - session.lastUsedAt > SessionLifetimes::kTouchIntervalMs && m_store.touchSession(session.id, now))
        session.lastUsedAt = now;
    return true;
}

void SyncService::onTokenLogin(ConnectionState &state, const wire::Frame &frame, const Reply &reply)
{
    const wire::TokenLoginRequest &req = frame.token_login();
    state.device = str(req.device_name()).left(100);
    const QByteArray tokenHash = crypto::sha256(QByteArray::fromStdString(req.token()));
    const ServerStore::DataVersion version = m_store.dataVersion(); // before what it vouches for
    auto session = m_store.sessionByTokenHash(tokenHash);
    const qint64 now = m_clock.nowMs();
    const bool live = session && sessionStillLive(*session, now);
    const auto user = live ? m_store.userById(session->userId) : std::nullopt;
    if (!live || !user || user->state != QLatin1String("active")) {
        reply(errorFrame(frame.request_id(), wire::Error::UNAUTHENTICATED,
                         QStringLiteral("this device's sign-in has ended: please sign in again")));
        return;
    }
    // sessionStillLive() has recorded the use (to the minute, like every request): a second,
    // unconditional write here made each token sign-in of a release storm wait for two
    // syncs to disk instead of at most one.
    state.userId = user->id;
    state.tokenHash = tokenHash;
    state.memo = {};
    state.memo.keepOnlyFor(version, tokenHash, now);
    state.memo.keepSignIn(*session, *user);
    wire::Frame f;
    f.set_request_id(frame.request_id());
    wire::LoginReply *r = f.mutable_login_reply();
    r->set_username(user->username.toStdString());
    r->set_display_name(user->displayName.toStdString());
    r->set_role(roleFromName(user->role));
    reply(f);
}

void SyncService::onActivate(ConnectionState &state, const wire::Frame &frame, const Reply &reply, QObject *guard)
{
    const wire::ActivateRequest &req = frame.activate();
    const quint64 rid = frame.request_id();
    const QString username = str(req.username()).trimmed().toLower();
    state.device = str(req.device_name()).left(100);
    const QString code = str(req.code());
    const QString newPassword = str(req.new_password());
    const LoginAttempt attempt = m_throttle.begin(username, state.peerAddress, m_clock.nowMs());
    if (!attempt.allowed) {
        refuseThrottled(state, username, QStringLiteral("activate"), attempt, reply, rid);
        return;
    }
    if (attempt.delayMs <= 0) {
        activate(state, guard, username, code, newPassword, attempt, reply, rid);
        return;
    }
    state.loginInProgress = true;
    ConnectionState *statePtr = &state;
    afterThrottleDelay(attempt, guard, [=, this] {
        statePtr->loginInProgress = false;
        activate(*statePtr, guard, username, code, newPassword, attempt, reply, rid);
    });
}

void SyncService::activate(ConnectionState &state, QObject *guard, const QString &username, const QString &code,
                           const QString &newPassword, const LoginAttempt &attempt, const Reply &reply, quint64 rid)
{
    const auto user = m_store.userByUsername(username);
    const qint64 now = m_clock.nowMs();
    const QString codeHash = crypto::sha256Hex(crypto::normaliseActivationCode(code).toUtf8());
    if (!user || user->activationHash.isEmpty()
        || !crypto::constantTimeEquals(codeHash.toLatin1(), user->activationHash.toLatin1())) {
        m_store.audit(username, state.device, QStringLiteral("activate"), state.peerAddress, QStringLiteral("failure"), now);
        for (const ImposedLock &lock : m_throttle.failed(attempt, now))
            auditLock(username, state.device, state.peerAddress, lock, now);
        reply(errorFrame(rid, wire::Error::AUTH_FAILED,
                         QStringLiteral("that activation code is not right: check the letter and try again")));
        return;
    }
    m_throttle.succeeded(attempt); // the code was right: whatever follows is no guess
    if (user->activationExpires < now) {
        reply(errorFrame(rid, wire::Error::CODE_EXPIRED,
                         QStringLiteral("that activation code has expired: ask the school for a new one")));
        return;
    }
    if (user->state == QLatin1String("disabled") || user->state == QLatin1String("locked")) {
        reply(errorFrame(rid, wire::Error::ACCOUNT_LOCKED, QStringLiteral("this account is switched off: please speak to a member of staff")));
        return;
    }
    if (newPassword.size() < kMinPasswordChars) {
        reply(errorFrame(rid, wire::Error::BAD_REQUEST,
                         QStringLiteral("choose a password of at least %1 characters").arg(kMinPasswordChars)));
        return;
    }
    state.loginInProgress = true;
    auto *watcher = new QFutureWatcher<Result<QString>>(this);
    QPointer<QObject> alive(guard);
    ConnectionState *statePtr = &state;
    const qint64 userId = user->id;
    connect(watcher, &QFutureWatcherBase::finished, this, [=, this] {
        const Result<QString> hashed = watcher->result();
        watcher->deleteLater();
        if (!alive)
            return;
        ConnectionState &st = *statePtr;
        st.loginInProgress = false;
        // The code may have been used by another connection (or server process) meanwhile:
        // checked and spent inside one write transaction.
        ServerStore::Transaction tx(m_store);
        const auto fresh = m_store.userById(userId);
        if (!hashed || !fresh || fresh->activationHash != codeHash) {
            reply(errorFrame(rid, wire::Error::CODE_EXPIRED, QStringLiteral("that activation code has already been used")));
            return;
        }
        Status s = m_store.setPassword(userId, hashed.value());
        if (s)
            s = m_store.endSessionsOfUser(userId, m_clock.nowMs(), QStringLiteral("password set by activation"));
        if (s)
            s = m_store.audit(fresh->username, st.device, QStringLiteral("activate"), st.peerAddress,
                              QStringLiteral("success"), m_clock.nowMs());
        if (s)
            s = tx.commit();
        if (!s) {
            reply(errorFrame(rid, wire::Error::INTERNAL, QStringLiteral("the server could not save the new password")));
            return;
        }
        // An activation code stands in for the password, never for the second factor.
        if (m_store.twoFactor(userId)) {
            reply(errorFrame(rid, wire::Error::SECOND_FACTOR_REQUIRED,
                QStringLiteral(
                    "your password is set: now sign in with it and the 6-digit code from "
                    "your authenticator app")));
            return;
        }
        completeLogin(st, *m_store.userById(userId), reply, rid, QStringLiteral("login"));
    });
    const crypto::ScryptParams params = m_passwordParams;
    watcher->setFuture(runHash(crypto::scryptMemory(params),
        [newPassword, params] { return crypto::hashPassword(newPassword, params); }));
}

// ------------------------------------------------------------------ pull

QByteArray SyncService::signCursor(const wire::Cursor &cursor) const
{
    const QByteArray body = QByteArray::fromStdString(cursor.SerializeAsString());
    return body + QMessageAuthenticationCode::hash(body, m_cursorKey, QCryptographicHash::Sha256);
}

std::optional<wire::Cursor> SyncService::verifyCursor(const QByteArray &bytes, qint64 userId) const
{
    if (bytes.size() < 32)
        return std::nullopt;
    const QByteArray body = bytes.left(bytes.size() - 32);
    const QByteArray mac = bytes.right(32);
    if (!crypto::constantTimeEquals(mac, QMessageAuthenticationCode::hash(body, m_cursorKey, QCryptographicHash::Sha256)))
        return std::nullopt;
    wire::Cursor c;
    if (!c.ParseFromArray(body.constData(), static_cast<int>(body.size())) || c.version() != 1
        || c.user_id() != userId)
        return std::nullopt;
    return c;
}

void SyncService::onPull(const UserRecord &user, ConnectionState &state, const wire::Frame &frame, const Reply &reply)
{
    const wire::PullRequest &req = frame.pull();
    // One consistent snapshot for the whole page: the rules' inputs and the changes alike,
    // whatever other processes commit meanwhile.
    ServerStore::Transaction readTx(m_store, ServerStore::Transaction::Mode::Snapshot);
    const auto snap = snapshot();
    const Viewer viewer = viewerFor(user, *snap);
    const JournalRules rules(snap->children, snap->classes);
    const int budget = static_cast<int>(req.max_items() == 0 ? protocol::kMaxPullItems
                                                             : std::min(req.max_items(), protocol::kMaxPullItems));

    const std::optional<wire::Cursor> prev = verifyCursor(QByteArray::fromStdString(req.cursor()), user.id);
    QHash<qint64, qint64> prevCutoffs;
    qint64 prevSeq = 0;
    qint64 prevRosterSeq = -1;
    if (prev) {
        for (const auto &cc : prev->cutoffs())
            prevCutoffs.insert(cc.child_id(), cc.cutoff_ms());
        prevSeq = static_cast<qint64>(prev->seq());
        prevRosterSeq = static_cast<qint64>(prev->roster_seq());
    } else {
        // A first sync: everything visible arrives through the per-child windows below.
        prevSeq = m_store.currentSeq();
    }

    wire::Frame out;
    out.set_request_id(frame.request_id());
    wire::PullReply *r = out.mutable_pull_reply();
    QSet<QString> sent;
    int items = 0;
    auto consider = [&](const QString &id, bool tombstoneIfHidden, const QSet<qint64> &formerScope) {
        if (sent.contains(id))
            return;
        QList<MediaRecord> media;
        const std::optional<ObservationRecord> rec = m_store.observation(id, ServerStore::Availability::Marked, &media);
        if (!rec)
            return;
        if (auto seen = rules.view(viewer, *rec)) {
            // What the page shows, the viewer may fetch next (what the storm's parents do).
            const QStringList fetchable = JournalRules::fetchableMedia(*seen);
            for (const MediaRecord &m : media) {
                if (fetchable.contains(m.id))
                    state.memo.grantMedia(m, snap->now);
            }
            *r->add_observations() = std::move(*seen);
            sent.insert(id);
            ++items;
            return;
        }
        if (!tombstoneIfHidden)
            return;
        bool touched = rules.touchesScope(viewer, *rec);
        for (qint64 c : rec->currentChildIds + rec->pastChildIds)
            touched = touched || formerScope.contains(c);
        if (touched) {
            r->add_removed_ids(id.toStdString());
            sent.insert(id);
        }
    };

    // 1. Windows: children whose release cutoff moved since the cursor (a half term was
    //    released, a lead released early, a child joined or left this viewer's scope).
    QHash<qint64, qint64> nextCutoffs = prevCutoffs;
    QSet<qint64> allChildren(viewer.cutoffs.keyBegin(), viewer.cutoffs.keyEnd());
    for (auto it = prevCutoffs.cbegin(); it != prevCutoffs.cend(); ++it)
        allChildren.insert(it.key());
    QList<qint64> ordered(allChildren.begin(), allChildren.end());
    std::sort(ordered.begin(), ordered.end());
    bool windowsDone = true;
    for (qint64 child : ordered) {
        const qint64 before = prevCutoffs.value(child, ReleaseGate::kNothing);
        const qint64 now = viewer.cutoffs.value(child, ReleaseGate::kNothing);
        if (before == now)
            continue;
        if (items >= budget) {
            windowsDone = false;
            break;
        }
        const QSet<qint64> former{child};
        const qint64 lo = std::min(before, now);
        const qint64 hi = std::max(before, now);
        for (const ChangedObservation &c : m_store.observationsOfChild(child, lo, hi))
            consider(c.id, now < before, former);
        if (viewer.cutoffs.contains(child))
            nextCutoffs.insert(child, now);
        else
            nextCutoffs.remove(child);
    }

    // 2. Changes since the cursor, in the order they happened.
    qint64 nextSeq = prevSeq;
    bool more = !windowsDone;
    if (windowsDone) {
        const QSet<qint64> formerScope(prevCutoffs.keyBegin(), prevCutoffs.keyEnd());
        const int limit = std::max(budget - items, 1);
        const QList<ChangedObservation> changed = m_store.changedSince(prevSeq, limit);
        for (const ChangedObservation &c : changed) {
            consider(c.id, true, formerScope);
            nextSeq = c.seq;
        }
        more = changed.size() == limit;
    }

    // 3. The roster this viewer may see, when it changed.
    const qint64 rosterSeq = m_store.rosterSeq();
    if (rosterSeq != prevRosterSeq || !prev) {
        r->set_roster_changed(true);
        const bool staff = rules.isStaff(viewer);
        for (auto it = viewer.cutoffs.cbegin(); it != viewer.cutoffs.cend(); ++it) {
            const ChildRecord c = snap->children.value(it.key());
            wire::Child *wc = r->add_children();
            wc->set_ref(c.ref.toStdString());
            wc->set_first_name(c.firstName.toStdString());
            wc->set_last_name(c.lastName.toStdString());
            wc->set_class_name(snap->classes.value(c.classId).name.toStdString());
            wc->set_date_of_birth(c.dateOfBirth.toStdString());
            wc->set_consent_journal_media(c.journalMedia);
            wc->set_consent_others_journals(c.othersJournals);
            if (staff)
                wc->set_family_ref(c.familyRef.toStdString());
        }
    }
    for (const ClassRecord &cls : snap->classes) {
        wire::ClassInfo *ci = r->add_classes();
        ci->set_name(cls.name.toStdString());
        ci->set_live(cls.live);
        const int next = cls.live ? -1 : snap->gate->nextReleaseIndex(snap->now);
        if (next >= 0) {
            const HalfTerm &term = snap->gate->halfTerms().at(next);
            ci->set_next_release_ms(snap->gate->releaseMomentMs(term));
            ci->set_next_release_half_term(term.name.toStdString());
        }
    }
    r->set_school_time_zone(snap->school.timeZone.toStdString());
    for (const HalfTerm &term : snap->gate->halfTerms()) {
        wire::HalfTermInfo *h = r->add_calendar();
        h->set_name(term.name.toStdString());
        h->set_first_day(term.firstDay.toString(Qt::ISODate).toStdString());
        h->set_last_day(term.lastDay.toString(Qt::ISODate).toStdString());
        h->set_release_ms(snap->gate->releaseMomentMs(term));
    }

    wire::Cursor next;
    next.set_version(1);
    next.set_user_id(user.id);
    next.set_seq(static_cast<quint64>(nextSeq));
    next.set_roster_seq(static_cast<quint64>(rosterSeq));
    for (auto it = nextCutoffs.cbegin(); it != nextCutoffs.cend(); ++it) {
        auto *cc = next.add_cutoffs();
        cc->set_child_id(it.key());
        cc->set_cutoff_ms(it.value());
    }
    // 4. Assessments, paged on their own.
    if (addAssessments(viewer, rules, *snap, prev, *r, next))
        more = true;
    r->set_next_cursor(signCursor(next).toStdString());
    r->set_more(more);
    qCDebug(lcServerSync) << "pull by user" << user.id << ":" << r->observations_size() << "items,"
                          << r->removed_ids_size() << "removed, more" << more;
    reply(out);
}

// ------------------------------------------------------------------ push

wire::PushResult SyncService::pushOne(const UserRecord &user, const Viewer &viewer,
    const JournalRules &rules, const Snapshot &snap, const wire::PushItem &item,
    bool &calendarWarned, QString &storageFailure)
{
    const wire::Observation &o = item.observation();
    wire::PushResult res;
    res.set_id(o.id());
    auto reject = [&](const QString &reason) {
        res.set_outcome(wire::PushResult::REJECTED);
        res.set_reason(reason.toStdString());
        return res;
    };
    if (!isUuid(o.id()))
        return reject(QStringLiteral("the observation id is not a UUID"));
    if (item.change_id().empty() || item.change_id().size() > 64)
        return reject(QStringLiteral("the change has no valid id"));
    if (o.text().size() > kMaxTextChars * 4 || o.staff_note().size() > kMaxTextChars * 4
        || o.next_steps().size() > kMaxTextChars * 4)
        return reject(QStringLiteral("the text is too long (at most %1 characters)").arg(kMaxTextChars));
    if (o.child_refs_size() > kMaxChildrenPerObservation || o.media_size() > kMaxMediaPerObservation)
        return reject(QStringLiteral("too many children or media items in one observation"));
    if (o.state() != wire::DRAFT && o.state() != wire::PUBLISHED)
        return reject(QStringLiteral("the observation must be a draft or published"));

    // A retry of a change already applied is answered, not applied again — but only to the
    // member of staff who sent it: a replayed change id is no way to learn anything.
    if (!rules.isStaff(viewer))
        return reject(QStringLiteral("only staff can add to or change a journal"));
    if (const auto applied = m_store.appliedChange(str(item.change_id()))) {
        if (applied->observationId != str(o.id()) || applied->authorId != user.id)
            return reject(QStringLiteral("the change id was already used for another change"));
        res.set_outcome(wire::PushResult::ACCEPTED);
        res.set_revision(applied->revision);
        return res;
    }

    QList<qint64> childIds;
    for (const std::string &ref : o.child_refs()) {
        const qint64 id = snap.childIdByRef.value(str(ref), 0);
        if (!id)
            return reject(QStringLiteral("there is no child with reference %1").arg(str(ref)));
        if (!childIds.contains(id))
            childIds.append(id);
    }
    const std::optional<ObservationRecord> existing = m_store.observation(str(o.id()));
    if (!existing && item.base_revision() != 0)
        return reject(QStringLiteral("the server does not have this observation to change"));
    if (existing && item.base_revision() != existing->content.revision()) {
        res.set_outcome(wire::PushResult::CONFLICT);
        res.set_revision(existing->content.revision());
        res.set_reason("changed on another device since you opened it");
        if (auto seen = rules.view(viewer, *existing))
            *res.mutable_server_copy() = *seen;
        return res;
    }
    if (existing && existing->content.state() == wire::DRAFT && existing->authorId != user.id)
        return reject(QStringLiteral("this draft belongs to another member of staff"));
    const bool hasMedia = o.media_size() > 0 && !o.deleted();
    if (auto refusal = rules.refuseEdit(viewer, childIds, existing ? existing->currentChildIds : QList<qint64>{}, hasMedia))
        return reject(*refusal);

    // Media: new ids are declared now and uploaded afterwards; known ids must match.
    QList<MediaRecord> newMedia;
    for (const wire::Media &m : o.media()) {
        if (!isUuid(m.id()))
            return reject(QStringLiteral("a media id is not a UUID"));
        if (m.kind() != wire::PHOTO && m.kind() != wire::VIDEO)
            return reject(QStringLiteral("media must be a photo or a video"));
        if (m.sha256().size() != 32 || m.size() == 0 || m.size() > static_cast<quint64>(kMaxMediaBytes))
            return reject(QStringLiteral("a media item has no valid size or SHA-256"));
        if (m.thumbnail_size() > 0 && m.thumbnail_sha256().size() != 32)
            return reject(QStringLiteral("a thumbnail has no valid SHA-256"));
        if (const auto known = m_store.media(str(m.id()))) {
            if (known->sha256 != hex(m.sha256()) || known->size != static_cast<qint64>(m.size()))
                return reject(QStringLiteral("a media id was reused for different content"));
            continue;
        }
        MediaRecord rec;
        rec.id = str(m.id());
        rec.kind = m.kind() == wire::VIDEO ? QStringLiteral("video") : QStringLiteral("photo");
        rec.size = static_cast<qint64>(m.size());
        rec.sha256 = hex(m.sha256());
        rec.thumbnailSize = static_cast<qint64>(m.thumbnail_size());
        rec.thumbnailSha256 = m.thumbnail_size() ? hex(m.thumbnail_sha256()) : QString();
        rec.declaredBy = user.id;
        newMedia.append(rec);
    }

    const qint64 now = snap.now;
    wire::Observation stored;
    stored.set_id(o.id());
    stored.set_observed_at_ms(o.observed_at_ms() ? o.observed_at_ms() : now);
    for (qint64 id : childIds)
        stored.add_child_refs(snap.children.value(id).ref.toStdString());
    stored.set_text(o.text());
    stored.set_staff_note(o.staff_note());
    stored.set_next_steps(o.next_steps());
    *stored.mutable_eyfs_tags() = o.eyfs_tags();
    for (const wire::Media &m : o.media()) {
        wire::Media *sm = stored.add_media();
        *sm = m;
        sm->clear_available();
        sm->clear_withheld();
    }
    stored.set_state(o.state());
    stored.set_deleted(o.deleted());
    stored.set_revision(existing ? existing->content.revision() + 1 : 1);
    stored.set_author_username(existing ? existing->content.author_username() : user.username.toStdString());
    stored.set_author_name(existing ? existing->content.author_name() : user.displayName.toStdString());
    stored.set_updated_at_ms(now);

    ServerStore::Transaction tx(m_store);
    Status s = tx.ok() ? Status() : Status::failure(m_store.lastError());
    for (const MediaRecord &m : newMedia) {
        if (s)
            s = m_store.insertMedia(m, now);
    }
    if (s)
        s = m_store.saveObservation(stored, childIds, user.id, str(item.change_id()), now);
    if (s)
        s = tx.commit();
    if (!s) {
        qCWarning(lcServerSync) << "could not store observation" << str(o.id()) << s.error();
        storageFailure = s.error();
        return res;
    }
    warnIfBeyondCalendar(snap, stored, childIds, calendarWarned);
    res.set_outcome(wire::PushResult::ACCEPTED);
    res.set_revision(stored.revision());
    return res;
}

void SyncService::warnIfBeyondCalendar(const Snapshot &snap, const wire::Observation &stored,
    const QList<qint64> &childIds, bool &calendarWarned) const
{
    if (calendarWarned || stored.state() != wire::PUBLISHED || stored.deleted())
        return;
    const qint64 observedAt = static_cast<qint64>(stored.observed_at_ms());
    if (snap.gate->halfTermIndexFor(observedAt) >= 0)
        return;
    bool halfTermly = false;
    for (qint64 childId : childIds)
        halfTermly = halfTermly || !snap.classes.value(snap.children.value(childId).classId).live;
    if (!halfTermly)
        return;
    calendarWarned = true;
    // Ids and dates only: no names, no text.
    const QString id = str(stored.id());
    const QString message = snap.gate->halfTerms().isEmpty()
        ? QStringLiteral("observation %1 is in a half-termly class but the school calendar has no "
                         "half terms: it stays withheld from parents until the calendar is set "
                         "(admin import-school)")
              .arg(id)
        : QStringLiteral("observation %1 observed at %2 falls after the last half term of the "
                         "school calendar (ends %3): it stays withheld from parents of half-termly "
                         "classes until the calendar is extended (admin import-school)")
              .arg(id, timeutil::formatMs(observedAt, snap.gate->zone()),
                  snap.gate->halfTerms().constLast().lastDay.toString(Qt::ISODate));
    qCWarning(lcServer).noquote() << message;
}

void SyncService::onPush(const UserRecord &user, const ConnectionState &state, const wire::Frame &frame,
                         const Reply &reply)
{
    Q_UNUSED(state);
    const auto snap = snapshot();
    const Viewer viewer = viewerFor(user, *snap);
    const JournalRules rules(snap->children, snap->classes);
    wire::Frame out;
    out.set_request_id(frame.request_id());
    wire::PushReply *r = out.mutable_push_reply();
    bool calendarWarned = false;
    // The whole push is committed at once, before the reply: one sync to disk for a device's
    // backlog instead of one per observation. Each item is a savepoint inside it, so an item
    // that fails leaves nothing behind and the others stand. Nothing is acknowledged before
    // the commit; if it fails, every item is reported unsaved and the device sends it again.
    QString storageFailure;
    {
        ServerStore::Transaction batch(m_store, ServerStore::Transaction::Mode::Immediate);
        for (const wire::PushItem &item : frame.push().items()) {
            *r->add_results() = pushOne(user, viewer, rules, *snap, item, calendarWarned, storageFailure);
            if (!storageFailure.isEmpty())
                break;
        }
        if (storageFailure.isEmpty()) {
            if (Status s = batch.commit(); !s)
                storageFailure = s.error();
        }
    } // a failed batch is rolled back here: nothing of this push is kept
    if (!storageFailure.isEmpty()) {
        qCWarning(lcServerSync) << "a push of" << frame.push().items_size() << "items by user" << user.id
                                << "was not saved:" << storageFailure;
        const bool full = storageFailure.contains(QLatin1String("full"), Qt::CaseInsensitive);
        reply(errorFrame(frame.request_id(), full ? wire::Error::STORAGE_FULL : wire::Error::INTERNAL,
                         full ? QStringLiteral("the school's server is out of disk space: your observations stay on this "
                                               "device and will be sent again later")
                              : QStringLiteral("the school's server could not save your observations just now: they stay "
                                               "on this device and will be sent again")));
        return;
    }
    for (const wire::PushResult &res : r->results())
        qCInfo(lcServerSync) << "push" << str(res.id()) << "by user" << user.id << "->"
                             << wire::PushResult::Outcome_Name(res.outcome()).c_str();
    reply(out);
}

// ------------------------------------------------------------------ assessments

bool SyncService::addAssessments(const Viewer &viewer, const JournalRules &rules, const Snapshot &snap,
                                 const std::optional<wire::Cursor> &prev, wire::PullReply &reply,
                                 wire::Cursor &next)
{
    // What decides which assessments this viewer sees: their children and cutoffs, and for
    // parents the school's switch. When it changes, the whole set is sent again.
    QList<qint64> children = viewer.cutoffs.keys();
    std::sort(children.begin(), children.end());
    QByteArray scope = QByteArray::number(static_cast<int>(viewer.role));
    if (viewer.role == wire::ROLE_PARENT)
        scope += snap.parentsSeeAssessments ? "+visible" : "+hidden";
    for (qint64 c : children) {
        scope += ';' + QByteArray::number(c);
        if (viewer.role == wire::ROLE_PARENT)
            scope += ':' + QByteArray::number(viewer.cutoffs.value(c));
    }
    scope = crypto::sha256(scope);

    qint64 seq = 0;
    if (prev && QByteArray::fromStdString(prev->assessment_scope()) == scope)
        seq = static_cast<qint64>(prev->assessment_seq());
    else
        reply.set_assessments_reset(true);
    const int limit = static_cast<int>(protocol::kMaxPullItems);
    const QList<AssessmentRecord> changed = m_store.assessmentsChangedSince(seq, limit);
    for (const AssessmentRecord &a : changed) {
        const qint64 moment = snap.gate->assessmentMomentMs(QDate::fromString(a.halfTerm, Qt::ISODate));
        if (auto seen = rules.viewAssessment(viewer, a, moment, snap.parentsSeeAssessments))
            *reply.add_assessments() = std::move(*seen);
        seq = a.seq;
    }
    next.set_assessment_seq(static_cast<quint64>(seq));
    next.set_assessment_scope(scope.toStdString());
    return changed.size() == limit;
}

wire::AssessmentPushResult SyncService::pushAssessment(const UserRecord &user, const ConnectionState &state,
                                                       const Viewer &viewer, const JournalRules &rules,
                                                       const Snapshot &snap, const wire::AssessmentPushItem &item)
{
    const wire::Assessment &a = item.assessment();
    wire::AssessmentPushResult res;
    res.set_change_id(item.change_id());
    auto reject = [&](const QString &reason) {
        res.set_outcome(wire::PushResult::REJECTED);
        res.set_reason(reason.toStdString());
        return res;
    };
    auto conflict = [&](const AssessmentRecord &current) {
        res.set_outcome(wire::PushResult::CONFLICT);
        res.set_revision(current.revision);
        res.set_reason("changed on another device: your judgement is kept in the history");
        const qint64 moment = snap.gate->assessmentMomentMs(QDate::fromString(current.halfTerm, Qt::ISODate));
        if (auto seen = rules.viewAssessment(viewer, current, moment, snap.parentsSeeAssessments))
            *res.mutable_server_copy() = *seen;
        return res;
    };
    const QString changeId = str(item.change_id());
    if (changeId.isEmpty() || item.change_id().size() > 64)
        return reject(QStringLiteral("the change has no valid id"));
    const qint64 childId = snap.childIdByRef.value(str(a.child_ref()), 0);
    if (!childId)
        return reject(QStringLiteral("there is no child with reference %1").arg(str(a.child_ref())));
    const QDate lastDay = QDate::fromString(str(a.half_term()), Qt::ISODate);
    if (snap.gate->halfTermIndexByLastDay(lastDay) < 0)
        return reject(QStringLiteral("%1 is not the last day of a half term in the school calendar")
                          .arg(str(a.half_term())));
    const EyfsFramework &framework = EyfsFramework::standard();
    const QString judgement = str(a.judgement());
    if (auto refusal = rules.refuseAssessment(viewer, childId, str(a.item_key()), judgement, framework))
        return reject(*refusal);
    const QString itemKey = framework.item(str(a.item_key()))->key; // as the framework spells it
    const QString halfTerm = lastDay.toString(Qt::ISODate);

    // A retried change is answered as it was the first time, to the member of staff who sent it.
    if (const auto seen = m_store.assessmentChange(changeId)) {
        if (seen->byId != user.id || seen->childId != childId || seen->itemKey != itemKey
            || seen->halfTerm != halfTerm)
            return reject(QStringLiteral("the change id was already used for another change"));
        const std::optional<AssessmentRecord> current = m_store.assessment(childId, itemKey, halfTerm);
        if (seen->conflict && current)
            return conflict(*current);
        res.set_outcome(wire::PushResult::ACCEPTED);
        res.set_revision(seen->revision);
        return res;
    }

    const std::optional<AssessmentRecord> existing = m_store.assessment(childId, itemKey, halfTerm);
    ServerStore::Transaction tx(m_store);
    Status s = tx.ok() ? Status() : Status::failure(m_store.lastError());
    if (existing && item.base_revision() != existing->revision) {
        // Two devices judged the same thing: the first to arrive stands, the other is kept.
        if (s)
            s = m_store.keepConflictingAssessment(existing->id, item.base_revision(), judgement, user.id, changeId,
                                                  state.device, snap.now);
        if (s)
            s = tx.commit();
        if (!s)
            return reject(QStringLiteral("the server could not save this assessment just now; it will be sent again"));
        return conflict(*m_store.assessment(childId, itemKey, halfTerm));
    }
    if (!existing && item.base_revision() != 0)
        return reject(QStringLiteral("the server does not have this assessment to change"));

    AssessmentRecord rec;
    rec.childId = childId;
    rec.itemKey = itemKey;
    rec.halfTerm = halfTerm;
    rec.judgement = judgement;
    rec.revision = existing ? existing->revision + 1 : 1;
    rec.byId = user.id;
    if (s)
        s = m_store.saveAssessment(rec, changeId, state.device, snap.now);
    if (s)
        s = m_store.audit(user.username, state.device, QStringLiteral("assess"), snap.children.value(childId).ref,
                          QStringLiteral("%1 %2 revision %3").arg(itemKey, halfTerm).arg(rec.revision), snap.now);
    if (s)
        s = tx.commit();
    if (!s) {
        qCWarning(lcServerSync) << "could not store an assessment:" << s.error();
        return reject(QStringLiteral("the server could not save this assessment just now; it will be sent again"));
    }
    res.set_outcome(wire::PushResult::ACCEPTED);
    res.set_revision(rec.revision);
    return res;
}

void SyncService::onAssessmentPush(const UserRecord &user, const ConnectionState &state, const wire::Frame &frame,
                                   const Reply &reply)
{
    const auto snap = snapshot();
    const Viewer viewer = viewerFor(user, *snap);
    const JournalRules rules(snap->children, snap->classes);
    wire::Frame out;
    out.set_request_id(frame.request_id());
    wire::AssessmentPushReply *r = out.mutable_assessment_push_reply();
    if (frame.assessment_push().items_size() > static_cast<int>(protocol::kMaxPullItems)) {
        reply(errorFrame(frame.request_id(), wire::Error::BAD_REQUEST,
                         QStringLiteral("too many assessments in one push (at most %1)").arg(protocol::kMaxPullItems)));
        return;
    }
    {
        // Under the write lock from the first read: each item's "is this a repeat, a
        // conflict or a new revision" is decided on what no other process can change
        // before it commits. Each item is a savepoint of this one transaction.
        ServerStore::Transaction batch(m_store, ServerStore::Transaction::Mode::Immediate);
        if (!batch.ok()) {
            reply(errorFrame(frame.request_id(), wire::Error::INTERNAL,
                             QStringLiteral("the server could not save assessments just now; try again")));
            return;
        }
        for (const wire::AssessmentPushItem &item : frame.assessment_push().items()) {
            *r->add_results() = pushAssessment(user, state, viewer, rules, *snap, item);
            const auto &last = r->results(r->results_size() - 1);
            qCInfo(lcServerSync) << "assessment push by user" << user.id << "->"
                                 << wire::PushResult::Outcome_Name(last.outcome()).c_str();
        }
        if (Status s = batch.commit(); !s) {
            qCWarning(lcServerSync) << "assessment push not saved:" << s.error();
            reply(errorFrame(frame.request_id(), wire::Error::INTERNAL,
                             QStringLiteral("the server could not save the assessments; nothing was saved, send them again")));
            return;
        }
    }
    reply(out);
}

void SyncService::onJournalViews(const UserRecord &user, const ConnectionState &state, const wire::Frame &frame,
                                 const Reply &reply)
{
    const quint64 rid = frame.request_id();
    if (user.role != QLatin1String("practitioner") && user.role != QLatin1String("lead")) {
        reply(errorFrame(rid, wire::Error::FORBIDDEN, QStringLiteral("only staff devices report journal views")));
        return;
    }
    const auto &views = frame.journal_views().views();
    if (views.size() > static_cast<int>(protocol::kMaxPullItems)) {
        reply(errorFrame(rid, wire::Error::BAD_REQUEST,
                         QStringLiteral("too many journal views in one report (at most %1)").arg(protocol::kMaxPullItems)));
        return;
    }
    const QString action = QStringLiteral("view-journal");
    const qint64 now = m_clock.nowMs();
    wire::Frame out;
    out.set_request_id(rid);
    wire::JournalViewReply *r = out.mutable_journal_views_reply();
    ServerStore::Transaction tx(m_store); // one write to disk for the whole report
    for (const wire::JournalView &v : views) {
        if (!isUuid(v.view_id()) || v.child_ref().empty() || v.child_ref().size() > 64)
            continue; // malformed: not recorded, and the device is not told it was
        const QString viewId = str(v.view_id());
        // Sent again after a dropped answer: recorded once. The device's time, unless it is
        // in the future or more than a year old.
        if (!m_store.auditRecorded(action, viewId)) {
            const qint64 at = v.viewed_at_ms() > 0 && v.viewed_at_ms() <= now
                    && v.viewed_at_ms() > now - 366LL * 24 * 3600 * 1000
                ? v.viewed_at_ms()
                : now;
            if (Status s = m_store.audit(user.username, state.device, action, str(v.child_ref()), viewId, at); !s) {
                reply(errorFrame(rid, wire::Error::INTERNAL, QStringLiteral("the server could not record the views")));
                return;
            }
        }
        r->add_recorded_ids(v.view_id());
    }
    if (tx.ok() && !tx.commit()) {
        reply(errorFrame(rid, wire::Error::INTERNAL, QStringLiteral("the server could not record the views")));
        return;
    }
    reply(out);
}

// ------------------------------------------------------------------ media

Result<MediaRecord> SyncService::uploadTarget(const UserRecord &user, const std::string &mediaId,
                                              wire::MediaVariant variant)
{
    using R = Result<MediaRecord>;
    const std::optional<MediaRecord> m = m_store.media(str(mediaId));
    if (!m || m->declaredBy != user.id)
        return R::failure(QStringLiteral("no observation of yours declares this media item"));
    if (variant == wire::THUMBNAIL && m->thumbnailSize == 0)
        return R::failure(QStringLiteral("this media item has no thumbnail"));
    if (variant != wire::ORIGINAL && variant != wire::THUMBNAIL)
        return R::failure(QStringLiteral("unknown media variant"));
    return *m;
}

void SyncService::onUploadBegin(const UserRecord &user, const wire::Frame &frame, const Reply &reply)
{
    const wire::UploadBegin &req = frame.upload_begin();
    const auto target = uploadTarget(user, req.media_id(), req.variant());
    if (!target) {
        reply(errorFrame(frame.request_id(), wire::Error::FORBIDDEN, target.error()));
        return;
    }
    const bool thumb = req.variant() == wire::THUMBNAIL;
    const qint64 size = thumb ? target->thumbnailSize : target->size;
    const QString sha = thumb ? target->thumbnailSha256 : target->sha256;
    if (static_cast<qint64>(req.size()) != size || hex(req.sha256()) != sha) {
        reply(errorFrame(frame.request_id(), wire::Error::BAD_REQUEST,
                         QStringLiteral("the upload does not match the media item its observation declared")));
        return;
    }
    bool done = thumb ? target->thumbnailDone : target->originalDone;
    const qint64 held = done ? size : m_media.incomingSize(MediaStore::uploadKey(target->id, req.variant()));
    if (!done && held == size) {
        // Every byte arrived before the server stopped (or was killed) short of the commit:
        // finish it now, or the client has nothing left to send and waits for ever. A file
        // that fails its hash check is discarded, answered with an error, and sent again.
        if (!finishUpload(*target, req.variant(), frame.request_id(), reply))
            return;
        done = true;
    }
    wire::Frame out;
    out.set_request_id(frame.request_id());
    wire::UploadStatus *st = out.mutable_upload_status();
    st->set_media_id(req.media_id());
    st->set_variant(req.variant());
    st->set_complete(done);
    st->set_offset(static_cast<quint64>(held));
    reply(out);
}

void SyncService::onUploadChunk(const UserRecord &user, const wire::Frame &frame, const Reply &reply)
{
    const wire::UploadChunk &req = frame.upload_chunk();
    const quint64 rid = frame.request_id();
    const auto target = uploadTarget(user, req.media_id(), req.variant());
    if (!target) {
        reply(errorFrame(rid, wire::Error::FORBIDDEN, target.error()));
        return;
    }
    const bool thumb = req.variant() == wire::THUMBNAIL;
    const qint64 size = thumb ? target->thumbnailSize : target->size;
    const QString sha = thumb ? target->thumbnailSha256 : target->sha256;
    const QString key = MediaStore::uploadKey(target->id, req.variant());
    wire::Frame out;
    out.set_request_id(rid);
    wire::UploadStatus *st = out.mutable_upload_status();
    st->set_media_id(req.media_id());
    st->set_variant(req.variant());
    if (thumb ? target->thumbnailDone : target->originalDone) {
        st->set_offset(static_cast<quint64>(size));
        st->set_complete(true);
        reply(out);
        return;
    }
    const qint64 held = m_media.incomingSize(key);
    const qint64 offset = static_cast<qint64>(req.offset());
    const qint64 len = static_cast<qint64>(req.data().size());
    if (offset != held || offset + len > size) {
        // Not an error: the client resumes from what the server holds.
        st->set_offset(static_cast<quint64>(held));
        reply(out);
        return;
    }
    bool diskFull = false;
    if (Status s = m_media.append(key, offset, req.data(), &diskFull); !s) {
        qCWarning(lcServerMedia) << "upload" << key << "failed:" << s.error();
        reply(errorFrame(rid, diskFull ? wire::Error::STORAGE_FULL : wire::Error::INTERNAL,
                         diskFull ? QStringLiteral("the school's server is out of disk space: the upload will continue later")
                                  : QStringLiteral("the server could not store the upload: it will continue later")));
        return;
    }
    st->set_offset(static_cast<quint64>(offset + len));
    if (offset + len == size) {
        if (!finishUpload(*target, req.variant(), rid, reply))
            return;
        st->set_complete(true);
    }
    reply(out);
}

bool SyncService::finishUpload(const MediaRecord &target, wire::MediaVariant variant, quint64 rid, const Reply &reply)
{
    const bool thumb = variant == wire::THUMBNAIL;
    const qint64 size = thumb ? target.thumbnailSize : target.size;
    const QString sha = thumb ? target.thumbnailSha256 : target.sha256;
    if (Status s = m_media.commit(MediaStore::uploadKey(target.id, variant), size, sha); !s) {
        reply(errorFrame(rid, wire::Error::BAD_REQUEST, s.error()));
        return false;
    }
    ServerStore::Transaction tx(m_store);
    Status s = m_store.markMediaVariantDone(target.id, variant);
    const auto now = m_store.media(target.id);
    if (s && now && now->available())
        s = m_store.touchObservations(m_store.observationsWithMedia(target.id)); // parents learn it arrived
    if (s)
        s = tx.commit();
    if (!s) {
        reply(errorFrame(rid, wire::Error::INTERNAL, QStringLiteral("the server could not record the upload")));
        return false;
    }
    qCInfo(lcServerMedia) << "media" << target.id << "variant" << variant << "complete," << size << "bytes";
    return true;
}

void SyncService::onMediaFetch(const UserRecord &user, ConnectionState &state, const wire::Frame &frame,
                               const Reply &reply)
{
    const wire::MediaFetch &req = frame.media_fetch();
    const quint64 rid = frame.request_id();
    const QString mediaId = str(req.media_id());
    const auto refuse = [&] {
        // The same answer for "no such media" and "not yours": an id is never a capability
        // and never an oracle.
        reply(errorFrame(rid, wire::Error::FORBIDDEN, QStringLiteral("you may not see this media item")));
    };
    if (!isUuid(req.media_id()))
        return refuse();
    std::optional<MediaRecord> m;
    if (const auto kept = state.memo.media.constFind(mediaId); kept != state.memo.media.cend()) {
        m = *kept;
        ++m_keptAnswers;
    }
    if (!m) {
        m = m_store.media(mediaId);
        if (!m)
            return refuse();
        const auto snap = snapshot();
        const Viewer viewer = viewerFor(user, *snap);
        const JournalRules rules(snap->children, snap->classes);
        bool allowed = false;
        for (const QString &obsId : m_store.observationsWithMedia(mediaId)) {
            if (const auto rec = m_store.observation(obsId, ServerStore::Availability::Unmarked);
                rec && rules.mayFetchMedia(viewer, *rec, mediaId)) {
                allowed = true;
                break;
            }
        }
        if (!allowed)
            return refuse();
        state.memo.grantMedia(*m, snap->now); // an original's next chunks
    }
    const bool thumb = req.variant() == wire::THUMBNAIL;
    if (!(thumb ? m->thumbnailDone : m->originalDone)) {
        reply(errorFrame(rid, wire::Error::NOT_FOUND, QStringLiteral("this media item has not finished uploading yet")));
        return;
    }
    const QString sha = thumb ? m->thumbnailSha256 : m->sha256;
    const qint64 total = thumb ? m->thumbnailSize : m->size;
    const qint64 length = req.length() == 0 ? protocol::kMaxChunkBytes
                                            : std::min<qint64>(req.length(), protocol::kMaxChunkBytes);
    const auto data = m_media.read(sha, static_cast<qint64>(req.offset()), length);
    if (!data) {
        reply(errorFrame(rid, wire::Error::NOT_FOUND, data.error()));
        return;
    }
    wire::Frame out;
    out.set_request_id(rid);
    wire::MediaData *d = out.mutable_media_data();
    d->set_media_id(req.media_id());
    d->set_variant(req.variant());
    d->set_total_size(static_cast<quint64>(total));
    d->set_offset(req.offset());
    d->set_data(data->constData(), static_cast<size_t>(data->size()));
    d->set_sha256(QByteArray::fromHex(sha.toLatin1()).toStdString());
    reply(out);
}

// ------------------------------------------------------------------ early release

Result<qint64> SyncService::releaseClass(const QString &className, const QString &throughDate, const QString &actor,
                                         const QString &device)
{
    using R = Result<qint64>;
    const auto snap = snapshot();
    const ClassRecord *cls = nullptr;
    for (const ClassRecord &c : snap->classes) {
        if (c.name.compare(className, Qt::CaseInsensitive) == 0)
            cls = &c;
    }
    if (!cls)
        return R::failure(QStringLiteral("there is no class '%1'").arg(className));
    if (cls->live)
        return R::failure(QStringLiteral("%1 is a live class: its journal is already released as it is written").arg(cls->name));
    qint64 cutoff = snap->now;
    if (!throughDate.isEmpty()) {
        const auto d = timeutil::parseDate(throughDate);
        if (!d)
            return R::failure(d.error());
        cutoff = snap->gate->endOfDayMs(d.value());
        if (cutoff > snap->now)
            return R::failure(QStringLiteral("%1 is in the future: an early release covers days that have passed").arg(throughDate));
    }
    ServerStore::Transaction tx(m_store);
    Status s = m_store.addEarlyRelease(cls->id, cutoff, actor, snap->now);
    if (s)
        s = m_store.audit(actor, device, QStringLiteral("release"), cls->name,
                          QStringLiteral("released through %1").arg(timeutil::formatMs(cutoff, snap->gate->zone())),
                          snap->now);
    if (s)
        s = tx.commit();
    if (!s)
        return R::failure(s.error());
    return cutoff;
}

void SyncService::onRelease(const UserRecord &user, const ConnectionState &state, const wire::Frame &frame,
                            const Reply &reply)
{
    if (user.role != QLatin1String("lead")) {
        reply(errorFrame(frame.request_id(), wire::Error::FORBIDDEN, QStringLiteral("only the EYFS lead can release a class early")));
        return;
    }
    const auto r = releaseClass(str(frame.release().class_name()), str(frame.release().through_date()), user.username,
                                state.device);
    if (!r) {
        reply(errorFrame(frame.request_id(), wire::Error::BAD_REQUEST, r.error()));
        return;
    }
    wire::Frame out;
    out.set_request_id(frame.request_id());
    out.mutable_release_reply()->set_class_name(frame.release().class_name());
    out.mutable_release_reply()->set_released_through_ms(r.value());
    reply(out);
}

} // namespace acorn::server
