#include "eyfsframework.h"
#include "eyfstags.h"

#include <QFile>
#include <QStandardPaths>
#include <QTest>

using acorn::EyfsFramework;
using Kind = acorn::EyfsFramework::Kind;

// The framework file: the shipped EYFS data, a school's extension, and malformed files whose
// every problem must be reported with the file and the position in it.
class TestEyfsFramework : public QObject
{
    Q_OBJECT

    static EyfsFramework shipped()
    {
        Result<EyfsFramework> fw = EyfsFramework::loadShipped();
        if (!fw)
            qFatal("%s", qPrintable(fw.error()));
        return std::move(fw).value();
    }

    template <typename T> using Result = acorn::Result<T>;

    static int count(const EyfsFramework &fw, Kind kind)
    {
        int n = 0;
        for (const EyfsFramework::Item &i : fw.items())
            n += i.kind == kind ? 1 : 0;
        return n;
    }

    // The problems of an extension to the shipped framework.
    static QList<EyfsFramework::Problem> extensionProblems(const QByteArray &json, bool *usable)
    {
        EyfsFramework fw = shipped();
        QList<EyfsFramework::Problem> problems;
        *usable = fw.extend(json, QStringLiteral("school.json"), &problems);
        return problems;
    }

    static QByteArray extension(const QByteArray &items)
    {
        return QByteArray(R"({"format": "acorn-framework", "formatVersion": 1, "extends": "eyfs",
"items": [)")
            + items + "]}";
    }

private slots:
    void shippedFileHasNoProblems()
    {
        QFile f(QStringLiteral(":/eyfs/framework.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QList<EyfsFramework::Problem> problems;
        const Result<EyfsFramework> fw
            = EyfsFramework::parse(f.readAll(), QStringLiteral("framework.json"), &problems);
        QVERIFY2(fw.ok(), qPrintable(fw.error()));
        for (const EyfsFramework::Problem &p : problems)
            qWarning("%s", qPrintable(p.toString()));
        QCOMPARE(problems.size(), 0);
    }

    void shippedFileHoldsTheStatutoryFramework()
    {
        const EyfsFramework fw = shipped();
        QCOMPARE(count(fw, Kind::PrimeArea), 3);
        QCOMPARE(count(fw, Kind::SpecificArea), 4);
        QCOMPARE(count(fw, Kind::EarlyLearningGoal), 17);
        QCOMPARE(count(fw, Kind::Characteristic), 3);
        QCOMPARE(count(fw, Kind::DevelopmentMatters), 7 * 3);
        QCOMPARE(count(fw, Kind::SchoolItem), 0);
        QCOMPARE(fw.ageBands().size(), 3);
        QCOMPARE(fw.ageBands().at(0).title, QStringLiteral("Birth to three"));
        QCOMPARE(fw.ageBands().at(1).title, QStringLiteral("Three and four-year-olds"));
        QCOMPARE(fw.ageBands().at(2).title, QStringLiteral("Children in reception"));

        // ELGs per area, as the statutory framework has them.
        QHash<QString, int> elgs;
        for (const EyfsFramework::Item &i : fw.items()) {
            if (i.kind == Kind::EarlyLearningGoal)
                ++elgs[i.areaKey];
        }
        const QHash<QString, int> expected { { QStringLiteral("CL"), 2 },
            { QStringLiteral("PSED"), 3 }, { QStringLiteral("PD"), 2 }, { QStringLiteral("L"), 3 },
            { QStringLiteral("M"), 2 }, { QStringLiteral("UW"), 3 }, { QStringLiteral("EAD"), 2 } };
        QCOMPARE(elgs, expected);

        // Default scales: ELGs emerging/expected, Development Matters not yet/on track/secure.
        const EyfsFramework::Scale *elg = fw.scaleOf(QStringLiteral("CL-ELG-02"));
        QVERIFY(elg);
        QCOMPARE(elg->judgements.size(), 2);
        QCOMPARE(elg->judgements.at(0).key, QStringLiteral("emerging"));
        QCOMPARE(elg->judgements.at(1).key, QStringLiteral("expected"));
        const EyfsFramework::Scale *dm = fw.scaleOf(QStringLiteral("M-DM-34"));
        QVERIFY(dm);
        QStringList dmTitles;
        for (const auto &j : dm->judgements)
            dmTitles.append(j.title);
        QCOMPARE(dmTitles,
            QStringList({ QStringLiteral("Not yet"), QStringLiteral("On track"),
                QStringLiteral("Secure") }));
        QVERIFY(!fw.scaleOf(QStringLiteral("CL"))); // areas are tags, not assessed
        QVERIFY(!fw.scaleOf(QStringLiteral("nope")));
    }

    void tagKeysStayStable()
    {
        // The keys observations carry today: never renamed.
        QStringList keys;
        for (const acorn::client::EyfsTags::Tag &t : acorn::client::EyfsTags::all())
            keys.append(t.key);
        QCOMPARE(keys,
            QStringList({ QStringLiteral("PSED"), QStringLiteral("CL"), QStringLiteral("PD"),
                QStringLiteral("L"), QStringLiteral("M"), QStringLiteral("UW"),
                QStringLiteral("EAD"), QStringLiteral("COEL-PE"), QStringLiteral("COEL-AL"),
                QStringLiteral("COEL-CTC") }));
        using acorn::client::EyfsTags;
        QCOMPARE(
            EyfsTags::words(QStringLiteral("CL")), QStringLiteral("Communication and language"));
        QCOMPARE(EyfsTags::words(QStringLiteral("cl-elg-02")), QStringLiteral("Speaking"));
        QCOMPARE(EyfsTags::words(QStringLiteral("forest-walk")), QStringLiteral("forest-walk"));
        QCOMPARE(EyfsTags::areaKey(QStringLiteral("CL-ELG-02")), QStringLiteral("CL"));
        QCOMPARE(EyfsTags::areaKey(QStringLiteral("PSED-DM-R")), QStringLiteral("PSED"));
        QCOMPARE(EyfsTags::areaKey(QStringLiteral("COEL-PE-1")), QStringLiteral("COEL-PE"));
        QCOMPARE(EyfsTags::areaKey(QStringLiteral("MATHS")), QStringLiteral("MATHS"));
        QCOMPARE(EyfsTags::areaKey(QStringLiteral(" m ")), QStringLiteral("M"));
    }

    void schoolExtensionAddsItems()
    {
        EyfsFramework fw = shipped();
        const QString path = qEnvironmentVariable("ACORN_SOURCE_DIR")
            + QStringLiteral("/resources/eyfs/birth-to-5-matters.example.json");
        QList<EyfsFramework::Problem> problems;
        QVERIFY(fw.extendFromFile(path, &problems));
        QCOMPARE(problems.size(), 0);
        QCOMPARE(count(fw, Kind::SchoolItem), 4);
        const EyfsFramework::Item *r5 = fw.item(QStringLiteral("CL-B5M-R5"));
        QVERIFY(r5);
        QCOMPARE(r5->areaKey, QStringLiteral("CL"));
        QCOMPARE(r5->bandKey, QStringLiteral("B5M-R5"));
        QCOMPARE(r5->file, path);
        QCOMPARE(fw.scaleOf(QStringLiteral("CL-B5M-R5"))->judgements.at(1).key,
            QStringLiteral("developing"));
        QVERIFY(!fw.scaleOf(QStringLiteral("UW-FOREST")));
        QCOMPARE(fw.areaKeyOf(QStringLiteral("UW-FOREST")), QStringLiteral("UW"));
        // The statutory items are untouched.
        QCOMPARE(count(fw, Kind::EarlyLearningGoal), 17);
    }

    void extensionMayReplaceAScale()
    {
        EyfsFramework fw = shipped();
        QList<EyfsFramework::Problem> problems;
        QVERIFY(fw.extend(R"({"format": "acorn-framework", "formatVersion": 1, "extends": "eyfs",
"scales": [{"key": "development-matters", "title": "DM", "replace": true, "judgements": [
 {"key": "below", "title": "Below"}, {"key": "at", "title": "At"}, {"key": "above", "title": "Above"},
 {"key": "well-above", "title": "Well above"}]}]})",
            QStringLiteral("scale.json"), &problems));
        QCOMPARE(problems.size(), 0);
        QCOMPARE(fw.scaleOf(QStringLiteral("CL-DM-R"))->judgements.size(), 4);
        QCOMPARE(fw.scaleOf(QStringLiteral("CL-ELG-01"))->judgements.size(), 2);
    }

    void malformedItemsAreReported_data()
    {
        QTest::addColumn<QByteArray>("items");
        QTest::addColumn<QString>("position");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown kind")
            << QByteArray(R"({"key": "X-1", "kind": "goal", "area": "CL", "title": "X"})")
            << "items[0] (X-1)"
            << "unknown kind \"goal\"";
        QTest::newRow("unknown field")
            << QByteArray(R"({"key": "X-1", "kind": "school-item", "area": "CL", "title": "X",
                "scael": "elg"})")
            << "items[0] (X-1)"
            << "unknown field \"scael\"";
        QTest::newRow("missing title")
            << QByteArray(R"({"key": "X-1", "kind": "school-item", "area": "CL"})")
            << "items[0] (X-1)"
            << "\"title\" must be a non-empty string";
        QTest::newRow("missing key")
            << QByteArray(R"({"kind": "school-item", "area": "CL", "title": "X"})") << "items[0]"
            << "\"key\" must be a non-empty string";
        QTest::newRow("duplicate of a shipped key")
            << QByteArray(R"({"key": "cl-elg-01", "kind": "school-item", "area": "CL",
                "title": "X"})")
            << "items[0] (cl-elg-01)"
            << "key \"cl-elg-01\" already exists";
        QTest::newRow("duplicate within the file")
            << QByteArray(R"({"key": "X-1", "kind": "school-item", "area": "CL", "title": "X"},
                {"key": "X-1", "kind": "school-item", "area": "CL", "title": "Y"})")
            << "items[1] (X-1)"
            << "key \"X-1\" already exists";
        QTest::newRow("unknown area")
            << QByteArray(R"({"key": "X-1", "kind": "school-item", "area": "ART", "title": "X"})")
            << "items[0] (X-1)"
            << "\"area\" names \"ART\", which is not an area of learning or a characteristic";
        QTest::newRow("area that is not an area")
            << QByteArray(R"({"key": "X-1", "kind": "school-item", "area": "CL-ELG-01",
                "title": "X"})")
            << "items[0] (X-1)"
            << "\"area\" names \"CL-ELG-01\", which is not an area of learning or a "
               "characteristic";
        QTest::newRow("unknown scale")
            << QByteArray(R"({"key": "X-1", "kind": "school-item", "area": "CL", "title": "X",
                "scale": "stars"})")
            << "items[0] (X-1)"
            << "unknown scale \"stars\"";
        QTest::newRow("unknown band")
            << QByteArray(R"({"key": "X-1", "kind": "development-matters", "area": "CL",
                "band": "B9", "title": "X", "scale": "development-matters"})")
            << "items[0] (X-1)"
            << "unknown age band \"B9\"";
        QTest::newRow("statutory kind in an extension")
            << QByteArray(R"({"key": "CL-ELG-03", "kind": "elg", "area": "CL", "title": "X",
                "scale": "elg"})")
            << "items[0] (CL-ELG-03)"
            << "a school's extension may not add a \"elg\" (use \"school-item\" or "
               "\"development-matters\")";
        QTest::newRow("bad key characters")
            << QByteArray(R"({"key": "X 1", "kind": "school-item", "area": "CL", "title": "X"})")
            << "items[0] (X 1)"
            << "the key may hold only letters, digits and '-'";
        QTest::newRow("not an object") << QByteArray(R"("CL-X")") << "items[0]"
                                       << "an item must be an object";
    }

    void malformedItemsAreReported()
    {
        QFETCH(QByteArray, items);
        QFETCH(QString, position);
        QFETCH(QString, message);
        bool usable = false;
        const QList<EyfsFramework::Problem> problems = extensionProblems(extension(items), &usable);
        QVERIFY(usable);
        QVERIFY(!problems.isEmpty());
        const EyfsFramework::Problem &p = problems.constFirst();
        QCOMPARE(p.file, QStringLiteral("school.json"));
        QCOMPARE(p.position, position);
        QCOMPARE(p.message, message);
    }

    void aProblemItemIsLeftOutAndTheRestKept()
    {
        EyfsFramework fw = shipped();
        QList<EyfsFramework::Problem> problems;
        QVERIFY(fw.extend(extension(R"({"key": "A-1", "kind": "school-item", "area": "CL",
"title": "A"}, {"key": "B-1", "kind": "nonsense", "area": "CL", "title": "B"})"),
            QStringLiteral("school.json"), &problems));
        QCOMPARE(problems.size(), 1);
        QVERIFY(fw.item(QStringLiteral("A-1")));
        QVERIFY(!fw.item(QStringLiteral("B-1")));
    }

    void unusableFilesAreReported_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("position");
        QTest::addColumn<QString>("messageStart");
        QTest::newRow("broken JSON")
            << QByteArray("{\"format\": \"acorn-framework\",\n  \"items\": [\n    {\"key\": }\n]}")
            << "line 3, column 13"
            << "not valid JSON";
        QTest::newRow("not an object") << QByteArray("[1, 2]") << "line 1, column 1"
                                       << "the file must hold an object";
        QTest::newRow("wrong format") << QByteArray(R"({"format": "csv"})") << "format"
                                      << "not an Acorn framework file";
        QTest::newRow("newer format version")
            << QByteArray(R"({"format": "acorn-framework", "formatVersion": 2})") << "formatVersion"
            << "this version of Acorn reads format version 1";
        QTest::newRow("extension without extends")
            << QByteArray(R"({"format": "acorn-framework", "formatVersion": 1, "items": []})")
            << "extends"
            << "an extension file must say";
        QTest::newRow("empty file") << QByteArray() << "line 1, column 1"
                                    << "not valid JSON";
    }

    void unusableFilesAreReported()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, position);
        QFETCH(QString, messageStart);
        bool usable = true;
        const QList<EyfsFramework::Problem> problems = extensionProblems(json, &usable);
        QVERIFY(!usable);
        QVERIFY(!problems.isEmpty());
        QCOMPARE(problems.constLast().file, QStringLiteral("school.json"));
        QCOMPARE(problems.constLast().position, position);
        QVERIFY2(problems.constLast().message.startsWith(messageStart),
            qPrintable(problems.constLast().message));
    }

    void malformedScalesAreReported()
    {
        EyfsFramework fw = shipped();
        QList<EyfsFramework::Problem> problems;
        QVERIFY(fw.extend(R"({"format": "acorn-framework", "formatVersion": 1, "extends": "eyfs",
"scales": [{"key": "elg", "title": "Again", "judgements": [{"key": "a", "title": "A"},
 {"key": "b", "title": "B"}]},
 {"key": "one", "title": "One", "judgements": [{"key": "a", "title": "A"}]},
 {"key": "dup", "title": "Dup", "judgements": [{"key": "a", "title": "A"}, {"key": "A", "title": "A"}]}]})",
            QStringLiteral("scales.json"), &problems));
        QCOMPARE(problems.size(), 3);
        QCOMPARE(problems.at(0).position, QStringLiteral("scales[0] (elg)"));
        QVERIFY(problems.at(0).message.startsWith(QStringLiteral("scale \"elg\" already exists")));
        QCOMPARE(problems.at(1).position, QStringLiteral("scales[1] (one)"));
        QCOMPARE(problems.at(2).position, QStringLiteral("scales[2] (dup).judgements[1]"));
        QCOMPARE(fw.scale(QStringLiteral("elg"))->judgements.at(0).key, QStringLiteral("emerging"));
        QVERIFY(!fw.scale(QStringLiteral("one")));
        QVERIFY(!fw.scale(QStringLiteral("dup")));
    }

    void standardFrameworkReadsExtensionDirectories()
    {
        // ACORN_FRAMEWORK_PATH is read once, by the first call of standard() in the process:
        // this test's main() sets it before anything else runs.
        const EyfsFramework &fw = EyfsFramework::standard();
        QVERIFY(fw.item(QStringLiteral("PD-BALANCE-BIKE")));
        QCOMPARE(acorn::client::EyfsTags::words(QStringLiteral("pd-balance-bike")),
            QStringLiteral("Balance bike"));
        QCOMPARE(fw.problems().size(), 0);
    }
};

int main(int argc, char **argv)
{
    qputenv(
        "ACORN_FRAMEWORK_PATH", qgetenv("ACORN_SOURCE_DIR") + "/tests/unit/framework-extensions");
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // not the user's own extension files
    TestEyfsFramework t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_eyfsframework.moc"
