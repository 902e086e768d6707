#include "crypto.h"

#include <QIODevice>
#include <QStringList>
#include <QtGlobal>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace acorn::crypto {

namespace {

struct KdfDeleter
{
    void operator()(EVP_KDF *kdf) const { EVP_KDF_free(kdf); }
};
struct KdfCtxDeleter
{
    void operator()(EVP_KDF_CTX *ctx) const { EVP_KDF_CTX_free(ctx); }
};
struct CipherCtxDeleter
{
    void operator()(EVP_CIPHER_CTX *ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using KdfPtr = std::unique_ptr<EVP_KDF, KdfDeleter>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;
constexpr int kKeyBytes = 32;

// Parameter limits for stored hashes. The memory ceiling keeps a stored (or tampered)
// hash from making the server allocate more than it can afford on one login: scrypt needs
// about 128 * r * N bytes.
constexpr int kMinLog2N = 10;
constexpr int kMaxLog2N = 22;
constexpr int kMaxR = 32;
constexpr int kMaxP = 16;
constexpr std::uint64_t kMaxScryptMemory = std::uint64_t { 1 } << 30; // 1 GiB

// OpenSSL takes int lengths; feed the cipher in pieces well below INT_MAX.
constexpr qsizetype kCipherChunk = qsizetype { 1 } << 20;

const char kActivationAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr int kActivationAlphabetSize = int { sizeof(kActivationAlphabet) } - 1;
constexpr int kActivationGroups = 3;
constexpr int kActivationGroupLength = 5;

const unsigned char *bytes(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char *>(view.data());
}

unsigned char *bytes(QByteArray &array)
{
    return reinterpret_cast<unsigned char *>(array.data());
}

} // namespace

std::uint64_t scryptMemory(const ScryptParams &params)
{
    // What OpenSSL's scrypt allocates: B (128 * r * p) plus V and XY (128 * r * (N + 2)).
    const std::uint64_t n = std::uint64_t { 1 } << params.log2N;
    const auto r = static_cast<std::uint64_t>(params.r);
    const auto p = static_cast<std::uint64_t>(params.p);
    return 128 * r * (n + 2) + 128 * r * p;
}

namespace {

// Empty when the parameters are acceptable for a stored hash, else what is wrong.
QString checkStoredParams(const ScryptParams &params)
{
    if (params.log2N < kMinLog2N || params.log2N > kMaxLog2N)
        return QStringLiteral("scrypt ln must be between %1 and %2, not %3")
            .arg(kMinLog2N)
            .arg(kMaxLog2N)
            .arg(params.log2N);
    if (params.r < 1 || params.r > kMaxR)
        return QStringLiteral("scrypt r must be between 1 and %1, not %2").arg(kMaxR).arg(params.r);
    if (params.p < 1 || params.p > kMaxP)
        return QStringLiteral("scrypt p must be between 1 and %1, not %2").arg(kMaxP).arg(params.p);
    if (scryptMemory(params) > kMaxScryptMemory)
        return QStringLiteral("scrypt parameters ln=%1, r=%2 need more than 1 GiB of memory")
            .arg(params.log2N)
            .arg(params.r);
    return {};
}

// A decimal number of one or two ASCII digits, or -1.
int parseSmallNumber(QStringView text)
{
    if (text.isEmpty() || text.size() > 2)
        return -1;
    int value = 0;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value;
}

// Strict base64: only the canonical encoding (what toBase64() produces) is accepted, so
// an encoded hash has exactly one spelling.
bool decodeBase64(QStringView text, QByteArray &out)
{
    const QByteArray ascii = text.toLatin1();
    auto decoded = QByteArray::fromBase64Encoding(ascii, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty() || decoded.decoded.toBase64() != ascii)
        return false;
    out = std::move(decoded.decoded);
    return true;
}

struct ParsedHash
{
    ScryptParams params;
    QByteArray salt;
    QByteArray hash;
};

// "$scrypt$ln=17,r=8,p=1$<salt>$<hash>"
bool parseEncoded(const QString &encoded, ParsedHash &parsed)
{
    const QStringList parts = encoded.split(u'$');
    if (parts.size() != 5 || !parts[0].isEmpty() || parts[1] != QLatin1String("scrypt"))
        return false;

    const QStringList settings = parts[2].split(u',');
    if (settings.size() != 3 || !settings[0].startsWith(QLatin1String("ln="))
        || !settings[1].startsWith(QLatin1String("r="))
        || !settings[2].startsWith(QLatin1String("p=")))
        return false;
    parsed.params.log2N = parseSmallNumber(QStringView(settings[0]).mid(3));
    parsed.params.r = parseSmallNumber(QStringView(settings[1]).mid(2));
    parsed.params.p = parseSmallNumber(QStringView(settings[2]).mid(2));
    if (!checkStoredParams(parsed.params).isEmpty())
        return false;

    if (!decodeBase64(parts[3], parsed.salt) || !decodeBase64(parts[4], parsed.hash))
        return false;
    return parsed.hash.size() == kHashBytes;
}

QString damagedMessage()
{
    return QStringLiteral("Could not decrypt: the data is damaged or the key is wrong.");
}

QString keySizeMessage(qsizetype size)
{
    return QStringLiteral("An AES-256 key has 32 bytes; this one has %1. This is a bug in the "
                          "caller: please report it.")
        .arg(size);
}

// Feeds `in` through the cipher (or as AAD when out is null) in int-sized pieces.
bool cipherUpdate(
    EVP_CIPHER_CTX *ctx, QByteArrayView in, unsigned char *out, int encrypting, qsizetype &written)
{
    written = 0;
    for (qsizetype offset = 0; offset < in.size(); offset += kCipherChunk) {
        const int chunk = static_cast<int>(std::min(kCipherChunk, in.size() - offset));
        int outLen = 0;
        unsigned char *target = out ? out + written : nullptr;
        const int ok = encrypting
            ? EVP_EncryptUpdate(ctx, target, &outLen, bytes(in) + offset, chunk)
            : EVP_DecryptUpdate(ctx, target, &outLen, bytes(in) + offset, chunk);
        if (ok != 1)
            return false;
        if (out)
            written += outLen;
    }
    return true;
}

} // namespace

QByteArray randomBytes(int count)
{
    if (count <= 0)
        return {};
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(bytes(out), count) != 1)
        qFatal("acorn: the system's random number generator failed (RAND_bytes); stopping "
               "rather than issuing guessable secrets");
    return out;
}

QByteArray sha256(QByteArrayView data)
{
    Sha256 h;
    h.add(data);
    return h.result();
}

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new())
{
    if (!m_ctx || EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr) != 1)
        qFatal("OpenSSL cannot compute SHA-256");
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_ctx);
}

