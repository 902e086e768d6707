#include "trackingchartsview.h"
#include "trackingpage.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace acorn;
using acorn::client::TrackingGridModel;
using acorn::staff::TrackingPage;

// The staff app's tracking page on real widgets (offscreen): the class and half term
// choosers, the grid with its gaps, the evidence a cell lists (and opening one), and the
// CSV export.
class TestStaffTracking : public QObject
{
    Q_OBJECT

    const QTimeZone london { "Europe/London" };

    qint64 at(int y, int m, int d, int h) const
    {
        return QDateTime(QDate(y, m, d), QTime(h, 0), london).toMSecsSinceEpoch();
    }

    static wire::Child child(const char *ref, const char *first, const char *cls)
    {
        wire::Child c;
        c.set_ref(ref);
        c.set_first_name(first);
        c.set_last_name("Test");
        c.set_class_name(cls);
        return c;
    }

    wire::Observation observation(const char *id, qint64 when, const char *text,
        std::initializer_list<const char *> children, std::initializer_list<const char *> tags)
    {
        wire::Observation o;
        o.set_id(id);
        o.set_observed_at_ms(when);
        o.set_text(text);
        o.set_state(wire::PUBLISHED);
        for (const char *c : children)
            o.add_child_refs(c);
        for (const char *t : tags)
            o.add_eyfs_tags(t);
        return o;
    }

    TrackingPage::Data data()
    {
        TrackingPage::Data d;
        d.zone = london;
        d.nowMs = at(2026, 11, 10, 9); // Autumn 2
        for (const auto &[name, first, last] :
            { std::tuple { "Autumn 1", "2026-09-03", "2026-10-23" },
                std::tuple { "Autumn 2", "2026-11-02", "2026-12-18" } }) {
            wire::HalfTermInfo h;
            h.set_name(name);
            h.set_first_day(first);
            h.set_last_day(last);
            d.calendar.append(h);
        }
        d.roster = { child("C1", "Ava", "Reception"), child("C2", "Ben", "Reception"),
            child("C3", "Cal", "Nursery") };
        d.observations = {
            observation("o1", at(2026, 11, 3, 10), "Ava counted to twenty\nand back", { "C1" },
                { "M", "CL-ELG-02" }),
            observation("o2", at(2026, 11, 4, 10), "Ava and Ben shared the blocks", { "C1", "C2" },
                { "PSED-ELG-03", "m" }),
            observation("o3", at(2026, 10, 5, 10), "Autumn 1 only", { "C1" }, { "L" }),
            observation("o4", at(2026, 11, 5, 10), "Cal painted", { "C3" }, { "EAD" }),
        };
        wire::Assessment a;
        a.set_child_ref("C1");
        a.set_item_key("M-DM-R");
        a.set_half_term("2026-12-18");
        a.set_judgement("secure");
        a.set_revision(3);
        d.assessments = { a };
        return d;
    }

