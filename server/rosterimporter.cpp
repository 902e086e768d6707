#include "rosterimporter.h"

#include "consentrecorder.h"
#include "serverstore.h"
#include "timeutil.h"

#include <QHash>
#include <QSet>
#include <QStringDecoder>

namespace acorn::server {

namespace {

// One CSV record and the line of the file it starts on (1-based, counting every line).
struct CsvRecord
{
    int line = 0;
    QStringList fields;

    bool blank() const
    {
        for (const QString &f : fields) {
            if (!f.trimmed().isEmpty())
                return false;
        }
        return true;
    }
};

// The problems found in a file, each with its place, in file order.
class Problems
{
public:
    void add(int line, const QString &column, const QString &what)
    {
        m_list.append(column.isEmpty()
                ? QStringLiteral("line %1: %2").arg(QString::number(line), what)
                : QStringLiteral("line %1, %2: %3").arg(QString::number(line), column, what));
    }
    void add(const QString &what) { m_list.append(what); }
    bool any() const { return !m_list.isEmpty(); }
    QString message() const
    {
        if (m_list.size() == 1)
            return m_list.first() + QStringLiteral(" (nothing was imported)");
        QStringList shown = m_list.mid(0, RosterImporter::kMaxReportedProblems);
        if (m_list.size() > shown.size())
            shown.append(QStringLiteral("... and %1 more").arg(m_list.size() - shown.size()));
        return QStringLiteral(
            "%1 problems in the roster (nothing was imported); fix them and import the "
            "file again:\n  %2")
            .arg(m_list.size())
            .arg(shown.join(QStringLiteral("\n  ")));
    }

private:
    QStringList m_list;
};

// UTF-8 text without its byte-order mark, or the first line that is not UTF-8.
Result<QString> decodeUtf8(QByteArray bytes)
{
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (!decoder.hasError())
        return text;
    const QList<QByteArray> lines = bytes.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        QStringDecoder lineDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        [[maybe_unused]] const QString ignored = lineDecoder.decode(lines[i]);
        if (lineDecoder.hasError())
            return Result<QString>::failure(QStringLiteral(
                "line %1: the file is not UTF-8 text (nothing was imported); save the MIS "
                "export as \"CSV UTF-8\" and import it again")
                                                .arg(i + 1));
    }
    return Result<QString>::failure(
        QStringLiteral("the file is not UTF-8 text (nothing was imported); save the "
                       "MIS export as \"CSV UTF-8\" and import it again"));
}

// RFC 4180: fields separated by commas, records by CRLF, LF or CR; a field in double
// quotes may hold commas, line breaks and doubled quotes. Spaces around a quoted field are
// tolerated (some exporters write `a, "b"`); a quote inside an unquoted field or text after
// a closing quote means the quoting is broken, and is refused rather than guessed at.
QList<CsvRecord> parseCsv(const QString &text, Problems &problems)
{
    QList<CsvRecord> records;
    CsvRecord record;
    QString field;
    bool quoted = false; // this field began with a quote
    bool inQuotes = false; // inside the quotes now
    bool afterQuote = false; // the closing quote was seen
    int line = 1;
    int quoteLine = 1;
    record.line = 1;

    auto endField = [&] {
        record.fields.append(quoted ? field : field.trimmed());
        field.clear();
        quoted = inQuotes = afterQuote = false;
    };
    auto endRecord = [&] {
        endField();
        records.append(record);
        record = CsvRecord();
    };

    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < n && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                    afterQuote = true;
                }
            } else if (c == u'\r' || c == u'\n') {
                if (c == u'\r' && i + 1 < n && text.at(i + 1) == u'\n')
                    ++i;
                field += u'\n';
                ++line;
            } else {
                field += c;
            }
            continue;
        }
        if (c == u',') {
            endField();
        } else if (c == u'\r' || c == u'\n') {
            if (c == u'\r' && i + 1 < n && text.at(i + 1) == u'\n')
                ++i;
            endRecord();
            ++line;
            record.line = line;
        } else if (afterQuote) {
            if (!c.isSpace()) {
                problems.add(line, QString(),
                    QStringLiteral("text after a closing quote; a value in quotes must end at "
                                   "the next comma (write a quote inside it as two quotes \"\")"));
                return {};
            }
        } else if (c == u'"') {
            if (!field.trimmed().isEmpty()) {
                problems.add(line, QString(),
                    QStringLiteral(
                        "a quote in the middle of a value; put the whole value in quotes "
                        "and write the quote as two quotes \"\""));
                return {};
            }
            field.clear();
            quoted = inQuotes = true;
            quoteLine = line;
        } else {
            field += c;
        }
    }
    if (inQuotes) {
        problems.add(quoteLine, QString(),
            QStringLiteral("a quoted value is never closed (a missing \" at its end)"));
        return {};
    }
    if (!field.isEmpty() || quoted || !record.fields.isEmpty())
        endRecord();
    return records;
}

struct GuardianSeen
{
    int line = 0;
    QString family;
    QString name;
};

} // namespace

