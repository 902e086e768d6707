#pragma once

#include "result.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QPageLayout>
#include <QString>

namespace acorn::client {

// Prints a report made of HTML blocks into an A4 PDF with QTextDocument and QPainter. Blocks
// flow down the pages one after another and a block is never split across pages when it
// fits on one (an entry of a journal stays whole; a block longer than a page starts a new
// page and breaks between lines). Each block is laid out on a 96 dpi device, so point sizes
// in the HTML print at their size, and scaled onto the page; every page gets a footer line
// with "page N of M". Needs a QGuiApplication (fonts); no Widgets. It prints what it is
// given and decides nothing.
class PrintedReport
{
public:
    struct Block
    {
        QString html;
        QHash<QString, QImage> images; // resources the HTML names (<img src="thumb:ID">)
    };

    struct Options
    {
        QString title; // the PDF's title
        QPageLayout::Orientation orientation = QPageLayout::Portrait;
        QString footer; // printed at the foot of every page with "page N of M"; empty: none
    };

    // Writes the PDF (replacing any old file) and gives its number of pages; fails with a
    // message saying what to do.
    static Result<int> write(
        const QList<Block> &blocks, const QString &path, const Options &options);
    // The message for a report that could not be written to `path`.
    static QString unwritable(const QString &path);
};

} // namespace acorn::client
