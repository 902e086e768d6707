#pragma once

#include "acorn.pb.h"
#include "crypto.h"
#include "journalrules.h"
#include "loginthrottle.h"
#include "sessionlifetimes.h"
#include "result.h"
#include "serverstore.h"

#include <QObject>
#include <QPointer>
#include <QHash>
#include <QSemaphore>
#include <QThreadPool>

#include <cstdint>
#include <functional>
#include <memory>

namespace acorn::server {

class Clock;
class MediaStore;
class ServerStore;

// What one connection was allowed, kept while the database stays as it was when it was
// decided (ServerStore::DataVersion: any change but the bookkeeping of sign-ins ends it,
// whoever made it, this server or an admin command). A release storm's thumbnail fetches
// skip the session, account and rules lookups that gave the same answer a moment ago.
// SQLite only: PostgreSQL has no such version, and every request checks everything.
struct AccessMemo
{
    // Media items kept per connection at most (about half a kilobyte each, so at most
    // 128 MiB over the server's 512 connections): a parent's release is a few dozen; a
    // lead's first sync may list tens of thousands, and then the newest pages' are kept.
    static constexpr int kMaxMedia = 512;

    ServerStore::DataVersion version; // the database all below was decided on
    qint64 latestMs = 0; // the clock's latest reading while deciding it
    QByteArray tokenHash; // the session it belongs to
    std::optional<SessionRecord> session; // live, its last use recorded within the minute
    std::optional<UserRecord> user; // active
    // Items the rules let this user fetch (both variants), by their id exactly as stored:
    // ids differing in letter case are different items (a QUuid key once let a staff
    // member's own item stand in for another's).
    QHash<QString, MediaRecord> media;

    // Forgets everything that was decided on another version, for another session, or
    // later than `nowMs`. Releases only widen what a parent sees as time passes, but a
    // clock set back (a wrong date corrected) narrows it again.
    void keepOnlyFor(const ServerStore::DataVersion &current, const QByteArray &session, qint64 nowMs);
    // Keeps the connection's live session and active account, read at `version`.
    void keepSignIn(const SessionRecord &liveSession, const UserRecord &activeUser);
    // Keeps `record` as allowed, decided with the clock at `decidedAtMs`.
    void grantMedia(const MediaRecord &record, qint64 decidedAtMs);
};

// What the server knows about one connection's conversation: whether Hello came, who
// signed in, from which device.
struct ConnectionState
{
    bool helloDone = false;
    quint32 protocolVersion = 0;
    wire::ClientKind clientKind = wire::CLIENT_KIND_UNSPECIFIED;
    QString peerAddress;
    qint64 userId = 0;
    QByteArray tokenHash;
    QString device;
    bool loginInProgress = false;
    AccessMemo memo;
};

// Answers decoded frames: sign-in, pull, push, media upload and fetch, early release.
// It holds no socket, so tests and fuzzers can drive it directly; the network layer
// (SyncServer) owns connections and passes each frame here. Every decision about who may
// see or change what is delegated to JournalRules.
class SyncService : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(const wire::Frame &)>;

    SyncService(ServerStore &store, MediaStore &media, const Clock &clock, QObject *parent = nullptr);
    ~SyncService() override;

    // Handles one frame. `reply` may be called later (sign-in hashes off the event loop);
    // `guard` going away (the connection closed) cancels that late reply.
    void handle(ConnectionState &state, const wire::Frame &frame, const Reply &reply, QObject *guard);

    // Early release of a class through a date (or now); shared by the lead's request and
    // the admin command. Returns the cutoff.
    Result<qint64> releaseClass(const QString &className, const QString &throughDate, const QString &actor,
                                const QString &device);

    // How many media fetches were answered from what their connection kept (AccessMemo),
    // without looking up the session, account and rules again.
    quint64 keptMediaAnswers() const { return m_keptAnswers; }

    // How long sign-ins last (acorn-server.conf [sessions]); applied to every request.
    void setSessionLifetimes(const SessionLifetimes &lifetimes) { m_lifetimes = lifetimes; }
    const SessionLifetimes &sessionLifetimes() const { return m_lifetimes; }
    // How failed sign-ins are slowed and refused; tests shorten the delays.
    void setThrottlePolicy(const LoginThrottlePolicy &policy) { m_throttle.setPolicy(policy); }
    const LoginThrottlePolicy &throttlePolicy() const { return m_throttle.policy(); }

