// The parent viewer's non-widget parts: calendar wording and grouping, EYFS areas, the
// journal model's order and filters, the media cache's path safety, and the keepsake
// export (file names, escaping, EXIF read back with libexiv2, withheld media left out).
#include "eyfsareas.h"
#include "journalmodel.h"
#include "keepsakeexporter.h"
#include "mediacache.h"
#include "progresssummary.h"
#include "schoolcalendar.h"
#include "watermark.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

using namespace acorn;
using namespace acorn::viewer;

namespace {

const QTimeZone kLondon("Europe/London");

qint64 london(int y, int mo, int d, int h, int mi)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), kLondon).toMSecsSinceEpoch();
}

QList<wire::HalfTermInfo> calendar2026()
{
    const QList<std::array<const char *, 3>> terms = { { "Autumn 1", "2026-09-03", "2026-10-23" },
        { "Autumn 2", "2026-11-02", "2026-12-18" }, { "Spring 1", "2027-01-05", "2027-02-12" },
        { "Spring 2", "2027-02-22", "2027-03-26" }, { "Summer 1", "2027-04-12", "2027-05-28" },
        { "Summer 2", "2027-06-07", "2027-07-21" } };
    QList<wire::HalfTermInfo> out;
    for (const auto &t : terms) {
        wire::HalfTermInfo h;
        h.set_name(t[0]);
        h.set_first_day(t[1]);
        h.set_last_day(t[2]);
        out.append(h);
    }
    return out;
}

SchoolCalendar schoolCalendar()
{
    return SchoolCalendar(
        kLondon, calendar2026(), QLocale(QLocale::English, QLocale::UnitedKingdom));
}

wire::Media media(const QString &id, wire::MediaKind kind, bool withheld = false)
{
    wire::Media m;
    m.set_id(id.toStdString());
    m.set_kind(kind);
    m.set_mime_type(kind == wire::VIDEO ? "video/mp4" : "image/jpeg");
    m.set_thumbnail_size(kind == wire::VIDEO ? 0 : 100);
    m.set_available(!withheld);
    if (withheld)
        m.set_withheld(wire::OTHER_CHILDREN);
    return m;
}

wire::Observation observation(
    const QString &id, qint64 at, const QString &text, const QStringList &tags = {})
{
    wire::Observation o;
    o.set_id(id.toStdString());
    o.set_observed_at_ms(at);
    o.set_text(text.toStdString());
    o.add_child_refs("C001");
    for (const QString &t : tags)
        o.add_eyfs_tags(t.toStdString());
    o.set_state(wire::PUBLISHED);
    o.set_revision(1);
    return o;
}

QString exifValue(const QString &path, const char *key)
{
    Exiv2::Image::AutoPtr image = Exiv2::ImageFactory::open(QFile::encodeName(path).toStdString());
    image->readMetadata();
    const Exiv2::ExifData &exif = image->exifData();
    const auto it = exif.findKey(Exiv2::ExifKey(key));
    return it == exif.end() ? QString() : QString::fromStdString(it->toString());
}

QString xmpValue(const QString &path, const char *key)
{
    Exiv2::Image::AutoPtr image = Exiv2::ImageFactory::open(QFile::encodeName(path).toStdString());
    image->readMetadata();
    const Exiv2::XmpData &xmp = image->xmpData();
    const auto it = xmp.findKey(Exiv2::XmpKey(key));
    return it == xmp.end() ? QString() : QString::fromStdString(it->toString());
}

} // namespace

