#include "trackingreport.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

namespace acorn::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("acorn::client::TrackingReport", text);
}

} // namespace

// A table cell: gaps in italics on a shaded background (words as well as shading, so a
// black-and-white copy still shows them).
QString TrackingReport::cellHtml(const TrackingGrid::Cell &cell)
{
    const QString text = cellText(cell).toHtmlEscaped();
    return cell.gap()
        ? QStringLiteral("<td align=\"center\" bgcolor=\"#ffe0b2\"><i>%1</i></td>").arg(text)
        : QStringLiteral("<td align=\"center\">%1</td>").arg(text);
}

QString TrackingReport::cellText(const TrackingGrid::Cell &cell)
{
    if (cell.judgement.isEmpty())
        return cell.gap() ? tr("no evidence") : QString::number(cell.evidence());
    return QStringLiteral("%1 %2").arg(cell.judgementTitle).arg(cell.evidence());
}

QString TrackingReport::html(const TrackingGrid &grid, const Heading &heading)
{
    QString out;
    out += QStringLiteral("<html><body style=\"font-family: sans-serif; font-size: 9pt;\">");
    out += QStringLiteral("<h2>%1</h2>")
               .arg(tr("%1: %2 tracking summary")
                        .arg(heading.className.toHtmlEscaped(),
                            heading.halfTermName.toHtmlEscaped()));
    if (!heading.schoolName.isEmpty())
        out += QStringLiteral("<p>%1</p>").arg(heading.schoolName.toHtmlEscaped());
    out += QStringLiteral("<p>%1</p>")
               .arg(tr("%1 children; %2 of %3 cells with no observation this half term. Each cell: "
                       "the judgement, then the number of observations.")
                        .arg(grid.rows().size())
                        .arg(grid.gapCount())
                        .arg(grid.rows().size() * grid.columns().size()));
    out += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">"
                          "<thead><tr><th align=\"left\">%1</th>")
               .arg(tr("Child"));
    for (const TrackingGrid::Column &c : grid.columns())
        out += QStringLiteral("<th>%1</th>").arg(c.title.toHtmlEscaped());
    out += QStringLiteral("</tr></thead>");
    for (const TrackingGrid::Row &r : grid.rows()) {
        out += QStringLiteral("<tr><td>%1 %2</td>")
                   .arg(QString::fromStdString(r.child.first_name()).toHtmlEscaped(),
                       QString::fromStdString(r.child.last_name()).toHtmlEscaped());
        for (const TrackingGrid::Cell &cell : r.cells) {
            out += cellHtml(cell);
        }
        out += QStringLiteral("</tr>");
    }
    out += QStringLiteral("</table></body></html>");
    return out;
}

Status TrackingReport::writePdf(
    const TrackingGrid &grid, const Heading &heading, const QString &path)
{
    return print(html(grid, heading),
        tr("%1: %2 tracking summary").arg(heading.className, heading.halfTermName), path);
}

QString TrackingReport::childSummaryHtml(
    const TrackingGrid::Input &input, const QString &childRef, const QString &schoolName)
{
    // One grid per half term through the chosen one; the child's row of each.
    TrackingGrid::Input areas = input;
    areas.columns = TrackingGrid::Columns::Areas;
    QStringList termNames;
    const QList<TrackingGrid> grids = TrackingGrid::buildThrough(areas, &termNames);
    QList<TrackingGrid::Column> columns;
    QList<QList<TrackingGrid::Cell>> cells; // per half term, per area
    wire::Child child;
    for (const TrackingGrid &grid : grids) {
        columns = grid.columns();
        QList<TrackingGrid::Cell> row(grid.columns().size());
        for (const TrackingGrid::Row &r : grid.rows()) {
            if (QString::fromStdString(r.child.ref()) == childRef) {
                row = r.cells;
                child = r.child;
            }
        }
        cells.append(row);
    }
    const QString name = QStringLiteral("%1 %2")
                             .arg(QString::fromStdString(child.first_name()),
                                 QString::fromStdString(child.last_name()))
                             .trimmed();
    QString out
        = QStringLiteral("<html><body style=\"font-family: sans-serif; font-size: 10pt;\">");
    out += QStringLiteral("<h2>%1</h2>")
               .arg(tr("%1: summary of learning").arg(name.toHtmlEscaped()));
    out += QStringLiteral("<p>%1</p>")
               .arg(tr("%1, %2. Each cell: the judgement, then the number of observations that "
                       "half term.")
                        .arg(input.className.toHtmlEscaped(), schoolName.toHtmlEscaped()));
    out += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">"
                          "<thead><tr><th align=\"left\">%1</th>")
               .arg(tr("Area of learning"));
    for (const QString &term : std::as_const(termNames))
        out += QStringLiteral("<th>%1</th>").arg(term.toHtmlEscaped());
    out += QStringLiteral("</tr></thead>");
    for (qsizetype a = 0; a < columns.size(); ++a) {
        out += QStringLiteral("<tr><td>%1</td>").arg(columns.at(a).title.toHtmlEscaped());
        for (const QList<TrackingGrid::Cell> &term : std::as_const(cells)) {
            const TrackingGrid::Cell cell = term.value(a);
            out += cellHtml(cell);
        }
        out += QStringLiteral("</tr>");
    }
    out += QStringLiteral("</table></body></html>");
    return out;
}

Status TrackingReport::writeChildSummaryPdf(const TrackingGrid::Input &input,
    const QString &childRef, const QString &schoolName, const QString &path)
{
    return print(childSummaryHtml(input, childRef, schoolName), tr("Summary of learning"), path);
}

Status TrackingReport::print(const QString &html, const QString &title, const QString &path)
{
    QFile::remove(path); // a stale report must not pass for a new one
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageOrientation(QPageLayout::Landscape);
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
    writer.setResolution(150);
    writer.setTitle(title);
    writer.setCreator(QStringLiteral("Acorn"));
    QTextDocument document;
    document.setHtml(html);
    document.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size());
    document.print(&writer);
    if (!QFileInfo(path).isFile() || QFileInfo(path).size() == 0) {
        return Status::failure(
            tr("The report could not be written to %1: check the folder exists and is writable.")
                .arg(path));
    }
    return {};
}

} // namespace acorn::client