RosterImporter::RosterImporter(ServerStore &store, const Clock &clock)
    : m_store(store)
    , m_clock(clock)
{ }

QStringList RosterImporter::requiredColumns()
{
    return { QStringLiteral("ref"), QStringLiteral("first_name"), QStringLiteral("last_name"),
        QStringLiteral("date_of_birth"), QStringLiteral("class"), QStringLiteral("family"),
        QStringLiteral("journal_media"), QStringLiteral("others_journals") };
}

QStringList RosterImporter::optionalColumns()
{
    return { QStringLiteral("guardian1_username"), QStringLiteral("guardian1_name"),
        QStringLiteral("guardian2_username"), QStringLiteral("guardian2_name") };
}

Result<SchoolImporter::Outcome> RosterImporter::importCsv(
    const QByteArray &csv, const QString &actor)
{
    using R = Result<SchoolImporter::Outcome>;
    SchoolImporter writer(m_store, m_clock); // checks accounts and writes, as for import-school

    // ---- the school must be set up first: the roster names classes, it does not make them
    if (!m_store.school())
        return R::failure(QStringLiteral(
            "there is no school yet (nothing was imported); run 'admin import-school' "
            "with the school, calendar and classes first"));
    const QList<ClassRecord> classes = m_store.classes();
    if (classes.isEmpty())
        return R::failure(
            QStringLiteral("the school has no classes yet (nothing was imported); add them with "
                           "'admin import-school' first"));
    QStringList classNames;
    QHash<QString, QString> classByFoldedName; // folded -> name as the school spells it
    for (const ClassRecord &c : classes) {
        classNames.append(c.name);
        classByFoldedName.insert(c.name.toCaseFolded(), c.name);
    }
    auto findClass = [&](const QString &name) -> QString {
        for (const QString &c : classNames) {
            if (c == name)
                return c;
        }
        return classByFoldedName.value(name.toCaseFolded());
    };

    // ---- read the file
    const auto text = decodeUtf8(csv);
    if (!text)
        return R::failure(text.error());
    Problems problems;
    const QList<CsvRecord> records = parseCsv(text.value(), problems);
    if (problems.any())
        return R::failure(problems.message());

    qsizetype first = 0;
    while (first < records.size() && records[first].blank())
        ++first;
    const QString columnList = requiredColumns().join(QStringLiteral(", "));
    if (first == records.size())
        return R::failure(QStringLiteral(
            "the file is empty (nothing was imported); a roster starts with a header "
            "line naming the columns %1")
                              .arg(columnList));

    // ---- header
    const CsvRecord &header = records[first];
    const QStringList known = requiredColumns() + optionalColumns();
    QHash<QString, int> column; // column name -> index
    QStringList warnings;
    for (int i = 0; i < header.fields.size(); ++i) {
        QString name = header.fields[i].trimmed().toLower();
        name.remove(QChar(0xFEFF));
        if (name.isEmpty()) {
            if (i != header.fields.size() - 1) // not just a trailing comma
                warnings.append(
                    QStringLiteral("column %1 has no name in the header; it was ignored")
                        .arg(i + 1));
            continue;
        }
        if (column.contains(name)) {
            problems.add(header.line, QString(),
                QStringLiteral("the header names the column '%1' twice").arg(name));
            continue;
        }
        column.insert(name, i);
        if (!known.contains(name))
            warnings.append(
                QStringLiteral("column '%1' is not one the roster uses; it was ignored").arg(name));
    }
    for (const QString &required : requiredColumns()) {
        if (!column.contains(required))
            problems.add(header.line, QString(),
                QStringLiteral(
                    "the header has no '%1' column; a roster needs the columns %2 (in any order)")
                    .arg(required, columnList));
    }
    for (int g = 1; g <= 2; ++g) {
        const QString user = QStringLiteral("guardian%1_username").arg(g);
        const QString name = QStringLiteral("guardian%1_name").arg(g);
        if (column.contains(user) != column.contains(name))
            problems.add(header.line, QString(),
                QStringLiteral(
                    "the header has '%1' but no '%2' column; a guardian account needs both")
                    .arg(column.contains(user) ? user : name, column.contains(user) ? name : user));
    }
    if (problems.any())
        return R::failure(problems.message());
    const int headerWidth = static_cast<int>(header.fields.size());

    // ---- rows
    SchoolData data;
    QHash<QString, int> refLines;
    QHash<QString, GuardianSeen> guardians;
    for (qsizetype r = first + 1; r < records.size(); ++r) {
        const CsvRecord &row = records[r];
        if (row.blank())
            continue;
        if (row.fields.size() != headerWidth) {
            problems.add(row.line, QString(),
                QStringLiteral(
                    "%1 values where the header has %2 columns; a value that holds a comma "
                    "must be in double quotes")
                    .arg(row.fields.size())
                    .arg(headerWidth));
            continue;
        }
        auto value = [&](const QString &name) {
            return column.contains(name) ? row.fields.at(column.value(name)).trimmed() : QString();
        };
        bool rowOk = true;
        auto fail = [&](const QString &col, const QString &what) {
            problems.add(row.line, col, what);
            rowOk = false;
        };
        for (const QString &required : requiredColumns()) {
            if (value(required).isEmpty())
                fail(required, QStringLiteral("empty; every child needs a %1").arg(required));
        }

        SchoolData::Child child;
        child.record.ref = value(QStringLiteral("ref"));
        child.record.firstName = value(QStringLiteral("first_name"));
        child.record.lastName = value(QStringLiteral("last_name"));
        child.record.familyRef = value(QStringLiteral("family"));
        if (!child.record.ref.isEmpty()) {
            if (refLines.contains(child.record.ref))
                fail(QStringLiteral("ref"),
                    QStringLiteral("child '%1' is also on line %2; each child has one row")
                        .arg(child.record.ref, QString::number(refLines.value(child.record.ref))));
            else
                refLines.insert(child.record.ref, row.line);
        }
        const QString dob = value(QStringLiteral("date_of_birth"));
        if (!dob.isEmpty()) {
            if (const auto d = timeutil::parseDate(dob); !d)
                fail(QStringLiteral("date_of_birth"), d.error());
        }
        child.record.dateOfBirth = dob;
        const QString className = value(QStringLiteral("class"));
        if (!className.isEmpty()) {
            child.className = findClass(className);
            if (child.className.isEmpty())
                fail(QStringLiteral("class"),
                    QStringLiteral("there is no class '%1' (the classes are %2; classes are "
                                   "added with import-school)")
                        .arg(className, classNames.join(QStringLiteral(", "))));
        }
        for (const char *consentColumn : { "journal_media", "others_journals" }) {
            const QString col = QLatin1String(consentColumn);
            const QString answer = value(col);
            if (answer.isEmpty())
                continue; // reported above
            const std::optional<bool> yes = parseConsentAnswer(answer);
            if (!yes)
                fail(col,
                    QStringLiteral("'%1' is not a consent answer (use yes/no, true/false or Y/N)")
                        .arg(answer));
            else if (col == QLatin1String("journal_media"))
                child.record.journalMedia = *yes;
            else
                child.record.othersJournals = *yes;
        }

        QString previousUser;
        for (int g = 1; g <= 2; ++g) {
            const QString userColumn = QStringLiteral("guardian%1_username").arg(g);
            const QString nameColumn = QStringLiteral("guardian%1_name").arg(g);
            const QString username = value(userColumn).toLower();
            const QString name = value(nameColumn);
            if (username.isEmpty() && name.isEmpty())
                continue;
            if (username.isEmpty()) {
                fail(userColumn,
                    QStringLiteral("empty, but %1 is given; a guardian account needs a username")
                        .arg(nameColumn));
                continue;
            }
            if (name.isEmpty()) {
                fail(nameColumn,
                    QStringLiteral("empty, but %1 is given; a guardian account needs a name")
                        .arg(userColumn));
                continue;
            }
            if (!SchoolImporter::isValidUsername(username)) {
                fail(userColumn,
                    QStringLiteral("'%1' is not a valid username (lower-case letters, digits, '.', "
                                   "'_', '-'; 2 to 64 characters)")
                        .arg(username));
                continue;
            }
            if (username == previousUser) {
                fail(userColumn,
                    QStringLiteral("'%1' is also guardian1 of this child").arg(username));
                continue;
            }
            previousUser = username;
            if (child.record.familyRef.isEmpty())
                continue; // reported above
            const auto seen = guardians.constFind(username);
            if (seen != guardians.cend()) {
                // Siblings' rows name the same guardians; they must agree.
                if (seen->family != child.record.familyRef)
                    fail(userColumn,
                        QStringLiteral(
                            "'%1' is a guardian of family '%2' on line %3; a guardian of "
                            "another family needs a different username")
                            .arg(username, seen->family, QString::number(seen->line)));
                else if (seen->name != name)
                    fail(nameColumn,
                        QStringLiteral(
                            "'%1' is named '%2' on line %3; give one name for one account")
                            .arg(username, seen->name, QString::number(seen->line)));
                continue;
            }
            guardians.insert(username, { row.line, child.record.familyRef, name });
            SchoolData::Account account;
            account.username = username;
            account.name = name;
            account.role = QStringLiteral("parent");
            account.family = child.record.familyRef;
            account.where = QStringLiteral("line %1, %2").arg(row.line).arg(userColumn);
            if (const auto conflict = writer.accountConflict(account)) {
                fail(userColumn, *conflict);
                continue;
            }
            data.accounts.append(account);
        }
        if (rowOk)
            data.children.append(child);
    }
    if (problems.any())
        return R::failure(problems.message());
    if (data.children.isEmpty())
        return R::failure(QStringLiteral(
            "the file has a header but no children (nothing was imported); is it the "
            "right export?"));

    auto out = writer.apply(data, actor, QStringLiteral("import-roster"));
    if (!out)
        return out;
    SchoolImporter::Outcome outcome = std::move(out).value();
    outcome.warnings = warnings;
    return outcome;
}

} // namespace acorn::server
