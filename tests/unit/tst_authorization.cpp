// The table-driven authorization test of issue 3: every request type (pull, media fetch of
// both variants, push new / amend / delete, upload, early release) for every kind of
// principal (practitioner in and out of class, lead, admin, parents of the child and of
// other children, a second guardian, a guardian of siblings, disabled accounts, no session)
// in every release state (before and after a half term's release moment, early-released,
// live, holiday, after the calendar's end) and consent case.
//
// The real SyncService answers real wire frames over a real SQLite file and media store; a
// ManualClock moves time. Expected outcomes come from the oracle of schoolfixture.h, which
// applies DESIGN.md section 4 to the test's own description of the school: the server's
// rules are never consulted.

#include "schoolfixture.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTest>
#include <QUuid>

using namespace acorn;
using namespace acorn::fixture;
using M = SchoolModel;

namespace {

const QString kPassword = QStringLiteral("a long test password");
const QUuid kNamespace
    = QUuid::fromString(QStringLiteral("{6d1f4b0e-3c2a-4f51-9d7e-0a8b5c4e2f10}"));

QString uuidFor(const QString &name)
{
    return QUuid::createUuidV5(kNamespace, name).toString(QUuid::WithoutBraces);
}

QDate d(int y, int m, int day)
{
    return QDate(y, m, day);
}

QString joined(const QStringList &problems)
{
    return problems.mid(0, 12).join(QStringLiteral("\n  "))
        + (problems.size() > 12 ? QStringLiteral("\n  ... and %1 more").arg(problems.size() - 12)
                                : QString());
}

// Where the clock stands for a case.
enum class Phase { BeforeRelease, AfterRelease, AfterCalendar };

struct Principal
{
    enum Access { SignedIn, Disabled, NoSession, NoHello };
    QString key; // what the case names: the principal's relation to the fixture
    QString username; // empty without an account
    Access access = SignedIn;
    std::unique_ptr<WireClient> client;
    QByteArray token;
};

} // namespace

class TestAuthorization : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void oracleSpotChecks();
    void pull_data();
    void pull();
    void incrementalSyncAcrossReleaseMoments_data();
    void incrementalSyncAcrossReleaseMoments();
    void mediaFetch_data();
    void mediaFetch();
    void mediaFetchByteRange();
    void upload_data();
    void upload();
    void push_data();
    void push();
    void pushReplayOfAnotherUsersChange_data();
    void pushReplayOfAnotherUsersChange();
    void pushKeepsTheRestWhenOneItemIsRefused();
    void release_data();
    void release();
    void accountStates();
    void foreignAndForgedCursors();
    void earlyReleaseAndConsentReachParentsAtNextSync();
    void keptPermissionsEndWithTheirCause();

private:
    struct PushTemplate
    {
        enum Kind { New, Amend, Delete };
        Kind kind = New;
        QString name;
        QString victimAuthor; // amend, delete: who makes the observation first
        QStringList children;
        bool photo = false;
        bool draft = false;
        qint64 observedAtMs = 0;
        bool stale = false; // the victim is amended once more before the case pushes on revision 1
        std::function<void(M::Observation &, TestAuthorization &)> change;
    };

    qint64 phaseTime(Phase p) const;
    void setPhase(Phase p) { m_harness->clock.setNowMs(phaseTime(p)); }
    Principal &principal(const QString &key);
    const M::Account *accountOf(const Principal &p) const;
    WireClient &clientOf(const QString &username);
    QString newMedia(const QString &name, const QString &declaredBy);
    // Stores an observation as `author` would from their device (pushed one minute after it
    // was observed), uploading the chosen media variants. Returns an error or empty.
    QString record(const QString &name, const QString &author, qint64 observedAtMs,
        const QStringList &children, bool photo, bool draft, bool uploadOriginal = true,
        bool uploadThumbnail = true);
    // Pushes a new revision of a stored observation as `who`; the change must be accepted.
    QString amend(const QString &name, const QString &who, qint64 atMs,
        const std::function<void(M::Observation &)> &change);
    QString refusalProblem(
        const Principal &p, const wire::Frame &r, wire::Error::Code signedInCode) const;
    QString pushResultProblem(const Principal &p, const wire::Frame &r, oracle::Push expected,
        bool stale, const M::Observation &current, quint64 expectedRevision) const;
    QList<PushTemplate> pushTemplates() const;
    QStringList parentJournalProblems(
        const Principal &p, const DeviceCache &cache, qint64 now) const;

    std::unique_ptr<ServerHarness> m_harness;
    M m_model;
    std::vector<Principal> m_principals;
    QMap<QString, QString> m_ids; // fixture name -> observation id
    QMap<QString, QString> m_mediaIds; // fixture name -> media id
    QRandomGenerator m_random { 20260327 };
    int m_changeCounter = 0;
};

// ------------------------------------------------------------------ fixture

qint64 TestAuthorization::phaseTime(Phase p) const
{
    switch (p) {
    case Phase::BeforeRelease: // the last day of Spring 2, before its 16:00 release
        return m_model.at(d(2026, 3, 27), QTime(12, 0));
    case Phase::AfterRelease:
        return m_model.at(d(2026, 3, 27), QTime(18, 0));
    case Phase::AfterCalendar:
        return m_model.at(d(2026, 7, 26), QTime(10, 0));
    }
    return 0;
}

Principal &TestAuthorization::principal(const QString &key)
{
    for (Principal &p : m_principals) {
        if (p.key == key)
            return p;
    }
    qFatal("no principal %s", qPrintable(key));
}

const M::Account *TestAuthorization::accountOf(const Principal &p) const
{
    return p.username.isEmpty() ? nullptr : m_model.account(p.username);
}

WireClient &TestAuthorization::clientOf(const QString &username)
{
    for (Principal &p : m_principals) {
        if (p.username == username && p.access == Principal::SignedIn)
            return *p.client;
    }
    qFatal("no signed-in client for %s", qPrintable(username));
}

QString TestAuthorization::newMedia(const QString &name, const QString &declaredBy)
{
    M::Media md;
    md.id = uuidFor(QStringLiteral("media/") + name);
    md.declaredBy = declaredBy;
    md.original.resize(2000 + m_random.bounded(3000));
    for (char &c : md.original)
        c = static_cast<char>(m_random.bounded(256));
    md.thumbnail.resize(200 + m_random.bounded(300));
    for (char &c : md.thumbnail)
        c = static_cast<char>(m_random.bounded(256));
    m_model.media.insert(md.id, md);
    m_mediaIds.insert(name, md.id);
    return md.id;
}

QString TestAuthorization::record(const QString &name, const QString &author, qint64 observedAtMs,
    const QStringList &children, bool photo, bool draft, bool uploadOriginal, bool uploadThumbnail)
{
    M::Observation o;
    o.id = uuidFor(QStringLiteral("observation/") + name);
    o.author = author;
    o.observedAtMs = observedAtMs;
    o.children = children;
    o.text = QStringLiteral("Text of %1").arg(name);
    o.note = QStringLiteral("Staff-only note of %1").arg(name);
    o.nextSteps = QStringLiteral("Next steps of %1").arg(name);
    o.eyfsTags = { QStringLiteral("PSED"), QStringLiteral("CL") };
    o.draft = draft;
    if (photo)
        o.media.append(newMedia(name, author));
    m_harness->clock.setNowMs(observedAtMs + 60 * 1000);
    WireClient &c = clientOf(author);
    const wire::Frame r
        = c.push({ pushItem(m_model, o, 0, uuidFor(QStringLiteral("change/") + name)) });
    if (!r.has_push_reply() || r.push_reply().results_size() != 1
        || r.push_reply().results(0).outcome() != wire::PushResult::ACCEPTED)
        return QStringLiteral("recording %1: %2").arg(name, describe(r));
    o.revision = r.push_reply().results(0).revision();
    m_model.observations.insert(o.id, o);
    m_ids.insert(name, o.id);
    for (const QString &mid : o.media) {
        if (QString e = uploadMedia(c, m_model.media[mid], uploadOriginal, uploadThumbnail);
            !e.isEmpty())
            return e;
    }
    return {};
}

QString TestAuthorization::amend(const QString &name, const QString &who, qint64 atMs,
    const std::function<void(M::Observation &)> &change)
{
    M::Observation o = m_model.observations.value(m_ids.value(name));
    if (o.id.isEmpty())
        return QStringLiteral("no fixture observation %1").arg(name);
    change(o);
    m_harness->clock.setNowMs(atMs);
    const wire::Frame r = clientOf(who).push({ pushItem(m_model, o, o.revision,
        uuidFor(QStringLiteral("change/%1/%2").arg(name).arg(++m_changeCounter))) });
    if (!r.has_push_reply() || r.push_reply().results(0).outcome() != wire::PushResult::ACCEPTED)
        return QStringLiteral("amending %1: %2").arg(name, describe(r));
    o.revision = r.push_reply().results(0).revision();
    m_model.observations.insert(o.id, o);
    return {};
}

