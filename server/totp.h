#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace acorn::server {

// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA-1, 30-second steps,
// 6 digits): what every authenticator app (FreeOTP, Aegis, Google/Microsoft Authenticator)
// shows. It computes and checks codes; it never stores a secret or remembers which step
// was used (the caller keeps the last accepted step so that a code works once).
class Totp
{
public:
    static constexpr qint64 kStepSeconds = 30;
    static constexpr int kDigits = 6;
    static constexpr int kSecretBytes = 20; // 160 bits, as RFC 4226 recommends
    // Steps before and after the current one that are still accepted: a phone clock
    // 30 seconds off, or a code typed just as it changed, still works.
    static constexpr int kWindowSteps = 1;

    // A fresh random secret.
    static QByteArray newSecret();
    // The time step holding `ms` (milliseconds since the epoch).
    static qint64 stepAt(qint64 ms);
    // The code for one step, zero-padded to `digits` (6 or 8).
    static QString code(const QByteArray &secret, qint64 step, int digits = kDigits);
    // The step within the window around `nowMs` whose code `typed` is (spaces ignored),
    // if it is later than `lastUsedStep`; nullopt otherwise. Compares in constant time.
    static std::optional<qint64> acceptedStep(
        const QByteArray &secret, const QString &typed, qint64 nowMs, qint64 lastUsedStep);

    // RFC 4648 base32 without padding, as otpauth:// URIs carry secrets.
    static QString base32(const QByteArray &bytes);
    // The otpauth:// URI an authenticator app reads (usually from a QR code).
    static QString provisioningUri(
        const QString &issuer, const QString &account, const QByteArray &secret);
};

} // namespace acorn::server
