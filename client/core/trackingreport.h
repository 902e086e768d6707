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

    // A child's summary for the two-year progress check or the end of the year: a row per
    // area of learning, a column per half term of the calendar up to and including
    // `input.halfTermLastDay`, each cell the judgement and the number of observations.
    // `input` describes the child's class (roster, journal, judgements, calendar).
    static QString childSummaryHtml(
        const TrackingGrid::Input &input, const QString &childRef, const QString &schoolName);
    static Status writeChildSummaryPdf(const TrackingGrid::Input &input, const QString &childRef,
        const QString &schoolName, const QString &path);

private:
    static QString cellHtml(const TrackingGrid::Cell &cell);
    static Status print(const QString &html, const QString &title, const QString &path);
};

} // namespace acorn::client
