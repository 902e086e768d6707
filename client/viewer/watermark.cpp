#include "watermark.h"

#include <QCoreApplication>
#include <QFont>
#include <QFontMetrics>
#include <QLocale>
#include <QPainter>
#include <QtMath>

namespace acorn::viewer {

QString Watermark::text(const QString &familyName, const QDate &day)
{
    //: photo watermark: %1 the signed-in family's name, %2 today's date
    return tr("%1 · %2").arg(familyName, QLocale().toString(day, QStringLiteral("d MMMM yyyy")));
}

void Watermark::paint(QPainter &painter, const QRect &area, const QString &text)
{
    if (area.isEmpty() || text.isEmpty())
        return;
    painter.save();
    painter.setClipRect(area);
    QFont f = painter.font();
    f.setPixelSize(std::clamp(area.height() / 22, 11, 28));
    f.setBold(true);
    painter.setFont(f);
    const QFontMetrics fm(f);
    const int w = fm.horizontalAdvance(text) + fm.height() * 3;
    const int h = fm.height() * 5;
    painter.translate(area.center());
    painter.rotate(-30);
    // Enough rows and columns to cover the rotated rectangle.
    const int reach
        = static_cast<int>(
              qSqrt(qreal(area.width()) * area.width() + qreal(area.height()) * area.height()) / 2)
        + w;
    for (int y = -reach; y <= reach; y += h) {
        const int shift = ((y / h) % 2) * (w / 2);
        for (int x = -reach - shift; x <= reach; x += w) {
            // A dark outline under a light fill reads on both light and dark photos.
            painter.setOpacity(0.16);
            painter.setPen(Qt::black);
            painter.drawText(QPoint(x + 1, y + 1), text);
            painter.setOpacity(0.22);
            painter.setPen(Qt::white);
            painter.drawText(QPoint(x, y), text);
        }
    }
    painter.restore();
}

} // namespace acorn::viewer
