#include "trackingcharts.h"
#include "trackinggrid.h"

#include <QRandomGenerator>
#include <QTest>

using acorn::client::TrackingCharts;
using acorn::client::TrackingGrid;
using acorn::client::TrackingGridModel;
using namespace acorn;

// The tracking grid against counts computed independently, here, for a generated school: a
// year's calendar with holidays, three classes, drafts, deletions, tags of every kind
// (areas, ELGs, Development Matters items, characteristics, unknown and odd-case tags) and
// judgements. The test's own rules are written from the issue, not from the grid's code.
class TestTrackingGrid : public QObject
{
    Q_OBJECT

    const QTimeZone london { "Europe/London" };

    struct Term
    {
        QString name;
        QDate first;
        QDate last;
    };
    const QList<Term> m_terms {
        { QStringLiteral("Autumn 1"), QDate(2026, 9, 3), QDate(2026, 10, 23) },
        { QStringLiteral("Autumn 2"), QDate(2026, 11, 2), QDate(2026, 12, 18) },
        { QStringLiteral("Spring 1"), QDate(2027, 1, 5), QDate(2027, 2, 12) },
    };
    const QStringList m_classes { QStringLiteral("Nursery"), QStringLiteral("Kindergarten"),
        QStringLiteral("Reception") };
    // Every tag the generator uses, with the area column it must count under ("" for none)
    // and the ELG column it must count under ("" for none).
    struct TagCase
    {
        const char *tag;
        const char *area;
        const char *elg;
    };
    const QList<TagCase> m_tags {
        { "CL", "CL", "" },
        { "PSED", "PSED", "" },
        { "PD", "PD", "" },
        { "L", "L", "" },
        { "m", "M", "" },
        { "UW", "UW", "" },
        { "EAD", "EAD", "" },
        { "CL-ELG-01", "CL", "CL-ELG-01" },
        { "cl-elg-02", "CL", "CL-ELG-02" },
        { "PSED-ELG-03", "PSED", "PSED-ELG-03" },
        { "L-ELG-02", "L", "L-ELG-02" },
        { "M-ELG-01", "M", "M-ELG-01" },
        { "UW-ELG-03", "UW", "UW-ELG-03" },
        { "EAD-ELG-02", "EAD", "EAD-ELG-02" },
        { "PD-DM-R", "PD", "" },
        { "M-DM-34", "M", "" },
        { "EAD-junk-modelling", "EAD", "" },
        { "COEL-PE", "", "" },
        { "COEL-CTC-3", "", "" },
        { "MATHS", "", "" },
        { "forest school", "", "" },
    };
    const QStringList m_areas { QStringLiteral("PSED"), QStringLiteral("CL"), QStringLiteral("PD"),
        QStringLiteral("L"), QStringLiteral("M"), QStringLiteral("UW"), QStringLiteral("EAD") };

    QList<wire::HalfTermInfo> calendar() const
    {
        QList<wire::HalfTermInfo> out;
        for (const Term &t : m_terms) {
            wire::HalfTermInfo h;
            h.set_name(t.name.toStdString());
            h.set_first_day(t.first.toString(Qt::ISODate).toStdString());
            h.set_last_day(t.last.toString(Qt::ISODate).toStdString());
            out.append(h);
        }
        std::reverse(out.begin(), out.end()); // the grid must not rely on the order
        return out;
    }

    // Which term an observation counts in, by the school's date: the days after the previous
    // term's last day through this term's last day (holidays count with the next term); the
    // first term from its first day.
    int termOf(qint64 ms) const
    {
        const QDate d = QDateTime::fromMSecsSinceEpoch(ms, london).date();
        for (int i = 0; i < m_terms.size(); ++i) {
            const QDate from = i == 0 ? m_terms[i].first : m_terms[i - 1].last.addDays(1);
            if (d >= from && d <= m_terms[i].last)
                return i;
        }
        return -1;
    }

    struct School
    {
        QList<wire::Child> roster;
        QList<wire::Observation> observations;
        QList<wire::Assessment> assessments;
    };

