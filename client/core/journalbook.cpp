#include "journalbook.h"

#include "atrest.h"
#include "consentcheck.h"
#include "eyfstags.h"
#include "printedreport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QImage>
#include <QLocale>

#include <algorithm>

namespace acorn::client {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("acorn::client::JournalBook", text, disambiguation, n);
}

// A thumbnail's box on the page, in layout pixels (96 dpi): 30 x 22.5 mm.
constexpr int kThumbWidth = 113;
constexpr int kThumbHeight = 85;

QString childFullName(const wire::Child &c)
{
    return QStringLiteral("%1 %2")
        .arg(QString::fromStdString(c.first_name()), QString::fromStdString(c.last_name()))
        .trimmed();
}

// Text as HTML paragraphs: escaped, line breaks kept.
QString paragraphs(const std::string &text)
{
    return QString::fromStdString(text).trimmed().toHtmlEscaped().replace(
        QLatin1Char('\n'), QStringLiteral("<br>"));
}

const wire::Child *findChild(const QList<wire::Child> &roster, const std::string &ref)
{
    const auto it = std::find_if(
        roster.cbegin(), roster.cend(), [&](const wire::Child &c) { return c.ref() == ref; });
    return it == roster.cend() ? nullptr : &*it;
}

// Why the media of `o` may not go in this child's book, or empty when it may.
QString mediaWithheldReason(const JournalBook::Input &input, const wire::Observation &o)
{
    bool otherChildren = false;
    bool withdrawn = false;
    for (const wire::Media &m : o.media()) {
        otherChildren = otherChildren || m.withheld() == wire::OTHER_CHILDREN;
        withdrawn = withdrawn
            || (m.withheld() != wire::NOT_WITHHELD && m.withheld() != wire::OTHER_CHILDREN);
    }
    if (const wire::Child *self = findChild(input.roster, input.child.ref());
        self && !self->consent_journal_media()) {
        withdrawn = true;
    }
    // The device's copy of the consent rule: a group photo goes in this child's book only if
    // every other child in it may appear in other children's journals.
    QStringList refs;
    for (const std::string &r : o.child_refs())
        refs.append(QString::fromStdString(r));
    QStringList hidden = ConsentCheck::evaluate(input.roster, refs, true).mediaHiddenRefs;
    hidden.removeAll(QString::fromStdString(input.child.ref()));
    otherChildren = otherChildren || !hidden.isEmpty();
    if (withdrawn)
        return tr("Photos and video not included: consent for them has been withdrawn.");
    if (otherChildren)
        return tr("Photos and video not included: this observation includes another child whose "
                  "family has not agreed to their image appearing in other journals.");
    return {};
}

