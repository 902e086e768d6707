#include "trackingreport.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using acorn::client::TrackingGrid;
using acorn::client::TrackingReport;
using namespace acorn;

// The class tracking summary PDF: opened with pdftotext and compared, row by row, with the
// grid it was made from; a class of 30 fits the page budget.
class TestTrackingReport : public QObject
{
    Q_OBJECT

    const QTimeZone london { "Europe/London" };

    // A Reception class of 30 with random observations in Autumn 2 and some judgements.
    TrackingGrid generated(quint32 seed) const
    {
        QRandomGenerator rng(seed);
        TrackingGrid::Input in;
        in.className = QStringLiteral("Reception");
        in.halfTermLastDay = QStringLiteral("2026-12-18");
        in.zone = london;
        wire::HalfTermInfo h;
        h.set_name("Autumn 2");
        h.set_first_day("2026-11-02");
        h.set_last_day("2026-12-18");
        in.calendar = { h };
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
                    a.set_half_term("2026-12-18");
                    a.set_judgement(judgements[rng.bounded(3)]);
                    in.assessments.append(a);
                }
            }
        }
        const qint64 start = QDateTime(QDate(2026, 11, 2), QTime(9, 0), london).toMSecsSinceEpoch();
        for (int i = 0; i < 400; ++i) {
            wire::Observation o;
            o.set_id(QStringLiteral("o%1").arg(i).toStdString());
            o.set_observed_at_ms(start + static_cast<qint64>(rng.bounded(40)) * 24 * 3600 * 1000);
            o.set_state(wire::PUBLISHED);
            o.add_child_refs(in.roster.at(static_cast<int>(rng.bounded(30))).ref());
            o.add_eyfs_tags(areas[rng.bounded(7)]);
            in.observations.append(o);
        }
        return TrackingGrid::build(in);
    }

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
