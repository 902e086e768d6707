#include "eyfsframework.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

#include <array>
#include <utility>

Q_LOGGING_CATEGORY(lcFramework, "acorn.framework", QtWarningMsg)

namespace acorn {

namespace {

constexpr auto kFormat = "acorn-framework";
constexpr int kFormatVersion = 1;

struct KindName
{
    EyfsFramework::Kind kind;
    const char *key;
};

constexpr std::array<KindName, 6> kKinds = { {
    { EyfsFramework::Kind::PrimeArea, "prime-area" },
    { EyfsFramework::Kind::SpecificArea, "specific-area" },
    { EyfsFramework::Kind::Characteristic, "characteristic" },
    { EyfsFramework::Kind::EarlyLearningGoal, "elg" },
    { EyfsFramework::Kind::DevelopmentMatters, "development-matters" },
    { EyfsFramework::Kind::SchoolItem, "school-item" },
} };

bool isTopLevel(EyfsFramework::Kind kind)
{
    return kind == EyfsFramework::Kind::PrimeArea || kind == EyfsFramework::Kind::SpecificArea
        || kind == EyfsFramework::Kind::Characteristic;
}

// Statutory kinds a school's extension may not add.
bool isStatutory(EyfsFramework::Kind kind)
{
    return kind == EyfsFramework::Kind::PrimeArea || kind == EyfsFramework::Kind::SpecificArea
        || kind == EyfsFramework::Kind::Characteristic
        || kind == EyfsFramework::Kind::EarlyLearningGoal;
}

// "line 3, column 7" for a QJsonParseError offset, which points just past the offending
// character.
QString lineAndColumn(const QByteArray &json, qsizetype errorOffset)
{
    const qsizetype offset = errorOffset > 0 ? errorOffset - 1 : 0;
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < offset && i < json.size(); ++i) {
        if (json.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

bool isValidKey(const QString &key)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$"));
    return pattern.match(key).hasMatch();
}

} // namespace

QString EyfsFramework::Problem::toString() const
{
    return QStringLiteral("%1: %2: %3").arg(file, position, message);
}

QString EyfsFramework::kindKey(Kind kind)
{
    for (const KindName &k : kKinds) {
        if (k.kind == kind)
            return QString::fromLatin1(k.key);
    }
    return {};
}

// Reads one file into a framework: the shipped file (extension == false) or a school's
// extension. Strict: an unknown field is a problem, because a misspelt "scale" would
// otherwise quietly make an item unassessable.
struct EyfsFramework::Parser
{
    EyfsFramework &fw;
    QString file;
    bool extension;
    QList<Problem> *problems;

    void report(const QString &position, const QString &message)
    {
        const Problem p { file, position, message };
        qCWarning(lcFramework).noquote() << p.toString();
        if (problems)
            problems->append(p);
    }

