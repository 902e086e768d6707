#include "releasegate.h"

#include <QTest>
#include <QTimeZone>

using acorn::server::HalfTerm;
using acorn::server::ReleaseGate;

// The calendar rule: release moments, holidays belonging to the next half term, the end of
// the calendar, early release, and British Summer Time.
class TestReleaseGate : public QObject
{
    Q_OBJECT

    const QTimeZone london{"Europe/London"};

    qint64 at(int y, int m, int d, int h, int min = 0) const
    {
        return QDateTime(QDate(y, m, d), QTime(h, min), london).toMSecsSinceEpoch();
    }

    ReleaseGate gate() const
    {
        // Out of order on purpose: the gate sorts.
        return ReleaseGate({{QStringLiteral("Autumn 2"), QDate(2026, 11, 2), QDate(2026, 12, 18)},
                            {QStringLiteral("Autumn 1"), QDate(2026, 9, 3), QDate(2026, 10, 23)}},
                           london, QTime(16, 0));
    }

private slots:
    void releaseMomentIsLastDayAtReleaseTimeInSchoolZone()
    {
        const ReleaseGate g = gate();
        // 23 October 2026 is still British Summer Time: 16:00 BST is 15:00 UTC.
        QCOMPARE(g.releaseMomentMs(g.halfTerms().at(0)),
                 QDateTime(QDate(2026, 10, 23), QTime(15, 0), QTimeZone::utc()).toMSecsSinceEpoch());
        // 18 December is GMT.
        QCOMPARE(g.releaseMomentMs(g.halfTerms().at(1)),
                 QDateTime(QDate(2026, 12, 18), QTime(16, 0), QTimeZone::utc()).toMSecsSinceEpoch());
    }

    void nothingBeforeTheFirstRelease()
    {
        const ReleaseGate g = gate();
        QCOMPARE(g.calendarCutoff(at(2026, 10, 23, 15, 59)), ReleaseGate::kNothing);
        QCOMPARE(g.classCutoff(false, ReleaseGate::kNothing, at(2026, 10, 1, 9)), ReleaseGate::kNothing);
    }

    void releaseCoversTheWholeHalfTermIncludingItsLastDay()
    {
        const ReleaseGate g = gate();
        const qint64 cutoff = g.calendarCutoff(at(2026, 10, 23, 16, 0));
        QVERIFY(at(2026, 10, 23, 15, 0) < cutoff);
        QVERIFY(at(2026, 10, 23, 17, 30) < cutoff); // after the release moment, same half term
        QVERIFY(at(2026, 10, 24, 0, 0) >= cutoff);   // first day of the holiday
    }

    // An assessment of a half term counts as made at the start of its last day: released by
    // that half term's release moment or an early release made that day, not before.
    void assessmentsAreReleasedWithTheirHalfTerm()
    {
        const ReleaseGate g = gate();
        const qint64 autumn1 = g.assessmentMomentMs(QDate(2026, 10, 23));
        QCOMPARE(autumn1, at(2026, 10, 23, 0, 0));
        QVERIFY(!(autumn1 < g.calendarCutoff(at(2026, 10, 23, 15, 59))));
        QVERIFY(autumn1 < g.calendarCutoff(at(2026, 10, 23, 16, 0)));
        QVERIFY(!(autumn1 < g.classCutoff(false, at(2026, 10, 22, 15, 0), at(2026, 10, 22, 15, 0))));
        QVERIFY(autumn1 < g.classCutoff(false, at(2026, 10, 23, 12, 0), at(2026, 10, 23, 12, 0)));
        QVERIFY(autumn1 < g.classCutoff(true, ReleaseGate::kNothing, at(2026, 9, 10, 9)));
        // Not a half term of the calendar: never released, not even in a live class.
        QCOMPARE(g.assessmentMomentMs(QDate(2026, 10, 22)), ReleaseGate::kEverything);
        QCOMPARE(g.assessmentMomentMs(QDate()), ReleaseGate::kEverything);
        QVERIFY(!(g.assessmentMomentMs(QDate(2026, 10, 22)) < g.classCutoff(true, 0, 0)));
        QCOMPARE(g.halfTermIndexByLastDay(QDate(2026, 12, 18)), 1);
        QCOMPARE(g.halfTermIndexByLastDay(QDate(2026, 12, 17)), -1);
    }

    void holidayBelongsToTheNextHalfTerm()
    {
        const ReleaseGate g = gate();
        QCOMPARE(g.halfTermIndexFor(at(2026, 10, 28, 10)), 1);
        QCOMPARE(g.halfTermIndexFor(at(2026, 10, 23, 23, 59)), 0);
        // Released with Autumn 2, not Autumn 1.
        QVERIFY(at(2026, 10, 28, 10) >= g.calendarCutoff(at(2026, 12, 1, 9)));
        QVERIFY(at(2026, 10, 28, 10) < g.calendarCutoff(at(2026, 12, 18, 16)));
    }

    void afterTheCalendarNothingIsReleased()
    {
        const ReleaseGate g = gate();
        QCOMPARE(g.halfTermIndexFor(at(2027, 1, 6, 9)), -1);
        QVERIFY(at(2027, 1, 6, 9) >= g.calendarCutoff(at(2030, 1, 1, 0)));
        QCOMPARE(g.nextReleaseIndex(at(2027, 1, 6, 9)), -1);
    }

    void liveClassesReleaseEverything()
    {
        QCOMPARE(gate().classCutoff(true, ReleaseGate::kNothing, at(2026, 9, 1, 0)), ReleaseGate::kEverything);
    }

    void earlyReleaseMovesTheCutoffForward()
    {
        const ReleaseGate g = gate();
        const qint64 early = g.endOfDayMs(QDate(2026, 10, 9));
        const qint64 now = at(2026, 10, 12, 9);
        QCOMPARE(g.classCutoff(false, early, now), early);
        QVERIFY(at(2026, 10, 9, 15) < g.classCutoff(false, early, now));
        QVERIFY(at(2026, 10, 10, 0, 1) >= g.classCutoff(false, early, now));
        // A later calendar release wins over an older early release.
        QCOMPARE(g.classCutoff(false, early, at(2026, 10, 24, 9)), g.calendarCutoff(at(2026, 10, 24, 9)));
    }

    void nextRelease()
    {
        const ReleaseGate g = gate();
        QCOMPARE(g.nextReleaseIndex(at(2026, 9, 10, 9)), 0);
        QCOMPARE(g.nextReleaseIndex(at(2026, 10, 23, 16, 0)), 1);
    }

    void emptyCalendar()
    {
        const ReleaseGate g({}, london, QTime(16, 0));
        QCOMPARE(g.calendarCutoff(at(2026, 10, 1, 0)), ReleaseGate::kNothing);
        QCOMPARE(g.halfTermIndexFor(at(2026, 10, 1, 0)), -1);
    }
};

QTEST_GUILESS_MAIN(TestReleaseGate)
#include "tst_releasegate.moc"