class TestViewerModels : public QObject
{
    Q_OBJECT

private slots:
    void nextUpdateIsInTheSchoolsZoneAndWords()
    {
        const SchoolCalendar cal = schoolCalendar();
        wire::ClassInfo reception;
        reception.set_name("Reception");
        reception.set_live(false);
        reception.set_next_release_ms(london(2027, 2, 12, 16, 0));
        QCOMPARE(cal.nextUpdateText(reception),
            QStringLiteral("Reception journal: next update on Fri 12 February"));
        // 00:30 on 1 July in London is still 30 June in UTC: the school's day counts.
        reception.set_next_release_ms(london(2027, 7, 1, 0, 30));
        QCOMPARE(cal.nextUpdateText(reception),
            QStringLiteral("Reception journal: next update on Thu 1 July"));
        reception.set_next_release_ms(0);
        QVERIFY(cal.nextUpdateText(reception).contains(QStringLiteral("has not set")));
        wire::ClassInfo nursery;
        nursery.set_name("Nursery");
        nursery.set_live(true);
        QCOMPARE(cal.nextUpdateText(nursery),
            QStringLiteral("Nursery journal: updated as staff add to it"));
    }

    void periodsFollowTheHalfTermsAndHolidaysGoForward()
    {
        const SchoolCalendar cal = schoolCalendar();
        QCOMPARE(cal.periodFor(london(2026, 10, 5, 9, 30)).title, QStringLiteral("Autumn 1 2026"));
        QCOMPARE(
            cal.periodFor(london(2026, 10, 23, 23, 59)).title, QStringLiteral("Autumn 1 2026"));
        // October half-term holiday: under the next half term, as the release rule counts it.
        QCOMPARE(cal.periodFor(london(2026, 10, 28, 10, 0)).title, QStringLiteral("Autumn 2 2026"));
        QCOMPARE(cal.periodFor(london(2027, 2, 15, 10, 0)).title, QStringLiteral("Spring 2 2027"));
        // Outside the calendar the server sent: a plain month.
        QCOMPARE(cal.periodFor(london(2026, 8, 20, 10, 0)).title, QStringLiteral("August 2026"));
        QCOMPARE(cal.periodFor(london(2027, 8, 1, 10, 0)).title, QStringLiteral("August 2027"));
        // No calendar at all (before a first sync): months.
        const SchoolCalendar none(kLondon, {}, QLocale(QLocale::English, QLocale::UnitedKingdom));
        QCOMPARE(none.periodFor(london(2026, 10, 5, 9, 30)).title, QStringLiteral("October 2026"));
        QCOMPARE(cal.formatDateTime(london(2026, 10, 5, 9, 30)),
            QStringLiteral("Mon 5 October 2026, 09:30"));
    }

    void eyfsAreasInPlainWords()
    {
        QCOMPARE(EyfsAreas::areaKey(QStringLiteral("CL")), QStringLiteral("CL"));
        QCOMPARE(EyfsAreas::areaKey(QStringLiteral("cl")), QStringLiteral("CL"));
        QCOMPARE(EyfsAreas::areaKey(QStringLiteral("CL-ELG-02")), QStringLiteral("CL"));
        QCOMPARE(EyfsAreas::areaKey(QStringLiteral("COEL-PE-1")), QStringLiteral("COEL-PE"));
        QCOMPARE(EyfsAreas::areaKey(QStringLiteral("MATHS")), QStringLiteral("MATHS")); // not "M"
        QCOMPARE(EyfsAreas::plainWords(QStringLiteral("CL")),
            QStringLiteral("Communication and language"));
        QCOMPARE(EyfsAreas::plainWords(QStringLiteral("EAD")),
            QStringLiteral("Expressive arts and design"));
        QCOMPARE(EyfsAreas::plainWords(QStringLiteral("forest_school-walk")),
            QStringLiteral("Forest school walk"));
    }

