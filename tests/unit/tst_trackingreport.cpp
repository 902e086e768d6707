#include "trackingreport.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using acorn::client::TrackingGrid;
using acorn::client::TrackingReport;
using namespace acorn;

// The class tracking summary PDF: opened with pdftotext and compared, row by row, with the
// grid it was made from; a class of 30 fits the page budget.
class TestTrackingReport : public QObject
{
    Q_OBJECT

    const QTimeZone london { "Europe/London" };

    // A Reception class of 30 with random observations in Autumn 1 and 2 and some judgements.
    TrackingGrid::Input generatedInput(quint32 seed) const
    {
        QRandomGenerator rng(seed);
        TrackingGrid::Input in;
        in.className = QStringLiteral("Reception");
        in.halfTermLastDay = QStringLiteral("2026-12-18");
        in.zone = london;
        for (const auto &[name, first, last] :
            { std::tuple { "Autumn 1", "2026-09-03", "2026-10-23" },
                std::tuple { "Autumn 2", "2026-11-02", "2026-12-18" } }) {
            wire::HalfTermInfo h;
            h.set_name(name);
            h.set_first_day(first);
            h.set_last_day(last);
            in.calendar.append(h);
        }
        const char *areas[] = { "PSED", "CL", "PD", "L", "M", "UW", "EAD" };
        const char *judgements[] = { "not-yet", "on-track", "secure" };
        for (int i = 0; i < 30; ++i) {
            wire::Child c;
            c.set_ref(QStringLiteral("R%1").arg(i).toStdString());
            c.set_first_name(QStringLiteral("Child%1").arg(i).toStdString());
            c.set_last_name(i == 3 ? "O'Neil & <b>" : "Family");
            c.set_class_name("Reception");
            in.roster.append(c);
            for (const char *area : areas) {
                if (rng.bounded(3) == 0) {
                    wire::Assessment a;
                    a.set_child_ref(c.ref());
                    a.set_item_key(std::string(area) + "-DM-R");
                    a.set_half_term(rng.bounded(2) ? "2026-12-18" : "2026-10-23");
                    a.set_judgement(judgements[rng.bounded(3)]);
                    in.assessments.append(a);
                }
            }
        }
        const qint64 start = QDateTime(QDate(2026, 9, 3), QTime(9, 0), london).toMSecsSinceEpoch();
        for (int i = 0; i < 800; ++i) {
            wire::Observation o;
            o.set_id(QStringLiteral("o%1").arg(i).toStdString());
            o.set_observed_at_ms(start + static_cast<qint64>(rng.bounded(105)) * 24 * 3600 * 1000);
            o.set_state(wire::PUBLISHED);
            o.add_child_refs(in.roster.at(static_cast<int>(rng.bounded(30))).ref());
            o.add_eyfs_tags(areas[rng.bounded(7)]);
            in.observations.append(o);
        }
        return in;
    }

    TrackingGrid generated(quint32 seed) const { return TrackingGrid::build(generatedInput(seed)); }