void TestAuthorization::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("acorn.*.info=false\nacorn.*.debug=false"));

    M &m = m_model;
    m.schoolName = QStringLiteral("Hazelbrook Primary School");
    m.timeZone = QStringLiteral("Europe/London");
    m.releaseTime = QTime(16, 0);
    m.calendar = {
        { QStringLiteral("Autumn 1"), d(2025, 9, 3), d(2025, 10, 24) },
        { QStringLiteral("Autumn 2"), d(2025, 11, 3), d(2025, 12, 19) },
        { QStringLiteral("Spring 1"), d(2026, 1, 5), d(2026, 2, 13) },
        { QStringLiteral("Spring 2"), d(2026, 2, 23), d(2026, 3, 27) },
        { QStringLiteral("Summer 1"), d(2026, 4, 13), d(2026, 5, 22) },
        { QStringLiteral("Summer 2"), d(2026, 6, 1), d(2026, 7, 22) },
    };
    m.classes = { { QStringLiteral("Nursery"), true, {}, std::numeric_limits<qint64>::min() },
        { QStringLiteral("Reception"), false, {}, std::numeric_limits<qint64>::min() },
        { QStringLiteral("Kindergarten"), false, {}, std::numeric_limits<qint64>::min() } };
    const QString nursery = QStringLiteral("Nursery");
    const QString reception = QStringLiteral("Reception");
    const QString kindergarten = QStringLiteral("Kindergarten");
    auto child = [&](const char *ref, const char *first, const char *last, QDate dob,
                     const QString &cls, const char *family, bool media, bool others) {
        m.children.append({ QLatin1String(ref), QLatin1String(first), QLatin1String(last), dob, cls,
            QLatin1String(family), media, others });
    };
    // FA: siblings in Nursery and Reception, two guardians; Chloe's image may not appear in
    // other children's journals. FC: siblings in Reception and Kindergarten. Eve may have no
    // photos in her journal; Finn may not appear in other journals.
    child("AVA", "Ava", "Brown", d(2022, 5, 1), nursery, "FA", true, true);
    child("CHLOE", "Chloe", "Brown", d(2020, 11, 12), reception, "FA", true, false);
    child("BEN", "Ben", "Okafor", d(2022, 2, 3), nursery, "FB", true, true);
    child("DEV", "Dev", "Shah", d(2020, 10, 10), reception, "FC", true, true);
    child("LEO", "Leo", "Shah", d(2021, 6, 6), kindergarten, "FC", true, true);
    child("EVE", "Eve", "Wood", d(2021, 4, 4), kindergarten, "FD", false, true);
    child("FINN", "Finn", "Hill", d(2022, 3, 3), nursery, "FE", true, false);
    child("GUS", "Gus", "Khan", d(2020, 12, 12), reception, "FG", true, true);
    auto account = [&](const char *user, const char *name, const char *role, const char *family,
                       QStringList classes) {
        m.accounts.append({ QLatin1String(user), QLatin1String(name), QLatin1String(role),
            QLatin1String(family), classes, false });
    };
    account("jo.smith", "Jo Smith", "practitioner", "", { nursery });
    account("lee.cho", "Lee Cho", "practitioner", "", { nursery });
    account("sam.jones", "Sam Jones", "practitioner", "", { reception });
    account("priya.patel", "Priya Patel", "lead", "", {});
    account("it.admin", "IT Manager", "admin", "", {});
    account("alex.brown", "Alex Brown", "parent", "FA", {});
    account("sam.brown", "Sam Brown", "parent", "FA", {});
    account("grace.okafor", "Grace Okafor", "parent", "FB", {});
    account("kofi.okafor", "Kofi Okafor", "parent", "FB", {});
    account("ravi.shah", "Ravi Shah", "parent", "FC", {});
    account("mia.wood", "Mia Wood", "parent", "FD", {});
    account("tom.hill", "Tom Hill", "parent", "FE", {});
    account("nina.khan", "Nina Khan", "parent", "FG", {});

    m_harness = std::make_unique<ServerHarness>(m.at(d(2025, 9, 1), QTime(9, 0)));
    QVERIFY2(m_harness->isValid(), qPrintable(m_harness->error()));
    const QString imported = m_harness->importSchool(m);
    QVERIFY2(imported.isEmpty(), qPrintable(imported));
    for (const M::Account &a : m.accounts) {
        const QString e = m_harness->setPassword(a.username, kPassword);
        QVERIFY2(e.isEmpty(), qPrintable(e));
    }

    auto add = [&](const char *key, const char *user, Principal::Access access) {
        Principal p;
        p.key = QLatin1String(key);
        p.username = QLatin1String(user);
        p.access = access;
        p.client = std::make_unique<WireClient>(*m_harness);
        m_principals.push_back(std::move(p));
    };
    add("practitioner-in-class-nursery", "jo.smith", Principal::SignedIn);
    add("practitioner-in-class-reception", "sam.jones", Principal::SignedIn);
    add("lead", "priya.patel", Principal::SignedIn);
    add("admin", "it.admin", Principal::SignedIn);
    add("parent-of-ava-and-chloe", "alex.brown", Principal::SignedIn);
    add("second-guardian-of-ava-and-chloe", "sam.brown", Principal::SignedIn);
    add("parent-of-ben", "grace.okafor", Principal::SignedIn);
    add("guardian-of-siblings-dev-and-leo", "ravi.shah", Principal::SignedIn);
    add("parent-of-eve-no-media-consent", "mia.wood", Principal::SignedIn);
    add("parent-of-finn-no-others-consent", "tom.hill", Principal::SignedIn);
    add("parent-of-gus", "nina.khan", Principal::SignedIn);
    add("disabled-parent-of-ben", "kofi.okafor", Principal::Disabled);
    add("disabled-practitioner-nursery", "lee.cho", Principal::Disabled);
    add("unauthenticated", "", Principal::NoSession);
    add("no-hello", "", Principal::NoHello);
    for (Principal &p : m_principals) {
        if (p.access == Principal::NoHello)
            continue;
        const wire::Frame h = p.client->hello();
        QVERIFY2(h.has_hello_reply(), qPrintable(describe(h)));
        if (p.access == Principal::NoSession)
            continue;
        const wire::Frame r = p.client->login(p.username, kPassword);
        QVERIFY2(r.has_login_reply(), qPrintable(p.username + QStringLiteral(": ") + describe(r)));
        p.token = QByteArray::fromStdString(r.login_reply().token());
    }

    // The journals, in the order they happened. Nursery is live; Reception releases Spring 2
    // at 16:00 on 27 March 2026; Kindergarten is released early through 13 March.
    const QString jo = QStringLiteral("jo.smith");
    const QString sam = QStringLiteral("sam.jones");
    const QString lead = QStringLiteral("priya.patel");
    auto t
        = [&](int mo, int day, int h, int mi = 0) { return m.at(d(2026, mo, day), QTime(h, mi)); };
    const QStringList ava { QStringLiteral("AVA") }, ben { QStringLiteral("BEN") },
        chloe { QStringLiteral("CHLOE") }, dev { QStringLiteral("DEV") },
        gus { QStringLiteral("GUS") }, leo { QStringLiteral("LEO") }, eve { QStringLiteral("EVE") },
        finn { QStringLiteral("FINN") };
    QString setupError;
    auto must = [&](const QString &error) {
        if (setupError.isEmpty())
            setupError = error;
    };
    must(record(QStringLiteral("r-gus-christmas-holiday"), sam, t(1, 2, 10), gus, false, false));
    must(record(QStringLiteral("r-dev-deleted"), sam, t(2, 3, 10), dev, false, false));
    must(
        record(QStringLiteral("r-dev-amended-after-release"), sam, t(2, 5, 10), dev, false, false));
    must(record(
        QStringLiteral("r-dev-gus-spring1-photo"), sam, t(2, 10, 10), dev + gus, true, false));
    must(record(QStringLiteral("r-gus-spring1-pending-photo"), sam, t(2, 11, 10), gus, true, false,
        false, false));
    must(record(QStringLiteral("r-gus-february-holiday"), sam, t(2, 18, 10), gus, false, false));
    must(amend(QStringLiteral("r-dev-deleted"), sam, t(3, 1, 9),
        [](M::Observation &o) { o.deleted = true; }));
    must(amend(QStringLiteral("r-dev-amended-after-release"), sam, t(3, 1, 10),
        [](M::Observation &o) { o.text = QStringLiteral("Amended after release"); }));
    must(record(QStringLiteral("r-dev-spring2"), sam, t(3, 2, 9), dev, false, false));
    must(record(QStringLiteral("k-leo-early-photo"), lead, t(3, 10, 9), leo, true, false));
    must(record(QStringLiteral("k-eve-early"), lead, t(3, 10, 9, 30), eve, false, false));
    must(record(QStringLiteral("r-dev-draft"), sam, t(3, 10, 11), dev, false, true));
    must(record(QStringLiteral("k-eve-leo-early"), lead, t(3, 12, 10), eve + leo, false, false));
    must(record(QStringLiteral("k-leo-last-ms-of-early-release"), lead,
        m.at(d(2026, 3, 13), QTime(23, 59, 59, 999)), leo, false, false));
    must(record(QStringLiteral("k-leo-first-ms-after-early-release"), lead,
        m.at(d(2026, 3, 14), QTime(0, 0, 0, 1)), leo, false, false));
    must(record(QStringLiteral("r-chloe-spring2-photo"), sam, t(3, 20, 9), chloe, true, false));
    must(record(QStringLiteral("n-ava-chloe-siblings-photo"), lead, t(3, 20, 9, 30), ava + chloe,
        true, false));
    must(record(
        QStringLiteral("n-ava-eve-across-families"), lead, t(3, 20, 10), ava + eve, false, false));
    must(record(QStringLiteral("k-leo-after-early-release-photo"), lead, t(3, 20, 10, 30), leo,
        true, false));
    must(record(QStringLiteral("n-ava-finn-photo"), jo, t(3, 24, 10), ava + finn, true, false));
    must(record(QStringLiteral("n-ava-ben-photo"), jo, t(3, 25, 10), ava + ben, true, false));
    must(record(QStringLiteral("r-dev-chloe-photo"), sam, t(3, 25, 11), dev + chloe, true, false));
    must(record(QStringLiteral("n-ava-photo"), jo, t(3, 26, 9), ava, true, false));
    must(record(QStringLiteral("n-ben-draft-photo"), jo, t(3, 26, 9, 30), ben, true, true));
    must(record(QStringLiteral("n-ben-deleted-photo"), jo, t(3, 26, 10), ben, true, false));
    must(record(
        QStringLiteral("n-ava-amended-photo-removed"), jo, t(3, 26, 10, 30), ava, true, false));
    must(record(QStringLiteral("n-finn-photo"), jo, t(3, 26, 11), finn, true, false));
    must(record(
        QStringLiteral("n-ben-returned-to-draft-photo"), jo, t(3, 26, 11, 30), ben, true, false));
    must(amend(QStringLiteral("n-ben-deleted-photo"), jo, t(3, 26, 12),
        [](M::Observation &o) { o.deleted = true; }));
    must(record(QStringLiteral("n-ava-pending-photo"), jo, t(3, 26, 12, 30), ava, true, false,
        false, false));
    must(record(QStringLiteral("n-ben-finn-thumbnail-only"), jo, t(3, 26, 13), ben + finn, true,
        false, false, true));
    must(record(QStringLiteral("k-leo-lead-draft"), lead, t(3, 26, 13, 30), leo, false, true));
    must(amend(
        QStringLiteral("n-ava-amended-photo-removed"), jo, t(3, 26, 15), [](M::Observation &o) {
            o.text = QStringLiteral("Amended: the photo was the wrong one");
            o.media.clear();
        }));
    must(amend(QStringLiteral("n-ben-returned-to-draft-photo"), jo, t(3, 26, 16),
        [](M::Observation &o) { o.draft = true; }));

    // Kindergarten is released early through 13 March, on the morning of the 27th.
    m_harness->clock.setNowMs(t(3, 27, 11));
    const auto early = m_harness->service->releaseClass(kindergarten, QStringLiteral("2026-03-13"),
        QStringLiteral("priya.patel"), QStringLiteral("test"));
    QVERIFY2(early.ok(), qPrintable(early.error()));
    m.cls(kindergarten)->earlyThroughDate = d(2026, 3, 13);

    must(record(QStringLiteral("r-chloe-last-day-after-release-time"), sam, t(3, 27, 17), chloe,
        false, false));
    must(record(
        QStringLiteral("r-chloe-easter-holiday-photo"), sam, t(3, 30, 10), chloe, true, false));
    must(record(QStringLiteral("k-leo-summer1"), lead, t(4, 20, 10), leo, false, false));
    must(record(
        QStringLiteral("r-dev-after-calendar-end-photo"), sam, t(7, 25, 10), dev, true, false));
    QVERIFY2(setupError.isEmpty(), qPrintable(setupError));

    // The IT manager switches two accounts off while they are signed in.
    m_harness->clock.setNowMs(t(7, 25, 11));
    for (const char *user : { "kofi.okafor", "lee.cho" }) {
        const QString off = m_harness->disable(QLatin1String(user));
        QVERIFY2(off.isEmpty(), qPrintable(off));
        m.account(QLatin1String(user))->disabled = true;
    }
    QCOMPARE(m.observations.size(), 33);
}

