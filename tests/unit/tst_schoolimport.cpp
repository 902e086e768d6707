// Unit tests for SchoolImporter (admin import-school): a bad file is refused with its place
// named and leaves the database exactly as it was; the same file imported twice changes
// nothing; an edited file applies exactly its edits, with visibility changes reaching
// every device.

#include "../support/databasesnapshot.h"
#include "clock.h"
#include "schoolimporter.h"
#include "serverstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace acorn;
using namespace acorn::server;

namespace {

constexpr qint64 kStartMs = 1759312800000; // 2025-10-01T10:00:00Z
const QString kActor = QStringLiteral("admin:test");

// The school as a JSON object, so tests can edit it.
QJsonObject schoolDocument()
{
    const QByteArray json = R"({
  "school": {"name": "Oak Tree Primary", "time_zone": "Europe/London", "release_time": "16:00",
             "contact": "office@oaktree.example"},
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
  ],
  "children": [
    {"ref": "C001", "first_name": "Amelia", "last_name": "Smith", "date_of_birth": "2020-09-14",
     "class": "Reception", "family": "F1", "consent": {"journal_media": true, "others_journals": false}},
    {"ref": "C002", "first_name": "Oliver", "last_name": "Smith", "date_of_birth": "2022-01-02",
     "class": "Nursery", "family": "F1", "consent": {"journal_media": true, "others_journals": true}},
    {"ref": "C003", "first_name": "Noah", "last_name": "Brown", "date_of_birth": "2021-03-03",
     "class": "Kindergarten", "family": "F2", "consent": {"journal_media": false, "others_journals": false}}
  ],
  "guardians": [
    {"username": "jane.smith", "name": "Jane Smith", "family": "F1"},
    {"username": "ben.brown", "name": "Ben Brown", "family": "F2"}
  ]
})";
    return QJsonDocument::fromJson(json).object();
}

