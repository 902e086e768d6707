#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

class QIODevice;
struct evp_md_ctx_st; // OpenSSL's EVP_MD_CTX

// Cryptographic primitives shared by server and clients, all through OpenSSL 3.
// Nothing here logs secrets, and nothing here may be called with a password on the
// GUI or network event loop (password hashing takes ~0.5 s and 64 MiB on purpose).
namespace acorn::crypto {

// Cryptographically secure random bytes (RAND_bytes). Aborts the process if the
// system's random source fails: continuing would issue guessable tokens.
QByteArray randomBytes(int count);

QByteArray sha256(QByteArrayView data);
QString sha256Hex(QByteArrayView data);

// SHA-256 fed piece by piece, through OpenSSL (which uses the CPU's SHA or AVX2
// instructions: several times faster than QCryptographicHash in Qt 6.4 for media files).
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(QByteArrayView data);
    // Reads the rest of an open file into the hash; false if it could not be read.
    bool addFile(QIODevice &device);
    // The 32-byte digest; the object cannot be fed afterwards.
    QByteArray result();

private:
    ::evp_md_ctx_st *m_ctx;
};

// Compares two byte strings in time that depends only on their lengths (CRYPTO_memcmp).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// scrypt password hashing (RFC 7914) via OpenSSL 3's EVP_KDF "SCRYPT".
// Encoded form: "$scrypt$ln=16,r=8,p=2$<base64 salt>$<base64 hash>", so parameters can be
// changed later and old hashes still verify.
//
// New hashes use N=2^16, r=8, p=2: OWASP's equal-strength alternative to N=2^17, r=8, p=1
// (the same CPU cost, 128 * r * N * p), in half the memory (64 MiB instead of 128 MiB),
// because OpenSSL computes the p lanes one after another (docs/passwords.md).
struct ScryptParams
{
    int log2N = 16;
    int r = 8;
    int p = 2;

    friend bool operator==(const ScryptParams &, const ScryptParams &) = default;
};

// The memory one scrypt evaluation with these parameters allocates, in bytes.
std::uint64_t scryptMemory(const ScryptParams &params);

// The parameters an encoded hash was made with; nullopt if it is malformed.
std::optional<ScryptParams> storedParams(const QString &encoded);

// Whether a hash was made with other parameters than `current` (the default for new
// hashes): it should be replaced, after the next successful sign-in, by a new one.
bool needsRehash(const QString &encoded, const ScryptParams &current = {});

// The raw scrypt KDF (RFC 7914): `outLen` bytes derived from password and salt with the
// given parameters. Returns an empty array if OpenSSL refuses (bad parameters, not enough
// memory). Exposed for known-answer tests; code storing passwords uses hashPassword().
QByteArray scryptRaw(QByteArrayView password, QByteArrayView salt, ScryptParams params, int outLen);

// Hashes a password with a fresh 16-byte salt; returns the encoded form.
Result<QString> hashPassword(const QString &password, ScryptParams params = {});

// Verifies a password against an encoded hash in constant time. A malformed encoded hash
// never verifies.
bool verifyPassword(const QString &password, const QString &encoded);

// Activation codes: 15 characters from an unambiguous alphabet, grouped "ABCDE-FGHJK-LMNPQ"
// (~75 bits). normaliseActivationCode() upper-cases and strips spaces and dashes so that
// what a parent types from a letter matches.
QString newActivationCode();
QString normaliseActivationCode(const QString &typed);

// AES-256-GCM authenticated encryption (for data at rest on devices).
// Output: 12-byte nonce || ciphertext || 16-byte tag.
Result<QByteArray> encrypt(QByteArrayView key32, QByteArrayView plaintext, QByteArrayView aad = {});
Result<QByteArray> decrypt(QByteArrayView key32, QByteArrayView sealed, QByteArrayView aad = {});

} // namespace acorn::crypto
