#pragma once

// Shared by the rule tests (tst_authorization, tst_visibilityproperty): a description of a
// school written by the test itself (SchoolModel), an independent oracle that applies
// DESIGN.md section 4 to that description, and a harness that drives the real SyncService
// in-process with real wire frames over a real SQLite file and media store.
//
// The oracle must never call the server's rules (JournalRules, ReleaseGate): it is the
// second opinion the server is checked against. Where the rules leave room for
// interpretation, the choice is written next to the code that makes it.

#include "acorn.pb.h"
#include "clock.h"
#include "database.h"
#include "mediastore.h"
#include "serverstore.h"
#include "syncservice.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTime>
#include <QTimeZone>

#include <limits>
#include <memory>
#include <optional>

namespace acorn::fixture {

// Where a new school store for a test goes: a SQLite file at `sqlitePath`, or, in the
// suites' PostgreSQL runs (tests/support/testdatabase.h), a fresh PostgreSQL database.
Result<server::DatabaseLocation> newTestStoreLocation(const QString &sqlitePath);
// A new school store for a test, at newTestStoreLocation().
Result<std::unique_ptr<server::ServerStore>> openTestStore(const QString &sqlitePath);
// openTestStore() holding the small school (test::smallSchoolJson), every account with the
// password "pass-USERNAME" hashed with the cheapest scrypt parameters ({10, 8, 1}; give the
// SyncService the same, so that no hash is replaced at sign-in), and a dummy hash for
// unknown usernames.
Result<std::unique_ptr<server::ServerStore>> openTestSchool(
    const QString &sqlitePath, const server::Clock &clock);

// ------------------------------------------------------------------ the school, as the test sees
// it

struct SchoolModel
{
    struct Term
    {
        QString name;
        QDate first;
        QDate last;
    };
    struct Class
    {
        QString name;
        bool live = false;
        // Early releases by a lead: "through a date" (every day up to and including it)
        // and "up to now" (everything observed before that moment). The latest of each.
        QDate earlyThroughDate;
        qint64 earlyUpToMs = std::numeric_limits<qint64>::min();
    };
    struct Child
    {
        QString ref;
        QString firstName;
        QString lastName;
        QDate dateOfBirth;
        QString className;
        QString family;
        bool journalMedia = true;
        bool othersJournals = true;
    };
    struct Account
    {
        QString username;
        QString name;
        QString role; // admin | lead | practitioner | parent
        QString family; // parents
        QStringList classes; // practitioners
        bool disabled = false;
        bool isParent() const { return role == QLatin1String("parent"); }
        bool isStaff() const
        {
            return role == QLatin1String("lead") || role == QLatin1String("practitioner");
        }
    };
    struct Media
    {
        QString id;
        bool video = false;
        QByteArray original;
        QByteArray thumbnail; // empty: the item has no thumbnail
        QString declaredBy;
        bool originalUploaded = false;
        bool thumbnailUploaded = false;
        bool complete() const
        {
            return originalUploaded && (thumbnail.isEmpty() || thumbnailUploaded);
        }
    };
    struct Observation
    {
        QString id;
        QString author;
        qint64 observedAtMs = 0;
        QStringList children;
        QString text;
        QString note;
        QString nextSteps;
        QStringList eyfsTags;
        QStringList media; // ids into SchoolModel::media
        bool draft = false;
        bool deleted = false;
        quint64 revision = 0; // 0: not stored by the server
    };

    QString schoolName = QStringLiteral("Test School");
    QString timeZone = QStringLiteral("Europe/London");
    QTime releaseTime = QTime(16, 0);
    QList<Term> calendar;
    QList<Class> classes;
    QList<Child> children;
    QList<Account> accounts;
    QMap<QString, Media> media;
    QMap<QString, Observation> observations;

    QTimeZone zone() const { return QTimeZone(timeZone.toUtf8()); }
    qint64 at(QDate day, QTime time) const;
    QDate localDate(qint64 ms) const;

    const Class *cls(const QString &name) const;
    Class *cls(const QString &name);
    const Child *child(const QString &ref) const;
    Child *child(const QString &ref);
    const Account *account(const QString &username) const;
    Account *account(const QString &username);
    QList<const Account *> parents() const;

