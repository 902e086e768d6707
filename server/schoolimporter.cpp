#include "schoolimporter.h"

#include "clock.h"
#include "crypto.h"
#include "serverstore.h"
#include "timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>

#include <algorithm>

namespace acorn::server {

namespace {

// Reads typed values out of a JSON object, remembering the first problem with its place.
class Reader
{
public:
    QString error;

    bool failed() const { return !error.isEmpty(); }
    void fail(const QString &where, const QString &what)
    {
        if (error.isEmpty())
            error = QStringLiteral("%1: %2").arg(where, what);
    }
    QString string(const QJsonObject &o, const char *key, const QString &where, bool required = true)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(where, QStringLiteral("'%1' is missing").arg(QLatin1String(key)));
            return {};
        }
        if (!v.isString()) {
            fail(where, QStringLiteral("'%1' must be text").arg(QLatin1String(key)));
            return {};
        }
        const QString s = v.toString().trimmed();
        if (required && s.isEmpty())
            fail(where, QStringLiteral("'%1' is empty").arg(QLatin1String(key)));
        return s;
    }
    bool boolean(const QJsonObject &o, const char *key, const QString &where)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isBool()) {
            fail(where, QStringLiteral("'%1' must be true or false").arg(QLatin1String(key)));
            return false;
        }
        return v.toBool();
    }
    QJsonArray array(const QJsonObject &o, const char *key, const QString &where)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return {};
        if (!v.isArray())
            fail(where, QStringLiteral("'%1' must be a list").arg(QLatin1String(key)));
        return v.toArray();
    }
    QJsonObject object(const QJsonValue &v, const QString &where)
    {
        if (!v.isObject())
            fail(where, QStringLiteral("must be an object"));
        return v.toObject();
    }
};

} // namespace

bool SchoolImporter::isValidUsername(const QString &u)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9._-]{1,63}$"));
    return re.match(u).hasMatch();
}

std::optional<QString> SchoolImporter::accountConflict(const SchoolData::Account &a)
{
    const auto existing = m_store.userByUsername(a.username);
    if (!existing)
        return std::nullopt;
    const bool guardian = a.role == QLatin1String("parent");
    const bool wasParent = existing->role == QLatin1String("parent");
    if (wasParent != guardian)
        return QStringLiteral("'%1' already exists as a %2 account")
            .arg(a.username, existing->role);
    // A guardian stays with their family: the same username for another family is far more
    // likely a clash of two people than a move, and a move would show one family's journals
    // to another.
    if (guardian && existing->familyId) {
        const std::optional<QString> oldFamily = m_store.familyRef(existing->familyId);
        if (oldFamily && *oldFamily != a.family)
            return QStringLiteral("'%1' already belongs to family '%2'; a guardian of "
                                  "another family needs a different username")
                .arg(a.username, *oldFamily);
    }
    return std::nullopt;
}

QJsonObject SchoolImporter::Outcome::toJson() const
{
    QJsonObject codes;
    for (auto it = activationCodes.cbegin(); it != activationCodes.cend(); ++it)
        codes.insert(it.key(), it.value());
    return QJsonObject{{QStringLiteral("created_accounts"), QJsonArray::fromStringList(createdAccounts)},
                       {QStringLiteral("updated_accounts"), QJsonArray::fromStringList(updatedAccounts)},
                       {QStringLiteral("children"), children},
                       {QStringLiteral("activation_codes"), codes}};
}

SchoolImporter::SchoolImporter(ServerStore &store, const Clock &clock) : m_store(store), m_clock(clock) { }

