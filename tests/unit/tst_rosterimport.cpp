// Unit tests for RosterImporter (admin import-roster): the CSV a school's MIS exports,
// read as RFC 4180, checked row by row, and written through the same apply step as
// import-school. A refused file must leave the database exactly as it was.

#include "../support/databasesnapshot.h"
#include "clock.h"
#include "rosterimporter.h"
#include "schoolimporter.h"
#include "serverstore.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace acorn;
using namespace acorn::server;

namespace {

constexpr qint64 kStartMs = 1759312800000; // 2025-10-01T10:00:00Z
const QString kActor = QStringLiteral("admin:test");

const QByteArray kSchoolJson = R"({
  "school": {"name": "Oak Tree Primary", "time_zone": "Europe/London", "release_time": "16:00"},
  "calendar": [
    {"name": "Autumn 1", "first_day": "2025-09-03", "last_day": "2025-10-24"},
    {"name": "Autumn 2", "first_day": "2025-11-03", "last_day": "2025-12-19"}
  ],
  "classes": [
    {"name": "Nursery", "release": "live"},
    {"name": "Kindergarten", "release": "half-term"},
    {"name": "Reception", "release": "half-term"}
  ],
  "staff": [
    {"username": "lead", "name": "Lead Teacher", "role": "lead"},
    {"username": "p.reception", "name": "Reception Teacher", "role": "practitioner", "classes": ["Reception"]}
  ]
})";

const QByteArray kHeader
    = "ref,first_name,last_name,date_of_birth,class,family,journal_media,others_journals,"
      "guardian1_username,guardian1_name,guardian2_username,guardian2_name\n";

// The good file: a byte-order mark, CRLF, a header in another order with odd case and
// spaces, a column the roster does not use, quoted names with commas and doubled quotes,
// Y/n/yes/TRUE/false/No answers, a blank line, a class written in lower case, siblings
// sharing a guardian and a guardian username in mixed case.
const QByteArray kGoodCsv
    = "\xEF\xBB\xBF Family ,REF,first_name,Last_Name,class,date_of_birth,Journal_Media,"
      "others_journals,guardian1_username,guardian1_name,guardian2_username,"
      "guardian2_name,upn\r\n"
      "F1,C001,Amelia,\"Smith, Jones\",Reception,2020-09-14,Y,n,jane.smith,"
      "\"Jane \"\"JJ\"\" Smith\",,,A123\r\n"
      "\r\n"
      "F1,C002,Oliver,\"Smith, Jones\",nursery,2022-01-02,yes,TRUE,jane.smith,"
      "\"Jane \"\"JJ\"\" Smith\",Tom.Smith,Tom Smith,A124\r\n"
      "F2,C003,Noah,Brown,Kindergarten,2021-03-03,false,No,ben.brown,Ben Brown,,,A125\r\n";

struct School
{
    QTemporaryDir dir;
    ManualClock clock { kStartMs };
    std::unique_ptr<ServerStore> store;
    QString path;
};

std::unique_ptr<School> newSchool(QString *error)
{
    auto s = std::make_unique<School>();
    s->path = s->dir.filePath(QStringLiteral("acorn.sqlite"));
    auto opened = ServerStore::openSqlite(s->path, true);
    if (!opened) {
        *error = opened.error();
        return nullptr;
    }
    s->store = std::move(opened).value();
    SchoolImporter importer(*s->store, s->clock);
    const auto r = importer.importJson(kSchoolJson, kActor);
    if (!r) {
        *error = r.error();
        return nullptr;
    }
    return s;
}

Result<SchoolImporter::Outcome> importRoster(School &s, const QByteArray &csv)
{
    RosterImporter importer(*s.store, s.clock);
    return importer.importCsv(csv, kActor);
}

QString diff(const QMap<QString, QStringList> &before, const QMap<QString, QStringList> &after)
{
    QStringList out;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (before.value(it.key()) != it.value())
            out.append(QStringLiteral("table %1 changed").arg(it.key()));
    }
    return out.join(QStringLiteral("; "));
}

} // namespace

#define OPEN_SCHOOL(var)                                                                           \
    QString openError;                                                                             \
    auto var = newSchool(&openError);                                                              \
    QVERIFY2(var, qPrintable(openError))

