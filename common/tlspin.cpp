#include "tlspin.h"

#include <QCryptographicHash>
#include <QSslCertificate>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <limits>
#include <memory>

namespace acorn::tls {

namespace {

struct BioDeleter
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct X509Deleter
{
    void operator()(X509 *x509) const { X509_free(x509); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

constexpr int kFingerprintHexDigits = 64;

QString notACertificate()
{
    return QStringLiteral("not a valid X.509 certificate");
}

X509Ptr parseCertificate(const QByteArray &derOrPem)
{
    if (derOrPem.isEmpty() || derOrPem.size() > std::numeric_limits<int>::max())
        return {};
    const int size = static_cast<int>(derOrPem.size());

    if (derOrPem.trimmed().startsWith("-----BEGIN")) {
        BioPtr bio(BIO_new_mem_buf(derOrPem.constData(), size));
        if (!bio)
            return {};
        return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    }

    const auto *der = reinterpret_cast<const unsigned char *>(derOrPem.constData());
    const unsigned char *cursor = der;
    X509Ptr certificate(d2i_X509(nullptr, &cursor, size));
    // Trailing bytes after the certificate mean this was not one DER certificate.
    if (certificate && cursor != der + size)
        return {};
    return certificate;
}

} // namespace

Result<QString> spkiFingerprint(const QByteArray &certificateDerOrPem)
{
    const X509Ptr certificate = parseCertificate(certificateDerOrPem);
    if (!certificate) {
        ERR_clear_error();
        return Result<QString>::failure(notACertificate());
    }

    // Owned by the certificate: not freed here.
    X509_PUBKEY *publicKey = X509_get_X509_PUBKEY(certificate.get());
    const int length = publicKey ? i2d_X509_PUBKEY(publicKey, nullptr) : -1;
    if (length <= 0) {
        ERR_clear_error();
        return Result<QString>::failure(notACertificate());
    }
    QByteArray spki(length, Qt::Uninitialized);
    auto *cursor = reinterpret_cast<unsigned char *>(spki.data());
    if (i2d_X509_PUBKEY(publicKey, &cursor) != length) {
        ERR_clear_error();
        return Result<QString>::failure(notACertificate());
    }
    return QString::fromLatin1(QCryptographicHash::hash(spki, QCryptographicHash::Sha256).toHex());
}

Result<QString> spkiFingerprint(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return Result<QString>::failure(notACertificate());
    return spkiFingerprint(certificate.toDer());
}

Result<QString> normaliseFingerprint(const QString &typed)
{
    QStringView rest = QStringView(typed).trimmed();
    if (rest.startsWith(QLatin1String("sha256:"), Qt::CaseInsensitive))
        rest = rest.mid(7);

    QString digits;
    digits.reserve(rest.size());
    for (const QChar c : rest) {
        if (c == u':' || c.isSpace())
            continue;
        const bool hex
            = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!hex)
            return Result<QString>::failure(
                QStringLiteral("a fingerprint has only the hex digits 0-9 and a-f; this one "
                               "has \"%1\". Check it was copied completely and correctly.")
                    .arg(c));
        digits += c.toLower();
    }

    if (digits.isEmpty())
        return Result<QString>::failure(
            QStringLiteral("no fingerprint was given; enter the 64 hex digits the server "
                           "shows."));
    if (digits.size() != kFingerprintHexDigits)
        return Result<QString>::failure(
            QStringLiteral("a fingerprint has %1 hex digits; this one has %2. Check it was "
                           "copied completely.")
                .arg(kFingerprintHexDigits)
                .arg(digits.size()));
    return digits;
}

QString displayFingerprint(const QString &fingerprint)
{
    constexpr qsizetype group = 4;
    QString out;
    out.reserve(fingerprint.size() + fingerprint.size() / group);
    for (qsizetype i = 0; i < fingerprint.size(); i += group) {
        if (i > 0)
            out += u' ';
        out += QStringView(fingerprint).mid(i, group);
    }
    return out;
}

} // namespace acorn::tls