QByteArray toBytes(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

// Replaces field `key` of element `index` of array `section` with `value`.
QJsonObject edited(
    QJsonObject doc, const QString &section, int index, const QString &key, const QJsonValue &value)
{
    QJsonArray arr = doc.value(section).toArray();
    QJsonObject item = arr.at(index).toObject();
    item.insert(key, value);
    arr.replace(index, item);
    doc.insert(section, arr);
    return doc;
}

struct School
{
    QTemporaryDir dir;
    ManualClock clock { kStartMs };
    std::unique_ptr<ServerStore> store;
    QString path;
};

std::unique_ptr<School> newStore(QString *error)
{
    auto s = std::make_unique<School>();
    s->path = s->dir.filePath(QStringLiteral("acorn.sqlite"));
    auto opened = ServerStore::openSqlite(s->path, true);
    if (!opened) {
        *error = opened.error();
        return nullptr;
    }
    s->store = std::move(opened).value();
    return s;
}

Result<SchoolImporter::Outcome> importSchool(School &s, const QByteArray &json)
{
    SchoolImporter importer(*s.store, s.clock);
    return importer.importJson(json, kActor);
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

#define OPEN_STORE(var)                                                                            \
    QString openError;                                                                             \
    auto var = newStore(&openError);                                                               \
    QVERIFY2(var, qPrintable(openError))

class TestSchoolImport : public QObject
{
    Q_OBJECT

private slots:
    void firstImportCreatesTheSchool()
    {
        OPEN_STORE(s);
        const auto r = importSchool(*s, toBytes(schoolDocument()));
        QVERIFY2(r, qPrintable(r.error()));
        QCOMPARE(r->children, 3);
        QCOMPARE(r->createdAccounts.size(), 4);
        QCOMPARE(r->activationCodes.size(), 4);
        QVERIFY(r->warnings.isEmpty());
        // The JSON the admin command prints keeps its shape.
        const QJsonObject json = r->toJson();
        QCOMPARE(json.keys(),
            (QStringList { QStringLiteral("activation_codes"), QStringLiteral("children"),
                QStringLiteral("created_accounts"), QStringLiteral("updated_accounts") }));
        QCOMPARE(json.value(QStringLiteral("children")).toInt(), 3);
        QCOMPARE(json.value(QStringLiteral("activation_codes")).toObject().size(), 4);
        QCOMPARE(s->store->classes().size(), 3);
        QCOMPARE(s->store->halfTerms().size(), 2);
        QCOMPARE(s->store->school()->contact, QStringLiteral("office@oaktree.example"));
        QCOMPARE(s->store->userByUsername(QStringLiteral("jane.smith"))->familyId,
            s->store->childByRef(QStringLiteral("C001"))->familyId);
        QCOMPARE(s->store->auditSince(0).last().action, QStringLiteral("import-school"));
    }

    void badFileIsRefusedWhole_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("expected");

        // Each bad file also carries edits (a new calendar, a class move) that must not land.
        QJsonObject base = schoolDocument();
        base.insert(QStringLiteral("calendar"),
            QJsonArray { QJsonObject { { QStringLiteral("name"), QStringLiteral("Spring 1") },
                { QStringLiteral("first_day"), QStringLiteral("2026-01-05") },
                { QStringLiteral("last_day"), QStringLiteral("2026-02-13") } } });
        base = edited(base, QStringLiteral("children"), 0, QStringLiteral("class"),
            QStringLiteral("Kindergarten"));

        QByteArray broken = toBytes(base);
        // Line 5 of the indented document loses the quotes around a date.
        QList<QByteArray> lines = broken.split('\n');
        QVERIFY(lines.size() > 6);
        QVERIFY(lines[4].contains("\"2026-02-13\""));
        lines[4].replace("\"2026-02-13\"", "2026-02-13");
        broken = lines.join('\n');
        QTest::newRow("bad JSON") << broken
                                  << QStringList { QStringLiteral("line 5"),
                                         QStringLiteral("not valid JSON") };

        QTest::newRow("unknown class")
            << toBytes(edited(base, QStringLiteral("children"), 1, QStringLiteral("class"),
                   QStringLiteral("Recption")))
            << QStringList { QStringLiteral("children[1].class: there is no class 'Recption'") };

        QJsonObject otherFamily = base;
        QJsonArray guardians = otherFamily.value(QStringLiteral("guardians")).toArray();
        guardians.append(QJsonObject { { QStringLiteral("username"), QStringLiteral("jane.smith") },
            { QStringLiteral("name"), QStringLiteral("Jane Smith") },
            { QStringLiteral("family"), QStringLiteral("F2") } });
        guardians.removeAt(0);
        otherFamily.insert(QStringLiteral("guardians"), guardians);
        QTest::newRow("guardian of another family")
            << toBytes(otherFamily)
            << QStringList { QStringLiteral("guardians[1].username"),
                   QStringLiteral("already belongs to family 'F1'") };

        QJsonObject twice = base;
        guardians = twice.value(QStringLiteral("guardians")).toArray();
        guardians.append(QJsonObject { { QStringLiteral("username"), QStringLiteral("ben.brown") },
            { QStringLiteral("name"), QStringLiteral("Ben Brown") },
            { QStringLiteral("family"), QStringLiteral("F1") } });
        twice.insert(QStringLiteral("guardians"), guardians);
        QTest::newRow("username twice") << toBytes(twice)
                                        << QStringList { QStringLiteral("guardians[2].username"),
                                               QStringLiteral("listed twice") };

        QTest::newRow("bad consent")
            << toBytes(edited(base, QStringLiteral("children"), 2, QStringLiteral("consent"),
                   QJsonObject { { QStringLiteral("journal_media"), QStringLiteral("yes") },
                       { QStringLiteral("others_journals"), false } }))
            << QStringList { QStringLiteral("children[2].consent"),
                   QStringLiteral("must be true or false") };
    }

    void badFileIsRefusedWhole()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, expected);
        OPEN_STORE(s);
        const auto good = importSchool(*s, toBytes(schoolDocument()));
        QVERIFY2(good, qPrintable(good.error()));
        const auto before = test::databaseSnapshot(s->path);

        const auto r = importSchool(*s, json);
        QVERIFY(!r);
        for (const QString &fragment : expected)
            QVERIFY2(r.error().contains(fragment),
                qPrintable(QStringLiteral("'%1' not in: %2").arg(fragment, r.error())));
        QVERIFY2(r.error().contains(QLatin1String("nothing was imported")), qPrintable(r.error()));
        const auto after = test::databaseSnapshot(s->path);
        QVERIFY2(before == after, qPrintable(diff(before, after)));
    }

    void reimportChangesNothing()
    {
        OPEN_STORE(s);
        const QByteArray json = toBytes(schoolDocument());
        QVERIFY(importSchool(*s, json));
        const qint64 rosterSeq = s->store->rosterSeq();
        const auto before = test::databaseSnapshot(s->path, { QStringLiteral("audit") });
        s->clock.advanceMs(24 * 3600 * 1000);

        const auto again = importSchool(*s, json);
        QVERIFY2(again, qPrintable(again.error()));
        QVERIFY(again->createdAccounts.isEmpty());
        QVERIFY(again->updatedAccounts.isEmpty());
        QVERIFY(again->activationCodes.isEmpty());
        QCOMPARE(again->children, 3);
        // Devices are not told to fetch the roster again either.
        QCOMPARE(s->store->rosterSeq(), rosterSeq);
        const auto after = test::databaseSnapshot(s->path, { QStringLiteral("audit") });
        QVERIFY2(before == after, qPrintable(diff(before, after)));
    }

    void editedFileUpdatesConsentAndClass()
    {
        OPEN_STORE(s);
        QVERIFY(importSchool(*s, toBytes(schoolDocument())));
        const auto lead = s->store->userByUsername(QStringLiteral("lead"));
        const auto noah = s->store->childByRef(QStringLiteral("C003"));
        const auto amelia = s->store->childByRef(QStringLiteral("C001"));
        QVERIFY(lead && noah && amelia);

        wire::Observation o;
        o.set_id("8a1d2f70-3b4c-4e5f-9a6b-7c8d9e0f1a2b");
        o.set_observed_at_ms(kStartMs);
        o.add_child_refs("C003");
        o.add_child_refs("C001");
        o.set_text("Shared the blocks");
        o.set_state(wire::PUBLISHED);
        o.set_revision(1);
        QVERIFY(s->store->saveObservation(
            o, { noah->id, amelia->id }, lead->id, QStringLiteral("c1"), kStartMs));
        const QString obsId = QString::fromStdString(o.id());
        const qint64 seqBefore = s->store->observation(obsId)->seq;
        const qint64 rosterBefore = s->store->rosterSeq();

        s->clock.advanceMs(3600 * 1000);
        QJsonObject doc = schoolDocument();
        doc = edited(doc, QStringLiteral("children"), 2, QStringLiteral("consent"),
            QJsonObject { { QStringLiteral("journal_media"), true },
                { QStringLiteral("others_journals"), true } });
        doc = edited(doc, QStringLiteral("children"), 2, QStringLiteral("class"),
            QStringLiteral("Reception"));
        const auto r = importSchool(*s, toBytes(doc));
        QVERIFY2(r, qPrintable(r.error()));
        QVERIFY(r->createdAccounts.isEmpty());

        const auto after = s->store->childByRef(QStringLiteral("C003"));
        QVERIFY(after);
        QVERIFY(after->journalMedia);
        QVERIFY(after->othersJournals);
        QCOMPARE(after->classId, amelia->classId);
        QCOMPARE(after->consentRecordedBy, kActor);
        QCOMPARE(after->consentRecordedAt, kStartMs + 3600 * 1000);
        // Amelia's record is untouched, including who recorded her consent and when.
        const auto ameliaAfter = s->store->childByRef(QStringLiteral("C001"));
        QCOMPARE(ameliaAfter->consentRecordedAt, kStartMs);
        QCOMPARE(ameliaAfter->classId, amelia->classId);
        // Every device re-evaluates the observation at its next sync.
        QVERIFY(s->store->observation(obsId)->seq > seqBefore);
        QVERIFY(s->store->rosterSeq() > rosterBefore);
    }

    void editedFileMovesChildToAnotherFamily()
    {
        OPEN_STORE(s);
        QVERIFY(importSchool(*s, toBytes(schoolDocument())));
        const QJsonObject moved = edited(schoolDocument(), QStringLiteral("children"), 2,
            QStringLiteral("family"), QStringLiteral("F1"));
        // Judged by the school as it will be after the import: Ben Brown's family F2 has
        // no child left, so the file is refused (and the same file is refused however many
        // times it is imported) and nothing changes.
        const auto refused = importSchool(*s, toBytes(moved));
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(QStringLiteral("no child belongs to family 'F2'")),
            qPrintable(refused.error()));
        QCOMPARE(s->store->childByRef(QStringLiteral("C003"))->familyRef, QStringLiteral("F2"));
        // Without Ben Brown's line (his account stays, with no child to see), it is accepted.
        QJsonObject movedWithoutBen = moved;
        QJsonArray guardians = moved.value(QStringLiteral("guardians")).toArray();
        guardians.removeAt(1);
        movedWithoutBen.insert(QStringLiteral("guardians"), guardians);
        const auto r = importSchool(*s, toBytes(movedWithoutBen));
        QVERIFY2(r, qPrintable(r.error()));
        QCOMPARE(s->store->childByRef(QStringLiteral("C003"))->familyRef, QStringLiteral("F1"));
        QCOMPARE(s->store->childByRef(QStringLiteral("C003"))->familyId,
            s->store->userByUsername(QStringLiteral("jane.smith"))->familyId);
    }
};

QTEST_GUILESS_MAIN(TestSchoolImport)
#include "tst_schoolimport.moc"