class TestRosterImport : public QObject
{
    Q_OBJECT

private slots:
    void goodFileCreatesChildrenFamiliesAndGuardians()
    {
        OPEN_SCHOOL(s);
        const auto r = importRoster(*s, kGoodCsv);
        QVERIFY2(r, qPrintable(r.error()));
        QCOMPARE(r->children, 3);
        QStringList created = r->createdAccounts;
        created.sort();
        QCOMPARE(created,
            (QStringList { QStringLiteral("ben.brown"), QStringLiteral("jane.smith"),
                QStringLiteral("tom.smith") }));
        QVERIFY(r->updatedAccounts.isEmpty());
        QCOMPARE(r->activationCodes.size(), 3);
        for (const QString &code : r->activationCodes)
            QCOMPARE(code.size(), 17); // ABCDE-FGHJK-LMNPQ
        QCOMPARE(r->warnings.size(), 1);
        QVERIFY2(
            r->warnings.first().contains(QLatin1String("'upn'")), qPrintable(r->warnings.first()));
        // The output is the import-school JSON.
        QCOMPARE(r->toJson().keys(),
            (QStringList { QStringLiteral("activation_codes"), QStringLiteral("children"),
                QStringLiteral("created_accounts"), QStringLiteral("updated_accounts") }));

        QHash<QString, qint64> classIds;
        for (const ClassRecord &c : s->store->classes())
            classIds.insert(c.name, c.id);

        const auto amelia = s->store->childByRef(QStringLiteral("C001"));
        QVERIFY(amelia);
        QCOMPARE(amelia->firstName, QStringLiteral("Amelia"));
        QCOMPARE(amelia->lastName, QStringLiteral("Smith, Jones"));
        QCOMPARE(amelia->dateOfBirth, QStringLiteral("2020-09-14"));
        QCOMPARE(amelia->classId, classIds.value(QStringLiteral("Reception")));
        QCOMPARE(amelia->familyRef, QStringLiteral("F1"));
        QVERIFY(amelia->journalMedia);
        QVERIFY(!amelia->othersJournals);
        QCOMPARE(amelia->consentRecordedBy, kActor);
        QCOMPARE(amelia->consentRecordedAt, kStartMs);

        const auto oliver = s->store->childByRef(QStringLiteral("C002"));
        QVERIFY(oliver);
        QCOMPARE(oliver->classId, classIds.value(QStringLiteral("Nursery")));
        QCOMPARE(oliver->familyId, amelia->familyId);
        QVERIFY(oliver->journalMedia);
        QVERIFY(oliver->othersJournals);

        const auto noah = s->store->childByRef(QStringLiteral("C003"));
        QVERIFY(noah);
        QCOMPARE(noah->classId, classIds.value(QStringLiteral("Kindergarten")));
        QVERIFY(noah->familyId != amelia->familyId);
        QVERIFY(!noah->journalMedia);
        QVERIFY(!noah->othersJournals);

        const auto jane = s->store->userByUsername(QStringLiteral("jane.smith"));
        QVERIFY(jane);
        QCOMPARE(jane->displayName, QStringLiteral("Jane \"JJ\" Smith"));
        QCOMPARE(jane->role, QStringLiteral("parent"));
        QCOMPARE(jane->state, QStringLiteral("invited"));
        QCOMPARE(jane->familyId, amelia->familyId);
        QVERIFY(!jane->activationHash.isEmpty());
        QCOMPARE(jane->activationExpires, kStartMs + SchoolImporter::kActivationValidityMs);
        const auto tom = s->store->userByUsername(QStringLiteral("tom.smith"));
        QVERIFY(tom);
        QCOMPARE(tom->familyId, amelia->familyId);
        const auto ben = s->store->userByUsername(QStringLiteral("ben.brown"));
        QVERIFY(ben);
        QCOMPARE(ben->familyId, noah->familyId);

        const auto audit = s->store->auditSince(0);
        QVERIFY(!audit.isEmpty());
        QCOMPARE(audit.last().action, QStringLiteral("import-roster"));
        QVERIFY(!audit.last().detail.contains(QLatin1String("Amelia")));
    }