Result<SchoolImporter::Outcome> SchoolImporter::importJson(const QByteArray &json, const QString &actor)
{
    using R = Result<Outcome>;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const int line = static_cast<int>(json.left(parseError.offset).count('\n')) + 1;
        return R::failure(QStringLiteral("line %1: not valid JSON (%2) (nothing was imported)")
                              .arg(line)
                              .arg(parseError.errorString()));
    }
    if (!doc.isObject())
        return R::failure(QStringLiteral("the file must hold one JSON object with 'school', "
                                         "'classes', ... (nothing was imported)"));
    const QJsonObject root = doc.object();
    Reader rd;

    static const QSet<QString> knownKeys = {QStringLiteral("school"),   QStringLiteral("calendar"),
                                            QStringLiteral("classes"),  QStringLiteral("staff"),
                                            QStringLiteral("children"), QStringLiteral("guardians")};
    for (const QString &key : root.keys()) {
        if (!knownKeys.contains(key))
            rd.fail(key, QStringLiteral("unknown section (expected school, calendar, classes, staff, children, guardians)"));
    }

    // ---- school
    std::optional<SchoolSettings> school = m_store.school();
    if (root.contains(QStringLiteral("school"))) {
        const QJsonObject s = rd.object(root.value(QStringLiteral("school")), QStringLiteral("school"));
        SchoolSettings settings;
        settings.name = rd.string(s, "name", QStringLiteral("school"));
        settings.timeZone = rd.string(s, "time_zone", QStringLiteral("school"), false);
        if (settings.timeZone.isEmpty())
            settings.timeZone = QStringLiteral("Europe/London");
        if (!QTimeZone(settings.timeZone.toUtf8()).isValid())
            rd.fail(QStringLiteral("school.time_zone"), QStringLiteral("unknown time zone '%1'").arg(settings.timeZone));
        settings.releaseTime = rd.string(s, "release_time", QStringLiteral("school"), false);
        if (settings.releaseTime.isEmpty())
            settings.releaseTime = QStringLiteral("16:00");
        if (auto t = timeutil::parseTime(settings.releaseTime); !t)
            rd.fail(QStringLiteral("school.release_time"), t.error());
        settings.contact = rd.string(s, "contact", QStringLiteral("school"), false);
        school = settings;
    } else if (!school) {
        rd.fail(QStringLiteral("school"), QStringLiteral("missing: a new school needs a name"));
    }

    // ---- calendar
    std::optional<QList<HalfTerm>> calendar;
    if (root.contains(QStringLiteral("calendar"))) {
        QList<HalfTerm> terms;
        const QJsonArray arr = rd.array(root, "calendar", QStringLiteral("calendar"));
        for (int i = 0; i < arr.size() && !rd.failed(); ++i) {
            const QString where = QStringLiteral("calendar[%1]").arg(i);
            const QJsonObject o = rd.object(arr[i], where);
            HalfTerm t;
            t.name = rd.string(o, "name", where);
            const auto first = timeutil::parseDate(rd.string(o, "first_day", where));
            const auto last = timeutil::parseDate(rd.string(o, "last_day", where));
            if (rd.failed())
                break;
            if (!first || !last) {
                rd.fail(where, !first ? first.error() : last.error());
                break;
            }
            t.firstDay = first.value();
            t.lastDay = last.value();
            if (t.lastDay < t.firstDay)
                rd.fail(where, QStringLiteral("last_day is before first_day"));
            for (const HalfTerm &other : terms) {
                if (t.firstDay <= other.lastDay && other.firstDay <= t.lastDay)
                    rd.fail(where, QStringLiteral("overlaps half term '%1'").arg(other.name));
            }
            terms.append(t);
        }
        calendar = terms;
    }

    // ---- classes
    QMap<QString, bool> classesInFile; // name -> live
    {
        const QJsonArray arr = rd.array(root, "classes", QStringLiteral("classes"));
        for (int i = 0; i < arr.size() && !rd.failed(); ++i) {
            const QString where = QStringLiteral("classes[%1]").arg(i);
            const QJsonObject o = rd.object(arr[i], where);
            const QString name = rd.string(o, "name", where);
            const QString release = rd.string(o, "release", where);
            if (rd.failed())
                break;
            if (release != QLatin1String("live") && release != QLatin1String("half-term"))
                rd.fail(where + QStringLiteral(".release"),
                        QStringLiteral("'%1' is not a release policy (use 'live' or 'half-term')").arg(release));
            if (classesInFile.contains(name))
                rd.fail(where, QStringLiteral("class '%1' is listed twice").arg(name));
            classesInFile.insert(name, release == QLatin1String("live"));
        }
    }
    QSet<QString> knownClasses(classesInFile.keyBegin(), classesInFile.keyEnd());
    for (const ClassRecord &c : m_store.classes())
        knownClasses.insert(c.name);

    // ---- children
    QList<SchoolData::Child> children;
    QSet<QString> familiesInFile;
    QSet<QString> refs; // children the file names (and may move to another family)
    {
        const QJsonArray arr = rd.array(root, "children", QStringLiteral("children"));
        for (int i = 0; i < arr.size() && !rd.failed(); ++i) {
            const QString where = QStringLiteral("children[%1]").arg(i);
            const QJsonObject o = rd.object(arr[i], where);
            SchoolData::Child pc;
            pc.record.ref = rd.string(o, "ref", where);
            pc.record.firstName = rd.string(o, "first_name", where);
            pc.record.lastName = rd.string(o, "last_name", where);
            const QString dob = rd.string(o, "date_of_birth", where);
            pc.className = rd.string(o, "class", where);
            pc.record.familyRef = rd.string(o, "family", where);
            const QJsonObject consent = rd.object(o.value(QStringLiteral("consent")), where + QStringLiteral(".consent"));
            if (rd.failed())
                break;
            pc.record.journalMedia = rd.boolean(consent, "journal_media", where + QStringLiteral(".consent"));
            pc.record.othersJournals = rd.boolean(consent, "others_journals", where + QStringLiteral(".consent"));
            if (auto d = timeutil::parseDate(dob); !d)
                rd.fail(where + QStringLiteral(".date_of_birth"), d.error());
            pc.record.dateOfBirth = dob;
            if (!knownClasses.contains(pc.className))
                rd.fail(where + QStringLiteral(".class"), QStringLiteral("there is no class '%1'").arg(pc.className));
            if (refs.contains(pc.record.ref))
                rd.fail(where + QStringLiteral(".ref"), QStringLiteral("child '%1' is listed twice").arg(pc.record.ref));
            refs.insert(pc.record.ref);
            familiesInFile.insert(pc.record.familyRef);
            children.append(pc);
        }
    }

    // ---- accounts
    QList<SchoolData::Account> accounts;
    QSet<QString> usernames;
    auto readAccounts = [&](const char *section, bool guardians) {
        const QJsonArray arr = rd.array(root, section, QLatin1String(section));
        for (int i = 0; i < arr.size() && !rd.failed(); ++i) {
            const QString where = QStringLiteral("%1[%2]").arg(QLatin1String(section)).arg(i);
            const QJsonObject o = rd.object(arr[i], where);
            SchoolData::Account a;
            a.where = where;
            a.username = rd.string(o, "username", where);
            a.name = rd.string(o, "name", where);
            if (rd.failed())
                break;
            if (!isValidUsername(a.username))
                rd.fail(where + QStringLiteral(".username"),
                        QStringLiteral("'%1' is not a valid username (lower-case letters, digits, '.', '_', '-')").arg(a.username));
            if (usernames.contains(a.username))
                rd.fail(where + QStringLiteral(".username"), QStringLiteral("'%1' is listed twice").arg(a.username));
            usernames.insert(a.username);
            if (guardians) {
                a.role = QStringLiteral("parent");
                a.family = rd.string(o, "family", where);
                if (!rd.failed() && !familiesInFile.contains(a.family)) {
                    // The family as it will be after this import: a child the file moves
                    // to another family no longer counts (found by fuzz_schoolimport: such
                    // a file was accepted once, then refused when imported again).
                    bool known = false;
                    for (const ChildRecord &c : m_store.children())
                        known = known || (c.familyRef == a.family && !refs.contains(c.ref));
                    if (!known)
                        rd.fail(where + QStringLiteral(".family"),
                                QStringLiteral("no child belongs to family '%1'").arg(a.family));
                }
            } else {
                a.role = rd.string(o, "role", where);
                if (!rd.failed() && a.role != QLatin1String("admin") && a.role != QLatin1String("lead")
                    && a.role != QLatin1String("practitioner"))
                    rd.fail(where + QStringLiteral(".role"),
                            QStringLiteral("'%1' is not a staff role (admin, lead or practitioner)").arg(a.role));
                const QJsonArray cls = rd.array(o, "classes", where);
                for (const QJsonValue &v : cls) {
                    if (!v.isString() || !knownClasses.contains(v.toString()))
                        rd.fail(where + QStringLiteral(".classes"),
                                QStringLiteral("there is no class '%1'").arg(v.toString()));
                    a.classes.append(v.toString());
                }
            }
            // An existing account keeps its kind and, for guardians, its family.
            if (!rd.failed()) {
                if (const auto conflict = accountConflict(a))
                    rd.fail(where + QStringLiteral(".username"), *conflict);
            }
            accounts.append(a);
        }
    };
    readAccounts("staff", false);
    readAccounts("guardians", true);

    if (rd.failed())
        return R::failure(rd.error + QStringLiteral(" (nothing was imported)"));

    SchoolData data;
    data.school = school;
    data.calendar = calendar;
    data.classes = classesInFile;
    data.children = children;
    data.accounts = accounts;
    return apply(data, actor, QStringLiteral("import-school"));
}