    // Reports every field of `o` that is not in `known`.
    void checkFields(const QJsonObject &o, const QString &position, QStringList known)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!known.contains(it.key()))
                report(position, QStringLiteral("unknown field \"%1\"").arg(it.key()));
        }
    }

    // A required non-empty string field; reports and returns empty when missing.
    QString text(const QJsonObject &o, const QString &name, const QString &position)
    {
        const QJsonValue v = o.value(name);
        if (!v.isString() || v.toString().trimmed().isEmpty()) {
            report(position, QStringLiteral("\"%1\" must be a non-empty string").arg(name));
            return {};
        }
        return v.toString().trimmed();
    }

    // An optional string field: empty when absent, reported when of the wrong type.
    QString optionalText(
        const QJsonObject &o, const QString &name, const QString &position, bool *bad)
    {
        if (!o.contains(name))
            return {};
        const QJsonValue v = o.value(name);
        if (!v.isString() || v.toString().trimmed().isEmpty()) {
            report(position, QStringLiteral("\"%1\" must be a non-empty string").arg(name));
            *bad = true;
            return {};
        }
        return v.toString().trimmed();
    }

    QJsonArray array(const QJsonObject &root, const QString &name)
    {
        if (!root.contains(name))
            return {};
        if (!root.value(name).isArray()) {
            report(name, QStringLiteral("must be a list"));
            return {};
        }
        return root.value(name).toArray();
    }

    void readScales(const QJsonArray &scales)
    {
        for (qsizetype i = 0; i < scales.size(); ++i) {
            QString pos = QStringLiteral("scales[%1]").arg(i);
            if (!scales.at(i).isObject()) {
                report(pos, QStringLiteral("a scale must be an object"));
                continue;
            }
            const QJsonObject o = scales.at(i).toObject();
            Scale s;
            s.key = text(o, QStringLiteral("key"), pos);
            if (!s.key.isEmpty())
                pos += QStringLiteral(" (%1)").arg(s.key);
            checkFields(o, pos,
                { QStringLiteral("key"), QStringLiteral("title"), QStringLiteral("judgements"),
                    QStringLiteral("replace") });
            s.title = text(o, QStringLiteral("title"), pos);
            bool bad = s.key.isEmpty() || s.title.isEmpty();
            if (!s.key.isEmpty() && !isValidKey(s.key)) {
                report(pos, QStringLiteral("the key may hold only letters, digits and '-'"));
                bad = true;
            }
            const QJsonArray js = o.value(QStringLiteral("judgements")).toArray();
            if (js.size() < 2) {
                report(pos, QStringLiteral("a scale needs at least two judgements"));
                bad = true;
            }
            QSet<QString> seen;
            for (qsizetype j = 0; j < js.size(); ++j) {
                const QString jpos = pos + QStringLiteral(".judgements[%1]").arg(j);
                const QJsonObject jo = js.at(j).toObject();
                checkFields(jo, jpos, { QStringLiteral("key"), QStringLiteral("title") });
                const Judgement judgement { text(jo, QStringLiteral("key"), jpos),
                    text(jo, QStringLiteral("title"), jpos) };
                if (judgement.key.isEmpty() || judgement.title.isEmpty()) {
                    bad = true;
                } else if (!isValidKey(judgement.key)) {
                    report(jpos, QStringLiteral("the key may hold only letters, digits and '-'"));
                    bad = true;
                } else if (seen.contains(judgement.key.toLower())) {
                    report(
                        jpos, QStringLiteral("judgement \"%1\" appears twice").arg(judgement.key));
                    bad = true;
                }
                seen.insert(judgement.key.toLower());
                s.judgements.append(judgement);
            }
            const bool replace = o.value(QStringLiteral("replace")).toBool(false);
            if (o.contains(QStringLiteral("replace"))
                && !o.value(QStringLiteral("replace")).isBool()) {
                report(pos, QStringLiteral("\"replace\" must be true or false"));
                bad = true;
            }
            if (bad)
                continue;
            qsizetype existing = -1;
            for (qsizetype k = 0; k < fw.m_scales.size(); ++k) {
                if (fw.m_scales.at(k).key.compare(s.key, Qt::CaseInsensitive) == 0)
                    existing = k;
            }
            if (existing >= 0 && !replace) {
                report(pos,
                    QStringLiteral("scale \"%1\" already exists (add \"replace\": true to change "
                                   "its judgements)")
                        .arg(s.key));
            } else if (existing < 0 && replace) {
                report(pos, QStringLiteral("\"replace\" names a scale that does not exist"));
            } else if (replace && !extension) {
                report(pos, QStringLiteral("\"replace\" is for a school's extension file"));
            } else if (existing >= 0) {
                fw.m_scales[existing] = s;
            } else {
                fw.m_scales.append(s);
            }
        }
    }

    void readBands(const QJsonArray &bands)
    {
        for (qsizetype i = 0; i < bands.size(); ++i) {
            const QString pos = QStringLiteral("ageBands[%1]").arg(i);
            const QJsonObject o = bands.at(i).toObject();
            checkFields(o, pos, { QStringLiteral("key"), QStringLiteral("title") });
            const AgeBand b { text(o, QStringLiteral("key"), pos),
                text(o, QStringLiteral("title"), pos) };
            if (b.key.isEmpty() || b.title.isEmpty())
                continue;
            if (!isValidKey(b.key))
                report(pos, QStringLiteral("the key may hold only letters, digits and '-'"));
            else if (fw.ageBand(b.key))
                report(pos, QStringLiteral("age band \"%1\" already exists").arg(b.key));
            else
                fw.m_bands.append(b);
        }
    }

    void readItems(const QJsonArray &items)
    {
        for (qsizetype i = 0; i < items.size(); ++i) {
            QString pos = QStringLiteral("items[%1]").arg(i);
            if (!items.at(i).isObject()) {
                report(pos, QStringLiteral("an item must be an object"));
                continue;
            }
            const QJsonObject o = items.at(i).toObject();
            Item item;
            item.file = file;
            item.key = text(o, QStringLiteral("key"), pos);
            if (!item.key.isEmpty())
                pos += QStringLiteral(" (%1)").arg(item.key);
            checkFields(o, pos,
                { QStringLiteral("key"), QStringLiteral("kind"), QStringLiteral("title"),
                    QStringLiteral("area"), QStringLiteral("band"), QStringLiteral("scale") });
            item.title = text(o, QStringLiteral("title"), pos);
            bool bad = item.key.isEmpty() || item.title.isEmpty();
            const QString kind = text(o, QStringLiteral("kind"), pos);
            bool kindKnown = false;
            for (const KindName &k : kKinds) {
                if (kind == QLatin1String(k.key)) {
                    item.kind = k.kind;
                    kindKnown = true;
                }
            }
            if (!kind.isEmpty() && !kindKnown) {
                report(pos, QStringLiteral("unknown kind \"%1\"").arg(kind));
                bad = true;
            } else if (kind.isEmpty()) {
                bad = true;
            }
            item.areaKey = optionalText(o, QStringLiteral("area"), pos, &bad);
            item.bandKey = optionalText(o, QStringLiteral("band"), pos, &bad);
            item.scaleKey = optionalText(o, QStringLiteral("scale"), pos, &bad);
            if (bad)
                continue;
            if (!isValidKey(item.key)) {
                report(pos, QStringLiteral("the key may hold only letters, digits and '-'"));
                continue;
            }
            if (fw.item(item.key)) {
                report(pos, QStringLiteral("key \"%1\" already exists").arg(item.key));
                continue;
            }
            if (extension && isStatutory(item.kind)) {
                report(pos,
                    QStringLiteral("a school's extension may not add a \"%1\" (use "
                                   "\"school-item\" or \"development-matters\")")
                        .arg(kind));
                continue;
            }
            if (!checkLinks(item, pos))
                continue;
            // Keys as the file spells the framework's own ("cl" in an extension means "CL").
            if (!item.areaKey.isEmpty())
                item.areaKey = fw.item(item.areaKey)->key;
            if (!item.scaleKey.isEmpty())
                item.scaleKey = fw.scale(item.scaleKey)->key;
            if (!item.bandKey.isEmpty())
                item.bandKey = fw.ageBand(item.bandKey)->key;
            fw.m_itemIndex.insert(item.key.toLower(), fw.m_items.size());
            fw.m_items.append(item);
        }
    }

    // The area, band and scale an item names must exist and suit its kind.
    bool checkLinks(const Item &item, const QString &pos)
    {
        if (isTopLevel(item.kind)) {
            if (!item.areaKey.isEmpty() || !item.bandKey.isEmpty() || !item.scaleKey.isEmpty()) {
                report(pos,
                    QStringLiteral("an area or characteristic has no \"area\", \"band\" or "
                                   "\"scale\""));
                return false;
            }
            return true;
        }
        if (item.areaKey.isEmpty()) {
            report(
                pos, QStringLiteral("\"area\" is required for a \"%1\"").arg(kindKey(item.kind)));
            return false;
        }
        const Item *area = fw.item(item.areaKey);
        if (!area || !isTopLevel(area->kind)) {
            report(pos,
                QStringLiteral("\"area\" names \"%1\", which is not an area of learning or a "
                               "characteristic")
                    .arg(item.areaKey));
            return false;
        }
        if (item.kind == Kind::EarlyLearningGoal && area->kind == Kind::Characteristic) {
            report(pos, QStringLiteral("an Early Learning Goal belongs to an area of learning"));
            return false;
        }
        if ((item.kind == Kind::EarlyLearningGoal || item.kind == Kind::DevelopmentMatters)
            && item.scaleKey.isEmpty()) {
            report(
                pos, QStringLiteral("\"scale\" is required for a \"%1\"").arg(kindKey(item.kind)));
            return false;
        }
        if (item.kind == Kind::DevelopmentMatters && item.bandKey.isEmpty()) {
            report(pos, QStringLiteral("\"band\" is required for a \"development-matters\" item"));
            return false;
        }
        if (!item.bandKey.isEmpty() && !fw.ageBand(item.bandKey)) {
            report(pos, QStringLiteral("unknown age band \"%1\"").arg(item.bandKey));
            return false;
        }
        if (!item.scaleKey.isEmpty() && !fw.scale(item.scaleKey)) {
            report(pos, QStringLiteral("unknown scale \"%1\"").arg(item.scaleKey));
            return false;
        }
        return true;
    }

    // Returns false when the file cannot be used at all (the reason is reported).
    bool read(const QByteArray &json)
    {
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
        if (error.error != QJsonParseError::NoError) {
            report(lineAndColumn(json, error.offset),
                QStringLiteral("not valid JSON: %1").arg(error.errorString()));
            return false;
        }
        if (!doc.isObject()) {
            report(
                QStringLiteral("line 1, column 1"), QStringLiteral("the file must hold an object"));
            return false;
        }
        const QJsonObject root = doc.object();
        if (root.value(QStringLiteral("format")).toString() != QLatin1String(kFormat)) {
            report(QStringLiteral("format"),
                QStringLiteral("not an Acorn framework file (\"format\" must be \"%1\")")
                    .arg(QLatin1String(kFormat)));
            return false;
        }
        if (root.value(QStringLiteral("formatVersion")).toInt(0) != kFormatVersion) {
            report(QStringLiteral("formatVersion"),
                QStringLiteral("this version of Acorn reads format version %1")
                    .arg(kFormatVersion));
            return false;
        }
        if (extension) {
            checkFields(root, QStringLiteral("top level"),
                { QStringLiteral("format"), QStringLiteral("formatVersion"),
                    QStringLiteral("extends"), QStringLiteral("title"), QStringLiteral("scales"),
                    QStringLiteral("ageBands"), QStringLiteral("items") });
            if (root.value(QStringLiteral("extends")).toString() != QLatin1String("eyfs")) {
                report(QStringLiteral("extends"),
                    QStringLiteral("an extension file must say \"extends\": \"eyfs\""));
                return false;
            }
        } else {
            checkFields(root, QStringLiteral("top level"),
                { QStringLiteral("format"), QStringLiteral("formatVersion"),
                    QStringLiteral("framework"), QStringLiteral("title"), QStringLiteral("scales"),
                    QStringLiteral("ageBands"), QStringLiteral("items") });
            fw.m_title = root.value(QStringLiteral("title")).toString();
        }
        readScales(array(root, QStringLiteral("scales")));
        readBands(array(root, QStringLiteral("ageBands")));
        readItems(array(root, QStringLiteral("items")));
        return true;
    }
};