void Sha256::add(QByteArrayView data)
{
    EVP_DigestUpdate(m_ctx, data.data(), static_cast<size_t>(data.size()));
}

bool Sha256::addFile(QIODevice &device)
{
    QByteArray buf(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = device.read(buf.data(), buf.size());
        if (n < 0)
            return false;
        if (n == 0)
            return true;
        add(QByteArrayView(buf.constData(), n));
    }
}

QByteArray Sha256::result()
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_ctx, reinterpret_cast<unsigned char *>(out.data()), &len);
    out.resize(static_cast<qsizetype>(len));
    return out;
}

QString sha256Hex(QByteArrayView data)
{
    return QString::fromLatin1(sha256(data).toHex());
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), static_cast<size_t>(a.size())) == 0;
}

QByteArray scryptRaw(QByteArrayView password, QByteArrayView salt, ScryptParams params, int outLen)
{
    if (outLen <= 0 || params.log2N < 1 || params.log2N > 40 || params.r < 1 || params.p < 1)
        return {};

    KdfPtr kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr));
    if (!kdf)
        return {};
    KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx)
        return {};

    // OpenSSL copies the octet strings; it wants non-const pointers but does not write.
    // An empty password still needs a valid pointer.
    static char empty = 0;
    char *passwordData = password.isEmpty() ? &empty : const_cast<char *>(password.data());
    char *saltData = salt.isEmpty() ? &empty : const_cast<char *>(salt.data());
    std::uint64_t n = std::uint64_t { 1 } << params.log2N;
    auto r = static_cast<std::uint32_t>(params.r);
    auto p = static_cast<std::uint32_t>(params.p);
    std::uint64_t maxMem = scryptMemory(params) + (std::uint64_t { 16 } << 20);

    const OSSL_PARAM osslParams[] = {
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_PASSWORD, passwordData, static_cast<size_t>(password.size())),
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_SALT, saltData, static_cast<size_t>(salt.size())),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxMem),
        OSSL_PARAM_construct_end(),
    };

    QByteArray out(outLen, Qt::Uninitialized);
    if (EVP_KDF_derive(ctx.get(), bytes(out), static_cast<size_t>(outLen), osslParams) != 1) {
        ERR_clear_error();
        OPENSSL_cleanse(out.data(), static_cast<size_t>(out.size()));
        return {};
    }
    return out;
}

Result<QString> hashPassword(const QString &password, ScryptParams params)
{
    const QString problem = checkStoredParams(params);
    if (!problem.isEmpty())
        return Result<QString>::failure(
            QStringLiteral("Cannot hash the password: %1. This is a bug: please report it.")
                .arg(problem));

    QByteArray utf8 = password.toUtf8();
    const QByteArray salt = randomBytes(kSaltBytes);
    const QByteArray hash = scryptRaw(utf8, salt, params, kHashBytes);
    OPENSSL_cleanse(utf8.data(), static_cast<size_t>(utf8.size()));
    if (hash.isEmpty())
        return Result<QString>::failure(
            QStringLiteral("Cannot hash the password: scrypt failed (probably not enough "
                           "memory). Free some memory on the server and try again."));

    return QStringLiteral("$scrypt$ln=%1,r=%2,p=%3$%4$%5")
        .arg(params.log2N)
        .arg(params.r)
        .arg(params.p)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(hash.toBase64()));
}

