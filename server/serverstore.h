#pragma once

#include "acorn.pb.h"
#include "releasegate.h"
#include "result.h"
#include "roles.h"
#include "sqldialect.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <limits>
#include <memory>
#include <limits>
#include <optional>

class QSqlQuery;

namespace acorn::server {

class Database;
struct DatabaseLocation;

struct SchoolSettings
{
    QString name;
    QString timeZone = QStringLiteral("Europe/London");
    QString releaseTime = QStringLiteral("16:00");
    QString contact;
};

struct ClassRecord
{
    qint64 id = 0;
    QString name;
    bool live = false;
};

struct ChildRecord
{
    qint64 id = 0;
    QString ref;
    QString firstName;
    QString lastName;
    QString dateOfBirth;
    qint64 classId = 0;
    qint64 familyId = 0;
    QString familyRef;
    bool journalMedia = false;
    bool othersJournals = false;
    QString consentRecordedBy; // who recorded the consent decision (a name, never logged)
    qint64 consentRecordedAt = 0;
};

struct UserRecord
{
    qint64 id = 0;
    QString username;
    QString displayName;
    QString role;  // admin | lead | practitioner | parent
    QString state; // invited | active | locked | disabled
    qint64 familyId = 0;
    QString passwordHash;
    QString activationHash;
    qint64 activationExpires = 0;
};

struct SessionRecord
{
    qint64 id = 0;
    qint64 userId = 0;
    QString device;
    qint64 createdAt = 0;
    qint64 lastUsedAt = 0;
    qint64 revokedAt = 0; // 0 while the session has not ended
    QString endReason; // why it ended: "logged out", "password changed", ...
};

struct MediaRecord
{
    QString id;
    QString kind; // photo | video
    qint64 size = 0;
    QString sha256;
    qint64 thumbnailSize = 0;
    QString thumbnailSha256;
    bool originalDone = false;
    bool thumbnailDone = false;
    qint64 declaredBy = 0;

    bool available() const { return originalDone && (thumbnailSize == 0 || thumbnailDone); }
};

// An observation as stored: the staff view of its current revision plus what the rules
// need to decide who may see it.
struct ObservationRecord
{
    wire::Observation content; // full staff view; media availability filled on load
    qint64 authorId = 0;
    qint64 seq = 0;
    QList<qint64> currentChildIds;
    QList<qint64> pastChildIds; // untagged since; their families get tombstones
};

// One judgement on one framework item for one child in one half term, as stored, with its
// history (every applied revision and every submission that lost a conflict), oldest first.
struct AssessmentRecord
{
    qint64 id = 0;
    qint64 childId = 0;
    QString itemKey;
    QString halfTerm; // the half term's last day, YYYY-MM-DD
    QString judgement;
    quint64 revision = 0;
    qint64 byId = 0;
    QString byUsername;
    QString byName;
    qint64 at = 0;
    qint64 seq = 0;

    struct Revision
    {
        quint64 revision = 0; // made, or for a conflict the one it was based on
        QString judgement;
        QString byUsername;
        QString byName;
        qint64 at = 0;
        bool conflict = false;
    };
    QList<Revision> history;
};

struct ChangedObservation
{
    QString id;
    qint64 seq = 0;
};

// Every SQL statement of the server. Prepared statements with bound values only; the
// schema lives in schema.cpp. Callers group writes with Transaction.
class ServerStore
{
public:
    explicit ServerStore(std::unique_ptr<Database> database);
    ~ServerStore();

    static Result<std::unique_ptr<ServerStore>> open(const DatabaseLocation &where, bool create);
    static Result<std::unique_ptr<ServerStore>> openSqlite(const QString &path, bool create);
    SqlDialect dialect() const;

    // Changes whenever the database may have changed since it was last read: a commit by
    // another connection (an admin command, another process) or any row this connection
    // changed, except the bookkeeping of sign-ins (a new session, a session's last use, an
    // audit entry), which no reader keeps. Equal versions mean nothing a reader keeps
    // changed. Lets a reader keep what it loaded, and a connection what it was allowed.
    // PostgreSQL has no such counter (sqldialect::dataVersionQuery): there it is never
    // valid, and readers load afresh each time.
    struct DataVersion
    {
        bool valid = false; // false when it could not be read: assume a change
        qint64 otherConnections = 0; // PRAGMA data_version
        qint64 thisConnection = 0; // total_changes(), less the sign-in bookkeeping
        bool operator==(const DataVersion &o) const
        {
            return valid && o.valid && otherConnections == o.otherConnections && thisConnection == o.thisConnection;
        }
    };
    DataVersion dataVersion();