    void journalModelOrdersGroupsAndFilters()
    {
        wire::Observation a = observation(QStringLiteral("a"), london(2026, 9, 10, 9, 0),
            QStringLiteral("Ava built a TOWER"), { QStringLiteral("M"), QStringLiteral("PD") });
        *a.add_media() = media(QStringLiteral("11111111-1111-1111-1111-111111111111"), wire::PHOTO);
        wire::Observation b = observation(QStringLiteral("b"), london(2026, 11, 3, 10, 0),
            QStringLiteral("Painting with Ben"), { QStringLiteral("EAD") });
        *b.add_media()
            = media(QStringLiteral("22222222-2222-2222-2222-222222222222"), wire::PHOTO, true);
        wire::Observation c = observation(QStringLiteral("c"), london(2026, 11, 20, 14, 0),
            QStringLiteral("Counting conkers to twenty"), { QStringLiteral("M-ELG-1") });
        wire::Observation d = observation(QStringLiteral("d"), london(2026, 10, 1, 11, 0),
            QStringLiteral("Story time"), { QStringLiteral("L"), QStringLiteral("CL") });
        JournalModel model;
        model.setJournal({ a, b, c, d }, schoolCalendar());
        QCOMPARE(model.rowCount(), 4);
        QStringList ids;
        for (int r = 0; r < model.rowCount(); ++r)
            ids << model.index(r).data(JournalModel::IdRole).toString();
        QCOMPARE(ids,
            (QStringList { QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("d"),
                QStringLiteral("a") }));
        QCOMPARE(model.index(0).data(JournalModel::PeriodTitleRole).toString(),
            QStringLiteral("Autumn 2 2026"));
        QVERIFY(model.index(0).data(JournalModel::FirstInPeriodRole).toBool());
        QVERIFY(!model.index(1).data(JournalModel::FirstInPeriodRole).toBool());
        QVERIFY(model.index(2).data(JournalModel::FirstInPeriodRole).toBool());
        QCOMPARE(model.index(1).data(JournalModel::WithheldCountRole).toInt(), 1);
        QCOMPARE(model.index(1).data(JournalModel::PhotoCountRole).toInt(), 0);
        QCOMPARE(model.index(3).data(JournalModel::PhotoCountRole).toInt(), 1);
        QCOMPARE(model.index(3).data(JournalModel::AreasRole).toStringList(),
            (QStringList {
                QStringLiteral("Mathematics"), QStringLiteral("Physical development") }));
        QCOMPARE(model.areasInJournal(),
            (QStringList { QStringLiteral("CL"), QStringLiteral("PD"), QStringLiteral("L"),
                QStringLiteral("M"), QStringLiteral("EAD") }));
        QCOMPARE(model.periods().size(), 2);
        QCOMPARE(model.periods().at(1).count, 2);

        model.setSearchText(QStringLiteral("tower ava"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(JournalModel::IdRole).toString(), QStringLiteral("a"));
        model.setSearchText(QStringLiteral("mathematics")); // areas are searchable in words
        QCOMPARE(model.rowCount(), 2);
        model.setSearchText({});
        model.setAreaFilter(QStringLiteral("M"));
        QCOMPARE(model.rowCount(), 2);
        model.setAreaFilter({});
        model.setDateRange(QDate(2026, 10, 1), QDate(2026, 11, 3));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.isFiltered());
        model.clearFilters();
        QCOMPARE(model.rowCount(), 4);
    }