// Hand-computed expectations for the fixture, so that the oracle itself is checked against
// the rules as written before the server is checked against the oracle.
void TestAuthorization::oracleSpotChecks()
{
    const M &m = m_model;
    auto refs = [&](const char *user, const char *obs, Phase p) {
        const auto v = oracle::parentView(m, *m.account(QLatin1String(user)),
            m.observations[m_ids[QLatin1String(obs)]], phaseTime(p));
        QStringList l = v ? QStringList(v->childRefs.cbegin(), v->childRefs.cend()) : QStringList();
        l.sort();
        return l.join(QLatin1Char(','));
    };
    auto withheld = [&](const char *user, const char *obs) {
        return oracle::parentView(m, *m.account(QLatin1String(user)),
            m.observations[m_ids[QLatin1String(obs)]], phaseTime(Phase::AfterCalendar))
            ->mediaWithheld();
    };
    // Live Nursery: at once; the Reception sibling only after the release moment.
    QCOMPARE(refs("alex.brown", "n-ava-chloe-siblings-photo", Phase::BeforeRelease),
        QStringLiteral("AVA"));
    QCOMPARE(refs("alex.brown", "n-ava-chloe-siblings-photo", Phase::AfterRelease),
        QStringLiteral("AVA,CHLOE"));
    QCOMPARE(refs("sam.brown", "n-ava-chloe-siblings-photo", Phase::AfterRelease),
        QStringLiteral("AVA,CHLOE"));
    // Reception, Spring 2: withheld before 16:00 on the last day, shown after.
    QCOMPARE(refs("alex.brown", "r-chloe-spring2-photo", Phase::BeforeRelease), QString());
    QCOMPARE(
        refs("alex.brown", "r-chloe-spring2-photo", Phase::AfterRelease), QStringLiteral("CHLOE"));
    // Observed after 16:00 on the last day: still that half term, so released at once.
    QCOMPARE(refs("alex.brown", "r-chloe-last-day-after-release-time", Phase::AfterRelease),
        QStringLiteral("CHLOE"));
    // Holidays belong to the next half term.
    QCOMPARE(refs("nina.khan", "r-gus-february-holiday", Phase::BeforeRelease), QString());
    QCOMPARE(
        refs("nina.khan", "r-gus-february-holiday", Phase::AfterRelease), QStringLiteral("GUS"));
    QCOMPARE(
        refs("nina.khan", "r-gus-christmas-holiday", Phase::BeforeRelease), QStringLiteral("GUS"));
    QCOMPARE(refs("alex.brown", "r-chloe-easter-holiday-photo", Phase::AfterRelease), QString());
    QCOMPARE(refs("alex.brown", "r-chloe-easter-holiday-photo", Phase::AfterCalendar),
        QStringLiteral("CHLOE"));
    // After the calendar's last half term: withheld even when that time has passed.
    QCOMPARE(refs("ravi.shah", "r-dev-after-calendar-end-photo", Phase::AfterCalendar), QString());
    // Early release through 13 March, to the millisecond.
    QCOMPARE(refs("ravi.shah", "k-leo-last-ms-of-early-release", Phase::BeforeRelease),
        QStringLiteral("LEO"));
    QCOMPARE(
        refs("ravi.shah", "k-leo-first-ms-after-early-release", Phase::BeforeRelease), QString());
    QCOMPARE(refs("ravi.shah", "k-leo-first-ms-after-early-release", Phase::AfterRelease),
        QStringLiteral("LEO"));
    // Across families: each family sees only its own child.
    QCOMPARE(refs("mia.wood", "n-ava-eve-across-families", Phase::BeforeRelease), QString());
    QCOMPARE(
        refs("mia.wood", "n-ava-eve-across-families", Phase::AfterRelease), QStringLiteral("EVE"));
    QCOMPARE(refs("grace.okafor", "n-ava-ben-photo", Phase::BeforeRelease), QStringLiteral("BEN"));
    // Drafts, deletions, returns to draft: nobody.
    QCOMPARE(refs("grace.okafor", "n-ben-draft-photo", Phase::AfterCalendar), QString());
    QCOMPARE(refs("grace.okafor", "n-ben-deleted-photo", Phase::AfterCalendar), QString());
    QCOMPARE(
        refs("grace.okafor", "n-ben-returned-to-draft-photo", Phase::AfterCalendar), QString());
    // Disabled accounts see nothing.
    QCOMPARE(refs("kofi.okafor", "n-ava-ben-photo", Phase::AfterCalendar), QString());
    // Media: withheld when another family's child lacks others_journals consent.
    QVERIFY(withheld("alex.brown", "n-ava-finn-photo"));
    QVERIFY(!withheld("tom.hill", "n-ava-finn-photo"));
    QVERIFY(withheld("ravi.shah", "r-dev-chloe-photo"));
    QVERIFY(!withheld("alex.brown", "r-dev-chloe-photo"));
    QVERIFY(!withheld("alex.brown", "n-ava-chloe-siblings-photo")); // own family's consent
    QVERIFY(!withheld("grace.okafor", "n-ava-ben-photo"));
    QVERIFY(withheld("grace.okafor", "n-ben-finn-thumbnail-only"));
    // Staff scope and drafts.
    const M::Observation &benDraft = m.observations[m_ids[QStringLiteral("n-ben-draft-photo")]];
    QVERIFY(oracle::staffSees(m, *m.account(QStringLiteral("jo.smith")), benDraft));
    QVERIFY(!oracle::staffSees(m, *m.account(QStringLiteral("priya.patel")), benDraft));
    QVERIFY(!oracle::staffSees(m, *m.account(QStringLiteral("sam.jones")),
        m.observations[m_ids[QStringLiteral("n-ava-photo")]]));
    QVERIFY(oracle::staffSees(m, *m.account(QStringLiteral("sam.jones")),
        m.observations[m_ids[QStringLiteral("n-ava-chloe-siblings-photo")]]));
    QVERIFY(!oracle::staffSees(m, *m.account(QStringLiteral("it.admin")),
        m.observations[m_ids[QStringLiteral("n-ava-photo")]]));
}

// ------------------------------------------------------------------ checks

QString TestAuthorization::refusalProblem(
    const Principal &p, const wire::Frame &r, wire::Error::Code signedInCode) const
{
    if (!r.has_error())
        return QStringLiteral("expected a refusal, got %1").arg(describe(r));
    wire::Error::Code expected = signedInCode;
    if (p.access == Principal::NoHello)
        expected = wire::Error::BAD_REQUEST;
    else if (p.access != Principal::SignedIn)
        expected = wire::Error::UNAUTHENTICATED;
    if (expected != wire::Error::UNKNOWN && r.error().code() != expected)
        return QStringLiteral("expected error %1, got %2")
            .arg(QString::fromStdString(wire::Error::Code_Name(expected)), describe(r));
    if (r.error().message().empty())
        return QStringLiteral("the refusal carries no message for the user");
    return {};
}

QStringList TestAuthorization::parentJournalProblems(
    const Principal &p, const DeviceCache &cache, qint64 now) const
{
    const M::Account &a = *accountOf(p);
    QStringList problems = compareParentJournal(m_model, a, cache.observations, now);
    problems += compareRoster(m_model, a, cache.roster);
    return problems;
}

// ------------------------------------------------------------------ pull