    // RAII transaction; rolls back unless commit() succeeded. Inside another one it is a
    // SAVEPOINT: its commit() keeps its changes for the outer transaction to commit, and
    // its rollback undoes only its own changes (a push of many items commits them together
    // with one sync to disk, while a refused item still leaves nothing behind).
    class Transaction
    {
    public:
        // Immediate: the outermost transaction takes the write lock at once (BEGIN
        // IMMEDIATE), so reads and writes inside it cannot fail with "busy" half-way because
        // another process wrote in between.
        // Snapshot: reads only, all from one consistent snapshot (a pull's page).
        // Deferred: SQLite takes the lock at the first write; PostgreSQL cannot upgrade a
        // transaction like that, so there it is the same as Immediate (sqldialect.h).
        enum class Mode { Deferred, Immediate, Snapshot };
        explicit Transaction(ServerStore &store, Mode mode = Mode::Deferred);
        ~Transaction();
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;
        bool ok() const { return m_active; }
        Status commit();

    private:
        void rollback();

        ServerStore &m_store;
        QString m_savepoint; // empty: the outermost transaction
        bool m_active = false;
    };

    // ---- school, calendar, classes
    std::optional<SchoolSettings> school();
    Status saveSchool(const SchoolSettings &school);
    QList<HalfTerm> halfTerms();
    Status replaceCalendar(const QList<HalfTerm> &terms);
    QList<ClassRecord> classes();
    Result<qint64> upsertClass(const QString &name, bool live);
    // Latest early-release cutoff per class id (absent: none).
    QHash<qint64, qint64> earlyReleases();
    Status addEarlyRelease(qint64 classId, qint64 throughMs, const QString &by, qint64 now);

    // ---- families and children
    Result<qint64> upsertFamily(const QString &ref);
    // The ref of a family by id, or nullopt when there is no such family.
    std::optional<QString> familyRef(qint64 familyId);
    QList<ChildRecord> children();
    std::optional<ChildRecord> childByRef(const QString &ref);
    // Inserts or updates by ref. Returns the id; *visibilityChanged is set when the class,
    // family or consent changed (the caller then bumps the child's observations);
    // *changed, when given, is set when the child was created or anything about them changed.
    Result<qint64> upsertChild(const ChildRecord &child, const QString &recordedBy, qint64 now,
        bool *visibilityChanged, bool *changed = nullptr);
    // Records a consent decision: both flags, who recorded it and when.
    Status setConsent(qint64 childId, bool journalMedia, bool othersJournals,
        const QString &recordedBy, qint64 now);
    // Marks every observation that tags (or tagged) the child as changed, so that every
    // device re-evaluates it at its next pull.
    Status touchObservationsOfChild(qint64 childId);

    // ---- data protection (ChildExport, ChildErasure)
    // Ids of every observation that tags or once tagged the child.
    QStringList observationIdsOfChild(qint64 childId);
    struct RevisionRecord
    {
        quint64 revision = 0;
        qint64 authorId = 0;
        qint64 at = 0;
        wire::Observation content; // the staff view of that revision
    };
    // Every stored revision of an observation, oldest first.
    QList<RevisionRecord> observationRevisions(const QString &observationId);
    Status replaceRevisionContent(
        const QString &observationId, quint64 revision, const wire::Observation &content);
    Status deleteRevisionsBefore(const QString &observationId, quint64 revision);
    Status deleteMedia(const QString &mediaId);
    // How many media records use this stored object (as original or thumbnail).
    int mediaObjectUsers(const QString &sha256Hex);
    // Turns the child's row into a stub: no reference, name, date of birth or consent;
    // it leaves every roster (children(), childByRef()).
    Status eraseChildRecord(qint64 childId, qint64 now);
    // Deletes a child's assessments with their whole history; returns how many there were.
    Result<int> deleteAssessmentsOfChild(qint64 childId);
    struct Leaver
    {
        qint64 childId = 0;
        QString ref;
        QString leavingDate; // YYYY-MM-DD
    };
    // Children (not erased) whose leaving date is before `isoDate`, earliest first.
    QList<Leaver> leaversBefore(const QString &isoDate);
    // The child's leaving date (YYYY-MM-DD), empty when none is recorded.
    QString leavingDate(qint64 childId);
    Status setLeavingDate(qint64 childId, const QString &isoDate);
    // For erasure: from now on this connection overwrites deleted content with zeros
    // (PRAGMA secure_delete), and truncateWal() folds the write-ahead log into the database
    // file and empties it, so erased text does not linger in free pages or old WAL frames.
    Status enableSecureDelete();
    Status truncateWal();