Result<EyfsFramework> EyfsFramework::parse(
    const QByteArray &json, const QString &file, QList<Problem> *problems)
{
    EyfsFramework fw;
    QList<Problem> own;
    Parser parser { fw, file, false, &own };
    const bool usable = parser.read(json);
    if (problems)
        problems->append(own);
    if (!usable) {
        return Result<EyfsFramework>::failure(
            QStringLiteral("The EYFS framework file could not be read: %1")
                .arg(own.isEmpty() ? file : own.constLast().toString()));
    }
    return fw;
}

Result<EyfsFramework> EyfsFramework::loadShipped()
{
    const QString path = QStringLiteral(":/eyfs/framework.json");
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return Result<EyfsFramework>::failure(
            QStringLiteral("The EYFS framework is missing from this build (%1): reinstall Acorn.")
                .arg(path));
    }
    return parse(f.readAll(), path, nullptr);
}

bool EyfsFramework::extend(const QByteArray &json, const QString &file, QList<Problem> *problems)
{
    Parser parser { *this, file, true, problems };
    return parser.read(json);
}

bool EyfsFramework::extendFromFile(const QString &path, QList<Problem> *problems)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        const Problem p { path, QStringLiteral("file"),
            QStringLiteral("cannot be opened: %1").arg(f.errorString()) };
        qCWarning(lcFramework).noquote() << p.toString();
        if (problems)
            problems->append(p);
        return false;
    }
    return extend(f.readAll(), path, problems);
}

