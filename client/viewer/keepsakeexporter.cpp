#include "keepsakeexporter.h"

#include "atrest.h"
#include "eyfsareas.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <algorithm>

// exiv2 0.27 still spells its owning pointers std::auto_ptr.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

namespace acorn::viewer {

namespace {

const QString kMarker = QStringLiteral(".acorn-keepsake");

QString exifDateTime(const QDateTime &t)
{
    return t.toString(QStringLiteral("yyyy:MM:dd HH:mm:ss"));
}

QString offsetText(const QDateTime &t)
{
    const int secs = t.offsetFromUtc();
    const int mins = std::abs(secs) / 60;
    return QStringLiteral("%1%2:%3")
        .arg(secs < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        .arg(mins / 60, 2, 10, QLatin1Char('0'))
        .arg(mins % 60, 2, 10, QLatin1Char('0'));
}

bool isOurMediaName(const QString &name)
{
    static const QRegularExpression re(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}_\\d{4}_[0-9a-f]{8,36}\\.[a-z0-9]{1,8}$"));
    return re.match(name).hasMatch();
}

QString html(const QString &s)
{
    return s.toHtmlEscaped();
}

QString paragraphs(const QString &text)
{
    QStringList out;
    for (const QString &p : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        out.append(QStringLiteral("<p>%1</p>").arg(html(p)));
    return out.join(QLatin1Char('\n'));
}

} // namespace

KeepsakeExporter::KeepsakeExporter(SchoolCalendar calendar, MediaCache cache)
    : m_calendar(std::move(calendar))
    , m_cache(std::move(cache))
{ }

QList<wire::Media> KeepsakeExporter::missingMedia(const QList<wire::Observation> &journal) const
{
    QList<wire::Media> out;
    for (const wire::Observation &o : journal) {
        for (const wire::Media &m : o.media()) {
            if (m.withheld() == wire::NOT_WITHHELD && m_cache.cached(m, wire::ORIGINAL).isEmpty()
                && MediaCache::isSafeId(QString::fromStdString(m.id())))
                out.append(m);
        }
    }
    return out;
}

QString KeepsakeExporter::suggestedFolderName(const wire::Child &child)
{
    QString name = tr("%1 %2 learning journal")
                       .arg(QString::fromStdString(child.first_name()),
                           QString::fromStdString(child.last_name()))
                       .simplified();
    static const QRegularExpression unsafe(QStringLiteral("[/\\\\:*?\"<>|\\x00-\\x1f]"));
    name.remove(unsafe);
    return name.isEmpty() ? QStringLiteral("learning-journal") : name;
}

QString KeepsakeExporter::mediaFileName(qint64 observedAtMs, const wire::Media &media) const
{
    const QDateTime t = m_calendar.schoolTime(observedAtMs);
    const QString shortId
        = QString::fromStdString(media.id()).remove(QLatin1Char('-')).left(8).toLower();
    return QStringLiteral("%1_%2.%3")
        .arg(t.toString(QStringLiteral("yyyy-MM-dd_HHmm")), shortId, MediaCache::suffixFor(media));
}

Status KeepsakeExporter::writePhotoMetadata(
    const QString &path, const QDateTime &schoolTime, const QString &caption)
{
    try {
        Exiv2::Image::AutoPtr image
            = Exiv2::ImageFactory::open(QFile::encodeName(path).toStdString());
        if (!image.get())
            return Status::failure(
                tr("%1 is not a photo this app can label").arg(QFileInfo(path).fileName()));
        image->readMetadata();
        Exiv2::ExifData &exif = image->exifData();
        const std::string when = exifDateTime(schoolTime).toStdString();
        const std::string offset = offsetText(schoolTime).toStdString();
        const std::string text = caption.toStdString();
        exif["Exif.Photo.DateTimeOriginal"] = when;
        exif["Exif.Photo.DateTimeDigitized"] = when;
        exif["Exif.Image.DateTime"] = when;
        exif["Exif.Photo.OffsetTimeOriginal"] = offset;
        exif["Exif.Photo.OffsetTimeDigitized"] = offset;
        exif["Exif.Photo.OffsetTime"] = offset;
        exif["Exif.Image.ImageDescription"] = text;
        exif["Exif.Photo.UserComment"] = "charset=Unicode " + text;
        Exiv2::XmpData &xmp = image->xmpData();
        xmp["Xmp.dc.description"] = "lang=x-default " + text;
        xmp["Xmp.photoshop.DateCreated"] = schoolTime.toString(Qt::ISODate).toStdString();
        image->writeMetadata();
    } catch (const Exiv2::AnyError &e) {
        return Status::failure(
            tr("could not write the date and caption into %1: %2")
                .arg(QFileInfo(path).fileName(), QString::fromStdString(e.what())));
    }
    return {};
}

Result<KeepsakeReport> KeepsakeExporter::exportJournal(
    const wire::Child &child, const QList<wire::Observation> &journal, const QString &folder) const
{
    using R = Result<KeepsakeReport>;
    QDir dir(folder);
    if (!dir.mkpath(QStringLiteral(".")))
        return R::failure(
            tr("The folder %1 could not be created: choose another place.").arg(folder));
    const bool earlier = dir.exists(kMarker);
    const QStringList existing
        = dir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    if (!existing.isEmpty() && !earlier)
        return R::failure(
            tr("The folder %1 already holds other files: choose an empty folder.").arg(folder));

    KeepsakeReport report;
    report.folder = dir.absolutePath();
    report.indexPath = dir.absoluteFilePath(QStringLiteral("index.html"));

    // Oldest first: a keepsake reads like a book.
    QList<wire::Observation> ordered = journal;
    std::stable_sort(
        ordered.begin(), ordered.end(), [](const wire::Observation &a, const wire::Observation &b) {
            return a.observed_at_ms() < b.observed_at_ms();
        });

    const QString childName = QStringLiteral("%1 %2")
                                  .arg(QString::fromStdString(child.first_name()),
                                      QString::fromStdString(child.last_name()))
                                  .simplified();
    QStringList body;
    QString period;
    QSet<QString> written;
    for (const wire::Observation &o : ordered) {
        ++report.observations;
        const JournalPeriod p = m_calendar.periodFor(o.observed_at_ms());
        if (p.key != period) {
            period = p.key;
            body.append(QStringLiteral("<h2>%1</h2>").arg(html(p.title)));
        }
        const QDateTime when = m_calendar.schoolTime(o.observed_at_ms());
        const QString text = QString::fromStdString(o.text());
        QStringList article;
        article.append(QStringLiteral("<article>"));
        article.append(QStringLiteral("<h3><time datetime=\"%1\">%2</time></h3>")
                           .arg(html(when.toString(Qt::ISODate)),
                               html(m_calendar.formatDateTime(o.observed_at_ms()))));
        article.append(paragraphs(text));
        if (!o.next_steps().empty())
            article.append(
                QStringLiteral("<p class=\"next\"><strong>%1</strong> %2</p>")
                    .arg(html(tr("Next steps:")), html(QString::fromStdString(o.next_steps()))));
        QStringList areas;
        for (const std::string &tag : o.eyfs_tags()) {
            const QString words
                = EyfsAreas::plainWords(EyfsAreas::areaKey(QString::fromStdString(tag)));
            if (!areas.contains(words))
                areas.append(words);
        }
        if (!areas.isEmpty())
            article.append(
                QStringLiteral("<p class=\"areas\"><strong>%1</strong> %2</p>")
                    .arg(html(tr("Areas of learning:")), html(areas.join(QStringLiteral(", ")))));
        int withheldHere = 0;
        for (const wire::Media &m : o.media()) {
            if (m.withheld() != wire::NOT_WITHHELD) {
                ++withheldHere;
                ++report.withheld;
                continue;
            }
            const QString source = m_cache.cached(m, wire::ORIGINAL);
            const bool video = m.kind() == wire::VIDEO;
            if (source.isEmpty()) {
                ++report.missing;
                article.append(
                    QStringLiteral("<p class=\"missing\">%1</p>")
                        .arg(html(
                            video ? tr(
                                "A video from this day was not downloaded to this computer when "
                                "this copy was made.")
                                  : tr("A photo from this day was not downloaded to this computer "
                                       "when "
                                       "this copy was made."))));
                continue;
            }
            QString name = mediaFileName(o.observed_at_ms(), m);
            for (int n = 2; written.contains(name); ++n)
                name = QFileInfo(name).completeBaseName() + QStringLiteral("-%1.").arg(n)
                    + QFileInfo(name).suffix();
            const QString target = dir.absoluteFilePath(name);
            QFile::remove(target);
            // The export is the parent's own copy: written plain, from the sealed cache.
            if (Status s = client::exportMediaFile(source, target); !s)
                return R::failure(tr("%1 could not be written: %2").arg(target, s.error()));
            QFile::setPermissions(
                target, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
            written.insert(name);
            report.mediaFiles.append(name);
            if (video) {
                ++report.videos;
                article.append(QStringLiteral(
                    "<figure><video controls preload=\"metadata\" src=\"%1\"></video>"
                    "<figcaption><a href=\"%1\">%2</a></figcaption></figure>")
                                   .arg(html(name), html(tr("Video (%1)").arg(name))));
            } else {
                ++report.photos;
                if (Status s = writePhotoMetadata(target, when, text); !s)
                    return R::failure(s.error());
                article.append(QStringLiteral("<figure><a href=\"%1\"><img src=\"%1\" alt=\"%2\" "
                                              "loading=\"lazy\"></a></figure>")
                                   .arg(html(name),
                                       html(tr("Photo from %1")
                                                .arg(m_calendar.formatDate(o.observed_at_ms())))));
            }
        }
        if (withheldHere > 0)
            article.append(
                QStringLiteral("<p class=\"withheld\">%1</p>")
                    .arg(html(
                        tr("This observation also has photos or videos the school did not share "
                           "with families (usually because they include other children), so they "
                           "are not in this copy."))));
        article.append(QStringLiteral("</article>"));
        body.append(article.join(QLatin1Char('\n')));
    }
    if (ordered.isEmpty())
        body.append(
            QStringLiteral("<p>%1</p>").arg(html(tr("There is nothing in this journal yet."))));

    // Media of an earlier export that is no longer in the journal (retracted) goes.
    if (earlier) {
        for (const QString &f : existing) {
            if (isOurMediaName(f) && !written.contains(f))
                dir.remove(f);
        }
    }

    const QString title = tr("%1's learning journal").arg(childName);
    const QString exported
        = QLocale().toString(QDate::currentDate(), QStringLiteral("d MMMM yyyy"));
    QString intro = m_schoolName.isEmpty()
        ? tr("Copied on %1.").arg(exported)
        : tr("From %1, copied on %2.").arg(m_schoolName, exported);
    intro += QLatin1Char(' ')
        + tr("Photos of other children are in this journal only with their parents' consent: "
             "please keep them private and do not publish them online.");
    const QString page = QStringLiteral(
        "<!DOCTYPE html>\n<html lang=\"%1\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>%2</title>\n<style>\n"
        "body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 "
        "1em;line-height:1.5}\n"
        "h2{border-bottom:1px solid #ccc;margin-top:2em}\n"
        "article{margin:1.5em 0;padding-bottom:1em;border-bottom:1px dotted #ddd}\n"
        "figure{margin:0.5em 0}img,video{max-width:100%;height:auto;border-radius:4px}\n"
        ".areas,.next{color:#333}.withheld,.missing{font-style:italic;color:#555}\n"
        "</style>\n</head>\n<body>\n<h1>%2</h1>\n<p>%3</p>\n%4\n</body>\n</html>\n")
                             .arg(html(QLocale().bcp47Name()), html(title), html(intro),
                                 body.join(QLatin1Char('\n')));
    QSaveFile index(report.indexPath);
    if (!index.open(QIODevice::WriteOnly) || index.write(page.toUtf8()) < 0 || !index.commit())
        return R::failure(tr("%1 could not be written (is the disk full?)").arg(report.indexPath));
    QFile marker(dir.absoluteFilePath(kMarker));
    if (marker.open(QIODevice::WriteOnly))
        marker.write(
            "Made by Acorn's keepsake export: a later export may replace the files here.\n");
    return report;
}

} // namespace acorn::viewer

#pragma GCC diagnostic pop