    // The judgements a parent was sent, as the viewer lays them out: a row per item judged, by
    // area then item in the framework's order, a column per half term in the calendar's order,
    // plain words.
    void progressSummaryInPlainWords()
    {
        QList<wire::HalfTermInfo> calendar;
        for (const auto &[name, last] : { std::pair { "Autumn 1", "2026-10-23" },
                 std::pair { "Autumn 2", "2026-12-18" }, std::pair { "Spring 1", "2027-02-12" } }) {
            wire::HalfTermInfo h;
            h.set_name(name);
            h.set_last_day(last);
            calendar.append(h);
        }
        const auto judged = [](const char *item, const char *term, const char *judgement) {
            wire::Assessment a;
            a.set_child_ref("C003");
            a.set_item_key(item);
            a.set_half_term(term);
            a.set_judgement(judgement);
            return a;
        };
        // Sent in no particular order; one item the framework does not know, one judgement
        // not on the scale: both shown as written, never dropped.
        const ProgressSummary p = ProgressSummary::build(
            { judged("M-DM-R", "2027-02-12", "secure"), judged("CL-DM-R", "2026-10-23", "on-track"),
                judged("M-DM-R", "2026-10-23", "not-yet"),
                judged("M-ELG-01", "2027-02-12", "expected"),
                judged("XX-OWN", "2026-10-23", "wow") },
            calendar);
        QCOMPARE(p.halfTermNames,
            (QStringList { QStringLiteral("Autumn 1"), QStringLiteral("Spring 1") }));
        QCOMPARE(p.rows.size(), 4);
        QCOMPARE(p.rows.at(0).words,
            QStringLiteral("Communication and language: children in reception"));
        QCOMPARE(p.rows.at(0).judgements, (QStringList { QStringLiteral("On track"), QString() }));
        // Within an area, the framework's order: the Early Learning Goals, then the bands.
        QCOMPARE(p.rows.at(1).words, QStringLiteral("Mathematics: Number"));
        QCOMPARE(p.rows.at(1).judgements, (QStringList { QString(), QStringLiteral("Expected") }));
        QCOMPARE(p.rows.at(2).words, QStringLiteral("Mathematics: children in reception"));
        QCOMPARE(p.rows.at(2).judgements,
            (QStringList { QStringLiteral("Not yet"), QStringLiteral("Secure") }));
        QCOMPARE(p.rows.at(3).words, QStringLiteral("XX-OWN"));
        QCOMPARE(p.rows.at(3).judgements, (QStringList { QStringLiteral("wow"), QString() }));
        QVERIFY(ProgressSummary::build({}, calendar).isEmpty());
    }

    void mediaCacheRefusesUnsafeIds()
    {
        QTemporaryDir dir;
        MediaCache cache(dir.path());
        QVERIFY(
            cache.pathFor(media(QStringLiteral("../../etc/passwd"), wire::PHOTO), wire::ORIGINAL)
                .isEmpty());
        QVERIFY(
            cache
                .pathFor(media(QStringLiteral("11111111-1111-1111-1111-11111111111/"), wire::PHOTO),
                    wire::ORIGINAL)
                .isEmpty());
        const QString ok = cache.pathFor(
            media(QStringLiteral("11111111-1111-1111-1111-111111111111"), wire::PHOTO),
            wire::THUMBNAIL);
        QCOMPARE(QFileInfo(ok).path(), dir.path());
    }

    void watermarkNamesTheFamily()
    {
        const QString t = Watermark::text(QStringLiteral("Alex Brown"), QDate(2026, 11, 28));
        QVERIFY(t.startsWith(QStringLiteral("Alex Brown")));
        QImage img(400, 300, QImage::Format_RGB32);
        img.fill(Qt::gray);
        const QImage before = img;
        QPainter p(&img);
        Watermark::paint(p, img.rect(), t);
        p.end();
        QVERIFY(img != before);
    }