std::optional<ScryptParams> storedParams(const QString &encoded)
{
    ParsedHash parsed;
    if (!parseEncoded(encoded, parsed))
        return std::nullopt;
    return parsed.params;
}

bool needsRehash(const QString &encoded, const ScryptParams &current)
{
    const std::optional<ScryptParams> stored = storedParams(encoded);
    return stored && *stored != current;
}

bool verifyPassword(const QString &password, const QString &encoded)
{
    ParsedHash parsed;
    if (!parseEncoded(encoded, parsed))
        return false;
    QByteArray utf8 = password.toUtf8();
    const QByteArray computed = scryptRaw(utf8, parsed.salt, parsed.params, kHashBytes);
    OPENSSL_cleanse(utf8.data(), static_cast<size_t>(utf8.size()));
    if (computed.isEmpty())
        return false;
    return constantTimeEquals(computed, parsed.hash);
}

QString newActivationCode()
{
    static_assert(kActivationAlphabetSize == 32);
    // Rejection sampling: only bytes below the largest multiple of the alphabet size are
    // used, so every character is equally likely whatever the alphabet's size.
    constexpr int limit = 256 - 256 % kActivationAlphabetSize;
    const int length = kActivationGroups * kActivationGroupLength;

    QString code;
    code.reserve(length + kActivationGroups - 1);
    int produced = 0;
    while (produced < length) {
        const QByteArray pool = randomBytes(2 * length);
        for (const char c : pool) {
            const int value = static_cast<unsigned char>(c);
            if (value >= limit)
                continue;
            if (produced > 0 && produced % kActivationGroupLength == 0)
                code += u'-';
            code += QLatin1Char(kActivationAlphabet[value % kActivationAlphabetSize]);
            if (++produced == length)
                break;
        }
    }
    return code;
}

QString normaliseActivationCode(const QString &typed)
{
    QString out;
    out.reserve(typed.size());
    for (const QChar c : typed) {
        if (c.isSpace() || c == u'-')
            continue;
        out += c;
    }
    return out.toUpper();
}

Result<QByteArray> encrypt(QByteArrayView key32, QByteArrayView plaintext, QByteArrayView aad)
{
    if (key32.size() != kKeyBytes)
        return Result<QByteArray>::failure(keySizeMessage(key32.size()));
    const auto failed = [] {
        ERR_clear_error();
        return Result<QByteArray>::failure(
            QStringLiteral("Could not encrypt: OpenSSL's AES-256-GCM failed. This is a bug "
                           "or a broken OpenSSL installation: please report it."));
    };

    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        return failed();

    const QByteArray nonce = randomBytes(kNonceBytes);
    QByteArray out(kNonceBytes + plaintext.size() + kTagBytes, Qt::Uninitialized);
    std::copy(nonce.cbegin(), nonce.cend(), out.begin());

    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1
        || EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key32), bytes(nonce)) != 1)
        return failed();

    qsizetype written = 0;
    if (!cipherUpdate(ctx.get(), aad, nullptr, 1, written))
        return failed();
    unsigned char *cipherStart = bytes(out) + kNonceBytes;
    if (!cipherUpdate(ctx.get(), plaintext, cipherStart, 1, written))
        return failed();
    int finalLen = 0;
    if (EVP_EncryptFinal_ex(ctx.get(), cipherStart + written, &finalLen) != 1)
        return failed();
    written += finalLen;
    if (written != plaintext.size())
        return failed();
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, cipherStart + written) != 1)
        return failed();
    return out;
}

Result<QByteArray> decrypt(QByteArrayView key32, QByteArrayView sealed, QByteArrayView aad)
{
    if (key32.size() != kKeyBytes)
        return Result<QByteArray>::failure(keySizeMessage(key32.size()));
    if (sealed.size() < kNonceBytes + kTagBytes)
        return Result<QByteArray>::failure(
            QStringLiteral("Could not decrypt: the data is too short (%1 bytes) to have been "
                           "encrypted here, so the data is damaged or the key is wrong.")
                .arg(sealed.size()));

    const QByteArrayView nonce = sealed.first(kNonceBytes);
    const QByteArrayView ciphertext
        = sealed.sliced(kNonceBytes, sealed.size() - kNonceBytes - kTagBytes);
    QByteArray tag = sealed.last(kTagBytes).toByteArray();

    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out(ciphertext.size(), Qt::Uninitialized);
    const auto failed = [&out] {
        ERR_clear_error();
        OPENSSL_cleanse(out.data(), static_cast<size_t>(out.size()));
        return Result<QByteArray>::failure(damagedMessage());
    };
    if (!ctx)
        return failed();

    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1
        || EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key32), bytes(nonce)) != 1)
        return failed();

    qsizetype written = 0;
    if (!cipherUpdate(ctx.get(), aad, nullptr, 0, written))
        return failed();
    if (!cipherUpdate(ctx.get(), ciphertext, bytes(out), 0, written))
        return failed();
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1)
        return failed();
    int finalLen = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), bytes(out) + written, &finalLen) != 1)
        return failed();
    written += finalLen;
    if (written != ciphertext.size())
        return failed();
    return out;
}

} // namespace acorn::crypto