    // The scrypt parameters of new password hashes (activation, and the replacement of an
    // older hash after a successful sign-in). Tests use cheap ones, so that their accounts'
    // cheap hashes are not replaced at every sign-in.
    void setPasswordParams(const crypto::ScryptParams &params) { m_passwordParams = params; }

    // Threads for password hashing. However many sign-ins arrive at once, the hashes that
    // run at the same time hold at most kHashMemoryMiB between them (scrypt's memory is the
    // server's peak): two of today's hashes (64 MiB and 2 KiB each, so 65 MiB counted), or
    // one of the older 128 MiB ones. The rest wait their turn in the pool's queue, costing a
    // few bytes each.
    static constexpr int kHashThreads = 2;
    static constexpr int kHashMemoryMiB = 130;

private:
    struct Snapshot;
    // The school as the rules see it now: loaded again only when the database changed.
    std::unique_ptr<Snapshot> snapshot();
    std::unique_ptr<Snapshot> loadSnapshot();
    Viewer viewerFor(const UserRecord &user, const Snapshot &snap);

    void onHello(ConnectionState &state, const wire::Frame &frame, const Reply &reply);
    void onLogin(ConnectionState &state, const wire::Frame &frame, const Reply &reply, QObject *guard);
    void onTokenLogin(ConnectionState &state, const wire::Frame &frame, const Reply &reply);
    void onActivate(ConnectionState &state, const wire::Frame &frame, const Reply &reply, QObject *guard);
    // A password check: whether it matched, and a new hash when the stored one was made with
    // older scrypt parameters.
    struct Verified
    {
        bool ok = false;
        QString newHash;
    };
    struct Credentials
    {
        QString username;
        QString password;
        QString secondFactorCode; // empty when the user typed none
    };
    // Sign-in steps after the throttle let an attempt through (and its delay passed).
    void verifyLogin(ConnectionState *state, QObject *guard, const Credentials &credentials,
        const LoginAttempt &attempt, const Reply &reply, quint64 rid);
    // The second factor of an account whose password was right; consumes an accepted code.
    enum class SecondFactor { NotEnrolled, Missing, Wrong, Accepted };
    SecondFactor checkSecondFactor(qint64 userId, const QString &typed, qint64 now);
    void activate(ConnectionState &state, QObject *guard, const QString &username, const QString &code,
                  const QString &newPassword, const LoginAttempt &attempt, const Reply &reply, quint64 rid);
    // Runs `next` after the attempt's delay (a timer), unless the connection closes first.
    void afterThrottleDelay(const LoginAttempt &attempt, QObject *guard, const std::function<void()> &next);
    void refuseThrottled(const ConnectionState &state, const QString &username, const QString &how,
                         const LoginAttempt &attempt, const Reply &reply, quint64 rid);
    void auditLock(const QString &username, const QString &device, const QString &peer, const ImposedLock &lock,
                   qint64 now);
    // Whether a session may still be used now; ends it (recording why) when it expired.
    // Records its use once a minute (and updates `session` to match).
    bool sessionStillLive(SessionRecord &session, qint64 now);
    // The active account of the connection's live session, from the memo or the database;
    // nullopt (and signed out) when there is none.
    std::optional<UserRecord> signedInUser(ConnectionState &state, qint64 now);
    void onPull(const UserRecord &user, ConnectionState &state, const wire::Frame &frame, const Reply &reply);
    void onPush(const UserRecord &user, const ConnectionState &state, const wire::Frame &frame, const Reply &reply);
    void onUploadBegin(const UserRecord &user, const wire::Frame &frame, const Reply &reply);
    void onUploadChunk(const UserRecord &user, const wire::Frame &frame, const Reply &reply);
    // Checks a whole upload against its SHA-256, moves it into the object store and records
    // it; on failure answers `rid` with the error and returns false.
    bool finishUpload(const MediaRecord &target, wire::MediaVariant variant, quint64 rid, const Reply &reply);
    void onMediaFetch(const UserRecord &user, ConnectionState &state, const wire::Frame &frame, const Reply &reply);
    void onRelease(const UserRecord &user, const ConnectionState &state, const wire::Frame &frame, const Reply &reply);
    // Staff devices' reports of journals opened: one audit entry per view, once.
    void onJournalViews(const UserRecord &user, const ConnectionState &state, const wire::Frame &frame,
                        const Reply &reply);
    // Two-factor set-up from the user's own device (TwoFactorEnrolment decides).
    void onTwoFactorSetup(const UserRecord &user, ConnectionState &state, const wire::Frame &frame,
        const Reply &reply, QObject *guard);
    void onTwoFactorConfirm(const UserRecord &user, ConnectionState &state,
        const wire::Frame &frame, const Reply &reply, QObject *guard);
    // Runs `check` (which looks at a code the user typed and returns whether it was wrong)
    // through the sign-in throttle, as a password is: refused during a lock, after the
    // attempt's delay otherwise, and a wrong code counted as a failed sign-in.
    void throttledCodeCheck(ConnectionState &state, const QString &username, const QString &how,
        quint64 rid, const Reply &reply, QObject *guard,
        const std::function<bool(ConnectionState &)> &check);
    void onAssessmentPush(const UserRecord &user, const ConnectionState &state, const wire::Frame &frame,
                          const Reply &reply);
    wire::AssessmentPushResult pushAssessment(const UserRecord &user, const ConnectionState &state,
                                              const Viewer &viewer, const JournalRules &rules, const Snapshot &snap,
                                              const wire::AssessmentPushItem &item);
    // Adds to a pull reply the assessments changed since the cursor (all of them, after a
    // reset, when what decides this viewer's assessments changed); returns whether more remain.
    bool addAssessments(const Viewer &viewer, const JournalRules &rules, const Snapshot &snap,
                        const std::optional<wire::Cursor> &prev, wire::PullReply &reply, wire::Cursor &next);