    static int column(const TrackingPage &page, const QString &key)
    {
        for (int c = 0; c < page.model()->columnCount(); ++c) {
            if (page.model()->index(0, c).data(TrackingGridModel::ColumnKeyRole).toString() == key)
                return c;
        }
        return -1;
    }

private slots:
    void showsTheGridAndItsEvidence()
    {
        TrackingPage page;
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy opened(&page, &TrackingPage::observationActivated);
        page.showData(data());

        QCOMPARE(page.classChooser()->count(), 2);
        QCOMPARE(page.classChooser()->currentText(), QStringLiteral("Nursery"));
        QCOMPARE(page.halfTermChooser()->currentText(), QStringLiteral("Autumn 2")); // today's
        page.classChooser()->setCurrentText(QStringLiteral("Reception"));
        QCOMPARE(page.model()->rowCount(), 2);
        QCOMPARE(page.model()->columnCount(), 7);
        const int maths = column(page, QStringLiteral("M"));
        const int psed = column(page, QStringLiteral("PSED"));
        QVERIFY(maths >= 0 && psed >= 0);
        // Ava (row 0): two maths observations this half term and a judgement; Ben one.
        QCOMPARE(page.model()->index(0, maths).data().toString(), QStringLiteral("Secure (2)"));
        QCOMPARE(page.model()->index(1, maths).data().toString(), QStringLiteral("1"));
        QCOMPARE(page.model()->index(1, column(page, QStringLiteral("L"))).data().toString(),
            QStringLiteral("No evidence"));
        QCOMPARE(page.model()->grid().gapCount(), 2 * 7 - 5);
        QVERIFY(page.findChild<QLabel *>(QStringLiteral("trackingSummary"))
                    ->text()
                    .startsWith(QStringLiteral("9 of 14 cells")));

        // Clicking a cell lists its evidence, oldest first; activating one opens it.
        const QRect cell = page.table()->visualRect(page.model()->index(0, maths));
        QTest::mouseClick(page.table()->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(page.evidenceList()->count(), 2);
        QVERIFY(
            page.evidenceList()->item(0)->text().endsWith(QStringLiteral("Ava counted to twenty")));
        QVERIFY(page.evidenceList()->item(1)->text().endsWith(
            QStringLiteral("Ava and Ben shared the blocks")));
        emit page.evidenceList()->itemActivated(page.evidenceList()->item(1));
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.at(0).at(0).toString(), QStringLiteral("o2"));

        // The cell's scale is offered, the current judgement chosen; Record asks the window
        // to queue the new one on the revision shown.
        QSignalSpy recorded(&page, &TrackingPage::judgementRecorded);
        QCOMPARE(page.judgementChooser()->count(), 3);
        QCOMPARE(page.judgementChooser()->currentText(), QStringLiteral("Secure"));
        QVERIFY(page.recordButton()->isEnabled());
        page.judgementChooser()->setCurrentText(QStringLiteral("On track"));
        QTest::mouseClick(page.recordButton(), Qt::LeftButton);
        QCOMPARE(recorded.size(), 1);
        QCOMPARE(recorded.at(0).at(0).toString(), QStringLiteral("C1"));
        QCOMPARE(recorded.at(0).at(1).toString(), QStringLiteral("M-DM-R"));
        QCOMPARE(recorded.at(0).at(2).toString(), QStringLiteral("2026-12-18"));
        QCOMPARE(recorded.at(0).at(3).toString(), QStringLiteral("on-track"));
        QCOMPARE(recorded.at(0).at(4).toULongLong(), 3u);

        // Autumn 1: only the literacy observation.
        page.halfTermChooser()->setCurrentText(QStringLiteral("Autumn 1"));
        QCOMPARE(page.model()->index(0, column(page, QStringLiteral("L"))).data().toString(),
            QStringLiteral("1"));
        QCOMPARE(page.model()->grid().gapCount(), 2 * 7 - 1);
        QCOMPARE(page.evidenceList()->count(), 0);

        // Early Learning Goals.
        page.halfTermChooser()->setCurrentText(QStringLiteral("Autumn 2"));
        page.columnsChooser()->setCurrentIndex(1);
        QCOMPARE(page.model()->columnCount(), 17);
        QCOMPARE(
            page.model()->index(0, column(page, QStringLiteral("CL-ELG-02"))).data().toString(),
            QStringLiteral("1"));

        // New data keeps the choices.
        page.showData(data());
        QCOMPARE(page.classChooser()->currentText(), QStringLiteral("Reception"));
        QCOMPARE(page.halfTermChooser()->currentText(), QStringLiteral("Autumn 2"));
    }

    void drawsTheCharts()
    {
        TrackingPage page;
        page.resize(1000, 700);
        page.showData(data());
        page.classChooser()->setCurrentText(QStringLiteral("Reception"));
        // Judgements per area: the chart's bars are the core's figures.
        const client::TrackingCharts::Distribution d
            = client::TrackingCharts::distribution(page.model()->grid());
        QChart *dist = page.charts()->distributionChart();
        QCOMPARE(dist->series().size(), 1);
        auto *stacked = qobject_cast<QStackedBarSeries *>(dist->series().constFirst());
        QVERIFY(stacked);
        QCOMPARE(stacked->count(), 4); // not yet, on track, secure, no judgement
        for (int j = 0; j < stacked->count(); ++j) {
            QCOMPARE(stacked->barSets().at(j)->label(), d.judgementTitles.at(j));
            for (int a = 0; a < 7; ++a)
                QCOMPARE(int(stacked->barSets().at(j)->at(a)), d.counts.at(j).at(a));
        }
        // Maths (column 4): Ava secure, Ben none.
        QCOMPARE(int(stacked->barSets().at(2)->at(4)), 1);
        QCOMPARE(int(stacked->barSets().at(3)->at(4)), 1);
        // Observations per child: Ava 2, Ben 1.
        auto *bars
            = qobject_cast<QBarSeries *>(page.charts()->countsChart()->series().constFirst());
        QVERIFY(bars);
        QCOMPARE(int(bars->barSets().constFirst()->at(0)), 2);
        QCOMPARE(int(bars->barSets().constFirst()->at(1)), 1);
        // Progress: none until a child is selected, then a line per area over the half terms.
        QCOMPARE(page.charts()->progressChart()->series().size(), 0);
        page.table()->setCurrentIndex(page.model()->index(0, 4));
        QChart *progress = page.charts()->progressChart();
        QCOMPARE(progress->series().size(), 7);
        auto *maths = qobject_cast<QLineSeries *>(progress->series().at(4));
        QVERIFY(maths);
        QCOMPARE(maths->count(), 2); // Autumn 1, Autumn 2
        QCOMPARE(maths->at(0).y(), 0.0);
        QCOMPARE(maths->at(1).y(), 3.0); // secure: the third of three
        QVERIFY(progress->title().startsWith(QStringLiteral("Ava Test")));
    }