    School generate(quint32 seed) const
    {
        QRandomGenerator rng(seed);
        School s;
        for (int i = 0; i < 36; ++i) {
            wire::Child c;
            c.set_ref(QStringLiteral("C%1").arg(i, 3, 10, QLatin1Char('0')).toStdString());
            c.set_first_name(
                i == 5 ? "Zoë, \"Zo\"" : QStringLiteral("First%1").arg(i).toStdString());
            c.set_last_name(QStringLiteral("Last%1").arg(rng.bounded(20)).toStdString());
            c.set_class_name(m_classes.at(i % 3).toStdString());
            s.roster.append(c);
        }
        const qint64 start = QDateTime(QDate(2026, 8, 25), QTime(0, 0), london).toMSecsSinceEpoch();
        const qint64 end = QDateTime(QDate(2027, 2, 20), QTime(0, 0), london).toMSecsSinceEpoch();
        for (int i = 0; i < 1500; ++i) {
            wire::Observation o;
            o.set_id(QStringLiteral("obs-%1").arg(i).toStdString());
            o.set_observed_at_ms(
                start + static_cast<qint64>(rng.bounded(static_cast<double>(end - start))));
            const int children = 1 + static_cast<int>(rng.bounded(3));
            for (int k = 0; k < children; ++k) {
                const std::string ref = s.roster.at(static_cast<int>(rng.bounded(36))).ref();
                if (std::find(o.child_refs().begin(), o.child_refs().end(), ref)
                    == o.child_refs().end())
                    o.add_child_refs(ref);
            }
            const int tags = static_cast<int>(rng.bounded(4));
            for (int k = 0; k < tags; ++k)
                o.add_eyfs_tags(m_tags.at(static_cast<int>(rng.bounded(m_tags.size()))).tag);
            o.set_state(rng.bounded(10) == 0 ? wire::DRAFT : wire::PUBLISHED);
            o.set_deleted(rng.bounded(15) == 0);
            s.observations.append(o);
        }
        const QStringList judgementsDm { QStringLiteral("not-yet"), QStringLiteral("on-track"),
            QStringLiteral("secure") };
        for (int i = 0; i < 300; ++i) {
            wire::Assessment a;
            a.set_child_ref(s.roster.at(static_cast<int>(rng.bounded(36))).ref());
            const QString area = m_areas.at(static_cast<int>(rng.bounded(m_areas.size())));
            const bool elg = rng.bounded(2) == 0;
            const QString band = rng.bounded(2) == 0 ? QStringLiteral("R") : QStringLiteral("34");
            a.set_item_key(
                (elg ? area + QStringLiteral("-ELG-01") : area + QStringLiteral("-DM-") + band)
                    .toStdString());
            a.set_half_term(m_terms.at(static_cast<int>(rng.bounded(m_terms.size())))
                                .last.toString(Qt::ISODate)
                                .toStdString());
            a.set_judgement(elg ? (rng.bounded(2) ? "expected" : "emerging")
                                : judgementsDm.at(static_cast<int>(rng.bounded(3))).toStdString());
            // One judgement per key, as the server keeps it: the last generated wins.
            for (qsizetype k = 0; k < s.assessments.size(); ++k) {
                const auto &b = s.assessments.at(k);
                if (b.child_ref() == a.child_ref() && b.item_key() == a.item_key()
                    && b.half_term() == a.half_term()) {
                    s.assessments.removeAt(k);
                    break;
                }
            }
            s.assessments.append(a);
        }
        return s;
    }

    // Independently: the observations evidencing (child, column) in term `t`.
    QStringList expectedEvidence(const School &s, const std::string &ref, const QString &column,
        bool elgColumns, int t) const
    {
        QStringList ids;
        QList<wire::Observation> sorted = s.observations;
        std::stable_sort(sorted.begin(), sorted.end(),
            [](const auto &a, const auto &b) { return a.observed_at_ms() < b.observed_at_ms(); });
        for (const wire::Observation &o : sorted) {
            if (o.state() != wire::PUBLISHED || o.deleted() || termOf(o.observed_at_ms()) != t)
                continue;
            if (std::find(o.child_refs().begin(), o.child_refs().end(), ref)
                == o.child_refs().end())
                continue;
            bool counts = false;
            for (const std::string &tag : o.eyfs_tags()) {
                for (const TagCase &c : m_tags) {
                    if (tag == c.tag && QLatin1String(elgColumns ? c.elg : c.area) == column)
                        counts = true;
                }
            }
            if (counts)
                ids.append(QString::fromStdString(o.id()));
        }
        return ids;
    }

    QString expectedJudgement(
        const School &s, const std::string &ref, const QString &item, int t) const
    {
        for (const wire::Assessment &a : s.assessments) {
            if (a.child_ref() == ref && QString::fromStdString(a.item_key()) == item
                && QString::fromStdString(a.half_term()) == m_terms[t].last.toString(Qt::ISODate))
                return QString::fromStdString(a.judgement());
        }
        return {};
    }

