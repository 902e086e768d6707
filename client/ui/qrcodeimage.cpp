#include "qrcodeimage.h"

#include <QPainter>

#include <qrencode.h>

#include <memory>

namespace acorn::ui {

QrCodeImage QrCodeImage::encode(const QString &text)
{
    QrCodeImage out;
    const QByteArray bytes = text.toUtf8();
    if (bytes.isEmpty())
        return out;
    // Byte mode throughout (QRcode_encodeData), so the version follows from the length alone;
    // level M survives a smudged screen or a glare spot (15% of the code).
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(int(bytes.size()),
            reinterpret_cast<const unsigned char *>(bytes.constData()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code || code->width <= 0)
        return out;
    out.m_version = code->version;
    out.m_width = code->width;
    out.m_dark.resize(code->width * code->width);
    for (int i = 0; i < code->width * code->width; ++i)
        out.m_dark.setBit(i, code->data[i] & 1); // bit 0: dark module
    return out;
}

bool QrCodeImage::isDark(int x, int y) const
{
    if (x < 0 || y < 0 || x >= m_width || y >= m_width)
        return false; // the quiet zone
    return m_dark.testBit(y * m_width + x);
}

QImage QrCodeImage::image(int moduleSize) const
{
    if (isNull() || moduleSize <= 0)
        return {};
    const int side = (m_width + 2 * kQuietZoneModules) * moduleSize;
    QImage img(side, side, QImage::Format_RGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::black);
    for (int y = 0; y < m_width; ++y) {
        for (int x = 0; x < m_width; ++x) {
            if (isDark(x, y))
                p.drawRect((x + kQuietZoneModules) * moduleSize,
                    (y + kQuietZoneModules) * moduleSize, moduleSize, moduleSize);
        }
    }
    return img;
}

} // namespace acorn::ui