    void reimportChangesNothing()
    {
        OPEN_SCHOOL(s);
        const auto first = importRoster(*s, kGoodCsv);
        QVERIFY2(first, qPrintable(first.error()));
        const qint64 rosterSeq = s->store->rosterSeq();
        const auto before = test::databaseSnapshot(s->path, { QStringLiteral("audit") });
        s->clock.advanceMs(3600 * 1000);

        const auto again = importRoster(*s, kGoodCsv);
        QVERIFY2(again, qPrintable(again.error()));
        QCOMPARE(again->children, 3);
        QVERIFY(again->createdAccounts.isEmpty());
        QVERIFY(again->updatedAccounts.isEmpty());
        QVERIFY(again->activationCodes.isEmpty());
        QCOMPARE(s->store->rosterSeq(), rosterSeq);
        const auto after = test::databaseSnapshot(s->path, { QStringLiteral("audit") });
        QVERIFY2(before == after, qPrintable(diff(before, after)));
    }

    void badFileIsRefusedWhole_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QStringList>("expected"); // fragments the error must contain

        // Line 2 of every bad file moves C001 to Kindergarten and line 4 adds a new child,
        // so a half-applied import would show.
        const QByteArray line2
            = "C001,Amelia,\"Smith, Jones\",2020-09-14,Kindergarten,F1,yes,no,jane.smith,"
              "\"Jane \"\"JJ\"\" Smith\",,\n";
        const QByteArray line4
            = "C009,Isla,Green,2021-05-05,Reception,F9,yes,yes,isla.parent,Isla Parent,,\n";
        auto file = [&](const QByteArray &line3) { return kHeader + line2 + line3 + line4; };