void TestAuthorization::pull_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<int>("phase");
    const std::pair<Phase, const char *> phases[] = { { Phase::BeforeRelease, "before-release" },
        { Phase::AfterRelease, "after-release" }, { Phase::AfterCalendar, "after-calendar-end" } };
    for (const auto &[phase, phaseName] : phases) {
        for (const Principal &p : m_principals)
            QTest::addRow("pull/%s/%s", phaseName, qPrintable(p.key))
                << p.key << static_cast<int>(phase);
    }
}

void TestAuthorization::pull()
{
    QFETCH(QString, who);
    QFETCH(int, phase);
    setPhase(static_cast<Phase>(phase));
    const qint64 now = m_harness->clock.nowMs();
    Principal &p = principal(who);
    QByteArray cursor;
    const WireClient::PullRun run = p.client->pullAll(cursor, 7);
    const M::Account *a = accountOf(p);
    if (!a || a->disabled) {
        QVERIFY2(run.error, "a pull without a live session was answered");
        wire::Frame f;
        *f.mutable_error() = *run.error;
        const QString problem = refusalProblem(p, f, wire::Error::UNAUTHENTICATED);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    QVERIFY2(!run.error, run.error ? run.error->message().c_str() : "");
    DeviceCache cache;
    cache.apply(run.pages);
    QVERIFY2(cache.rosterSeen, "a first sync must carry the roster");
    QStringList problems;
    if (a->isParent()) {
        for (const wire::PullReply &page : run.pages)
            problems += parentReplyProblems(m_model, *a, page);
        problems += parentJournalProblems(p, cache, now);
    } else {
        // Staff (and an admin, whose journal must be empty): notes included, scope exact.
        problems += compareStaffJournal(m_model, *a, cache.observations);
        problems += compareRoster(m_model, *a, cache.roster);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(joined(problems)));
}

void TestAuthorization::incrementalSyncAcrossReleaseMoments_data()
{
    QTest::addColumn<QString>("who");
    for (const Principal &p : m_principals) {
        const M::Account *a = accountOf(p);
        if (a && !a->disabled)
            QTest::addRow("incremental/%s", qPrintable(p.key)) << p.key;
    }
}

// Rule 3: observations released by the passing of time, with no edit, reach a device
// whose cursor is already past them.
void TestAuthorization::incrementalSyncAcrossReleaseMoments()
{
    QFETCH(QString, who);
    Principal &p = principal(who);
    const M::Account &a = *accountOf(p);
    DeviceCache cache;
    for (const Phase phase : { Phase::BeforeRelease, Phase::AfterRelease, Phase::AfterCalendar }) {
        setPhase(phase);
        const WireClient::PullRun run = p.client->pullAll(cache.cursor, 3);
        QVERIFY2(!run.error, run.error ? run.error->message().c_str() : "");
        cache.apply(run.pages);
        QStringList problems;
        if (a.isParent()) {
            for (const wire::PullReply &page : run.pages)
                problems += parentReplyProblems(m_model, a, page);
            problems += parentJournalProblems(p, cache, m_harness->clock.nowMs());
        } else {
            problems += compareStaffJournal(m_model, a, cache.observations);
        }
        QVERIFY2(problems.isEmpty(),
            qPrintable(QStringLiteral("phase %1:\n  %2")
                           .arg(static_cast<int>(phase))
                           .arg(joined(problems))));
    }
}

// ------------------------------------------------------------------ media fetch

void TestAuthorization::mediaFetch_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<int>("phase");
    QTest::addColumn<QString>("mediaId");
    QTest::addColumn<int>("variant");
    QMap<QString, QString> targets = m_mediaIds;
    targets.insert(QStringLiteral("unknown-id"), uuidFor(QStringLiteral("no such media")));
    targets.insert(QStringLiteral("not-a-uuid"), QStringLiteral("../../objects/abc"));
    const std::pair<Phase, const char *> phases[] = { { Phase::BeforeRelease, "before-release" },
        { Phase::AfterRelease, "after-release" }, { Phase::AfterCalendar, "after-calendar-end" } };
    for (const auto &[phase, phaseName] : phases) {
        for (auto it = targets.cbegin(); it != targets.cend(); ++it) {
            for (const wire::MediaVariant variant : { wire::ORIGINAL, wire::THUMBNAIL }) {
                for (const Principal &p : m_principals) {
                    QTest::addRow("fetch/%s/%s/%s/%s", phaseName, qPrintable(it.key()),
                        variant == wire::ORIGINAL ? "original" : "thumbnail", qPrintable(p.key))
                        << p.key << static_cast<int>(phase) << it.value()
                        << static_cast<int>(variant);
                }
            }
        }
    }
}

void TestAuthorization::mediaFetch()
{
    QFETCH(QString, who);
    QFETCH(int, phase);
    QFETCH(QString, mediaId);
    QFETCH(int, variant);
    setPhase(static_cast<Phase>(phase));
    const qint64 now = m_harness->clock.nowMs();
    Principal &p = principal(who);
    const auto v = static_cast<wire::MediaVariant>(variant);
    const wire::Frame r = p.client->fetch(mediaId, v);
    const M::Account *a = accountOf(p);
    const bool allowed = a && oracle::mayFetchMedia(m_model, *a, mediaId, now);
    if (!allowed) {
        // The same answer for "no such item" and "not yours": an id is never a capability.
        const QString problem = refusalProblem(p, r, wire::Error::FORBIDDEN);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    const M::Media &md = m_model.media[mediaId];
    const bool uploaded = v == wire::THUMBNAIL ? md.thumbnailUploaded : md.originalUploaded;
    if (!uploaded) {
        QVERIFY2(r.has_error() && r.error().code() == wire::Error::NOT_FOUND,
            qPrintable(
                QStringLiteral("not uploaded yet, expected NOT_FOUND, got %1").arg(describe(r))));
        return;
    }
    QVERIFY2(r.has_media_data(),
        qPrintable(QStringLiteral("expected the bytes, got %1").arg(describe(r))));
    const QByteArray &bytes = v == wire::THUMBNAIL ? md.thumbnail : md.original;
    QCOMPARE(QByteArray::fromStdString(r.media_data().data()), bytes);
    QCOMPARE(r.media_data().total_size(), static_cast<quint64>(bytes.size()));
    QCOMPARE(QByteArray::fromStdString(r.media_data().sha256()), sha256(bytes));
}

void TestAuthorization::mediaFetchByteRange()
{
    setPhase(Phase::AfterRelease);
    const M::Media &md = m_model.media[m_mediaIds[QStringLiteral("n-ava-photo")]];
    const wire::Frame r = principal(QStringLiteral("second-guardian-of-ava-and-chloe"))
                              .client->fetch(md.id, wire::ORIGINAL, 100, 50);
    QVERIFY2(r.has_media_data(), qPrintable(describe(r)));
    QCOMPARE(r.media_data().offset(), quint64(100));
    QCOMPARE(QByteArray::fromStdString(r.media_data().data()), md.original.mid(100, 50));
    // A range of media withheld by consent is refused like the whole item.
    const M::Media &finn = m_model.media[m_mediaIds[QStringLiteral("n-ava-finn-photo")]];
    const wire::Frame refused = principal(QStringLiteral("parent-of-ava-and-chloe"))
                                    .client->fetch(finn.id, wire::ORIGINAL, 10, 10);
    QVERIFY2(refused.has_error() && refused.error().code() == wire::Error::FORBIDDEN,
        qPrintable(describe(refused)));
}

// ------------------------------------------------------------------ upload

void TestAuthorization::upload_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("mediaId");
    QTest::addColumn<bool>("chunk");
    for (const char *name :
        { "n-ava-pending-photo", "r-gus-spring1-pending-photo", "n-ben-finn-thumbnail-only" }) {
        for (const bool chunk : { false, true }) {
            for (const Principal &p : m_principals) {
                QTest::addRow("upload/%s/%s/%s", name, chunk ? "chunk" : "begin", qPrintable(p.key))
                    << p.key << m_mediaIds.value(QLatin1String(name)) << chunk;
            }
        }
    }
}

// Uploads complete a push: only the staff member whose observation declared the item may
// send its bytes. (Whether another member of staff who may edit the observation may upload
// too is left open by the rules and not asserted.)
void TestAuthorization::upload()
{
    QFETCH(QString, who);
    QFETCH(QString, mediaId);
    QFETCH(bool, chunk);
    setPhase(Phase::AfterRelease);
    Principal &p = principal(who);
    const M::Account *a = accountOf(p);
    const M::Media &md = m_model.media[mediaId];
    WireClient &declarer = clientOf(md.declaredBy);
    const wire::Frame before = declarer.uploadBegin(md, wire::ORIGINAL);
    QVERIFY2(before.has_upload_status() && !before.upload_status().complete(),
        qPrintable(describe(before)));
    const quint64 offset = before.upload_status().offset();

    const bool allowed = a && !a->disabled && a->username == md.declaredBy;
    const bool openQuestion = a && !a->disabled && !allowed && a->isStaff()
        && std::any_of(m_model.observations.cbegin(), m_model.observations.cend(),
            [&](const M::Observation &o) {
                return o.media.contains(mediaId)
                    && oracle::pushOutcome(m_model, *a, &o, o, o.revision) == oracle::Push::Accept;
            });
    const QByteArray piece = md.original.mid(static_cast<qsizetype>(offset), 10);
    const wire::Frame r = chunk ? p.client->uploadChunk(mediaId, wire::ORIGINAL, offset, piece)
                                : p.client->uploadBegin(md, wire::ORIGINAL);
    const wire::Frame after = declarer.uploadBegin(md, wire::ORIGINAL);
    QVERIFY2(after.has_upload_status(), qPrintable(describe(after)));
    if (openQuestion)
        return;
    if (allowed) {
        QVERIFY2(r.has_upload_status(), qPrintable(describe(r)));
        QCOMPARE(r.upload_status().offset(), chunk ? offset + 10 : offset);
        QCOMPARE(after.upload_status().offset(), chunk ? offset + 10 : offset);
        return;
    }
    const QString problem = refusalProblem(p, r, wire::Error::FORBIDDEN);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY2(after.upload_status().offset() == offset,
        qPrintable(QStringLiteral("a refused upload moved the offset from %1 to %2")
                       .arg(offset)
                       .arg(after.upload_status().offset())));
}