// The thumbnail scaled to fit its box at twice the printed resolution (sharp, and small).
QImage thumbnailImage(const QString &path)
{
    const auto bytes = readMediaFile(path); // sealed at rest: decrypted in memory only
    QImage image = bytes ? QImage::fromData(bytes.value()) : QImage();
    if (image.isNull())
        return {};
    return image.scaled(
        QSize(kThumbWidth, kThumbHeight) * 2, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

QString mediaCell(
    const JournalBook::Input &input, const wire::Observation &o, QHash<QString, QImage> *images)
{
    if (o.media_size() == 0)
        return {};
    if (const QString reason = mediaWithheldReason(input, o); !reason.isEmpty())
        return QStringLiteral("<span style=\"font-size: 8pt; color: #555555;\">%1</span>")
            .arg(reason.toHtmlEscaped());
    QString out;
    int shown = 0;
    int videos = 0;
    for (const wire::Media &m : o.media())
        videos += m.kind() == wire::VIDEO ? 1 : 0;
    for (const wire::Media &m : o.media()) {
        if (shown == JournalBook::kThumbnailsPerEntry)
            break;
        ++shown;
        const QString file = input.thumbnailPath ? input.thumbnailPath(m) : QString();
        const QImage image = file.isEmpty() ? QImage() : thumbnailImage(file);
        if (image.isNull()) {
            out += QStringLiteral("<span style=\"font-size: 8pt; color: #555555;\">[%1]</span> ")
                       .arg((m.kind() == wire::VIDEO ? tr("Video not on this device")
                                                     : tr("Photo not on this device"))
                                .toHtmlEscaped());
            continue;
        }
        const QString name = QStringLiteral("thumb:%1").arg(QString::fromStdString(m.id()));
        images->insert(name, image);
        const QSize box
            = image.size().scaled(QSize(kThumbWidth, kThumbHeight), Qt::KeepAspectRatio);
        out += QStringLiteral("<img src=\"%1\" width=\"%2\" height=\"%3\"> ")
                   .arg(name.toHtmlEscaped())
                   .arg(box.width())
                   .arg(box.height());
    }
    QStringList notes;
    if (const int more = o.media_size() - shown; more > 0)
        notes.append(tr("%n more not printed", nullptr, more));
    if (videos > 0)
        notes.append(tr("with video"));
    if (!notes.isEmpty()) {
        out += QStringLiteral("<br><span style=\"font-size: 7pt; color: #555555;\">%1</span>")
                   .arg(notes.join(QStringLiteral("; ")).toHtmlEscaped());
    }
    return out;
}

QString textCell(const JournalBook::Input &input, const wire::Observation &o)
{
    QString out = QStringLiteral("<b>%1</b>")
                      .arg(JournalBook::dateText(o.observed_at_ms(), input.zone).toHtmlEscaped());
    if (!o.author_name().empty()) {
        out += QStringLiteral(" <span style=\"color: #555555;\">%1</span>")
                   .arg(tr("by %1").arg(QString::fromStdString(o.author_name())).toHtmlEscaped());
    }
    out += QStringLiteral("<br>%1").arg(paragraphs(o.text()));
    if (!o.next_steps().empty()) {
        out += QStringLiteral("<br><i>%1</i>")
                   .arg(tr("Next steps: %1")
                            .arg(QString::fromStdString(o.next_steps()).trimmed())
                            .toHtmlEscaped());
    }
    QStringList tags;
    for (const std::string &t : o.eyfs_tags()) {
        const QString words = EyfsTags::words(QString::fromStdString(t));
        if (!tags.contains(words))
            tags.append(words);
    }
    if (!tags.isEmpty()) {
        out += QStringLiteral("<br><span style=\"font-size: 8pt; color: #2e5e3e;\">%1</span>")
                   .arg(tr("Learning: %1").arg(tags.join(QStringLiteral("; "))).toHtmlEscaped());
    }
    return out;
}

const QString kBodyStyle = QStringLiteral("font-family: sans-serif; font-size: 9pt;");

QString longDate(const QDate &day)
{
    return QLocale().toString(day, QStringLiteral("d MMMM yyyy"));
}

// The book as blocks that are never split across pages: the title, then one block per
// entry (the first of each month with the month's heading).
QList<PrintedReport::Block> render(const JournalBook::Input &input)
{
    QList<PrintedReport::Block> blocks;
    const QList<wire::Observation> entries = JournalBook::entries(input);
    const QString name = childFullName(input.child);
    const auto dayOf = [&](const wire::Observation &o) {
        return QDateTime::fromMSecsSinceEpoch(o.observed_at_ms(), input.zone).date();
    };

    QString title = QStringLiteral("<html><body style=\"%1\">").arg(kBodyStyle);
    title
        += QStringLiteral("<h2>%1</h2>").arg(tr("%1's learning journal").arg(name).toHtmlEscaped());
    QStringList where;
    if (!input.child.class_name().empty())
        where.append(QString::fromStdString(input.child.class_name()));
    if (!input.schoolName.isEmpty())
        where.append(input.schoolName);
    const QDate from
        = input.from.isValid() || entries.isEmpty() ? input.from : dayOf(entries.first());
    const QDate to = input.to.isValid() || entries.isEmpty() ? input.to : dayOf(entries.last());
    if (from.isValid() && to.isValid())
        where.append(tr("%1 to %2").arg(longDate(from), longDate(to)));
    where.append(tr("observations: %1").arg(entries.size()));
    title += QStringLiteral("<p>%1</p>").arg(where.join(QStringLiteral(" · ")).toHtmlEscaped());
    if (entries.isEmpty()) {
        title += QStringLiteral("<p>%1</p>")
                     .arg(tr("No observations of %1 in these dates.").arg(name).toHtmlEscaped());
    }
    title += QStringLiteral("</body></html>");
    blocks.append({ title, {} });

    QString month;
    for (const wire::Observation &o : entries) {
        PrintedReport::Block block;
        block.html = QStringLiteral("<html><body style=\"%1\">").arg(kBodyStyle);
        const QString thisMonth = QLocale().toString(dayOf(o), QStringLiteral("MMMM yyyy"));
        if (thisMonth != month) {
            month = thisMonth;
            block.html += QStringLiteral("<p style=\"margin-top: 6px;\"><b><font "
                                         "color=\"#2e5e3e\" size=\"+1\">%1</font></b></p>")
                              .arg(month.toHtmlEscaped());
        }
        block.html += QStringLiteral(
            "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"4\" style=\"border-collapse: "
            "collapse;\"><tr><td width=\"%1\" valign=\"top\" style=\"border-bottom: 1px solid "
            "#cccccc;\">%2</td><td valign=\"top\" style=\"border-bottom: 1px solid "
            "#cccccc;\">%3</td></tr></table></body></html>")
                          .arg(2 * kThumbWidth + 16)
                          .arg(mediaCell(input, o, &block.images), textCell(input, o));
        blocks.append(block);
    }
    return blocks;
}

} // namespace

QList<wire::Observation> JournalBook::entries(const Input &input)
{
    QList<wire::Observation> out;
    for (const wire::Observation &o : input.observations) {
        if (o.deleted() || o.state() != wire::PUBLISHED)
            continue;
        if (std::find(o.child_refs().cbegin(), o.child_refs().cend(), input.child.ref())
            == o.child_refs().cend()) {
            continue;
        }
        const QDate day = QDateTime::fromMSecsSinceEpoch(o.observed_at_ms(), input.zone).date();
        if ((input.from.isValid() && day < input.from) || (input.to.isValid() && day > input.to))
            continue;
        out.append(o);
    }
    std::stable_sort(out.begin(), out.end(),
        [](const auto &a, const auto &b) { return a.observed_at_ms() < b.observed_at_ms(); });
    return out;
}

QString JournalBook::dateText(qint64 observedAtMs, const QTimeZone &zone)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(observedAtMs, zone);
    return QLocale().toString(at, QStringLiteral("dddd d MMMM yyyy, HH:mm"));
}

QString JournalBook::html(const Input &input)
{
    QString out;
    for (const PrintedReport::Block &b : render(input))
        out += b.html;
    return out;
}

Result<int> JournalBook::writePdf(const Input &input, const QString &path)
{
    PrintedReport::Options options;
    options.title = tr("%1's learning journal").arg(childFullName(input.child));
    options.footer = options.title;
    return PrintedReport::write(render(input), path, options);
}

} // namespace acorn::client