const EyfsFramework &EyfsFramework::standard()
{
    static const EyfsFramework framework = [] {
        Result<EyfsFramework> shipped = loadShipped();
        if (!shipped) {
            qCCritical(lcFramework).noquote() << shipped.error();
            EyfsFramework empty;
            empty.m_problems.append({ QStringLiteral(":/eyfs/framework.json"),
                QStringLiteral("file"), shipped.error() });
            return empty;
        }
        EyfsFramework fw = std::move(shipped).value();
        QStringList dirs = qEnvironmentVariable("ACORN_FRAMEWORK_PATH")
                               .split(QLatin1Char(':'), Qt::SkipEmptyParts);
        const QString config = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
        if (!config.isEmpty())
            dirs.append(config + QStringLiteral("/framework"));
        for (const QString &dir : std::as_const(dirs)) {
            const QDir d(dir);
            const QStringList files
                = d.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
            for (const QString &name : files)
                fw.extendFromFile(d.filePath(name), &fw.m_problems);
        }
        return fw;
    }();
    return framework;
}

const EyfsFramework::Item *EyfsFramework::item(const QString &key) const
{
    const auto it = m_itemIndex.constFind(key.trimmed().toLower());
    return it == m_itemIndex.cend() ? nullptr : &m_items.at(*it);
}