// ------------------------------------------------------------------ push

QList<TestAuthorization::PushTemplate> TestAuthorization::pushTemplates() const
{
    const qint64 morning = m_model.at(d(2026, 3, 27), QTime(10, 0));
    const qint64 spring1 = m_model.at(d(2026, 2, 9), QTime(10, 0));
    const qint64 spring2 = m_model.at(d(2026, 3, 26), QTime(10, 0));
    const qint64 earlyReleased = m_model.at(d(2026, 3, 10), QTime(10, 0));
    const qint64 afterCalendar = m_model.at(d(2026, 8, 1), QTime(10, 0));
    const QString jo = QStringLiteral("jo.smith");
    const QString sam = QStringLiteral("sam.jones");
    const QString lead = QStringLiteral("priya.patel");
    auto refs = [](std::initializer_list<const char *> l) {
        QStringList out;
        for (const char *r : l)
            out << QLatin1String(r);
        return out;
    };
    using T = PushTemplate;
    auto none = [](M::Observation &, TestAuthorization &) {};
    auto text = [](M::Observation &o, TestAuthorization &) {
        o.text = QStringLiteral("Amended text");
        o.note = QStringLiteral("Amended note");
    };
    QList<T> out;
    // New observations: scope by class, consent for media, drafts, bad tags, any release state.
    out << T { T::New, QStringLiteral("new-ava"), {}, refs({ "AVA" }), false, false, morning, false,
        none }
        << T { T::New, QStringLiteral("new-ava-photo"), {}, refs({ "AVA" }), true, false, morning,
               false, none }
        << T { T::New, QStringLiteral("new-chloe-photo"), {}, refs({ "CHLOE" }), true, false,
               morning, false, none }
        << T { T::New, QStringLiteral("new-eve"), {}, refs({ "EVE" }), false, false, morning, false,
               none }
        << T { T::New, QStringLiteral("new-eve-photo-no-consent"), {}, refs({ "EVE" }), true, false,
               morning, false, none }
        << T { T::New, QStringLiteral("new-ava-ben-photo"), {}, refs({ "AVA", "BEN" }), true, false,
               morning, false, none }
        << T { T::New, QStringLiteral("new-ava-chloe-two-classes"), {}, refs({ "AVA", "CHLOE" }),
               false, false, morning, false, none }
        << T { T::New, QStringLiteral("new-ava-finn-photo"), {}, refs({ "AVA", "FINN" }), true,
               false, morning, false, none }
        << T { T::New, QStringLiteral("new-leo-draft"), {}, refs({ "LEO" }), false, true, morning,
               false, none }
        << T { T::New, QStringLiteral("new-dev-eve-photo-no-consent"), {}, refs({ "DEV", "EVE" }),
               true, false, morning, false, none }
        << T { T::New, QStringLiteral("new-no-children"), {}, {}, false, false, morning, false,
               none }
        << T { T::New, QStringLiteral("new-unknown-child"), {}, refs({ "NOBODY" }), false, false,
               morning, false, none }
        << T { T::New, QStringLiteral("new-dev-after-calendar-end"), {}, refs({ "DEV" }), false,
               false, afterCalendar, false, none };
    // Amendments.
    out << T { T::Amend, QStringLiteral("amend-nursery-text"), jo, refs({ "AVA" }), false, false,
        morning, false, text }
        << T { T::Amend, QStringLiteral("amend-reception-released-text"), sam, refs({ "DEV" }),
               false, false, spring1, false, text }
        << T { T::Amend, QStringLiteral("amend-reception-unreleased-text"), sam, refs({ "DEV" }),
               false, false, spring2, false, text }
        << T { T::Amend, QStringLiteral("amend-kindergarten-early-released-text"), lead,
               refs({ "LEO" }), false, false, earlyReleased, false, text }
        << T { T::Amend, QStringLiteral("amend-someone-elses-draft"), jo, refs({ "BEN" }), false,
               true, morning, false, text }
        << T { T::Amend, QStringLiteral("amend-publish-draft"), sam, refs({ "DEV" }), false, true,
               spring2, false, [](M::Observation &o, TestAuthorization &) { o.draft = false; } }
        << T { T::Amend, QStringLiteral("amend-return-to-draft"), jo, refs({ "AVA" }), false, false,
               morning, false, [](M::Observation &o, TestAuthorization &) { o.draft = true; } }
        << T { T::Amend, QStringLiteral("amend-add-child-of-other-class"), jo, refs({ "AVA" }),
               false, false, morning, false,
               [](M::Observation &o, TestAuthorization &) {
                   o.children << QStringLiteral("CHLOE");
               } }
        << T { T::Amend, QStringLiteral("amend-add-child-without-media-consent"), lead,
               refs({ "LEO" }), true, false, earlyReleased, false,
               [](M::Observation &o, TestAuthorization &) { o.children << QStringLiteral("EVE"); } }
        << T { T::Amend, QStringLiteral("amend-add-photo-for-child-without-media-consent"), lead,
               refs({ "EVE" }), false, false, earlyReleased, false,
               [](M::Observation &o, TestAuthorization &t) {
                   o.media << t.newMedia(QStringLiteral("eve-added-") + o.id, QString());
               } }
        << T { T::Amend, QStringLiteral("amend-remove-photo"), lead, refs({ "LEO" }), true, false,
               earlyReleased, false,
               [](M::Observation &o, TestAuthorization &) { o.media.clear(); } }
        << T { T::Amend, QStringLiteral("amend-untag-ben"), jo, refs({ "AVA", "BEN" }), false,
               false, morning, false,
               [](M::Observation &o, TestAuthorization &) {
                   o.children.removeAll(QStringLiteral("BEN"));
               } }
        << T { T::Amend, QStringLiteral("amend-untag-everyone"), jo, refs({ "AVA" }), false, false,
               morning, false, [](M::Observation &o, TestAuthorization &) { o.children.clear(); } }
        << T { T::Amend, QStringLiteral("amend-two-classes-text"), lead, refs({ "AVA", "CHLOE" }),
               false, false, morning, false, text }
        << T { T::Amend, QStringLiteral("amend-stale-base-revision"), jo, refs({ "AVA" }), false,
               false, morning, true, text };
    // Deletions.
    auto del = [](M::Observation &o, TestAuthorization &) { o.deleted = true; };
    out << T { T::Delete, QStringLiteral("delete-nursery"), jo, refs({ "AVA" }), false, false,
        morning, false, del }
        << T { T::Delete, QStringLiteral("delete-nursery-photo-no-others-consent"), jo,
               refs({ "FINN" }), true, false, morning, false, del }
        << T { T::Delete, QStringLiteral("delete-reception-released"), sam, refs({ "DEV" }), false,
               false, spring1, false, del }
        << T { T::Delete, QStringLiteral("delete-two-classes"), lead, refs({ "AVA", "CHLOE" }),
               false, false, morning, false, del }
        << T { T::Delete, QStringLiteral("delete-someone-elses-draft"), jo, refs({ "BEN" }), false,
               true, morning, false, del }
        << T { T::Delete, QStringLiteral("delete-kindergarten"), lead, refs({ "LEO" }), false,
               false, earlyReleased, false, del };
    return out;
}

void TestAuthorization::push_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<int>("templateIndex");
    const QList<PushTemplate> templates = pushTemplates();
    for (qsizetype i = 0; i < templates.size(); ++i) {
        for (const Principal &p : m_principals)
            QTest::addRow("push/%s/%s", qPrintable(templates[i].name), qPrintable(p.key))
                << p.key << static_cast<int>(i);
    }
}

QString TestAuthorization::pushResultProblem(const Principal &p, const wire::Frame &r,
    oracle::Push expected, bool stale, const M::Observation &current,
    quint64 expectedRevision) const
{
    const M::Account *a = accountOf(p);
    if (!a || a->disabled)
        return refusalProblem(p, r, wire::Error::UNAUTHENTICATED);
    if (!r.has_push_reply() || r.push_reply().results_size() != 1)
        return QStringLiteral("expected one push result, got %1").arg(describe(r));
    const wire::PushResult &res = r.push_reply().results(0);
    if (res.id() != current.id.toStdString())
        return QStringLiteral("the result names another observation");
    switch (expected) {
    case oracle::Push::Accept:
        if (res.outcome() != wire::PushResult::ACCEPTED || res.revision() != expectedRevision)
            return QStringLiteral("expected ACCEPTED revision %1, got %2")
                .arg(expectedRevision)
                .arg(describe(r));
        return {};
    case oracle::Push::Conflict:
        if (res.outcome() != wire::PushResult::CONFLICT || !res.has_server_copy())
            return QStringLiteral("expected CONFLICT with the server's copy, got %1")
                .arg(describe(r));
        if (res.server_copy().revision() != current.revision
            || res.server_copy().staff_note() != current.note.toStdString())
            return QStringLiteral("the conflict carries a wrong server copy");
        return {};
    case oracle::Push::Deny:
        break;
    }
    if (res.outcome() == wire::PushResult::ACCEPTED)
        return QStringLiteral("expected a refusal, got %1").arg(describe(r));
    if (res.outcome() == wire::PushResult::REJECTED) {
        if (res.reason().empty())
            return QStringLiteral("a rejection without a reason the staff app can show");
        if (res.has_server_copy())
            return QStringLiteral("a rejection carries a copy of the observation");
        return {};
    }
    // A conflict is a refusal too, but only for a stale base, and any copy it carries is
    // what this principal may see of the observation and nothing more.
    if (!stale)
        return QStringLiteral("CONFLICT on the current revision: %1").arg(describe(r));
    if (!res.has_server_copy())
        return {};
    if (a->isParent()) {
        const auto view = oracle::parentView(m_model, *a, current, m_harness->clock.nowMs());
        if (!view)
            return QStringLiteral("a conflict showed parent %1 an observation the rules withhold")
                .arg(a->username);
        const QStringList problems = parentInvariantProblems(m_model, *a, res.server_copy());
        return problems.join(QStringLiteral("; "));
    }
    if (!oracle::staffSees(m_model, *a, current))
        return QStringLiteral("a conflict showed %1 an observation outside their journals")
            .arg(a->username);
    return {};
}