    // The import-school document describing this school.
    QByteArray toJson() const;
};

// ------------------------------------------------------------------ the independent oracle

namespace oracle {

// The half term an instant belongs to: the one whose days contain its local date, or for a
// holiday the next one. -1 after the calendar's last half term.
int halfTermOf(const SchoolModel &m, qint64 ms);
// The last day of a half term at the school's release time, in the school's zone.
qint64 releaseMoment(const SchoolModel &m, const SchoolModel::Term &term);
// Rule 3 for one child: is an observation made at `observedAtMs` released to the child's
// family at `now`?
bool released(
    const SchoolModel &m, const SchoolModel::Child &child, qint64 observedAtMs, qint64 now);

struct ParentView
{
    QSet<QString> childRefs; // the family's children in whose journal it appears
    // Media withheld because another family's child in it lacks others_journals consent.
    bool otherChildren = false;
    // Media withheld because a child in it lost journal_media consent after publication
    // (docs/safeguarding.md rule 6: staff still see it, parents no longer do).
    bool consentWithdrawn = false;
    bool mediaWithheld() const { return otherChildren || consentWithdrawn; }
};
// Rules 1-3 and the media rules for a parent. "Every *other* child" means every tagged
// child of another family (docs/safeguarding.md rule 6): a parent's own children
// (siblings) never withhold media from their own family, whose consent it is.
std::optional<ParentView> parentView(const SchoolModel &m, const SchoolModel::Account &parent,
    const SchoolModel::Observation &o, qint64 now);

// Staff scope: leads every child, practitioners the children of their classes, admins none.
bool inScope(const SchoolModel &m, const SchoolModel::Account &who, const QString &childRef);
// A staff journal: not deleted, a draft only for its author, tagging a child in scope.
bool staffSees(
    const SchoolModel &m, const SchoolModel::Account &who, const SchoolModel::Observation &o);

enum class Push { Accept, Conflict, Deny };
// What must happen to a push of `proposed` (the whole new revision) by `who`, given the
// server's current copy (`existing`, null for a new observation).
Push pushOutcome(const SchoolModel &m, const SchoolModel::Account &who,
    const SchoolModel::Observation *existing, const SchoolModel::Observation &proposed,
    quint64 baseRevision);

// Whether `who` may receive the bytes of media item `mediaId` at `now`: it is part of the
// current revision of an observation they may see, and (for parents) not withheld.
bool mayFetchMedia(
    const SchoolModel &m, const SchoolModel::Account &who, const QString &mediaId, qint64 now);

// Whether a lead's early release of `className` (through `throughDate`, or up to now when
// invalid) must be accepted at `now`: leads only, an existing half-termly class, and a date
// that has passed (strictly before today in the school's zone).
bool releaseAllowed(const SchoolModel &m, const SchoolModel::Account &who, const QString &className,
    QDate throughDate, qint64 now);

// The children a user's roster must list: a parent's own family, a practitioner's
// classes, every child for a lead, nobody for an admin.
QSet<QString> roster(const SchoolModel &m, const SchoolModel::Account &who);

} // namespace oracle

// ------------------------------------------------------------------ checks of what came back

// Problems with one observation sent to a parent, whichever reply carried it: a staff
// note, a draft or deleted copy, a child of another family.
QStringList parentInvariantProblems(
    const SchoolModel &m, const SchoolModel::Account &parent, const wire::Observation &o);
// Problems with one pull reply for a parent: the above for each observation, plus the
// roster (own family only, no family refs).
QStringList parentReplyProblems(
    const SchoolModel &m, const SchoolModel::Account &parent, const wire::PullReply &r);

// Differences between what a device holds and what the oracle says it must hold.
QStringList compareParentJournal(const SchoolModel &m, const SchoolModel::Account &parent,
    const QMap<QString, wire::Observation> &held, qint64 now);
QStringList compareStaffJournal(const SchoolModel &m, const SchoolModel::Account &staff,
    const QMap<QString, wire::Observation> &held);
QStringList compareRoster(const SchoolModel &m, const SchoolModel::Account &who,
    const QMap<QString, wire::Child> &roster);

// ------------------------------------------------------------------ driving the real server

// A server in a temporary directory: SQLite file, media store, manual clock, SyncService.
class ServerHarness
{
public:
    explicit ServerHarness(qint64 startMs);
    // The same over an existing server's database and media store (a data directory made
    // by `acorn-server init`, with no server running on it): benchmarks fill a school
    // in-process, then serve it with the real acorn-server.
    ServerHarness(qint64 startMs, const QString &databasePath, const QString &mediaPath);
    ~ServerHarness();

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    // Imports the model's JSON; returns an error message, or an empty string.
    QString importSchool(const SchoolModel &m);
    // Sets a password with cheap scrypt parameters (the account becomes active).
    QString setPassword(const QString &username, const QString &password);
    // What the admin command does: the account switches off and its sessions end.
    QString disable(const QString &username);
    // Devices that signed in at `signedInAtMs`, made directly in the store rather than with
    // a sign-in each (benchmarks and the soak start hundreds): every account named gets
    // one production-strength hash of `password` (hashed once and shared, so each password
    // sign-in still costs a whole scrypt), and each entry of `usernames` a session of its
    // own (a name may repeat: several devices of one account). Returns the session tokens,
    // in the order of `usernames`, or what went wrong.
    Result<QList<QByteArray>> signInDevices(const QStringList &usernames, const QString &password,
        const QString &deviceName, qint64 signedInAtMs);
    // A second connection to the school's database, as an admin command in another process
    // opens one.
    Result<std::unique_ptr<server::ServerStore>> openAnotherConnection() const;

