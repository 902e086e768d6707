// Unit tests for ConsentRecorder (admin consent): a consent decision is stored with who
// recorded it and when, audited without names, and reaches every device at its next sync
// (the child's observations and the roster are marked changed). A refused command changes
// nothing.

#include "../support/databasesnapshot.h"
#include "clock.h"
#include "consentrecorder.h"
#include "schoolimporter.h"
#include "serverstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace acorn;
using namespace acorn::server;

namespace {

constexpr qint64 kStartMs = 1759312800000; // 2025-10-01T10:00:00Z
const QString kActor = QStringLiteral("admin:test");
const QString kObservationId = QStringLiteral("0b7e4a1c-2d3f-4a5b-8c6d-7e8f9a0b1c2d");

const QByteArray kSchoolJson = R"({
  "school": {"name": "Oak Tree Primary"},
  "classes": [{"name": "Reception", "release": "half-term"}],
  "staff": [{"username": "lead", "name": "Lead Teacher", "role": "lead"}],
  "children": [
    {"ref": "C001", "first_name": "Amelia", "last_name": "Smith", "date_of_birth": "2020-09-14",
     "class": "Reception", "family": "F1", "consent": {"journal_media": true, "others_journals": false}},
    {"ref": "C002", "first_name": "Noah", "last_name": "Brown", "date_of_birth": "2020-11-03",
     "class": "Reception", "family": "F2", "consent": {"journal_media": true, "others_journals": true}}
  ]
})";

struct School
{
    QTemporaryDir dir;
    ManualClock clock { kStartMs };
    std::unique_ptr<ServerStore> store;
    QString path;
};

// A school with one observation tagging C001.
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
    if (const auto r = importer.importJson(kSchoolJson, kActor); !r) {
        *error = r.error();
        return nullptr;
    }
    wire::Observation o;
    o.set_id(kObservationId.toStdString());
    o.set_observed_at_ms(kStartMs);
    o.add_child_refs("C001");
    o.set_text("Painted a rainbow");
    o.set_state(wire::PUBLISHED);
    o.set_revision(1);
    const Status saved = s->store->saveObservation(o,
        { s->store->childByRef(QStringLiteral("C001"))->id },
        s->store->userByUsername(QStringLiteral("lead"))->id, QStringLiteral("change-1"), kStartMs);
    if (!saved) {
        *error = saved.error();
        return nullptr;
    }
    return s;
}

} // namespace

#define OPEN_SCHOOL(var)                                                                           \
    QString openError;                                                                             \
    auto var = newSchool(&openError);                                                              \
    QVERIFY2(var, qPrintable(openError))