void TestAuthorization::push()
{
    QFETCH(QString, who);
    QFETCH(int, templateIndex);
    const PushTemplate t = pushTemplates().at(templateIndex);
    Principal &p = principal(who);
    const M::Account *a = accountOf(p);
    const QString caseName = t.name + QLatin1Char('/') + p.key;
    setPhase(Phase::AfterRelease);

    M::Observation current;
    std::optional<M::Observation> existing;
    quint64 base = 0;
    if (t.kind != PushTemplate::New) {
        // A fresh observation for this case, made by its author, so cases do not interact.
        const QString victim = QStringLiteral("victim/") + caseName;
        const QString e = record(
            victim, t.victimAuthor, t.observedAtMs, t.children, t.photo, t.draft, false, false);
        QVERIFY2(e.isEmpty(), qPrintable(e));
        if (t.stale) {
            const QString e2 = amend(victim, t.victimAuthor, m_harness->clock.nowMs(),
                [](M::Observation &o) { o.text = QStringLiteral("Changed on another device"); });
            QVERIFY2(e2.isEmpty(), qPrintable(e2));
        }
        setPhase(Phase::AfterRelease);
        current = m_model.observations[m_ids[victim]];
        existing = current;
        base = t.stale ? current.revision - 1 : current.revision;
    }
    M::Observation proposed;
    if (existing) {
        proposed = *existing;
    } else {
        proposed.id = uuidFor(QStringLiteral("pushed/") + caseName);
        proposed.author = p.username;
        proposed.observedAtMs = t.observedAtMs;
        proposed.children = t.children;
        proposed.text = QStringLiteral("New observation %1").arg(caseName);
        proposed.note = QStringLiteral("Staff note %1").arg(caseName);
        proposed.draft = t.draft;
        if (t.photo)
            proposed.media << newMedia(QStringLiteral("pushed/") + caseName, p.username);
    }
    t.change(proposed, *this);
    for (const QString &mid : proposed.media) {
        if (m_model.media[mid].declaredBy.isEmpty())
            m_model.media[mid].declaredBy = p.username;
    }

    const oracle::Push expected = a
        ? oracle::pushOutcome(m_model, *a, existing ? &*existing : nullptr, proposed, base)
        : oracle::Push::Deny;
    const wire::Frame r = p.client->push(
        { pushItem(m_model, proposed, base, uuidFor(QStringLiteral("change/case/") + caseName)) });
    const QString problem = pushResultProblem(p, r, expected, t.stale,
        existing ? *existing : proposed, existing ? existing->revision + 1 : 1);

    // Whatever the reply said, the store must hold exactly what the rules allow.
    const auto stored = m_harness->store->observation(proposed.id);
    QString storeProblem;
    if (expected == oracle::Push::Accept) {
        if (!stored || stored->content.revision() != (existing ? existing->revision + 1 : 1)
            || stored->content.text() != proposed.text.toStdString()
            || stored->content.deleted() != proposed.deleted)
            storeProblem = QStringLiteral("the accepted change is not what the store holds");
        else {
            proposed.revision = stored->content.revision();
            m_model.observations.insert(proposed.id, proposed);
        }
    } else if (existing) {
        if (!stored || stored->content.revision() != existing->revision
            || stored->content.text() != existing->text.toStdString()
            || stored->content.deleted() != existing->deleted)
            storeProblem = QStringLiteral("a refused change altered the stored observation");
    } else {
        if (stored)
            storeProblem = QStringLiteral("a refused new observation was stored");
        for (const QString &mid : proposed.media) {
            if (m_harness->store->media(mid))
                storeProblem = QStringLiteral("a refused push declared media %1").arg(mid);
        }
    }
    if (expected != oracle::Push::Accept) {
        for (const QString &mid : proposed.media) {
            if (!existing || !existing->media.contains(mid))
                m_model.media.remove(mid);
        }
    }
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY2(storeProblem.isEmpty(), qPrintable(storeProblem));
}

void TestAuthorization::pushReplayOfAnotherUsersChange_data()
{
    QTest::addColumn<QString>("who");
    for (const Principal &p : m_principals)
        QTest::addRow("replay/%s", qPrintable(p.key)) << p.key;
}

// A retried push of a change already applied is answered ACCEPTED without applying it
// again, for the device that made it. Anyone else sending the same change id must not be
// told "accepted": parents, admins and staff of other classes change nothing, and the
// answer would confirm the observation and its revision to them.
void TestAuthorization::pushReplayOfAnotherUsersChange()
{
    QFETCH(QString, who);
    Principal &p = principal(who);
    const M::Account *a = accountOf(p);
    setPhase(Phase::AfterRelease);
    const QString name = QStringLiteral("replayed/") + who;
    const QString e = record(name, QStringLiteral("jo.smith"),
        m_model.at(d(2026, 3, 27), QTime(9, 0)), { QStringLiteral("AVA") }, false, false);
    QVERIFY2(e.isEmpty(), qPrintable(e));
    const M::Observation o = m_model.observations[m_ids[name]];
    const wire::Frame r
        = p.client->push({ pushItem(m_model, o, 0, uuidFor(QStringLiteral("change/") + name)) });
    const auto stored = m_harness->store->observation(o.id);
    QVERIFY2(stored && stored->content.revision() == 1, "a replayed change was applied again");
    if (!a || a->disabled) {
        const QString problem = refusalProblem(p, r, wire::Error::UNAUTHENTICATED);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    QVERIFY2(r.has_push_reply() && r.push_reply().results_size() == 1, qPrintable(describe(r)));
    const wire::PushResult &res = r.push_reply().results(0);
    if (a->username == o.author) {
        QVERIFY2(res.outcome() == wire::PushResult::ACCEPTED && res.revision() == 1,
            qPrintable(describe(r)));
        return;
    }
    if (oracle::pushOutcome(m_model, *a, &o, o, o.revision) == oracle::Push::Accept)
        return; // another member of staff who may edit it: the rules leave the answer open
    QVERIFY2(res.outcome() != wire::PushResult::ACCEPTED,
        qPrintable(QStringLiteral("%1 may not change this observation but was told %2")
                       .arg(p.key, describe(r))));
}

// Rule 7: "the server rejects the push with a reason the staff app can show, and nothing
// else in the push is lost".
void TestAuthorization::pushKeepsTheRestWhenOneItemIsRefused()
{
    setPhase(Phase::AfterRelease);
    const QString lead = QStringLiteral("priya.patel");
    QList<M::Observation> obs;
    for (const auto &[name, refs, photo] :
        { std::tuple { "multi-1", QStringList { QStringLiteral("LEO") }, true },
            std::tuple { "multi-2-eve-photo", QStringList { QStringLiteral("EVE") }, true },
            std::tuple { "multi-3", QStringList { QStringLiteral("DEV") }, false } }) {
        M::Observation o;
        o.id = uuidFor(QStringLiteral("multi/") + QLatin1String(name));
        o.author = lead;
        o.observedAtMs = m_model.at(d(2026, 3, 27), QTime(9, 0));
        o.children = refs;
        o.text = QLatin1String(name);
        if (photo)
            o.media << newMedia(QStringLiteral("multi/") + QLatin1String(name), lead);
        obs << o;
    }
    QList<wire::PushItem> items;
    for (const M::Observation &o : obs)
        items << pushItem(m_model, o, 0, uuidFor(QStringLiteral("change/multi/") + o.id));
    const wire::Frame r = clientOf(lead).push(items);
    QVERIFY2(r.has_push_reply() && r.push_reply().results_size() == 3, qPrintable(describe(r)));
    const auto &res = r.push_reply().results();
    QCOMPARE(res.Get(0).outcome(), wire::PushResult::ACCEPTED);
    QCOMPARE(res.Get(1).outcome(), wire::PushResult::REJECTED);
    QVERIFY2(!res.Get(1).reason().empty(), "the refusal needs a reason the staff app can show");
    QCOMPARE(res.Get(2).outcome(), wire::PushResult::ACCEPTED);
    QVERIFY(m_harness->store->observation(obs[0].id));
    QVERIFY(!m_harness->store->observation(obs[1].id));
    QVERIFY(m_harness->store->observation(obs[2].id));
    for (const int i : { 0, 2 }) {
        obs[i].revision = 1;
        m_model.observations.insert(obs[i].id, obs[i]);
    }
    m_model.media.remove(obs[1].media.value(0));
}

// ------------------------------------------------------------------ early release

void TestAuthorization::release_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("className");
    QTest::addColumn<QString>("through");
    for (const char *cls : { "Nursery", "Reception", "Kindergarten", "Forest School" }) {
        // A date before every observation (so a successful release changes no journal here;
        // the effect of a release is checked at the end), and one in the future.
        for (const char *through : { "2025-08-01", "2026-12-01" }) {
            for (const Principal &p : m_principals)
                QTest::addRow("release/%s/%s/%s", cls, through, qPrintable(p.key))
                    << p.key << QString::fromLatin1(cls) << QString::fromLatin1(through);
        }
    }
}