    // `calendarWarned` is shared by the items of one push, so that an observation beyond
    // the calendar is reported to the IT manager once per push. When the database cannot
    // store an acceptable item (disk full, I/O), `storageFailure` says why: the fault is the
    // server's, not the item's, and the whole push is answered with an error.
    wire::PushResult pushOne(const UserRecord &user, const Viewer &viewer,
        const JournalRules &rules, const Snapshot &snap, const wire::PushItem &item,
        bool &calendarWarned, QString &storageFailure);
    // Warns (once per push) when a published observation of a half-termly class falls
    // after the calendar's last half term: it stays withheld until the calendar is extended.
    void warnIfBeyondCalendar(const Snapshot &snap, const wire::Observation &stored,
        const QList<qint64> &childIds, bool &calendarWarned) const;
    // Loads the media record of an upload the user may make, or explains why not.
    Result<MediaRecord> uploadTarget(const UserRecord &user, const std::string &mediaId,
                                     wire::MediaVariant variant);
    void completeLogin(ConnectionState &state, const UserRecord &user, const Reply &reply, quint64 requestId,
                       const QString &how);

    QByteArray signCursor(const wire::Cursor &cursor) const;
    std::optional<wire::Cursor> verifyCursor(const QByteArray &bytes, qint64 userId) const;

    ServerStore &m_store;
    MediaStore &m_media;
    const Clock &m_clock;
    LoginThrottle m_throttle;
    SessionLifetimes m_lifetimes;
    // Runs `job` (which needs `memoryBytes` while it runs) on the hash pool once it fits in
    // the hashing memory budget.
    template<typename Job>
    auto runHash(std::uint64_t memoryBytes, Job job);

    QThreadPool m_hashPool;
    QSemaphore m_hashMemory { kHashMemoryMiB };
    crypto::ScryptParams m_passwordParams;
    QString m_dummyHash; // verified against for unknown users, so timing reveals nothing
    QByteArray m_cursorKey;
    std::unique_ptr<Snapshot> m_school; // the last one loaded, without `now`
    ServerStore::DataVersion m_schoolVersion;
    quint64 m_keptAnswers = 0;
};

wire::Frame errorFrame(quint64 requestId, wire::Error::Code code, const QString &message);

} // namespace acorn::server
