#include "totp.h"

#include "crypto.h"

#include <QUrl>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace acorn::server {

QByteArray Totp::newSecret()
{
    return crypto::randomBytes(kSecretBytes);
}

qint64 Totp::stepAt(qint64 ms)
{
    // Floor division: steps before 1970 never occur, but a negative clock must not round up.
    const qint64 seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    return seconds >= 0 ? seconds / kStepSeconds : (seconds - kStepSeconds + 1) / kStepSeconds;
}

QString Totp::code(const QByteArray &secret, qint64 step, int digits)
{
    std::array<unsigned char, 8> counter {};
    auto value = static_cast<quint64>(step);
    for (int i = 7; i >= 0; --i) {
        counter[static_cast<size_t>(i)] = static_cast<unsigned char>(value & 0xff);
        value >>= 8;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac {};
    unsigned int macLen = 0;
    if (!HMAC(EVP_sha1(), secret.constData(), static_cast<int>(secret.size()), counter.data(),
            counter.size(), mac.data(), &macLen)
        || macLen < 20)
        return {};
    // Dynamic truncation (RFC 4226 section 5.3).
    const unsigned offset = mac[macLen - 1] & 0x0fu;
    const quint32 binary = (quint32(mac[offset] & 0x7fu) << 24) | (quint32(mac[offset + 1]) << 16)
        | (quint32(mac[offset + 2]) << 8) | quint32(mac[offset + 3]);
    quint32 modulus = 1;
    for (int i = 0; i < digits; ++i)
        modulus *= 10;
    return QStringLiteral("%1").arg(binary % modulus, digits, 10, QLatin1Char('0'));
}

std::optional<qint64> Totp::acceptedStep(
    const QByteArray &secret, const QString &typed, qint64 nowMs, qint64 lastUsedStep)
{
    QString digits = typed;
    digits.remove(QLatin1Char(' ')).remove(QLatin1Char('-'));
    if (secret.isEmpty() || digits.size() != kDigits)
        return std::nullopt;
    const qint64 now = stepAt(nowMs);
    std::optional<qint64> found;
    // Every step of the window is computed and compared, so timing says nothing.
    for (qint64 step = now - kWindowSteps; step <= now + kWindowSteps; ++step) {
        const bool same
            = crypto::constantTimeEquals(code(secret, step).toLatin1(), digits.toLatin1());
        if (same && step > lastUsedStep && !found)
            found = step;
    }
    return found;
}

QString Totp::base32(const QByteArray &bytes)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (const char c : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 5) {
            out.append(QLatin1Char(alphabet[(buffer >> (bits - 5)) & 0x1f]));
            bits -= 5;
        }
    }
    if (bits > 0)
        out.append(QLatin1Char(alphabet[(buffer << (5 - bits)) & 0x1f]));
    return out;
}

QString Totp::provisioningUri(
    const QString &issuer, const QString &account, const QByteArray &secret)
{
    const QString label = QString::fromLatin1(
        QUrl::toPercentEncoding(issuer) + ':' + QUrl::toPercentEncoding(account));
    return QStringLiteral(
        "otpauth://totp/%1?secret=%2&issuer=%3&algorithm=SHA1&digits=%4&period=%5")
        .arg(label, base32(secret), QString::fromLatin1(QUrl::toPercentEncoding(issuer)))
        .arg(kDigits)
        .arg(kStepSeconds);
}

} // namespace acorn::server