    static QString run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            return {};
        return QString::fromUtf8(p.readAllStandardOutput());
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("pdfinfo")).isEmpty()) {
            if (qEnvironmentVariableIsSet("ACORN_TEST"))
                QFAIL("pdftotext and pdfinfo (poppler-utils) are needed to check the reports");
            QSKIP("pdftotext and pdfinfo (poppler-utils) are not installed: the PDF text cannot "
                  "be checked");
        }
    }

    void pdfTextMatchesTheGrid()
    {
        const TrackingGrid grid = generated(11);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tracking.pdf"));
        const TrackingReport::Heading heading { QStringLiteral("Test Primary"),
            QStringLiteral("Reception"), QStringLiteral("Autumn 2") };
        QVERIFY(TrackingReport::writePdf(grid, heading, path));

        const QString text = run(
            QStringLiteral("pdftotext"), { QStringLiteral("-layout"), path, QStringLiteral("-") });
        QVERIFY(!text.isEmpty());
        QVERIFY(text.contains(QStringLiteral("Reception: Autumn 2 tracking summary")));
        QVERIFY(text.contains(QStringLiteral("Test Primary")));
        QVERIFY2(text.contains(QStringLiteral("30 children; %1 of 210 cells").arg(grid.gapCount())),
            qPrintable(text.left(600)));
        // Each child's row, cell by cell in column order, as the grid has it.
        int gapsSeen = 0;
        for (const TrackingGrid::Row &row : grid.rows()) {
            QStringList parts { QRegularExpression::escape(
                QStringLiteral("%1 %2").arg(QString::fromStdString(row.child.first_name()),
                    QString::fromStdString(row.child.last_name()))) };
            for (const TrackingGrid::Cell &cell : row.cells) {
                parts.append(QRegularExpression::escape(TrackingReport::cellText(cell)));
                gapsSeen += cell.gap() ? 1 : 0;
            }
            const QRegularExpression line(QStringLiteral("^\\s*")
                    + parts.join(QStringLiteral("\\s+")) + QStringLiteral("\\s*$"),
                QRegularExpression::MultilineOption);
            QVERIFY2(line.match(text).hasMatch(),
                qPrintable(QStringLiteral("no line for %1: %2")
                               .arg(QString::fromStdString(row.child.ref()),
                                   parts.join(QLatin1Char(' ')))));
        }
        QCOMPARE(gapsSeen, grid.gapCount());
        QVERIFY(gapsSeen > 0 && gapsSeen < 210); // both kinds of cell are printed

        // The page budget: a class of 30 on at most two pages.
        const QString info = run(QStringLiteral("pdfinfo"), { path });
        const QRegularExpressionMatch pages = QRegularExpression(
            QStringLiteral("^Pages:\\s+(\\d+)"), QRegularExpression::MultilineOption)
                                                  .match(info);
        QVERIFY(pages.hasMatch());
        QVERIFY2(
            pages.captured(1).toInt() >= 1 && pages.captured(1).toInt() <= 2, qPrintable(info));
    }

    void childSummaryMatchesEachHalfTerm()
    {
        const TrackingGrid::Input in = generatedInput(5);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("child.pdf"));
        QVERIFY(TrackingReport::writeChildSummaryPdf(
            in, QStringLiteral("R3"), QStringLiteral("Test Primary"), path));
        const QString text = run(
            QStringLiteral("pdftotext"), { QStringLiteral("-layout"), path, QStringLiteral("-") });
        QVERIFY(text.contains(QStringLiteral("Child3 O'Neil & <b>: summary of learning")));
        QVERIFY(text.contains(QStringLiteral("Reception, Test Primary.")));
        QVERIFY(QRegularExpression(QStringLiteral("Area of learning\\s+Autumn 1\\s+Autumn 2"))
                    .match(text)
                    .hasMatch());
        // Each area's row: the child's cell of the Autumn 1 grid, then of the Autumn 2 grid.
        QList<TrackingGrid> grids;
        for (const char *term : { "2026-10-23", "2026-12-18" }) {
            TrackingGrid::Input t = in;
            t.halfTermLastDay = QString::fromLatin1(term);
            grids.append(TrackingGrid::build(t));
        }
        int evidenced = 0;
        for (qsizetype a = 0; a < grids[0].columns().size(); ++a) {
            QStringList parts { QRegularExpression::escape(
                grids[0].columns().at(a).title.section(QLatin1Char(' '), 0, 0)) };
            for (const TrackingGrid &g : grids) {
                for (const TrackingGrid::Row &r : g.rows()) {
                    if (r.child.ref() == "R3") {
                        parts.append(
                            QRegularExpression::escape(TrackingReport::cellText(r.cells.at(a))));
                        evidenced += r.cells.at(a).evidence();
                    }
                }
            }
            QCOMPARE(parts.size(), 3);
            const QRegularExpression line(QStringLiteral("^\\s*") + parts.first()
                    + QStringLiteral(".*\\s") + parts.mid(1).join(QStringLiteral("\\s+"))
                    + QStringLiteral("\\s*$"),
                QRegularExpression::MultilineOption);
            QVERIFY2(line.match(text).hasMatch(),
                qPrintable(parts.join(QLatin1Char(' ')) + QLatin1Char('\n') + text));
        }
        QVERIFY(evidenced > 0);
        // Through Autumn 1 only: one half-term column.
        TrackingGrid::Input early = in;
        early.halfTermLastDay = QStringLiteral("2026-10-23");
        QVERIFY(!TrackingReport::childSummaryHtml(early, QStringLiteral("R3"), {})
                     .contains(QStringLiteral("Autumn 2")));
    }

    void unwritablePathIsReported()
    {
        const TrackingGrid grid = generated(1);
        QTemporaryDir dir;
        const Status s
            = TrackingReport::writePdf(grid, {}, dir.filePath(QStringLiteral("no/such/dir/r.pdf")));
        QVERIFY(!s.ok());
        QVERIFY(s.error().contains(QStringLiteral("could not be written")));
    }
};

QTEST_MAIN(TestTrackingReport)
#include "tst_trackingreport.moc"