    void exportsCsv()
    {
        TrackingPage page;
        page.showData(data());
        page.classChooser()->setCurrentText(QStringLiteral("Reception"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tracking.csv"));
        QVERIFY(page.exportCsv(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray csv = f.readAll();
        QCOMPARE(csv, page.model()->grid().toCsv());
        QVERIFY(csv.contains("C1,Ava,Test,,1,,1,,0,,0,secure,2,,0,,0\r\n"));
        QVERIFY(!page.exportCsv(dir.filePath(QStringLiteral("missing/dir/tracking.csv"))));
    }

    void printsTheSummary()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed: the PDF text cannot be checked");
        TrackingPage page;
        TrackingPage::Data d = data();
        d.schoolName = QStringLiteral("Test Primary");
        page.showData(d);
        page.classChooser()->setCurrentText(QStringLiteral("Reception"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tracking.pdf"));
        QVERIFY(page.exportPdf(path));
        QProcess p;
        p.start(
            QStringLiteral("pdftotext"), { QStringLiteral("-layout"), path, QStringLiteral("-") });
        QVERIFY(p.waitForFinished(60000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(text.contains(QStringLiteral("Reception: Autumn 2 tracking summary")),
            qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Test Primary")));
        // The selected child's summary of learning.
        QVERIFY(!page.exportChildSummary(dir.filePath(QStringLiteral("none.pdf"))));
        page.table()->setCurrentIndex(page.model()->index(0, 0));
        const QString child = dir.filePath(QStringLiteral("child.pdf"));
        QVERIFY(page.exportChildSummary(child));
        QProcess c;
        c.start(
            QStringLiteral("pdftotext"), { QStringLiteral("-layout"), child, QStringLiteral("-") });
        QVERIFY(c.waitForFinished(60000));
        const QString childText = QString::fromUtf8(c.readAllStandardOutput());
        QVERIFY2(childText.contains(QStringLiteral("Ava Test: summary of learning")),
            qPrintable(childText));
        QVERIFY(QRegularExpression(QStringLiteral("Literacy\\s+1\\s+no evidence"))
                    .match(childText)
                    .hasMatch());
        QVERIFY(QRegularExpression(QStringLiteral("Mathematics\\s+no evidence\\s+Secure 2"))
                    .match(childText)
                    .hasMatch());

        QVERIFY(QRegularExpression(
            QStringLiteral("Ava Test\\s+1\\s+1\\s+no evidence\\s+no evidence\\s+Secure 2"))
                    .match(text)
                    .hasMatch());
    }

    // The selected cell's assessment history: every revision, the conflict the server kept
    // (not applied), and this device's own judgement that met a conflict, with what to do.
    void showsTheHistoryAndConflictsOfAJudgement()
    {
        TrackingPage page;
        TrackingPage::Data d = data();
        wire::Assessment &a = d.assessments[0]; // Ava, M-DM-R, Autumn 2, secure, revision 3
        const auto revision
            = [&](quint64 rev, const char *judgement, const char *by, int day, bool conflict) {
                  wire::AssessmentRevision *h = a.add_history();
                  h->set_revision(rev);
                  h->set_judgement(judgement);
                  h->set_by_name(by);
                  h->set_at_ms(at(2026, 11, day, 10));
                  h->set_conflict(conflict);
              };
        revision(1, "not-yet", "Rob Reception", 6, false);
        revision(1, "on-track", "Nina Nursery", 7, true); // based on revision 1, lost
        revision(2, "on-track", "Rob Reception", 9, false);
        revision(3, "secure", "Lee Lead", 12, false);
        client::AssessmentEdit mine;
        mine.assessment = a;
        mine.assessment.clear_history();
        mine.assessment.set_judgement("on-track");
        mine.baseRevision = 2;
        mine.state = QStringLiteral("conflict");
        mine.reason = QStringLiteral("changed by Lee Lead since you last synced");
        d.unsentAssessments = { mine };
        d.assessmentHistory = { a };
        page.showData(d);
        page.classChooser()->setCurrentText(QStringLiteral("Reception"));
        QVERIFY(page.historyList()->count() == 0);
        const int maths = column(page, QStringLiteral("M"));
        page.table()->setCurrentIndex(page.model()->index(0, maths)); // Ava, Mathematics
        QStringList lines;
        for (int i = 0; i < page.historyList()->count(); ++i)
            lines << page.historyList()->item(i)->text();
        const QLocale locale;
        const auto when = [&](int day) {
            return locale.toString(QDateTime::fromMSecsSinceEpoch(at(2026, 11, day, 10), london),
                QLocale::ShortFormat);
        };
        QCOMPARE(lines,
            (QStringList {
                QStringLiteral("Revision 1: Not yet, by Rob Reception, %1").arg(when(6)),
                QStringLiteral("Not applied (conflict with revision 1): On track, by Nina "
                               "Nursery, %1")
                    .arg(when(7)),
                QStringLiteral("Revision 2: On track, by Rob Reception, %1").arg(when(9)),
                QStringLiteral("Revision 3: Secure, by Lee Lead, %1").arg(when(12)),
                QStringLiteral("On this device, in conflict with revision 3: On track (changed "
                               "by Lee Lead since you last synced). Record a judgement again "
                               "to settle it."),
            }));
        // Ben's cell has no judgement: nothing to list.
        page.table()->setCurrentIndex(page.model()->index(1, maths));
        QCOMPARE(page.historyList()->count(), 0);
    }

    // The selected child's journal book: her observations in the chosen dates, oldest first,
    // with the thumbnail the device has; nobody else's.
    void printsTheChildsJournal()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed: the PDF text cannot be checked");
        QTemporaryDir dir;
        QImage thumb(320, 240, QImage::Format_RGB32);
        thumb.fill(Qt::darkGreen);
        const QString thumbPath = dir.filePath(QStringLiteral("p1.jpg"));
        QVERIFY(thumb.save(thumbPath));
        TrackingPage page;
        TrackingPage::Data d = data();
        wire::Media *m = d.observations[0].add_media();
        m->set_id("p1");
        m->set_kind(wire::PHOTO);
        d.roster[0].set_consent_journal_media(true);
        d.thumbnailPath = [thumbPath](const wire::Media &media) {
            return media.id() == "p1" ? thumbPath : QString();
        };
        page.showData(d);
        page.classChooser()->setCurrentText(QStringLiteral("Reception"));
        const QString path = dir.filePath(QStringLiteral("journal.pdf"));
        QVERIFY(!page.journalButton()->isEnabled());
        QVERIFY(!page.exportChildJournal(path, QDate(2026, 9, 1), QDate(2026, 12, 31)));
        page.table()->setCurrentIndex(page.model()->index(0, 0)); // Ava
        QVERIFY(page.journalButton()->isEnabled());
        QVERIFY(page.exportChildJournal(path, QDate(2026, 9, 1), QDate(2026, 12, 31)));
        QProcess p;
        p.start(QStringLiteral("pdftotext"), { path, QStringLiteral("-") });
        QVERIFY(p.waitForFinished(60000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput()).simplified();
        QVERIFY2(text.contains(QStringLiteral("Ava Test's learning journal")), qPrintable(text));
        const qsizetype autumn1 = text.indexOf(QStringLiteral("Autumn 1 only"));
        const qsizetype counted = text.indexOf(QStringLiteral("Ava counted to twenty and back"));
        const qsizetype shared = text.indexOf(QStringLiteral("Ava and Ben shared the blocks"));
        QVERIFY2(autumn1 >= 0 && counted > autumn1 && shared > counted, qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("Cal painted")));
        QProcess images;
        images.start(QStringLiteral("pdfimages"), { QStringLiteral("-list"), path });
        QVERIFY(images.waitForFinished(60000));
        QCOMPARE(QString::fromUtf8(images.readAllStandardOutput())
                     .split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                     .size(),
            3); // two header lines and the one thumbnail
        // A narrower range leaves out what is outside it.
        QVERIFY(page.exportChildJournal(path, QDate(2026, 11, 1), QDate(2026, 11, 3)));
        QProcess q;
        q.start(QStringLiteral("pdftotext"), { path, QStringLiteral("-") });
        QVERIFY(q.waitForFinished(60000));
        const QString november = QString::fromUtf8(q.readAllStandardOutput()).simplified();
        QVERIFY(november.contains(QStringLiteral("Ava counted to twenty")));
        QVERIFY(!november.contains(QStringLiteral("Autumn 1 only")));
        QVERIFY(!november.contains(QStringLiteral("shared the blocks")));
    }
};

QTEST_MAIN(TestStaffTracking)
#include "tst_staff_tracking.moc"
