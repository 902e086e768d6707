#include "printedreport.h"

#include <QAbstractTextDocumentLayout>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

#include <memory>

namespace acorn::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("acorn::client::PrintedReport", text);
}

constexpr int kResolution = 150; // dots per inch of the PDF's page coordinates
constexpr qreal kLayoutDpi = 96;
constexpr qreal kFooterMm = 8;

// Where a block goes: from `page`, at `y` (layout pixels); `pages` > 1 for a block longer
// than a page, laid out with its own page breaks.
struct Placement
{
    std::unique_ptr<QTextDocument> document;
    int page = 0;
    qreal y = 0;
    int pages = 1;
};

} // namespace

QString PrintedReport::unwritable(const QString &path)
{
    return tr("The report could not be written to %1: check the folder exists and is writable.")
        .arg(path);
}

Result<int> PrintedReport::write(
    const QList<Block> &blocks, const QString &path, const Options &options)
{
    QFile::remove(path); // a stale report must not pass for a new one
    if (!QFileInfo(path).absoluteDir().exists())
        return Result<int>::failure(unwritable(path));
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageOrientation(options.orientation);
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
    writer.setResolution(kResolution);
    writer.setTitle(options.title);
    writer.setCreator(QStringLiteral("Acorn"));

    // The layout device: point sizes resolve at 96 dpi whatever the screen.
    QImage layoutDevice(1, 1, QImage::Format_RGB32);
    layoutDevice.setDotsPerMeterX(qRound(kLayoutDpi / 0.0254));
    layoutDevice.setDotsPerMeterY(qRound(kLayoutDpi / 0.0254));
    const QRectF paper = writer.pageLayout().paintRect(QPageLayout::Millimeter);
    const qreal footerMm = options.footer.isEmpty() ? 0 : kFooterMm;
    const qreal pxPerMm = kLayoutDpi / 25.4;
    const QSizeF page(paper.width() * pxPerMm, (paper.height() - footerMm) * pxPerMm);

    // First the layout, to know the number of pages.
    std::vector<Placement> placed;
    int pageNo = 0;
    qreal y = 0;
    for (const Block &block : blocks) {
        Placement p;
        p.document = std::make_unique<QTextDocument>();
        p.document->documentLayout()->setPaintDevice(&layoutDevice);
        for (auto it = block.images.cbegin(); it != block.images.cend(); ++it)
            p.document->addResource(QTextDocument::ImageResource, QUrl(it.key()), it.value());
        p.document->setHtml(block.html);
        p.document->setTextWidth(page.width());
        const qreal height = p.document->size().height();
        if (y > 0 && y + height > page.height()) {
            ++pageNo;
            y = 0;
        }
        p.page = pageNo;
        p.y = y;
        if (height > page.height()) {
            p.document->setPageSize(page);
            p.pages = p.document->pageCount();
            pageNo += p.pages - 1;
            y = p.document->size().height() - (p.pages - 1) * page.height();
        } else {
            y += height;
        }
        placed.push_back(std::move(p));
    }
    const int pages = pageNo + 1;

    QPainter painter;
    if (!painter.begin(&writer))
        return Result<int>::failure(unwritable(path));
    const qreal scale = writer.width() / page.width();
    painter.scale(scale, scale);
    QFont footerFont;
    footerFont.setPixelSize(qRound(8 * kLayoutDpi / 72));
    int current = 0;
    const auto footer = [&] {
        if (options.footer.isEmpty())
            return;
        painter.save();
        painter.setFont(footerFont);
        painter.setPen(Qt::darkGray);
        // One run of text, so that text extraction keeps it together.
        painter.drawText(QRectF(0, page.height(), page.width(), footerMm * pxPerMm),
            Qt::AlignRight | Qt::AlignBottom,
            tr("%1 · page %2 of %3").arg(options.footer).arg(current + 1).arg(pages));
        painter.restore();
    };
    const auto turnTo = [&](int target) {
        while (current < target) {
            footer();
            writer.newPage();
            ++current;
        }
    };
    for (const Placement &p : placed) {
        turnTo(p.page);
        if (p.pages == 1) {
            painter.save();
            painter.translate(0, p.y);
            p.document->drawContents(&painter);
            painter.restore();
            continue;
        }
        for (int i = 0; i < p.pages; ++i) {
            turnTo(p.page + i);
            painter.save();
            painter.translate(0, -i * page.height());
            p.document->drawContents(
                &painter, QRectF(0, i * page.height(), page.width(), page.height()));
            painter.restore();
        }
    }
    turnTo(pages - 1);
    footer();
    if (!painter.end() || !QFileInfo(path).isFile() || QFileInfo(path).size() == 0)
        return Result<int>::failure(unwritable(path));
    return pages;
}

} // namespace acorn::client
