#pragma once

#include "trackinggrid.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace acorn::client {

// The figures behind the tracking charts a lead shows at a staff meeting, computed from
// tracking grids (so they count exactly what the grid counts): a class's distribution of
// judgements per area, observation counts per child, and a child's progress across half
// terms. Numbers only; drawing them is the apps' job. Decides nothing.
class TrackingCharts
{
public:
    // Per column of the grid, how many children have each judgement of its scale (in scale
    // order) and how many have none yet.
    struct Distribution
    {
        QStringList columnTitles;
        QStringList judgementTitles; // the scale's titles, then "No judgement"
        QList<QList<int>> counts; // [judgement][column]
    };
    static Distribution distribution(
        const TrackingGrid &grid, const EyfsFramework &framework = EyfsFramework::standard());

    // Per child of the grid (in the grid's order), the number of different observations that
    // evidence any of its columns this half term.
    struct ObservationCounts
    {
        QStringList children; // "Ava Brown"
        QList<int> counts;
    };
    static ObservationCounts observationCounts(const TrackingGrid &grid);

    // One child's judgements across half terms: per area, the position of the judgement on
    // its scale (1 = lowest), 0 where there is none. `grids` are one per half term, oldest
    // first, built for the child's class.
    struct Progress
    {
        QStringList halfTerms; // as given
        QStringList areaTitles;
        QList<QList<int>> levels; // [area][half term]
        int scaleSize = 0; // the largest scale among the areas, for the axis
    };
    static Progress progress(const QList<TrackingGrid> &grids, const QStringList &halfTermNames,
        const QString &childRef, const EyfsFramework &framework = EyfsFramework::standard());
};

} // namespace acorn::client