    server::ManualClock clock;
    std::unique_ptr<server::ServerStore> store;
    std::unique_ptr<server::MediaStore> media;
    std::unique_ptr<server::SyncService> service;

private:
    void open(const QString &databasePath, const QString &mediaPath, bool fresh);

    QTemporaryDir m_dir;
    QString m_error;
    std::optional<server::DatabaseLocation> m_where;
};

// One connection's conversation with the service, frame by frame.
class WireClient
{
public:
    explicit WireClient(ServerHarness &harness);

    // Sends one frame and waits for its reply (sign-in replies arrive later, from the hash pool).
    wire::Frame call(wire::Frame frame);

    wire::Frame hello(wire::ClientKind kind = wire::CLIENT_KIND_CLI);
    wire::Frame login(const QString &username, const QString &password);
    wire::Frame logout();

    struct PullRun
    {
        std::optional<wire::Error> error; // the first error, if any
        QList<wire::PullReply> pages;
        bool complete = false; // the last page said more=false
    };
    // Pulls from `cursor` until more=false (or, with maxPages, until that many pages came:
    // a sync the network interrupted), updating the cursor after each page.
    PullRun pullAll(QByteArray &cursor, quint32 maxItems, int maxPages = 0);

    wire::Frame push(const QList<wire::PushItem> &items);
    wire::Frame uploadBegin(const SchoolModel::Media &m, wire::MediaVariant variant);
    wire::Frame uploadChunk(
        const QString &mediaId, wire::MediaVariant variant, quint64 offset, const QByteArray &data);
    wire::Frame fetch(
        const QString &mediaId, wire::MediaVariant variant, quint64 offset = 0, quint32 length = 0);
    wire::Frame release(const QString &className, const QString &throughDate);

    server::ConnectionState state;

private:
    ServerHarness &m_harness;
    QObject m_guard;
    quint64 m_nextRequest = 1;
};

// A device's local copy: what a client keeps between syncs.
struct DeviceCache
{
    QByteArray cursor;
    QMap<QString, wire::Observation> observations;
    QMap<QString, wire::Child> roster;
    bool rosterSeen = false;

    // Applies pages in order: observations as upserts, removed ids as deletions, the roster
    // replaced whenever a page says it changed.
    void apply(const QList<wire::PullReply> &pages);
};

// The wire form a staff device pushes for a model observation.
wire::Observation toWire(const SchoolModel &m, const SchoolModel::Observation &o);
wire::PushItem pushItem(const SchoolModel &m, const SchoolModel::Observation &o,
    quint64 baseRevision, const QString &changeId);

// Uploads what is missing of the chosen variants of a media item through `client` (the
// declarer's connection); marks the model. Returns an error message or an empty string.
QString uploadMedia(WireClient &client, SchoolModel::Media &media, bool original, bool thumbnail);

// A one-line description of a reply for failure messages.
QString describe(const wire::Frame &frame);

QByteArray sha256(const QByteArray &data);

// Fast scrypt parameters for test accounts: verifyPassword reads them from the hash.
inline constexpr int kTestScryptLog2N = 10;

} // namespace acorn::fixture
