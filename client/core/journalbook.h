#pragma once

#include "acorn.pb.h"
#include "result.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <functional>

namespace acorn::client {

// A child's journal book: the child's observations over a date range as a compact printed
// book (A4 portrait PDF) that a family or an inspector can read. Each observation is one
// entry, several to a page and flowing across pages: its date and author, its text, next
// steps, its EYFS tags in plain words, and thumbnails of up to two photos or videos
// (more are counted, not printed). Page budget: a year of about 190 observations with
// photos fits in 40 pages (tests/unit/tst_journalbook.cpp checks it).
//
// What it never prints: staff-only notes, drafts, deleted observations, other children's
// observations, and media the rules keep from this child's family (withheld by the server,
// or showing another child whose family did not agree to appear in other journals: the
// device's copy of the consent rule, ConsentCheck). Rendered with QTextDocument into a
// QPdfWriter; needs a QGuiApplication (fonts), no Widgets.
class JournalBook
{
public:
    struct Input
    {
        wire::Child child;
        QString schoolName;
        QDate from; // first day printed (school time zone); null: from the first observation
        QDate to; // last day printed; null: to the last observation
        QTimeZone zone = QTimeZone::systemTimeZone();
        // Any observations (the device's journal cache); the book picks the child's.
        QList<wire::Observation> observations;
        // The class roster, for the consent rule on group photos; empty: media of group
        // observations is printed only where the server has not withheld it.
        QList<wire::Child> roster;
        // The file of a media item's thumbnail on this device, or empty when it is not here
        // (the book then says so in place of the picture).
        std::function<QString(const wire::Media &)> thumbnailPath;
    };

    // The observations the book prints, oldest first.
    static QList<wire::Observation> entries(const Input &input);
    // The date and time an entry is headed with ("Thursday 3 September 2026, 09:15").
    static QString dateText(qint64 observedAtMs, const QTimeZone &zone);
    // The book as HTML: the blocks the PDF is printed from (title, then one per entry), one
    // after another; thumbnails as "thumb:<media id>" resources.
    static QString html(const Input &input);
    // Writes the PDF and gives its number of pages; fails with a message saying what to do.
    static Result<int> writePdf(const Input &input, const QString &path);

    static constexpr int kThumbnailsPerEntry = 2;
};

} // namespace acorn::client
