#pragma once

#include <QCoreApplication>
#include <QDate>
#include <QRect>
#include <QString>

class QPainter;

namespace acorn::viewer {

// The light watermark over every photo the viewer displays: the signed-in family's name
// and today's date, repeated diagonally at low opacity. It deters passing photos on (a
// screenshot still shows whose account it came from); it is not DRM and must never hide
// the child in the picture, so it stays faint and small.
class Watermark
{
    Q_DECLARE_TR_FUNCTIONS(acorn::viewer::Watermark)

public:
    // "Alex Brown · 28 November 2026"
    static QString text(const QString &familyName, const QDate &day);
    // Paints `text` over `area` (the displayed photo's rectangle, in device pixels).
    static void paint(QPainter &painter, const QRect &area, const QString &text);
};

} // namespace acorn::viewer
