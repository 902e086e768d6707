#pragma once

// What an authenticator app does with a two-factor set-up, for tests: read the base32 key
// (RFC 4648, no padding) of an otpauth:// URI. Written here independently of the server's
// encoder, so that a wrong encoding on the server fails the tests.

#include <QByteArray>
#include <QString>

namespace acorn::test {

inline QByteArray fromBase32(const QString &text)
{
    static const QString alphabet = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (const QChar c : text) {
        if (c == QLatin1Char(' '))
            continue;
        const auto v = alphabet.indexOf(c.toUpper());
        if (v < 0)
            return {};
        buffer = (buffer << 5) | quint32(v);
        bits += 5;
        if (bits >= 8) {
            out.append(char((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

} // namespace acorn::test