void TestAuthorization::release()
{
    QFETCH(QString, who);
    QFETCH(QString, className);
    QFETCH(QString, through);
    setPhase(Phase::BeforeRelease);
    Principal &p = principal(who);
    const M::Account *a = accountOf(p);
    const QDate date = QDate::fromString(through, Qt::ISODate);
    const bool allowed
        = a && oracle::releaseAllowed(m_model, *a, className, date, m_harness->clock.nowMs());
    const wire::Frame r = p.client->release(className, through);
    if (!allowed) {
        // Leads asking for something impossible get BAD_REQUEST; everyone else FORBIDDEN.
        const bool lead = a && !a->disabled && a->role == QLatin1String("lead");
        const QString problem
            = refusalProblem(p, r, lead ? wire::Error::BAD_REQUEST : wire::Error::FORBIDDEN);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    QVERIFY2(r.has_release_reply(), qPrintable(describe(r)));
    QCOMPARE(r.release_reply().released_through_ms(), m_model.at(date.addDays(1), QTime(0, 0)));
    M::Class *cls = m_model.cls(className);
    if (!cls->earlyThroughDate.isValid() || cls->earlyThroughDate < date)
        cls->earlyThroughDate = date;
}

// ------------------------------------------------------------------ accounts

void TestAuthorization::accountStates()
{
    setPhase(Phase::AfterRelease);
    // Disabled accounts cannot sign in again, by password or by their old token.
    for (const char *key : { "disabled-parent-of-ben", "disabled-practitioner-nursery" }) {
        const Principal &disabled = principal(QLatin1String(key));
        WireClient c(*m_harness);
        QVERIFY(c.hello().has_hello_reply());
        const wire::Frame r = c.login(disabled.username, kPassword);
        QVERIFY2(r.has_error() && r.error().code() == wire::Error::ACCOUNT_LOCKED,
            qPrintable(describe(r)));
        const wire::Frame wrong = c.login(disabled.username, QStringLiteral("not the password"));
        QVERIFY2(wrong.has_error() && wrong.error().code() == wire::Error::AUTH_FAILED,
            qPrintable(describe(wrong)));
        wire::Frame tl;
        tl.mutable_token_login()->set_token(disabled.token.toStdString());
        const wire::Frame t = c.call(tl);
        QVERIFY2(t.has_error() && t.error().code() == wire::Error::UNAUTHENTICATED,
            qPrintable(describe(t)));
        QByteArray cursor;
        const auto run = c.pullAll(cursor, 10);
        QVERIFY2(run.error && run.error->code() == wire::Error::UNAUTHENTICATED,
            "a refused token opened a session");
    }
    // Logout ends the session and its token.
    {
        WireClient c(*m_harness);
        QVERIFY(c.hello().has_hello_reply());
        const wire::Frame r = c.login(QStringLiteral("tom.hill"), kPassword);
        QVERIFY2(r.has_login_reply(), qPrintable(describe(r)));
        QByteArray cursor;
        QVERIFY(!c.pullAll(cursor, 10).error);
        QVERIFY2(c.logout().has_logout(), "logout is acknowledged");
        cursor.clear();
        const auto after = c.pullAll(cursor, 10);
        QVERIFY2(after.error && after.error->code() == wire::Error::UNAUTHENTICATED,
            "a pull after logout was answered");
        WireClient again(*m_harness);
        QVERIFY(again.hello().has_hello_reply());
        wire::Frame tl;
        tl.mutable_token_login()->set_token(r.login_reply().token());
        const wire::Frame t = again.call(tl);
        QVERIFY2(t.has_error() && t.error().code() == wire::Error::UNAUTHENTICATED,
            qPrintable(describe(t)));
    }
    // Wrong passwords and unknown users get the same answer.
    {
        WireClient c(*m_harness);
        QVERIFY(c.hello().has_hello_reply());
        const wire::Frame wrong = c.login(QStringLiteral("alex.brown"), QStringLiteral("guess"));
        const wire::Frame unknown = c.login(QStringLiteral("nobody.here"), QStringLiteral("guess"));
        QVERIFY2(wrong.has_error() && wrong.error().code() == wire::Error::AUTH_FAILED,
            qPrintable(describe(wrong)));
        QVERIFY2(unknown.has_error() && unknown.error().code() == wire::Error::AUTH_FAILED,
            qPrintable(describe(unknown)));
        QCOMPARE(wrong.error().message(), unknown.error().message());
    }
}

// ------------------------------------------------------------------ cursors

// A cursor is signed and bound to its user: another family's cursor, a tampered one or a
// forged one is treated as no cursor at all, never as a way to skip or widen a journal.
void TestAuthorization::foreignAndForgedCursors()
{
    setPhase(Phase::AfterRelease);
    Principal &ravi = principal(QStringLiteral("guardian-of-siblings-dev-and-leo"));
    Principal &alex = principal(QStringLiteral("parent-of-ava-and-chloe"));
    QByteArray raviCursor;
    QVERIFY(!ravi.client->pullAll(raviCursor, 50).error);
    QByteArray tampered = raviCursor;
    tampered[0] = static_cast<char>(tampered[0] ^ 0x01);
    wire::Cursor forged;
    forged.set_version(1);
    forged.set_seq(1u << 30);
    forged.set_roster_seq(1u << 30);
    forged.set_user_id(m_harness->store->userByUsername(alex.username)->id);
    for (qint64 child = 1; child <= 20; ++child) {
        auto *cc = forged.add_cutoffs();
        cc->set_child_id(child);
        cc->set_cutoff_ms(std::numeric_limits<qint64>::max());
    }
    const QByteArray forgedBytes
        = QByteArray::fromStdString(forged.SerializeAsString()) + QByteArray(32, 'x');
    const std::pair<const char *, QByteArray> cursors[]
        = { { "another family's cursor", raviCursor }, { "a tampered cursor", tampered },
              { "a forged cursor", forgedBytes } };
    for (const auto &[what, bytes] : cursors) {
        QByteArray cursor = bytes;
        const WireClient::PullRun run = alex.client->pullAll(cursor, 50);
        if (run.error)
            continue; // refusing it is fine too
        DeviceCache cache;
        cache.apply(run.pages);
        QStringList problems;
        for (const wire::PullReply &page : run.pages)
            problems += parentReplyProblems(m_model, *accountOf(alex), page);
        problems += parentJournalProblems(alex, cache, m_harness->clock.nowMs());
        QVERIFY2(problems.isEmpty(),
            qPrintable(QLatin1String(what) + QStringLiteral(":\n  ") + joined(problems)));
    }
}

// ------------------------------------------------------------------ release and consent reaching
// devices

// Rules 3, 4 and 7 end to end: a lead's early release and consent changes in both
// directions reach every parent at their next incremental sync, with nothing edited.
void TestAuthorization::earlyReleaseAndConsentReachParentsAtNextSync()
{
    setPhase(Phase::BeforeRelease);
    std::map<QString, DeviceCache> caches;
    auto syncAll = [&](const QString &when) {
        QStringList problems;
        for (Principal &p : m_principals) {
            const M::Account *a = accountOf(p);
            if (!a || a->disabled || !a->isParent())
                continue;
            DeviceCache &cache = caches[p.key];
            const WireClient::PullRun run = p.client->pullAll(cache.cursor, 4);
            if (run.error) {
                problems << QStringLiteral("%1: %2").arg(
                    p.key, QString::fromStdString(run.error->message()));
                continue;
            }
            for (const wire::PullReply &page : run.pages)
                problems += parentReplyProblems(m_model, *a, page);
            cache.apply(run.pages);
            problems += parentJournalProblems(p, cache, m_harness->clock.nowMs());
        }
        return problems.isEmpty() ? QString() : when + QStringLiteral(":\n  ") + joined(problems);
    };
    QString problem = syncAll(QStringLiteral("first sync"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The lead releases Reception up to now from their device.
    const wire::Frame r
        = clientOf(QStringLiteral("priya.patel")).release(QStringLiteral("Reception"), QString());
    QVERIFY2(r.has_release_reply(), qPrintable(describe(r)));
    QCOMPARE(r.release_reply().released_through_ms(), m_harness->clock.nowMs());
    m_model.cls(QStringLiteral("Reception"))->earlyUpToMs = m_harness->clock.nowMs();
    problem = syncAll(QStringLiteral("after the lead released Reception up to now"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // ... and Kindergarten through 20 March, by the admin command's path.
    const auto k = m_harness->service->releaseClass(QStringLiteral("Kindergarten"),
        QStringLiteral("2026-03-20"), QStringLiteral("it.admin"), QStringLiteral("admin"));
    QVERIFY2(k.ok(), qPrintable(k.error()));
    m_model.cls(QStringLiteral("Kindergarten"))->earlyThroughDate = d(2026, 3, 20);
    problem = syncAll(QStringLiteral("after Kindergarten was released through 20 March"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Consent changes take effect at the next sync, in both directions.
    for (const bool others : { true, false }) {
        m_model.child(QStringLiteral("FINN"))->othersJournals = others;
        const QString e = m_harness->importSchool(m_model);
        QVERIFY2(e.isEmpty(), qPrintable(e));
        problem
            = syncAll(QStringLiteral("after Finn's others_journals consent became %1").arg(others));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    m_model.child(QStringLiteral("CHLOE"))->othersJournals = true;
    m_model.child(QStringLiteral("DEV"))->othersJournals = false;
    QString e = m_harness->importSchool(m_model);
    QVERIFY2(e.isEmpty(), qPrintable(e));
    problem = syncAll(
        QStringLiteral("after Chloe's others_journals consent was given and Dev's withdrawn"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Ava's family withdraws consent for photos in her journal, then gives it again: her
    // photos already published disappear from every parent's view and are refused to
    // a direct fetch, then come back (docs/safeguarding.md rule 6).
    for (const bool media : { false, true }) {
        m_model.child(QStringLiteral("AVA"))->journalMedia = media;
        e = m_harness->importSchool(m_model);
        QVERIFY2(e.isEmpty(), qPrintable(e));
        problem = syncAll(QStringLiteral("after Ava's journal_media consent became %1").arg(media));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (const char *key : { "parent-of-ava-and-chloe", "parent-of-ben" }) {
            Principal &p = principal(QLatin1String(key));
            const QString mediaId = m_mediaIds[QStringLiteral("n-ava-ben-photo")];
            const wire::Frame fetched = p.client->fetch(mediaId, wire::ORIGINAL);
            QVERIFY2(fetched.has_media_data() == media,
                qPrintable(QStringLiteral("%1: %2").arg(p.key, describe(fetched))));
            QVERIFY2(
                oracle::mayFetchMedia(m_model, *accountOf(p), mediaId, m_harness->clock.nowMs())
                    == media,
                "the oracle disagrees with the rule it states");
        }
    }

    // Moves take effect at once: Gus joins the live Nursery, Leo another family.
    m_model.child(QStringLiteral("GUS"))->className = QStringLiteral("Nursery");
    e = m_harness->importSchool(m_model);
    QVERIFY2(e.isEmpty(), qPrintable(e));
    problem = syncAll(QStringLiteral("after Gus moved to Nursery"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    m_model.child(QStringLiteral("LEO"))->family = QStringLiteral("FD");
    e = m_harness->importSchool(m_model);
    QVERIFY2(e.isEmpty(), qPrintable(e));
    problem = syncAll(QStringLiteral("after Leo moved to family FD"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The clock passes the release moment and the end of the calendar.
    for (const Phase phase : { Phase::AfterRelease, Phase::AfterCalendar }) {
        setPhase(phase);
        problem = syncAll(
            QStringLiteral("after the clock moved to phase %1").arg(static_cast<int>(phase)));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
}

// A connection keeps what it was allowed while the database stays as it was (SyncService's
// AccessMemo: a release storm's thumbnail fetches skip the lookups that answered the same a
// moment ago). Every cause that takes a permission away ends it at once, on that same
// connection, whoever makes the change: an admin command in another process, another
// device on this server, or the clock set back. (Runs last: it changes the school.)
void TestAuthorization::keptPermissionsEndWithTheirCause()
{
    // A photo of Chloe (Reception, half-termly) from Summer 1, released at 16:00 on 22 May.
    const QString name = QStringLiteral("r-chloe-summer1-kept-photo");
    QString e = record(name, QStringLiteral("sam.jones"), m_model.at(d(2026, 5, 1), QTime(10, 0)),
        { QStringLiteral("CHLOE") }, true, false);
    QVERIFY2(e.isEmpty(), qPrintable(e));
    const QString photo = m_mediaIds.value(name);
    const qint64 released = phaseTime(Phase::AfterCalendar);
    const qint64 beforeItsRelease = m_model.at(d(2026, 5, 20), QTime(12, 0));
    m_harness->clock.setNowMs(released);

    auto opened = m_harness->openAnotherConnection();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    server::ServerStore &admin = *opened.value();
    const auto parent = admin.userByUsername(QStringLiteral("alex.brown"));
    QVERIFY(parent);
    std::optional<server::ChildRecord> chloe;
    for (const server::ChildRecord &c : admin.children()) {
        if (c.ref == QLatin1String("CHLOE"))
            chloe = c;
    }
    QVERIFY(chloe);

    WireClient c(*m_harness);
    QVERIFY(c.hello().has_hello_reply());
    auto signIn = [&] {
        const wire::Frame r = c.login(QStringLiteral("alex.brown"), kPassword);
        return r.has_login_reply() ? QString() : describe(r);
    };
    // SQLite has the version the memo is kept by; PostgreSQL checks everything every time.
    const bool kept = m_harness->store->dialect() == server::SqlDialect::Sqlite;
    const auto fetchFromMemo = [&] {
        const quint64 before = m_harness->service->keptMediaAnswers();
        const wire::Frame f = c.fetch(photo, wire::THUMBNAIL);
        if (!f.has_media_data())
            return describe(f);
        const bool fromMemo = m_harness->service->keptMediaAnswers() == before + 1;
        return fromMemo == kept ? QString() : QStringLiteral("the fetch was not answered from the memo");
    };
    // Pulls the journal afresh, then fetches the photo's thumbnail twice, both from what
    // the connection kept of the pull; empty when both came.
    auto pullAndFetch = [&] {
        QByteArray cursor;
        const auto run = c.pullAll(cursor, 50);
        if (run.error)
            return QStringLiteral("pull: %1").arg(QString::fromStdString(run.error->message()));
        for (int i = 0; i < 2; ++i) {
            if (const QString problem = fetchFromMemo(); !problem.isEmpty())
                return QStringLiteral("fetch %1: %2").arg(i + 1).arg(problem);
        }
        return QString();
    };
    auto refusedWith = [&](wire::Error::Code code) {
        const wire::Frame f = c.fetch(photo, wire::THUMBNAIL);
        return f.has_error() && f.error().code() == code ? QString() : describe(f);
    };
    QString problem = signIn();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = pullAndFetch();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Other parents signing in (what a storm is made of) change nothing of it.
    {
        WireClient other(*m_harness);
        QVERIFY(other.hello().has_hello_reply());
        QVERIFY(other.login(QStringLiteral("grace.okafor"), kPassword).has_login_reply());
        QVERIFY(other.fetch(photo, wire::THUMBNAIL).has_error());
    }
    problem = fetchFromMemo();
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("after another parent's sign-in: ") + problem));

    // An item whose id differs only in letter case is another item (ids are kept as
    // stored): a practitioner's own photo declared under the upper-case form of this one
    // does not open this one to them, nor the other way round.
    {
        const QString alias = photo.toUpper();
        M::Observation o;
        o.id = uuidFor(QStringLiteral("memo-alias-observation"));
        o.author = QStringLiteral("jo.smith");
        o.observedAtMs = m_harness->clock.nowMs() - 60 * 60 * 1000;
        o.children = { QStringLiteral("BEN") };
        o.text = QStringLiteral("Ben built a tower.");
        M::Media md = m_model.media.value(photo);
        md.id = alias;
        md.declaredBy = QStringLiteral("jo.smith");
        m_model.media.insert(alias, md);
        o.media = { alias };
        WireClient &staff = clientOf(QStringLiteral("jo.smith"));
        const wire::Frame pushed = staff.push({ pushItem(m_model, o, 0, uuidFor(QStringLiteral("change/memo-alias"))) });
        QVERIFY2(pushed.has_push_reply() && pushed.push_reply().results(0).outcome() == wire::PushResult::ACCEPTED,
            qPrintable(describe(pushed)));
        QByteArray cursor;
        QVERIFY(!staff.pullAll(cursor, 50).error);
        const wire::Frame stolen = staff.fetch(photo, wire::THUMBNAIL);
        QVERIFY2(stolen.has_error() && stolen.error().code() == wire::Error::FORBIDDEN,
            qPrintable(QStringLiteral("a Nursery practitioner fetched a Reception photo: ") + describe(stolen)));
        const wire::Frame own = c.fetch(alias, wire::THUMBNAIL);
        QVERIFY2(own.has_error() && own.error().code() == wire::Error::FORBIDDEN,
            qPrintable(QStringLiteral("a parent fetched an item not theirs: ") + describe(own)));
        // The push changed the school: the parent's connection checks everything again.
        problem = pullAndFetch();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // Consent for photos in Chloe's journal withdrawn by an admin command, then given again.
    const qint64 now = m_harness->clock.nowMs();
    QVERIFY(admin.setConsent(chloe->id, false, chloe->othersJournals, QStringLiteral("it.admin"), now).ok());
    problem = refusedWith(wire::Error::FORBIDDEN);
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("after consent was withdrawn: ") + problem));
    QVERIFY(admin.setConsent(chloe->id, true, chloe->othersJournals, QStringLiteral("it.admin"), now).ok());
    problem = pullAndFetch();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The clock set back before the release moment (a wrong date corrected): not released.
    m_harness->clock.setNowMs(beforeItsRelease);
    problem = refusedWith(wire::Error::FORBIDDEN);
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("with the clock set back: ") + problem));
    m_harness->clock.setNowMs(released);
    problem = pullAndFetch();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The session ended by an admin command; the account switched off by one.
    QVERIFY(admin.endSessionsOfUser(parent->id, now, QStringLiteral("ended by the IT manager")).ok());
    problem = refusedWith(wire::Error::UNAUTHENTICATED);
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("after the session ended: ") + problem));
    problem = signIn();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = pullAndFetch();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(admin.setUserState(parent->id, QStringLiteral("disabled")).ok());
    problem = refusedWith(wire::Error::UNAUTHENTICATED);
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("after the account was disabled: ") + problem));
    QVERIFY(admin.setUserState(parent->id, QStringLiteral("active")).ok());
    problem = signIn();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = pullAndFetch();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The session left unused past its idle limit (the school's usual 30 days; the harness
    // lets sessions live for the whole test otherwise).
    server::SessionLifetimes usual;
    usual.idleDays = 30;
    m_harness->service->setSessionLifetimes(usual);
    m_harness->clock.setNowMs(now + 31 * server::SessionLifetimes::kDayMs);
    problem = refusedWith(wire::Error::UNAUTHENTICATED);
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("after a month unused: ") + problem));
    server::SessionLifetimes harnessLifetimes; // as ServerHarness sets them
    harnessLifetimes.idleDays = harnessLifetimes.maxAgeDays = 100 * 365;
    m_harness->service->setSessionLifetimes(harnessLifetimes);
    m_harness->clock.setNowMs(released);
    problem = signIn();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = pullAndFetch();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The observation deleted by its practitioner from their own device, on this server.
    e = amend(name, QStringLiteral("sam.jones"), m_harness->clock.nowMs(),
        [](M::Observation &o) { o.deleted = true; });
    QVERIFY2(e.isEmpty(), qPrintable(e));
    problem = refusedWith(wire::Error::FORBIDDEN);
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("after the observation was deleted: ") + problem));
}

QTEST_GUILESS_MAIN(TestAuthorization)

#include "tst_authorization.moc"