class TestConsentRecorder : public QObject
{
    Q_OBJECT

private slots:
    void answers_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("expected"); // 1 yes, 0 no, -1 refused
        for (const char *yes : { "yes", "YES", " Yes ", "y", "Y", "true", "True" })
            QTest::newRow(yes) << QString::fromLatin1(yes) << 1;
        for (const char *no : { "no", "NO", "n", "N", "false", "FALSE", " no" })
            QTest::newRow(no) << QString::fromLatin1(no) << 0;
        for (const char *bad : { "", "1", "0", "ja", "yes please", "maybe", "t" })
            QTest::newRow(bad[0] ? bad : "empty") << QString::fromLatin1(bad) << -1;
    }

    void answers()
    {
        QFETCH(QString, text);
        QFETCH(int, expected);
        const std::optional<bool> answer = parseConsentAnswer(text);
        QCOMPARE(answer.has_value() ? (*answer ? 1 : 0) : -1, expected);
    }

    void recordingAChangeReachesEveryDevice()
    {
        OPEN_SCHOOL(s);
        const qint64 seqBefore = s->store->observation(kObservationId)->seq;
        const qint64 rosterBefore = s->store->rosterSeq();
        s->clock.advanceMs(3600 * 1000);

        ConsentRecorder recorder(*s->store, s->clock);
        ConsentRecorder::Change change;
        change.journalMedia = false; // others_journals not given: stays as it is
        change.recordedBy = QStringLiteral("  Mrs   Patel ");
        const auto r = recorder.record(QStringLiteral("C001"), change, kActor);
        QVERIFY2(r, qPrintable(r.error()));
        QVERIFY(r->changed);
        QCOMPARE(r->childRef, QStringLiteral("C001"));
        QVERIFY(!r->journalMedia);
        QVERIFY(!r->othersJournals);
        QCOMPARE(r->recordedBy, QStringLiteral("Mrs Patel"));
        QCOMPARE(r->recordedAtMs, kStartMs + 3600 * 1000);

        const auto child = s->store->childByRef(QStringLiteral("C001"));
        QVERIFY(!child->journalMedia);
        QVERIFY(!child->othersJournals);
        QCOMPARE(child->consentRecordedBy, QStringLiteral("Mrs Patel"));
        QCOMPARE(child->consentRecordedAt, kStartMs + 3600 * 1000);
        // The other child is untouched.
        QVERIFY(s->store->childByRef(QStringLiteral("C002"))->journalMedia);

        QVERIFY(s->store->observation(kObservationId)->seq > seqBefore);
        QVERIFY(s->store->rosterSeq() > rosterBefore);

        const auto audit = s->store->auditSince(kStartMs + 1);
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit.first().action, QStringLiteral("consent"));
        QCOMPARE(audit.first().target, QStringLiteral("C001"));
        QCOMPARE(audit.first().actor, kActor);
        QCOMPARE(audit.first().detail, QStringLiteral("journal_media=no others_journals=no"));
        QVERIFY(!audit.first().detail.contains(QLatin1String("Patel")));

        const QJsonObject json = r->toJson(QTimeZone("Europe/London"));
        QCOMPARE(json.value(QStringLiteral("child")).toString(), QStringLiteral("C001"));
        QCOMPARE(json.value(QStringLiteral("journal_media")).toBool(), false);
        QCOMPARE(json.value(QStringLiteral("others_journals")).toBool(), false);
        QCOMPARE(json.value(QStringLiteral("recorded_by")).toString(), QStringLiteral("Mrs Patel"));
        QCOMPARE(json.value(QStringLiteral("recorded_at")).toString(),
            QStringLiteral("2025-10-01T12:00:00+01:00"));

        // And back again: consent given later takes effect the same way.
        const qint64 seqMiddle = s->store->observation(kObservationId)->seq;
        ConsentRecorder::Change both;
        both.journalMedia = true;
        both.othersJournals = true;
        both.recordedBy = QStringLiteral("Mr Jones");
        const auto back = recorder.record(QStringLiteral("C001"), both, kActor);
        QVERIFY2(back, qPrintable(back.error()));
        QVERIFY(back->journalMedia && back->othersJournals && back->changed);
        QVERIFY(s->store->observation(kObservationId)->seq > seqMiddle);
    }

    void recordingTheSameAnswersOnlyRecordsWho()
    {
        OPEN_SCHOOL(s);
        const qint64 seqBefore = s->store->observation(kObservationId)->seq;
        const qint64 rosterBefore = s->store->rosterSeq();
        s->clock.advanceMs(1000);
        ConsentRecorder recorder(*s->store, s->clock);
        ConsentRecorder::Change change;
        change.othersJournals = false;
        change.recordedBy = QStringLiteral("Mrs Patel");
        const auto r = recorder.record(QStringLiteral("C001"), change, kActor);
        QVERIFY2(r, qPrintable(r.error()));
        QVERIFY(!r->changed);
        QVERIFY(r->journalMedia);
        QCOMPARE(s->store->childByRef(QStringLiteral("C001"))->consentRecordedBy,
            QStringLiteral("Mrs Patel"));
        QCOMPARE(s->store->observation(kObservationId)->seq, seqBefore);
        QCOMPARE(s->store->rosterSeq(), rosterBefore);
        QCOMPARE(s->store->auditSince(kStartMs + 1).size(), 1);
    }

    void refusedCommandsChangeNothing_data()
    {
        QTest::addColumn<QString>("ref");
        QTest::addColumn<int>("journalMedia"); // -1: not given
        QTest::addColumn<int>("othersJournals");
        QTest::addColumn<QString>("recordedBy");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown child")
            << QStringLiteral("C999") << 0 << 0 << QStringLiteral("Mrs Patel")
            << QStringLiteral("no child with reference 'C999'");
        QTest::newRow("nothing to record")
            << QStringLiteral("C001") << -1 << -1 << QStringLiteral("Mrs Patel")
            << QStringLiteral("--journal-media");
        QTest::newRow("nobody recorded it")
            << QStringLiteral("C001") << 0 << -1 << QStringLiteral("   ")
            << QStringLiteral("--recorded-by");
        QTest::newRow("name too long")
            << QStringLiteral("C001") << 0 << -1 << QString(101, QLatin1Char('x'))
            << QStringLiteral("longer than 100");
    }

    void refusedCommandsChangeNothing()
    {
        QFETCH(QString, ref);
        QFETCH(int, journalMedia);
        QFETCH(int, othersJournals);
        QFETCH(QString, recordedBy);
        QFETCH(QString, expected);
        OPEN_SCHOOL(s);
        const auto before = test::databaseSnapshot(s->path);
        ConsentRecorder recorder(*s->store, s->clock);
        ConsentRecorder::Change change;
        if (journalMedia >= 0)
            change.journalMedia = journalMedia == 1;
        if (othersJournals >= 0)
            change.othersJournals = othersJournals == 1;
        change.recordedBy = recordedBy;
        const auto r = recorder.record(ref, change, kActor);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(expected), qPrintable(r.error()));
        QVERIFY(before == test::databaseSnapshot(s->path));
    }
};

QTEST_GUILESS_MAIN(TestConsentRecorder)
#include "tst_consentrecorder.moc"