    void keepsakeExportWritesDatedLabelledFiles()
    {
        QTemporaryDir dir;
        MediaCache cache(dir.filePath(QStringLiteral("cache")));
        QDir().mkpath(cache.directory());
        const wire::Media photo
            = media(QStringLiteral("1a2b3c4d-0000-4000-8000-000000000001"), wire::PHOTO);
        const wire::Media video
            = media(QStringLiteral("5e6f7a8b-0000-4000-8000-000000000002"), wire::VIDEO);
        const wire::Media hidden
            = media(QStringLiteral("9c9c9c9c-0000-4000-8000-000000000003"), wire::PHOTO, true);
        QImage img(320, 240, QImage::Format_RGB32);
        img.fill(QColor(200, 120, 40));
        QVERIFY(img.save(cache.pathFor(photo, wire::ORIGINAL), "JPEG"));
        QFile v(cache.pathFor(video, wire::ORIGINAL));
        QVERIFY(v.open(QIODevice::WriteOnly));
        v.write("not really a video, but bytes to copy");
        v.close();

        const qint64 when = london(2026, 10, 5, 9, 30); // BST: 08:30 UTC
        const QString text
            = QStringLiteral("Ava said \"look!\" <script>alert(1)</script> & smiled — café");
        wire::Observation o
            = observation(QStringLiteral("obs-1"), when, text, { QStringLiteral("CL") });
        *o.add_media() = photo;
        *o.add_media() = video;
        *o.add_media() = hidden;
        wire::Child ava;
        ava.set_ref("C001");
        ava.set_first_name("Ava");
        ava.set_last_name("Brown");

        KeepsakeExporter exporter(schoolCalendar(), cache);
        QCOMPARE(
            exporter.mediaFileName(when, photo), QStringLiteral("2026-10-05_0930_1a2b3c4d.jpg"));
        QVERIFY(exporter.missingMedia({ o }).isEmpty());
        const QString folder = dir.filePath(KeepsakeExporter::suggestedFolderName(ava));
        const auto r = exporter.exportJournal(ava, { o }, folder);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r->photos, 1);
        QCOMPARE(r->videos, 1);
        QCOMPARE(r->withheld, 1);
        QCOMPARE(r->mediaFiles,
            (QStringList { QStringLiteral("2026-10-05_0930_1a2b3c4d.jpg"),
                QStringLiteral("2026-10-05_0930_5e6f7a8b.mp4") }));
        QFile index(r->indexPath);
        QVERIFY(index.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(index.readAll());
        QVERIFY(!html.contains(QStringLiteral("<script>")));
        QVERIFY(html.contains(
            QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt; &amp; smiled — café")));
        QVERIFY(html.contains(QStringLiteral("src=\"2026-10-05_0930_1a2b3c4d.jpg\"")));
        QVERIFY(html.contains(QStringLiteral("Communication and language")));
        QVERIFY(html.contains(QStringLiteral("Autumn 1 2026")));
        QVERIFY(html.contains(QStringLiteral("did not share with families")));
        QVERIFY(!html.contains(QStringLiteral("9c9c9c9c")));

        const QString exported
            = QDir(folder).filePath(QStringLiteral("2026-10-05_0930_1a2b3c4d.jpg"));
        QCOMPARE(exifValue(exported, "Exif.Photo.DateTimeOriginal"),
            QStringLiteral("2026:10:05 09:30:00"));
        QCOMPARE(exifValue(exported, "Exif.Image.DateTime"), QStringLiteral("2026:10:05 09:30:00"));
        QCOMPARE(exifValue(exported, "Exif.Photo.OffsetTimeOriginal"), QStringLiteral("+01:00"));
        QCOMPARE(exifValue(exported, "Exif.Image.ImageDescription"), text);
        QVERIFY(exifValue(exported, "Exif.Photo.UserComment").contains(QStringLiteral("smiled")));
        QVERIFY(xmpValue(exported, "Xmp.dc.description").contains(QStringLiteral("café")));
        // The cached original is left as the server sent it.
        QVERIFY(exifValue(cache.pathFor(photo, wire::ORIGINAL), "Exif.Photo.DateTimeOriginal")
                    .isEmpty());

        // Export again after the observation was retracted: its media goes, the folder stays ours.
        const auto again = exporter.exportJournal(ava, {}, folder);
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QVERIFY(!QFile::exists(exported));
        // A folder with someone else's files is refused.
        const QString foreign = dir.filePath(QStringLiteral("foreign"));
        QDir().mkpath(foreign);
        QFile f(foreign + QStringLiteral("/mine.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QVERIFY(!exporter.exportJournal(ava, { o }, foreign).ok());
    }
};

#pragma GCC diagnostic pop

QTEST_MAIN(TestViewerModels)
#include "tst_viewermodels.moc"