    TrackingGrid grid(
        const School &s, const QString &cls, int t, TrackingGrid::Columns columns) const
    {
        TrackingGrid::Input in;
        in.className = cls;
        in.halfTermLastDay = m_terms[t].last.toString(Qt::ISODate);
        in.calendar = calendar();
        in.zone = london;
        in.roster = s.roster;
        in.observations = s.observations;
        in.assessments = s.assessments;
        in.columns = columns;
        return TrackingGrid::build(in);
    }

private slots:
    void matchesIndependentCounts_data()
    {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed : { 1u, 7u, 2026u })
            QTest::addRow("seed %u", seed) << seed;
    }

    void matchesIndependentCounts()
    {
        QFETCH(quint32, seed);
        const School s = generate(seed);
        int checked = 0;
        int evidenced = 0;
        for (const QString &cls : m_classes) {
            const QString band
                = cls == QLatin1String("Reception") ? QStringLiteral("R") : QStringLiteral("34");
            for (int t = 0; t < m_terms.size(); ++t) {
                for (bool elg : { false, true }) {
                    const TrackingGrid g = grid(s, cls, t,
                        elg ? TrackingGrid::Columns::EarlyLearningGoals
                            : TrackingGrid::Columns::Areas);
                    QCOMPARE(g.columns().size(), qsizetype(elg ? 17 : 7));
                    int classSize = 0;
                    for (const wire::Child &c : s.roster)
                        classSize += QString::fromStdString(c.class_name()) == cls ? 1 : 0;
                    QCOMPARE(g.rows().size(), qsizetype(classSize));
                    int gaps = 0;
                    for (const TrackingGrid::Row &row : g.rows()) {
                        QCOMPARE(QString::fromStdString(row.child.class_name()), cls);
                        for (qsizetype c = 0; c < g.columns().size(); ++c) {
                            const QString column = g.columns().at(c).key;
                            const QStringList expected
                                = expectedEvidence(s, row.child.ref(), column, elg, t);
                            QCOMPARE(row.cells.at(c).observationIds, expected);
                            const QString item
                                = elg ? column : column + QStringLiteral("-DM-") + band;
                            QCOMPARE(row.cells.at(c).judgement,
                                expectedJudgement(s, row.child.ref(), item, t));
                            gaps += expected.isEmpty() ? 1 : 0;
                            evidenced += expected.isEmpty() ? 0 : 1;
                            ++checked;
                        }
                    }
                    QCOMPARE(g.gapCount(), gaps);
                }
            }
        }
        // The generated school exercises both: cells with evidence and gaps.
        QVERIFY(evidenced > 100);
        QVERIFY(checked - evidenced > 100);
    }

    // The chart figures, against the generated data directly.
    void chartFiguresMatchIndependentCounts()
    {
        const School s = generate(2026);
        const QStringList dmScale { QStringLiteral("not-yet"), QStringLiteral("on-track"),
            QStringLiteral("secure") };
        for (const QString &cls : m_classes) {
            const QString band
                = cls == QLatin1String("Reception") ? QStringLiteral("R") : QStringLiteral("34");
            QList<TrackingGrid> grids;
            for (int t = 0; t < m_terms.size(); ++t) {
                const TrackingGrid g = grid(s, cls, t, TrackingGrid::Columns::Areas);
                grids.append(g);
                // Distribution: children per judgement per area.
                const TrackingCharts::Distribution d = TrackingCharts::distribution(g);
                QCOMPARE(d.judgementTitles,
                    QStringList({ QStringLiteral("Not yet"), QStringLiteral("On track"),
                        QStringLiteral("Secure"), QStringLiteral("No judgement") }));
                QList<QList<int>> expected(4, QList<int>(m_areas.size(), 0));
                QList<int> counts;
                for (const wire::Child &c : s.roster) {
                    if (QString::fromStdString(c.class_name()) != cls)
                        continue;
                    for (qsizetype a = 0; a < m_areas.size(); ++a) {
                        const QString j = expectedJudgement(
                            s, c.ref(), m_areas[a] + QStringLiteral("-DM-") + band, t);
                        const qsizetype level = dmScale.indexOf(j);
                        ++expected[level < 0 ? 3 : level][a];
                    }
                }
                QCOMPARE(d.counts, expected);
                // Observations per child: different observations with any area tag.
                const TrackingCharts::ObservationCounts o = TrackingCharts::observationCounts(g);
                QCOMPARE(o.counts.size(), g.rows().size());
                for (qsizetype r = 0; r < g.rows().size(); ++r) {
                    const std::string ref = g.rows().at(r).child.ref();
                    int n = 0;
                    for (const wire::Observation &ob : s.observations) {
                        if (ob.state() != wire::PUBLISHED || ob.deleted()
                            || termOf(ob.observed_at_ms()) != t
                            || std::find(ob.child_refs().begin(), ob.child_refs().end(), ref)
                                == ob.child_refs().end())
                            continue;
                        bool anyArea = false;
                        for (const std::string &tag : ob.eyfs_tags()) {
                            for (const TagCase &tc : m_tags)
                                anyArea = anyArea || (tag == tc.tag && *tc.area != '\0');
                        }
                        n += anyArea ? 1 : 0;
                    }
                    QCOMPARE(o.counts.at(r), n);
                }
            }
            // Progress of the class's first child across the three half terms.
            const TrackingGrid::Row &first = grids.constFirst().rows().constFirst();
            const TrackingCharts::Progress p = TrackingCharts::progress(grids,
                { QStringLiteral("Autumn 1"), QStringLiteral("Autumn 2"),
                    QStringLiteral("Spring 1") },
                QString::fromStdString(first.child.ref()));
            QCOMPARE(p.scaleSize, 3);
            QCOMPARE(p.levels.size(), m_areas.size());
            for (qsizetype a = 0; a < m_areas.size(); ++a) {
                for (int t = 0; t < m_terms.size(); ++t) {
                    const QString j = expectedJudgement(
                        s, first.child.ref(), m_areas[a] + QStringLiteral("-DM-") + band, t);
                    QCOMPARE(p.levels.at(a).at(t), static_cast<int>(dmScale.indexOf(j)) + 1);
                }
            }
        }
    }

    void csvForTheMis()
    {
        const School s = generate(7);
        const TrackingGrid g
            = grid(s, QStringLiteral("Reception"), 1, TrackingGrid::Columns::Areas);
        const QList<QByteArray> lines = g.toCsv().split('\n');
        QCOMPARE(lines.constFirst(),
            QByteArray("ref,first_name,last_name,PSED judgement,PSED observations,CL judgement,"
                       "CL observations,PD judgement,PD observations,L judgement,L observations,"
                       "M judgement,M observations,UW judgement,UW observations,EAD judgement,"
                       "EAD observations\r"));
        QCOMPARE(lines.size(), g.rows().size() + 2); // header, rows, and the empty line after CRLF
        for (qsizetype r = 0; r < g.rows().size(); ++r) {
            const TrackingGrid::Row &row = g.rows().at(r);
            QByteArray expected = QByteArray::fromStdString(row.child.ref()) + ',';
            const QByteArray first = QByteArray::fromStdString(row.child.first_name());
            expected += first.contains(',') ? '"' + QByteArray(first).replace("\"", "\"\"") + '"'
                                            : first;
            expected += ',' + QByteArray::fromStdString(row.child.last_name());
            for (const TrackingGrid::Cell &c : row.cells)
                expected += ',' + c.judgement.toUtf8() + ','
                    + QByteArray::number(c.observationIds.size());
            QCOMPARE(lines.at(r + 1), expected + '\r');
        }
        QVERIFY(g.toCsv().contains("\"Zoë, \"\"Zo\"\"\""));
    }

    void modelShowsTheGrid()
    {
        const School s = generate(1);
        TrackingGridModel model;
        model.setGrid(grid(s, QStringLiteral("Reception"), 0, TrackingGrid::Columns::Areas));
        QCOMPARE(model.rowCount(), 12);
        QCOMPARE(model.columnCount(), 7);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(),
            QStringLiteral("Communication and language"));
        int gaps = 0;
        for (int r = 0; r < model.rowCount(); ++r) {
            for (int c = 0; c < model.columnCount(); ++c) {
                const QModelIndex i = model.index(r, c);
                const auto &cell = model.grid().rows().at(r).cells.at(c);
                QCOMPARE(i.data(TrackingGridModel::EvidenceCountRole).toInt(), cell.evidence());
                QCOMPARE(i.data(TrackingGridModel::ObservationIdsRole).toStringList(),
                    cell.observationIds);
                QCOMPARE(i.data(TrackingGridModel::GapRole).toBool(), cell.evidence() == 0);
                gaps += i.data(TrackingGridModel::GapRole).toBool() ? 1 : 0;
                if (cell.judgement == QLatin1String("on-track"))
                    QCOMPARE(
                        i.data().toString(), QStringLiteral("On track (%1)").arg(cell.evidence()));
                else if (cell.judgement.isEmpty() && cell.evidence() == 0)
                    QCOMPARE(i.data().toString(), QStringLiteral("No evidence"));
            }
        }
        QCOMPARE(gaps, model.grid().gapCount());
    }

    void unknownHalfTermCountsNothing()
    {
        const School s = generate(1);
        TrackingGrid::Input in;
        in.className = QStringLiteral("Reception");
        in.halfTermLastDay = QStringLiteral("2030-01-01");
        in.calendar = calendar();
        in.roster = s.roster;
        in.observations = s.observations;
        const TrackingGrid g = TrackingGrid::build(in);
        QCOMPARE(g.gapCount(), 12 * 7);
    }
};

QTEST_GUILESS_MAIN(TestTrackingGrid)
#include "tst_trackinggrid.moc"