        QTest::newRow("bad date") << file("C003,Noah,Brown,14/09/2020,Kindergarten,F2,no,no,,,,\n")
                                  << QStringList { QStringLiteral("line 3, date_of_birth:"),
                                         QStringLiteral("'14/09/2020' is not a date") };
        QTest::newRow("impossible date")
            << file("C003,Noah,Brown,2021-02-30,Kindergarten,F2,no,no,,,,\n")
            << QStringList { QStringLiteral("line 3, date_of_birth:") };
        QTest::newRow("unknown class")
            << file("C003,Noah,Brown,2021-03-03,Recption,F2,no,no,,,,\n")
            << QStringList { QStringLiteral("line 3, class: there is no class 'Recption'") };
        QTest::newRow("bad yes/no")
            << file("C003,Noah,Brown,2021-03-03,Kindergarten,F2,maybe,no,,,,\n")
            << QStringList { QStringLiteral("line 3, journal_media:"),
                   QStringLiteral("'maybe' is not a consent answer") };
        QTest::newRow("bad yes/no others")
            << file("C003,Noah,Brown,2021-03-03,Kindergarten,F2,no,1,,,,\n")
            << QStringList { QStringLiteral("line 3, others_journals:") };
        QTest::newRow("missing first name")
            << file("C003,,Brown,2021-03-03,Kindergarten,F2,no,no,,,,\n")
            << QStringList { QStringLiteral("line 3, first_name: empty") };
        QTest::newRow("missing family")
            << file("C003,Noah,Brown,2021-03-03,Kindergarten,  ,no,no,,,,\n")
            << QStringList { QStringLiteral("line 3, family: empty") };
        QTest::newRow("duplicate ref")
            << (kHeader + line2 + "C003,Noah,Brown,2021-03-03,Kindergarten,F2,no,no,,,,\n"
                   + "C001,Amy,Other,2021-01-01,Reception,F7,no,no,,,,\n")
            << QStringList { QStringLiteral("line 4, ref: child 'C001' is also on line 2") };
        QTest::newRow("guardian of another family")
            << file("C003,Noah,Brown,2021-03-03,Kindergarten,F2,no,no,tom.smith,Tom Smith,,\n")
            << QStringList { QStringLiteral("line 3, guardian1_username:"),
                   QStringLiteral("already belongs to family 'F1'") };
        QTest::newRow("guardian of two families in the file")
            << (kHeader + line2
                   + "C003,Noah,Brown,2021-03-03,Kindergarten,F2,no,no,,,sam.new,Sam New\n"
                   + "C009,Isla,Green,2021-05-05,Reception,F9,yes,yes,sam.new,Sam New,,\n")
            << QStringList { QStringLiteral("line 4, guardian1_username:"),
                   QStringLiteral("guardian of family 'F2' on line 3") };
        QTest::newRow("staff username as guardian")
            << file("C003,Noah,Brown,2021-03-03,Kindergarten,F2,no,no,lead,Lead Teacher,,\n")
            << QStringList { QStringLiteral("line 3, guardian1_username:"),
                   QStringLiteral("already exists as a lead account") };
        QTest::newRow("guardian without name")
            << file("C003,Noah,Brown,2021-03-03,Kindergarten,F2,no,no,,,new.parent,\n")
            << QStringList { QStringLiteral("line 3, guardian2_name: empty") };
        QTest::newRow("invalid username")
            << file(
                   "C003,Noah,Brown,2021-03-03,Kindergarten,F2,no,no,ben@example.org,Ben Brown,,\n")
            << QStringList { QStringLiteral("line 3, guardian1_username:"),
                   QStringLiteral("not a valid username") };
        QTest::newRow("unquoted comma")
            << file("C003,Noah,Brown, Jr,2021-03-03,Kindergarten,F2,no,no,,,,\n")
            << QStringList { QStringLiteral("line 3: 13 values where the header has 12") };
        QTest::newRow("unclosed quote")
            << file("C003,\"Noah,Brown,2021-03-03,Kindergarten,F2,no,no,,,,\n")
            << QStringList { QStringLiteral("line 3:"), QStringLiteral("never closed") };
        QTest::newRow("text after quote")
            << file("C003,\"Noah\"x,Brown,2021-03-03,Kindergarten,F2,no,no,,,,\n")
            << QStringList { QStringLiteral("line 3:"),
                   QStringLiteral("text after a closing quote") };
        QTest::newRow("missing column")
            << QByteArray("ref,first_name,last_name,date_of_birth,class,family,journal_media\n"
                          "C001,Amelia,Smith,2020-09-14,Kindergarten,F1,yes\n")
            << QStringList { QStringLiteral("line 1:"),
                   QStringLiteral("no 'others_journals' column") };
        QTest::newRow("column twice")
            << QByteArray(kHeader.trimmed() + ",Class\n" + line2.trimmed() + ",Reception\n")
            << QStringList { QStringLiteral("line 1:"),
                   QStringLiteral("names the column 'class' twice") };
        QTest::newRow("not utf-8")
            << (kHeader + line2 + "C003,No\xE9,Brown,2021-03-03,Kindergarten,F2,no,no,,,,\n")
            << QStringList { QStringLiteral("line 3:"), QStringLiteral("not UTF-8") };
        QTest::newRow("line numbers count quoted line breaks")
            << (QByteArray("ref,first_name,last_name,date_of_birth,class,family,journal_media,"
                           "others_journals,"
                           "notes\n")
                   + "C001,Amelia,Smith,2020-09-14,Kindergarten,F1,yes,no,\"two\nlines\"\n"
                   + "C003,Noah,Brown,2021-03-03,Recption,F2,no,no,\n")
            << QStringList { QStringLiteral("line 4, class:") };
        QTest::newRow("several problems")
            << file("C003,,Brown,2021-03-03,Recption,F2,no,no,,,,\n")
            << QStringList { QStringLiteral("2 problems"), QStringLiteral("line 3, first_name:"),
                   QStringLiteral("line 3, class:") };
        QTest::newRow("empty file")
            << QByteArray("\xEF\xBB\xBF\r\n\r\n") << QStringList { QStringLiteral("empty") };
        QTest::newRow("header only") << kHeader << QStringList { QStringLiteral("no children") };
    }

    void badFileIsRefusedWhole()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QStringList, expected);
        OPEN_SCHOOL(s);
        const auto good = importRoster(*s, kGoodCsv);
        QVERIFY2(good, qPrintable(good.error()));
        const auto before = test::databaseSnapshot(s->path);
        QVERIFY(before.contains(QStringLiteral("children")));

        const auto r = importRoster(*s, csv);
        QVERIFY(!r);
        for (const QString &fragment : expected)
            QVERIFY2(r.error().contains(fragment),
                qPrintable(QStringLiteral("'%1' not in: %2").arg(fragment, r.error())));
        QVERIFY2(r.error().contains(QLatin1String("nothing was imported")), qPrintable(r.error()));

        const auto after = test::databaseSnapshot(s->path);
        QVERIFY2(before == after, qPrintable(diff(before, after)));
    }

    void movingAChildToAnotherFamilyOrClassTakesEffect()
    {
        OPEN_SCHOOL(s);
        const auto first = importRoster(*s, kGoodCsv);
        QVERIFY2(first, qPrintable(first.error()));
        const auto lead = s->store->userByUsername(QStringLiteral("lead"));
        QVERIFY(lead);
        const auto noah = s->store->childByRef(QStringLiteral("C003"));
        const auto amelia = s->store->childByRef(QStringLiteral("C001"));
        QVERIFY(noah && amelia);

        // An observation of Noah, so the move must reach every device.
        wire::Observation o;
        o.set_id("3f0c9a52-8f1e-4c44-9d0e-2a4b9d1c7e11");
        o.set_observed_at_ms(kStartMs);
        o.add_child_refs("C003");
        o.set_text("Built a tower");
        o.set_state(wire::PUBLISHED);
        o.set_revision(1);
        QVERIFY(s->store->saveObservation(
            o, { noah->id }, lead->id, QStringLiteral("change-1"), kStartMs));
        const qint64 seqBefore = s->store->observation(QString::fromStdString(o.id()))->seq;
        const qint64 rosterBefore = s->store->rosterSeq();

        // Noah joins family F1 (his guardian stays with F2, so he is not listed) and moves
        // to Reception.
        const QByteArray moved = kHeader
            + "C003,Noah,Brown,2021-03-03,Reception,F1,false,No,,,,\n"
              "C001,Amelia,\"Smith, Jones\",2020-09-14,Reception,F1,Y,n,jane.smith,"
              "\"Jane \"\"JJ\"\" Smith\",,\n";
        const auto r = importRoster(*s, moved);
        QVERIFY2(r, qPrintable(r.error()));
        QVERIFY(r->createdAccounts.isEmpty());
        QVERIFY(r->updatedAccounts.isEmpty());

        const auto after = s->store->childByRef(QStringLiteral("C003"));
        QVERIFY(after);
        QCOMPARE(after->familyRef, QStringLiteral("F1"));
        QCOMPARE(after->familyId, amelia->familyId);
        QCOMPARE(after->classId, amelia->classId);
        QVERIFY(s->store->observation(QString::fromStdString(o.id()))->seq > seqBefore);
        QVERIFY(s->store->rosterSeq() > rosterBefore);
        // The guardian of F2 keeps their family: moving a child never moves an account.
        QCOMPARE(s->store->userByUsername(QStringLiteral("ben.brown"))->familyId, noah->familyId);
    }

    void editedNameUpdatesAccount()
    {
        OPEN_SCHOOL(s);
        QVERIFY(importRoster(*s, kGoodCsv));
        const QByteArray edited = kHeader
            + "C003,Noah,Brown,2021-03-03,Kindergarten,F2,no,no,ben.brown,Benjamin Brown,"
              "ana.brown,Ana Brown\n";
        const auto r = importRoster(*s, edited);
        QVERIFY2(r, qPrintable(r.error()));
        QCOMPARE(r->updatedAccounts, QStringList { QStringLiteral("ben.brown") });
        QCOMPARE(r->createdAccounts, QStringList { QStringLiteral("ana.brown") });
        QCOMPARE(r->activationCodes.keys(), QStringList { QStringLiteral("ana.brown") });
        QCOMPARE(s->store->userByUsername(QStringLiteral("ben.brown"))->displayName,
            QStringLiteral("Benjamin Brown"));
    }

    void needsSchoolAndClassesFirst()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acorn.sqlite"));
        auto store = ServerStore::openSqlite(path, true);
        QVERIFY2(store, qPrintable(store.error()));
        ManualClock clock(kStartMs);
        RosterImporter importer(*store.value(), clock);
        const auto r = importer.importCsv(kGoodCsv, kActor);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QLatin1String("import-school")), qPrintable(r.error()));
        QVERIFY(store.value()->children().isEmpty());
        QVERIFY(store.value()->users().isEmpty());
    }

    void lfLineEndsAndTrailingNewlineMissing()
    {
        OPEN_SCHOOL(s);
        const QByteArray csv = kHeader + "C003,Noah,Brown,2021-03-03,Kindergarten,F2,N,y,,,,";
        const auto r = importRoster(*s, csv);
        QVERIFY2(r, qPrintable(r.error()));
        const auto noah = s->store->childByRef(QStringLiteral("C003"));
        QVERIFY(noah);
        QVERIFY(!noah->journalMedia);
        QVERIFY(noah->othersJournals);
    }
};

QTEST_GUILESS_MAIN(TestRosterImport)
#include "tst_rosterimport.moc"
