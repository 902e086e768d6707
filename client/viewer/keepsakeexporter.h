#pragma once

#include "acorn.pb.h"
#include "mediacache.h"
#include "result.h"
#include "schoolcalendar.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace acorn::viewer {

// What a keepsake export wrote.
struct KeepsakeReport
{
    QString folder;
    QString indexPath;
    int observations = 0;
    int photos = 0;
    int videos = 0;
    int withheld = 0; // media the school did not share with this family: not exported
    int missing = 0; // media not downloaded to this device yet: listed in the index
    QStringList mediaFiles; // file names inside `folder`
};

// Writes one child's released journal (as this device holds it) into a folder the family
// keeps: an index.html with the text, dates, EYFS areas and relative links, and each photo
// and video named by its date ("2026-10-05_0930_1a2b3c4d.jpg"). Each photo's EXIF
// DateTimeOriginal / DateTime is the observation time in the school's time zone and its
// ImageDescription / UserComment (and XMP dc:description) holds the observation text,
// written with libexiv2 on the copy (the cached original is never changed).
//
// It never exports media the server marked withheld (there is nothing on this device to
// export, and the index says so plainly), and it writes nothing outside `folder`.
class KeepsakeExporter
{
    Q_DECLARE_TR_FUNCTIONS(acorn::viewer::KeepsakeExporter)

public:
    KeepsakeExporter(SchoolCalendar calendar, MediaCache cache);

    void setSchoolName(const QString &name) { m_schoolName = name; }

    // Shareable media of `journal` whose full file is not on this device yet: fetch these
    // first (MediaFetcher, ORIGINAL) for a complete keepsake.
    QList<wire::Media> missingMedia(const QList<wire::Observation> &journal) const;

    // A folder name for the child's keepsake: "Ava Brown learning journal".
    static QString suggestedFolderName(const wire::Child &child);

    // Exports into `folder` (created if needed; it must be empty or an earlier keepsake).
    Result<KeepsakeReport> exportJournal(const wire::Child &child,
        const QList<wire::Observation> &journal, const QString &folder) const;

    // "2026-10-05_0930_1a2b3c4d.jpg": the observation time in the school's zone.
    QString mediaFileName(qint64 observedAtMs, const wire::Media &media) const;

    // Sets DateTimeOriginal/DateTimeDigitized/DateTime (+ offsets), ImageDescription,
    // UserComment and XMP dc:description on the photo at `path`.
    static Status writePhotoMetadata(
        const QString &path, const QDateTime &schoolTime, const QString &caption);

private:
    SchoolCalendar m_calendar;
    MediaCache m_cache;
    QString m_schoolName;
};

} // namespace acorn::viewer
