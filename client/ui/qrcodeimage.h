#pragma once

#include <QBitArray>
#include <QImage>
#include <QString>

namespace acorn::ui {

// A QR code (ISO/IEC 18004) of a short text, such as the otpauth:// URI of a two-factor
// set-up, for a phone's camera. libqrencode chooses the modules (byte mode, error correction
// level M, the smallest version that holds the text); this class paints them, dark on white,
// inside the quiet zone of four modules that scanners need. It never decodes, and never keeps
// the text.
class QrCodeImage
{
public:
    static constexpr int kQuietZoneModules = 4;

    // The code of `text` (UTF-8); isNull() when it cannot be made (empty or too long).
    static QrCodeImage encode(const QString &text);

    bool isNull() const { return m_width == 0; }
    // 1 to 40: the size class libqrencode chose for the text's length.
    int version() const { return m_version; }
    // Modules per side, without the quiet zone: 17 + 4 * version.
    int modules() const { return m_width; }
    bool isDark(int x, int y) const;
    // Square, `moduleSize` pixels per module, quiet zone included:
    // (modules() + 2 * kQuietZoneModules) * moduleSize pixels per side. Null when isNull().
    QImage image(int moduleSize) const;

private:
    int m_version = 0;
    int m_width = 0;
    QBitArray m_dark; // row by row
};

} // namespace acorn::ui
