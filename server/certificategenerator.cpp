#include "certificategenerator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QScopeGuard>
#include <QUrl>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace acorn::server {

namespace {

template <typename T, void (*Free)(T *)> struct OpenSslDeleter
{
    void operator()(T *object) const { Free(object); }
};
template <typename T, void (*Free)(T *)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

void freeBio(BIO *bio)
{
    BIO_free(bio);
}

using PkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using BioPtr = OpenSslPtr<BIO, freeBio>;
using ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using GeneralNamePtr = OpenSslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using Asn1StringPtr = OpenSslPtr<ASN1_STRING, ASN1_STRING_free>;

constexpr int kSerialBits = 159; // positive and at most 20 octets (RFC 5280, 4.1.2.2)
constexpr int kCommonNameMaxBytes = 64; // ub-common-name
const char kOrganisation[] = "Acorn Learning Journal";

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// The most recent OpenSSL error as text, and the queue cleared.
QString openSslError()
{
    const unsigned long code = ERR_peek_last_error();
    QString text;
    if (code != 0) {
        char buffer[256] = {};
        ERR_error_string_n(code, buffer, sizeof(buffer));
        text = QStringLiteral(" (%1)").arg(QString::fromLatin1(buffer));
    }
    ERR_clear_error();
    return text;
}

Status failure(const QString &what)
{
    return Status::failure(
        QStringLiteral("Could not create the server certificate: %1%2. This is a bug or a "
                       "broken OpenSSL installation: please report it.")
            .arg(what, openSslError()));
}

// One subjectAltName entry: an iPAddress for an IP literal, else a dNSName.
GeneralNamePtr altName(const QString &host, QString &problem)
{
    GeneralNamePtr name(GENERAL_NAME_new());
    Asn1StringPtr value;
    if (!name)
        return {};

    // "[fd00::5]" is how an IPv6 address is written in a URL; take it as the address.
    const bool bracketed = host.startsWith(u'[') && host.endsWith(u']');
    QHostAddress address;
    if (address.setAddress(bracketed ? host.mid(1, host.size() - 2) : host)) {
        QByteArray raw;
        if (address.protocol() == QAbstractSocket::IPv4Protocol) {
            const quint32 v4 = address.toIPv4Address();
            for (const int shift : { 24, 16, 8, 0 })
                raw.append(static_cast<char>((v4 >> shift) & 0xff));
        } else {
            const Q_IPV6ADDR v6 = address.toIPv6Address();
            raw = QByteArray(reinterpret_cast<const char *>(v6.c), 16);
        }
        value.reset(ASN1_OCTET_STRING_new());
        if (!value
            || ASN1_OCTET_STRING_set(value.get(),
                   reinterpret_cast<const unsigned char *>(raw.constData()),
                   static_cast<int>(raw.size()))
                != 1)
            return {};
        GENERAL_NAME_set0_value(name.get(), GEN_IPADD, value.release());
        return name;
    }

    // International names go into the certificate in their ASCII (punycode) form.
    // A fully qualified "server.example." matches clients' "server.example".
    QByteArray ascii = QUrl::toAce(host);
    if (ascii.endsWith('.'))
        ascii.chop(1);
    if (ascii.isEmpty() || ascii.size() > 253) {
        problem = QStringLiteral("\"%1\" is neither a valid host name nor an IP address; "
                                 "give the names and addresses devices use to reach the server")
                      .arg(host);
        return {};
    }
    value.reset(ASN1_IA5STRING_new());
    if (!value
        || ASN1_STRING_set(value.get(), ascii.constData(), static_cast<int>(ascii.size())) != 1)
        return {};
    GENERAL_NAME_set0_value(name.get(), GEN_DNS, value.release());
    return name;
}

// Adds an extension written in OpenSSL's configuration syntax (fixed strings only).
bool addExtension(X509 *certificate, int nid, const char *value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    const ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, &context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

QByteArray bioContents(BIO *bio)
{
    const size_t pending = BIO_ctrl_pending(bio);
    QByteArray out(static_cast<qsizetype>(pending), Qt::Uninitialized);
    if (pending == 0
        || BIO_read(bio, out.data(), static_cast<int>(pending)) != static_cast<int>(pending))
        return {};
    return out;
}

// Creates `path` with `mode` (never replacing anything), writes `data` and flushes it to disk.
Status writeNewFile(const QString &path, const QByteArray &data, mode_t mode)
{
    const QByteArray encodedPath = QFile::encodeName(path);
    const int fd = ::open(encodedPath.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        const int error = errno;
        if (error == EEXIST)
            return Status::failure(
                QStringLiteral("%1 already exists; refusing to overwrite it. Move it away "
                               "first if you really want a new certificate.")
                    .arg(native(path)));
        return Status::failure(
            QStringLiteral("Could not create %1: %2. Check the folder exists "
                           "and the server may write to it.")
                .arg(native(path), QString::fromLocal8Bit(std::strerror(error))));
    }

    const auto failWith = [&](int error) {
        ::close(fd);
        ::unlink(encodedPath.constData());
        return Status::failure(
            QStringLiteral("Could not write %1: %2. Check there is free disk "
                           "space and try again.")
                .arg(native(path), QString::fromLocal8Bit(std::strerror(error))));
    };

    qsizetype offset = 0;
    while (offset < data.size()) {
        const ssize_t written
            = ::write(fd, data.constData() + offset, static_cast<size_t>(data.size() - offset));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return failWith(errno);
        }
        offset += written;
    }
    if (::fsync(fd) != 0)
        return failWith(errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(encodedPath.constData());
        return Status::failure(
            QStringLiteral("Could not write %1: %2. Check there is free disk "
                           "space and try again.")
                .arg(native(path), QString::fromLocal8Bit(std::strerror(error))));
    }
    return {};
}

// Makes the new directory entries themselves durable.
void syncDirectory(const QString &filePath)
{
    const QByteArray dir = QFile::encodeName(QFileInfo(filePath).absolutePath());
    const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

Status ensureParentDirectory(const QString &filePath)
{
    const QString dir = QFileInfo(filePath).absolutePath();
    if (!QDir().mkpath(dir))
        return Status::failure(QStringLiteral("Could not create the folder %1. Check the server "
                                              "may write there, or choose another path.")
                                   .arg(native(dir)));
    return {};
}

} // namespace

Status CertificateGenerator::generate(const Paths &paths, const QStringList &hosts, int validDays)
{
    if (paths.certificatePem.isEmpty() || paths.keyPem.isEmpty())
        return Status::failure(QStringLiteral(
            "Could not create the server certificate: no path was given for the certificate "
            "or the key."));
    if (QFileInfo(paths.certificatePem).absoluteFilePath()
        == QFileInfo(paths.keyPem).absoluteFilePath())
        return Status::failure(QStringLiteral(
            "Could not create the server certificate: the certificate and the key need two "
            "different files."));
    if (hosts.isEmpty())
        return Status::failure(QStringLiteral(
            "Could not create the server certificate: give at least one host name or IP "
            "address that devices use to reach the server."));
    if (validDays < 1)
        return Status::failure(
            QStringLiteral("Could not create the server certificate: it must be valid for at "
                           "least one day, not %1.")
                .arg(validDays));

    // Refuse before doing any work; opening with O_EXCL below closes the race.
    for (const QString &path : { paths.keyPem, paths.certificatePem }) {
        if (QFileInfo(path).exists() || QFileInfo(path).isSymLink())
            return Status::failure(
                QStringLiteral("%1 already exists; refusing to overwrite it. Move it away "
                               "first if you really want a new certificate.")
                    .arg(native(path)));
    }

    const QByteArray commonName = hosts.first().trimmed().toUtf8();
    if (commonName.isEmpty() || commonName.size() > kCommonNameMaxBytes)
        return Status::failure(
            QStringLiteral("Could not create the server certificate: the first host name "
                           "becomes the certificate's name and must have 1 to %1 characters. "
                           "Put a shorter name first.")
                .arg(kCommonNameMaxBytes));

    GeneralNamesPtr altNames(GENERAL_NAMES_new());
    if (!altNames)
        return failure(QStringLiteral("out of memory"));
    for (const QString &host : hosts) {
        QString problem;
        GeneralNamePtr name = altName(host.trimmed(), problem);
        if (!name) {
            if (!problem.isEmpty()) {
                ERR_clear_error();
                return Status::failure(
                    QStringLiteral("Could not create the server certificate: %1.").arg(problem));
            }
            return failure(QStringLiteral("could not encode the name \"%1\"").arg(host));
        }
        if (sk_GENERAL_NAME_push(altNames.get(), name.get()) <= 0)
            return failure(QStringLiteral("out of memory"));
        name.release(); // now owned by altNames
    }

    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        return failure(QStringLiteral("could not generate an ECDSA P-256 key"));

    const X509Ptr certificate(X509_new());
    if (!certificate)
        return failure(QStringLiteral("out of memory"));
    X509 *x = certificate.get();
    if (X509_set_version(x, X509_VERSION_3) != 1)
        return failure(QStringLiteral("could not set the certificate version"));

    const BignumPtr serial(BN_new());
    if (!serial || BN_rand(serial.get(), kSerialBits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x)))
        return failure(QStringLiteral("could not make a serial number"));

