#include "trackingcharts.h"

#include <QCoreApplication>
#include <QSet>

namespace acorn::client {

namespace {

// The position of a judgement on the scale of a column's assessed item (1 = lowest), 0 for
// none or a judgement not on the scale.
int levelOf(
    const TrackingGrid::Column &column, const QString &judgement, const EyfsFramework &framework)
{
    const EyfsFramework::Scale *scale
        = column.assessedItem.isEmpty() ? nullptr : framework.scaleOf(column.assessedItem);
    if (!scale)
        return 0;
    for (qsizetype i = 0; i < scale->judgements.size(); ++i) {
        if (scale->judgements.at(i).key == judgement)
            return static_cast<int>(i) + 1;
    }
    return 0;
}

} // namespace

TrackingCharts::Distribution TrackingCharts::distribution(
    const TrackingGrid &grid, const EyfsFramework &framework)
{
    Distribution d;
    // The judgements of the first assessed column's scale: every column of one grid is
    // assessed on the same kind of item (Development Matters, or ELGs).
    const EyfsFramework::Scale *scale = nullptr;
    for (const TrackingGrid::Column &c : grid.columns()) {
        d.columnTitles.append(c.title);
        if (!scale && !c.assessedItem.isEmpty())
            scale = framework.scaleOf(c.assessedItem);
    }
    const qsizetype levels = scale ? scale->judgements.size() : 0;
    if (scale) {
        for (const EyfsFramework::Judgement &j : scale->judgements)
            d.judgementTitles.append(j.title);
    }
    d.judgementTitles.append(
        QCoreApplication::translate("acorn::client::TrackingCharts", "No judgement"));
    d.counts = QList<QList<int>>(levels + 1, QList<int>(grid.columns().size(), 0));
    for (const TrackingGrid::Row &r : grid.rows()) {
        for (qsizetype c = 0; c < grid.columns().size(); ++c) {
            const int level = levelOf(grid.columns().at(c), r.cells.at(c).judgement, framework);
            ++d.counts[level == 0 ? levels : level - 1][c];
        }
    }
    return d;
}

TrackingCharts::ObservationCounts TrackingCharts::observationCounts(const TrackingGrid &grid)
{
    ObservationCounts o;
    for (const TrackingGrid::Row &r : grid.rows()) {
        QSet<QString> ids;
        for (const TrackingGrid::Cell &cell : r.cells)
            ids.unite(QSet<QString>(cell.observationIds.cbegin(), cell.observationIds.cend()));
        o.children.append(QStringLiteral("%1 %2")
                              .arg(QString::fromStdString(r.child.first_name()),
                                  QString::fromStdString(r.child.last_name()))
                              .trimmed());
        o.counts.append(static_cast<int>(ids.size()));
    }
    return o;
}

TrackingCharts::Progress TrackingCharts::progress(const QList<TrackingGrid> &grids,
    const QStringList &halfTermNames, const QString &childRef, const EyfsFramework &framework)
{
    Progress p;
    p.halfTerms = halfTermNames;
    if (grids.isEmpty())
        return p;
    const QList<TrackingGrid::Column> &columns = grids.constFirst().columns();
    for (const TrackingGrid::Column &c : columns) {
        p.areaTitles.append(c.title);
        if (const EyfsFramework::Scale *s
            = c.assessedItem.isEmpty() ? nullptr : framework.scaleOf(c.assessedItem))
            p.scaleSize = std::max(p.scaleSize, static_cast<int>(s->judgements.size()));
    }
    p.levels = QList<QList<int>>(columns.size(), QList<int>(grids.size(), 0));
    for (qsizetype t = 0; t < grids.size(); ++t) {
        for (const TrackingGrid::Row &r : grids.at(t).rows()) {
            if (QString::fromStdString(r.child.ref()) != childRef)
                continue;
            for (qsizetype c = 0; c < columns.size() && c < r.cells.size(); ++c)
                p.levels[c][t] = levelOf(columns.at(c), r.cells.at(c).judgement, framework);
        }
    }
    return p;
}

} // namespace acorn::client
