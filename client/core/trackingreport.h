#pragma once

#include "result.h"
#include "trackinggrid.h"

#include <QString>

namespace acorn::client {

// The class tracking summary as a printed report: the tracking grid of one class and half
// term on A4 landscape pages, each child a row, each area (or ELG) a column, each cell the
// judgement and the number of observations, gaps marked in words and shading. Rendered with
// QTextDocument into a QPdfWriter; needs a QGuiApplication (fonts), no Widgets.
//
// Report only: it prints the grid it is given and decides nothing.
class TrackingReport
{
public:
    struct Heading
    {
        QString schoolName;
        QString className;
        QString halfTermName;
    };

    // The report as HTML (what the PDF is rendered from).
    static QString html(const TrackingGrid &grid, const Heading &heading);
    // Writes the PDF; fails with a message saying what to do.
    static Status writePdf(const TrackingGrid &grid, const Heading &heading, const QString &path);
    // The words a cell is printed with: "Secure 2", "1", "no evidence".
    static QString cellText(const TrackingGrid::Cell &cell);
};

} // namespace acorn::client