    if (!X509_gmtime_adj(X509_getm_notBefore(x), -60 * 60)
        || !X509_time_adj_ex(X509_getm_notAfter(x), validDays, 0, nullptr))
        return failure(QStringLiteral("could not set the validity period"));

    if (X509_set_pubkey(x, key.get()) != 1)
        return failure(QStringLiteral("could not set the public key"));

    X509_NAME *subject = X509_get_subject_name(x); // owned by the certificate
    const auto *cn = reinterpret_cast<const unsigned char *>(commonName.constData());
    const auto *org = reinterpret_cast<const unsigned char *>(kOrganisation);
    if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1
        || X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, org, -1, -1, 0) != 1
        || X509_set_issuer_name(x, subject) != 1)
        return failure(QStringLiteral("could not set the certificate's name"));

    if (X509_add1_ext_i2d(x, NID_subject_alt_name, altNames.get(), 0, X509V3_ADD_DEFAULT) != 1
        || !addExtension(x, NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(x, NID_key_usage, "critical,digitalSignature")
        || !addExtension(x, NID_ext_key_usage, "serverAuth")
        || !addExtension(x, NID_subject_key_identifier, "hash"))
        return failure(QStringLiteral("could not add the certificate's extensions"));

    if (X509_sign(x, key.get(), EVP_sha256()) <= 0)
        return failure(QStringLiteral("could not sign the certificate"));

    const BioPtr certificateBio(BIO_new(BIO_s_mem()));
    if (!certificateBio || PEM_write_bio_X509(certificateBio.get(), x) != 1)
        return failure(QStringLiteral("could not encode the certificate"));
    const QByteArray certificatePem = bioContents(certificateBio.get());

    // The key's PEM is wiped from memory once written: the secmem BIO clears its buffer when
    // freed, and keyPem is cleansed by the guard below.
    const BioPtr keyBio(BIO_new(BIO_s_secmem()));
    if (!keyBio
        || PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return failure(QStringLiteral("could not encode the private key"));
    QByteArray keyPem = bioContents(keyBio.get());
    const auto wipeKey = qScopeGuard(
        [&keyPem] { OPENSSL_cleanse(keyPem.data(), static_cast<size_t>(keyPem.size())); });
    if (certificatePem.isEmpty() || keyPem.isEmpty())
        return failure(QStringLiteral("could not encode the certificate or key"));

    for (const QString &path : { paths.keyPem, paths.certificatePem }) {
        if (const Status made = ensureParentDirectory(path); !made)
            return made;
    }

    if (const Status written = writeNewFile(paths.keyPem, keyPem, S_IRUSR | S_IWUSR); !written)
        return written;
    if (const Status written = writeNewFile(paths.certificatePem, certificatePem, 0644); !written) {
        // Leave no half-made identity behind: a key without its certificate.
        ::unlink(QFile::encodeName(paths.keyPem).constData());
        return written;
    }
    syncDirectory(paths.keyPem);
    syncDirectory(paths.certificatePem);
    return {};
}

} // namespace acorn::server