    // ---- users and sessions
    std::optional<UserRecord> userByUsername(const QString &username);
    std::optional<UserRecord> userById(qint64 id);
    QList<UserRecord> users();
    Result<qint64> insertUser(const UserRecord &user, qint64 now);
    Status updateUserProfile(qint64 id, const QString &displayName, const QString &role, qint64 familyId);
    Status setPassword(qint64 userId, const QString &hash);
    // Replaces a password hash by an equivalent one (same password, newer scrypt
    // parameters), only if it is still `oldHash`; true if it was replaced. Nothing else
    // about the account changes.
    bool replacePasswordHash(qint64 userId, const QString &oldHash, const QString &newHash);
    Status setActivation(qint64 userId, const QString &codeHash, qint64 expiresMs);
    Status setUserState(qint64 userId, const QString &state);
    QSet<qint64> staffClassIds(qint64 userId);
    Status setStaffClasses(qint64 userId, const QSet<qint64> &classIds);
    Status createSession(qint64 userId, const QByteArray &tokenHash, const QString &device, qint64 now);
    std::optional<SessionRecord> sessionByTokenHash(const QByteArray &tokenHash);
    Status touchSession(qint64 sessionId, qint64 now);
    Status revokeSession(qint64 sessionId, qint64 now);
    Status revokeSessionsOfUser(qint64 userId, qint64 now);
    // Ends one session or all of a user's, recording why (shown by 'admin sessions').
    Status endSession(qint64 sessionId, qint64 now, const QString &reason);
    Status endSessionsOfUser(qint64 userId, qint64 now, const QString &reason);
    // Ends every live session of the user but `keepSessionId`; returns how many ended.
    Result<int> endOtherSessionsOfUser(
        qint64 userId, qint64 keepSessionId, qint64 now, const QString &reason);
    // Every session of the user, ended ones included, newest first.
    QList<SessionRecord> sessionsOfUser(qint64 userId);

    // ---- two-factor sign-in (TOTP): one secret per enrolled account
    struct TwoFactorRecord
    {
        QByteArray secret;
        qint64 lastStep = 0; // the last time step accepted: a code works once
        qint64 createdAt = 0;
    };
    std::optional<TwoFactorRecord> twoFactor(qint64 userId);
    // Enrols (or re-enrols, with a new secret) an account; codes of steps up to `lastStep`
    // are refused (the step of the code that confirmed a self-enrolment).
    Status setTwoFactor(qint64 userId, const QByteArray &secret, qint64 now, qint64 lastStep = 0);
    Status removeTwoFactor(qint64 userId);
    // A secret the user asked for from their device, waiting to be confirmed with a code.
    struct PendingTwoFactor
    {
        QByteArray secret;
        qint64 createdAt = 0;
        qint64 expiresAt = 0;
    };
    std::optional<PendingTwoFactor> pendingTwoFactor(qint64 userId);
    Status setPendingTwoFactor(qint64 userId, const PendingTwoFactor &pending);
    Status removePendingTwoFactor(qint64 userId);
    // Records `step` as used, unless that step or a later one was used already: true when
    // this call consumed it. One statement, so two connections racing with one code
    // cannot both win.
    bool consumeTwoFactorStep(qint64 userId, qint64 step);