const EyfsFramework::Scale *EyfsFramework::scale(const QString &key) const
{
    for (const Scale &s : m_scales) {
        if (s.key.compare(key, Qt::CaseInsensitive) == 0)
            return &s;
    }
    return nullptr;
}

const EyfsFramework::AgeBand *EyfsFramework::ageBand(const QString &key) const
{
    for (const AgeBand &b : m_bands) {
        if (b.key.compare(key, Qt::CaseInsensitive) == 0)
            return &b;
    }
    return nullptr;
}

const EyfsFramework::Scale *EyfsFramework::scaleOf(const QString &itemKey) const
{
    const Item *i = item(itemKey);
    return (i && !i->scaleKey.isEmpty()) ? scale(i->scaleKey) : nullptr;
}

QList<EyfsFramework::Item> EyfsFramework::areasAndCharacteristics() const
{
    QList<Item> out;
    for (const Item &i : m_items) {
        if (i.kind == Kind::PrimeArea || i.kind == Kind::SpecificArea)
            out.append(i);
    }
    for (const Item &i : m_items) {
        if (i.kind == Kind::Characteristic)
            out.append(i);
    }
    return out;
}

QString EyfsFramework::areaKeyOf(const QString &tag) const
{
    const QString t = tag.trimmed();
    if (const Item *known = item(t))
        return known->areaKey.isEmpty() ? known->key : known->areaKey;
    // "COEL-PE-1" counts under "COEL-PE"; the longest key wins, and "MATHS" is not under "M".
    QString best;
    for (const Item &i : m_items) {
        if (!isTopLevel(i.kind))
            continue;
        if (t.size() > i.key.size() && t.startsWith(i.key, Qt::CaseInsensitive)
            && !t.at(i.key.size()).isLetterOrNumber() && i.key.size() > best.size())
            best = i.key;
    }
    return best.isEmpty() ? t : best;
}

} // namespace acorn
