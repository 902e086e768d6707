#pragma once

#include "result.h"

#include <QByteArray>
#include <QFile>
#include <QIODevice>
#include <QString>

#include <memory>

struct evp_cipher_ctx_st; // OpenSSL's EVP_CIPHER_CTX

namespace acorn::client {

// A profile's data key: 256 random bits, made on first use and kept in the OS keychain
// (DataKeyStore), never in a file. Everything the profile keeps at rest (the sealed columns
// of acorn.db, the files in outbox/ and media/) is sealed with it.
class DataKey
{
public:
    static constexpr int kBytes = 32;

    DataKey() = default;
    static DataKey generate();
    // A key read back from the keychain; invalid unless exactly kBytes long.
    static DataKey fromBytes(const QByteArray &bytes);

    bool isValid() const { return m_bytes.size() == kBytes; }
    const QByteArray &bytes() const { return m_bytes; }

private:
    QByteArray m_bytes;
};

// Sealing of single values (database columns) with AES-256-GCM through OpenSSL EVP.
//
// Sealed form: version byte 0x01 | 96-bit random nonce | ciphertext | 128-bit tag.
// `context` is authenticated but not stored: the caller binds the value to where it lives
// (table and row key), so a sealed value copied into another row does not open.
namespace atrest {
QByteArray seal(const DataKey &key, QByteArrayView plain, QByteArrayView context);
Result<QByteArray> open(const DataKey &key, QByteArrayView sealed, QByteArrayView context);
} // namespace atrest

// Which key opens the files of a profile folder (outbox/, media/) while its store is open:
// ClientStore::open() registers its folder and the destructor forgets it, so code that
// only has a file's path (a thumbnail widget, the printed report, an export) can read it
// through openMediaFile() without the key being handed down every call chain.
namespace atrest {
void registerFolder(const QString &folder, const DataKey &key);
void unregisterFolder(const QString &folder);
DataKey keyForPath(const QString &path);
} // namespace atrest

// The sealed file format (docs/at-rest.md):
//
//   header, 24 bytes:  "ACRNSEAL" | version 0x01 | 3 zero bytes | segment size (u32 BE)
//                      | 64-bit random nonce prefix
//   then segments:     AES-256-GCM ciphertext of up to `segment size` plaintext bytes,
//                      each followed by its 16-byte tag
//
// Segment i is sealed with the nonce prefix | i (u32 BE) and the header plus a
// last-segment flag as associated data: changing, swapping, reordering, dropping or
// truncating segments is found, and a file always ends in a segment flagged last (an
// empty file is one empty last segment). Any segment can be opened alone, so a reader
// seeks anywhere with memory of one segment, however big the file.
namespace sealedfile {
constexpr qint64 kHeaderBytes = 24;
constexpr qint64 kTagBytes = 16;
constexpr qint64 kSegmentBytes = 64 * 1024;
// True when the file starts with the sealed-file magic (plain files do not).
bool isSealed(const QString &path);
} // namespace sealedfile

// Reads a sealed file as a random-access, read-only QIODevice of its plaintext: give it to
// QImageReader, QMediaPlayer::setSourceDevice, crypto::Sha256::addFile, or seek and read
// upload chunks. A damaged or altered segment, or the wrong key, makes read() fail with
// errorString() saying so; it never returns unauthenticated bytes.
class SealedFileReader;

// Opens a media file for reading, whatever it is: a sealed file of an open profile (read
// through SealedFileReader, decrypted as it is read) or a plain file (a photo being
// imported, a file from before encryption). Null with `error` set if it cannot be read.
std::unique_ptr<QIODevice> openMediaFile(const QString &path, QString *error = nullptr);
// The whole file (thumbnails and photos are small), through openMediaFile().
Result<QByteArray> readMediaFile(const QString &path);
// Writes the plain bytes of a media file to `target`: an export the user asked for (the
// parent's keepsake copy), plain by design. Segment by segment, flat memory.
Status exportMediaFile(const QString &path, const QString &target);
// Seals a plain file in place (temp + rename): for files a device kept before encryption.
Status sealInPlace(const QString &path, const DataKey &key);
// Seals every plain file directly in `folder` (not *.tmp); returns how many it sealed.
Result<int> sealPlainFiles(const QString &folder, const DataKey &key);

class SealedFileReader : public QIODevice
{
    Q_OBJECT
public:
    SealedFileReader(QString path, DataKey key, QObject *parent = nullptr);
    ~SealedFileReader() override;

    // Opens the file read-only and checks its header and length; false with errorString().
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_plainSize; }
    bool seek(qint64 pos) override;

    // The whole plaintext, for small files (thumbnails, photos); fails on any damage.
    static Result<QByteArray> readAll(const QString &path, const DataKey &key);

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    bool loadSegment(qint64 index);

    QFile m_file;
    DataKey m_key;
    QByteArray m_header;
    qint64 m_segmentBytes = 0;
    qint64 m_segments = 0;
    qint64 m_plainSize = 0;
    qint64 m_loaded = -1; // index of the segment in m_plain
    QByteArray m_plain;
    evp_cipher_ctx_st *m_ctx = nullptr;
};

// Writes a sealed file durably: through `<path>.tmp`, fsync and rename in commit(), so the
// file is either complete or absent. Memory stays at one segment whatever the size.
class SealedFileWriter
{
public:
    SealedFileWriter(QString path, DataKey key);
    ~SealedFileWriter(); // removes the temporary file unless committed
    SealedFileWriter(const SealedFileWriter &) = delete;
    SealedFileWriter &operator=(const SealedFileWriter &) = delete;

    Status open();
    Status write(QByteArrayView data);
    Status commit();
    void cancel();

    // One call: `bytes` sealed into `path` durably.
    static Status writeAll(const QString &path, const DataKey &key, QByteArrayView bytes);

private:
    Status flushSegment(bool last);

    QString m_path;
    QFile m_file;
    DataKey m_key;
    QByteArray m_header;
    QByteArray m_pending;
    quint32 m_index = 0;
    bool m_committed = false;
    evp_cipher_ctx_st *m_ctx = nullptr;
};

} // namespace acorn::client