Result<SchoolImporter::Outcome> SchoolImporter::apply(
    const SchoolData &data, const QString &actor, const QString &auditAction)
{
    using R = Result<Outcome>;
    const qint64 now = m_clock.nowMs();
    ServerStore::Transaction tx(m_store);
    if (!tx.ok())
        return R::failure(QStringLiteral("cannot write to the database: %1").arg(m_store.lastError()));
    Outcome out;
    auto failed = [](const QString &what, const QString &err) {
        return R::failure(QStringLiteral("%1: %2 (nothing was imported)").arg(what, err));
    };
    if (data.school) {
        if (Status s = m_store.saveSchool(*data.school); !s)
            return failed(QStringLiteral("school"), s.error());
    }
    // What devices hold (roster, classes, release dates) changes only when something in it
    // did: a re-import of the same file sends nothing again.
    bool rosterChanged = false;
    if (data.calendar) {
        auto byLastDay = [](QList<HalfTerm> terms) {
            std::sort(terms.begin(), terms.end(),
                [](const HalfTerm &a, const HalfTerm &b) { return a.lastDay < b.lastDay; });
            QStringList keys;
            for (const HalfTerm &t : terms)
                keys.append(QStringLiteral("%1|%2|%3")
                                .arg(t.name, t.firstDay.toString(Qt::ISODate),
                                    t.lastDay.toString(Qt::ISODate)));
            return keys;
        };
        if (byLastDay(*data.calendar) != byLastDay(m_store.halfTerms())) {
            if (Status s = m_store.replaceCalendar(*data.calendar); !s)
                return failed(QStringLiteral("calendar"), s.error());
            rosterChanged = true;
        }
    }
    QHash<QString, bool> classesBefore;
    for (const ClassRecord &c : m_store.classes())
        classesBefore.insert(c.name, c.live);
    for (auto it = data.classes.cbegin(); it != data.classes.cend(); ++it) {
        if (classesBefore.contains(it.key()) && classesBefore.value(it.key()) == it.value())
            continue;
        auto id = m_store.upsertClass(it.key(), it.value());
        if (!id)
            return failed(QStringLiteral("classes"), id.error());
        rosterChanged = true;
    }
    QHash<QString, qint64> classIds;
    for (const ClassRecord &c : m_store.classes())
        classIds.insert(c.name, c.id);

    for (const SchoolData::Child &pc : data.children) {
        if (!classIds.contains(pc.className))
            return failed(QStringLiteral("child %1").arg(pc.record.ref),
                QStringLiteral("there is no class '%1'").arg(pc.className));
        auto familyId = m_store.upsertFamily(pc.record.familyRef);
        if (!familyId)
            return failed(QStringLiteral("children"), familyId.error());
        ChildRecord rec = pc.record;
        rec.classId = classIds.value(pc.className);
        rec.familyId = familyId.value();
        bool visibilityChanged = false;
        bool changed = false;
        auto id = m_store.upsertChild(rec, actor, now, &visibilityChanged, &changed);
        if (!id)
            return failed(QStringLiteral("children"), id.error());
        if (visibilityChanged) {
            if (Status s = m_store.touchObservationsOfChild(id.value()); !s)
                return failed(QStringLiteral("children"), s.error());
        }
        rosterChanged = rosterChanged || changed;
        ++out.children;
    }

    for (const SchoolData::Account &a : data.accounts) {
        qint64 familyId = 0;
        if (a.role == QLatin1String("parent")) {
            auto f = m_store.upsertFamily(a.family);
            if (!f)
                return failed(a.where, f.error());
            familyId = f.value();
        }
        qint64 userId = 0;
        if (const auto existing = m_store.userByUsername(a.username)) {
            userId = existing->id;
            if (existing->displayName != a.name || existing->role != a.role || existing->familyId != familyId) {
                if (Status s = m_store.updateUserProfile(userId, a.name, a.role, familyId); !s)
                    return failed(a.where, s.error());
                out.updatedAccounts.append(a.username);
                rosterChanged = rosterChanged || existing->familyId != familyId;
            }
        } else {
            const QString code = crypto::newActivationCode();
            UserRecord u;
            u.username = a.username;
            u.displayName = a.name;
            u.role = a.role;
            u.state = QStringLiteral("invited");
            u.familyId = familyId;
            u.activationHash = crypto::sha256Hex(crypto::normaliseActivationCode(code).toUtf8());
            u.activationExpires = now + kActivationValidityMs;
            auto id = m_store.insertUser(u, now);
            if (!id)
                return failed(a.where, id.error());
            userId = id.value();
            out.createdAccounts.append(a.username);
            out.activationCodes.insert(a.username, code);
        }
        if (a.role != QLatin1String("parent")) {
            QSet<qint64> ids;
            for (const QString &c : a.classes)
                ids.insert(classIds.value(c));
            if (ids != m_store.staffClassIds(userId)) {
                if (Status s = m_store.setStaffClasses(userId, ids); !s)
                    return failed(a.where, s.error());
                rosterChanged = true;
            }
        }
    }
    if (rosterChanged) {
        if (Status s = m_store.bumpRosterSeq(); !s)
            return failed(QStringLiteral("roster"), s.error());
    }
    if (Status s = m_store.audit(actor, QStringLiteral("admin"), auditAction, QString(),
            QStringLiteral("%1 children, %2 new accounts, %3 updated accounts")
                .arg(out.children)
                .arg(out.createdAccounts.size())
                .arg(out.updatedAccounts.size()),
            now);
        !s)
        return failed(QStringLiteral("audit"), s.error());
    if (Status s = tx.commit(); !s)
        return R::failure(s.error() + QStringLiteral(" (nothing was imported)"));
    return out;
}

} // namespace acorn::server