    // ---- sign-in throttling (LoginThrottle): failures and locks per key
    struct LoginLock
    {
        QString key;
        int level = 0;
        qint64 lockedAt = 0;
        qint64 lockedUntil = 0;
    };
    Result<qint64> addLoginFailure(const QString &key, qint64 at);
    // Times of the key's failures at or after sinceMs, oldest first.
    QList<qint64> loginFailureTimes(const QString &key, qint64 sinceMs);
    std::optional<LoginLock> loginLock(const QString &key);
    Status saveLoginLock(const LoginLock &lock);
    // Forgets locks that ended before locksBefore and failures before failuresBefore.
    Status pruneLoginThrottle(qint64 locksBefore, qint64 failuresBefore);

    // ---- review (acorn-server doctor)
    struct AccountReview
    {
        QString username;
        QString role;
        QString state;
        bool hasPassword = false;
        qint64 createdAt = 0;
        bool twoFactor = false;
    };
    QList<AccountReview> accountsForReview();

    // ---- observations
    // Media availability: whether each attached item's `available` flag is looked up (one
    // query per item). The rules never need it; what is sent to devices does.
    // With Marked, `mediaRecords` (when given) receives the records looked up.
    enum class Availability { Marked, Unmarked };
    std::optional<ObservationRecord> observation(const QString &id, Availability availability = Availability::Marked,
                                                 QList<MediaRecord> *mediaRecords = nullptr);
    // What a change id produced, if it was applied before.
    struct AppliedChange
    {
        QString observationId;
        quint64 revision = 0;
        qint64 authorId = 0; // who sent that change
    };
    std::optional<AppliedChange> appliedChange(const QString &changeId);
    // Writes a new revision (insert when revision == 1). `content` is the full staff view.
    Status saveObservation(const wire::Observation &content, const QList<qint64> &childIds,
                           qint64 authorOfRevision, const QString &changeId, qint64 now);
    // Observations changed after `seq`, oldest change first.
    QList<ChangedObservation> changedSince(qint64 seq, int limit);
    // Observations ever tagging the child and observed in [fromMs, toMs).
    QList<ChangedObservation> observationsOfChild(qint64 childId, qint64 fromMs, qint64 toMs);
    qint64 currentSeq();
    qint64 rosterSeq();
    Status bumpRosterSeq();

    // ---- assessments
    std::optional<AssessmentRecord> assessment(
        qint64 childId, const QString &itemKey, const QString &halfTerm);
    // Assessments changed after `seq`, oldest change first, with their history.
    QList<AssessmentRecord> assessmentsChangedSince(qint64 seq, int limit);
    // What an assessment change id did, if it was seen before.
    struct AssessmentChange
    {
        qint64 assessmentId = 0;
        qint64 childId = 0;
        QString itemKey;
        QString halfTerm;
        quint64 revision = 0;
        qint64 byId = 0;
        bool conflict = false;
    };
    std::optional<AssessmentChange> assessmentChange(const QString &changeId);
    // Writes `a.revision` (a new assessment when it is 1, else only over revision - 1) and
    // its history row. Fails when another change got there first.
    Status saveAssessment(
        const AssessmentRecord &a, const QString &changeId, const QString &device, qint64 now);
    // Keeps a submission that lost a conflict in the assessment's history, unapplied.
    Status keepConflictingAssessment(qint64 assessmentId, quint64 baseRevision,
        const QString &judgement, qint64 byId, const QString &changeId, const QString &device,
        qint64 now);
    // The school's switch for showing released assessments to parents (off by default).
    bool assessmentsVisibleToParents();
    Status setAssessmentsVisibleToParents(bool visible);

    // ---- media
    std::optional<MediaRecord> media(const QString &id);
    Status insertMedia(const MediaRecord &media, qint64 now);
    Status markMediaVariantDone(const QString &mediaId, wire::MediaVariant variant);
    QStringList observationsWithMedia(const QString &mediaId);
    Status touchObservations(const QStringList &ids);

    // ---- audit (append-only)
    Status audit(const QString &actor, const QString &device, const QString &action,
                 const QString &target, const QString &detail, qint64 now);
    struct AuditEntry
    {
        qint64 at;
        QString actor, device, action, target, detail;
    };
    QList<AuditEntry> auditSince(qint64 sinceMs);
    // What `admin audit` filters by; empty strings match everything.
    struct AuditFilter
    {
        qint64 sinceMs = 0;
        qint64 untilMs = std::numeric_limits<qint64>::max(); // exclusive
        QString actor;
        QString action;
        QString target; // a child's reference, a username, a class...
    };
    QList<AuditEntry> auditEntries(const AuditFilter &filter);
    // Whether an entry with this action and detail exists (a view reported twice).
    bool auditRecorded(const QString &action, const QString &detail);

    // Small key/value settings the server keeps in the database (e.g. the cursor key).
    QString meta(const QString &key);
    Status setMeta(const QString &key, const QString &value);
    // The value under `key`, storing `value` first if there is none (the first of several
    // processes to ask decides).
    QString metaOrInsert(const QString &key, const QString &value);

    // ---- backup (backup.h)
    int schemaVersion() const;
    // A consistent copy of the whole database in a new file (SQLite VACUUM INTO): a read
    // transaction, so the server goes on serving and writing while it runs.
    Status snapshotInto(const QString &path);
    // SQLite's quick_check: empty when the file is sound, else what is wrong.
    QString integrityProblems();
    // The SHA-256 (hex) of every media object the database counts as complete: originals
    // and thumbnails whose upload finished.
    QStringList completeMediaObjects();

    QString lastError() const { return m_lastError; }

private:
    friend class DatabaseCopy; // the store layer's table-by-table copy (databasecopy.h)

    QSqlQuery run(const QString &sql, const QVariantList &binds, bool *ok = nullptr);
    Status exec(const QString &sql, const QVariantList &binds);
    // exec() for the sign-in bookkeeping that DataVersion leaves out: the rows it changed
    // are not counted as a change. Only for statements that change nothing a reader keeps.
    Status execBookkeeping(const QString &sql, const QVariantList &binds);

    // The statements every request runs (session and user lookups, media checks) are
    // prepared once and kept: preparing them again each time was a third of the server's
    // CPU in a release storm. A KeptQuery is read while it lives and resets its statement
    // when it goes; a statement still being read when asked for again (nesting) is simply
    // prepared afresh for that caller.
    struct KeptStatement
    {
        QSqlQuery query;
        bool busy = false;
    };
    class KeptQuery
    {
    public:
        KeptQuery(KeptStatement *kept, QSqlQuery own);
        KeptQuery(KeptQuery &&other) noexcept;
        KeptQuery(const KeptQuery &) = delete;
        KeptQuery &operator=(const KeptQuery &) = delete;
        KeptQuery &operator=(KeptQuery &&) = delete;
        ~KeptQuery();
        QSqlQuery &operator*() { return m_kept ? m_kept->query : m_own; }
        QSqlQuery *operator->() { return &**this; }

    private:
        KeptStatement *m_kept;
        QSqlQuery m_own;
    };
    KeptQuery runKept(const QString &sql, const QVariantList &binds);
    // Binds and executes a prepared query; false (and m_lastError) on failure.
    bool bindAndExec(QSqlQuery &q, const QString &sql, const QVariantList &binds);
    Result<qint64> nextSeq();
    // The bodies of saveObservation, saveAssessment and touchObservations, which run them in
    // a transaction (or a savepoint of the caller's).
    Status saveObservationLocked(const wire::Observation &content, const QList<qint64> &childIds,
                                 qint64 authorOfRevision, const QString &changeId, qint64 now);
    Status saveAssessmentLocked(const AssessmentRecord &a, const QString &changeId, const QString &device, qint64 now);
    Status touchObservationsLocked(const QStringList &ids);
    ChildRecord childFrom(const QSqlQuery &q) const;
    UserRecord userFrom(const QSqlQuery &q) const;
    QList<AssessmentRecord> assessmentsWhere(const QString &where, const QVariantList &binds);

    std::unique_ptr<Database> m_database;
    QString m_lastError;
    int m_transactionDepth = 0;
    qint64 m_bookkeepingChanges = 0; // rows execBookkeeping() changed, left out of DataVersion
    QHash<QString, std::shared_ptr<KeptStatement>> m_kept;
};

} // namespace acorn::server
