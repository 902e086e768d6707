#include "atrest.h"

#include "crypto.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QtEndian>

#include <openssl/evp.h>

#include <unistd.h>

namespace acorn::client {

namespace {

constexpr char kValueVersion = 0x01;
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;
const QByteArray kMagic = QByteArrayLiteral("ACRNSEAL");
constexpr char kFileVersion = 0x01;

struct CipherCtx
{
    CipherCtx() : ctx(EVP_CIPHER_CTX_new()) { }
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
    EVP_CIPHER_CTX *ctx;
};

// AES-256-GCM of one message. `out` receives ciphertext then tag. False only if OpenSSL
// fails, which with valid arguments means the process is broken.
bool gcmSeal(EVP_CIPHER_CTX *ctx, const DataKey &key, QByteArrayView nonce, QByteArrayView aad,
    QByteArrayView plain, QByteArray &out)
{
    int len = 0;
    const qsizetype start = out.size();
    out.resize(start + plain.size() + kTagBytes);
    auto *dst = reinterpret_cast<unsigned char *>(out.data() + start);
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1
        || EVP_EncryptInit_ex(ctx, nullptr, nullptr,
               reinterpret_cast<const unsigned char *>(key.bytes().constData()),
               reinterpret_cast<const unsigned char *>(nonce.data()))
            != 1)
        return false;
    if (!aad.isEmpty()
        && EVP_EncryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(aad.data()),
               static_cast<int>(aad.size()))
            != 1)
        return false;
    int written = 0;
    if (!plain.isEmpty()) {
        if (EVP_EncryptUpdate(ctx, dst, &len, reinterpret_cast<const unsigned char *>(plain.data()),
                static_cast<int>(plain.size()))
            != 1)
            return false;
        written = len;
    }
    if (EVP_EncryptFinal_ex(ctx, dst + written, &len) != 1)
        return false;
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, dst + plain.size()) == 1;
}

// Opens ciphertext+tag; false if it does not authenticate (wrong key, altered, misplaced).
bool gcmOpen(EVP_CIPHER_CTX *ctx, const DataKey &key, QByteArrayView nonce, QByteArrayView aad,
    QByteArrayView sealed, QByteArray &plain)
{
    if (sealed.size() < kTagBytes)
        return false;
    const qsizetype n = sealed.size() - kTagBytes;
    plain.resize(n);
    int len = 0;
    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1
        || EVP_DecryptInit_ex(ctx, nullptr, nullptr,
               reinterpret_cast<const unsigned char *>(key.bytes().constData()),
               reinterpret_cast<const unsigned char *>(nonce.data()))
            != 1)
        return false;
    if (!aad.isEmpty()
        && EVP_DecryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(aad.data()),
               static_cast<int>(aad.size()))
            != 1)
        return false;
    int written = 0;
    if (n > 0) {
        if (EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char *>(plain.data()), &len,
                reinterpret_cast<const unsigned char *>(sealed.data()), static_cast<int>(n))
            != 1)
            return false;
        written = len;
    }
    QByteArray tag(sealed.data() + n, kTagBytes);
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1)
        return false;
    if (EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char *>(plain.data()) + written, &len)
        != 1) {
        plain.fill('\0');
        plain.clear();
        return false;
    }
    return true;
}

QByteArray segmentNonce(const QByteArray &header, quint32 index)
{
    QByteArray nonce = header.right(8);
    char be[4];
    qToBigEndian(index, be);
    nonce.append(be, 4);
    return nonce;
}

QByteArray segmentAad(const QByteArray &header, bool last)
{
    return header + (last ? '\x01' : '\x00');
}

} // namespace

// ------------------------------------------------------------------ DataKey

DataKey DataKey::generate()
{
    DataKey k;
    k.m_bytes = crypto::randomBytes(kBytes);
    return k;
}

DataKey DataKey::fromBytes(const QByteArray &bytes)
{
    DataKey k;
    if (bytes.size() == kBytes)
        k.m_bytes = bytes;
    return k;
}

// ------------------------------------------------------------------ values

QByteArray atrest::seal(const DataKey &key, QByteArrayView plain, QByteArrayView context)
{
    Q_ASSERT(key.isValid());
    CipherCtx c;
    QByteArray out;
    out.reserve(1 + kNonceBytes + plain.size() + kTagBytes);
    out.append(kValueVersion);
    const QByteArray nonce = crypto::randomBytes(kNonceBytes);
    out.append(nonce);
    if (!c.ctx || !gcmSeal(c.ctx, key, nonce, context, plain, out))
        qFatal("AES-256-GCM sealing failed in OpenSSL");
    return out;
}

Result<QByteArray> atrest::open(const DataKey &key, QByteArrayView sealed, QByteArrayView context)
{
    using R = Result<QByteArray>;
    if (!key.isValid())
        return R::failure(QStringLiteral("no data key to open this device's data"));
    if (sealed.size() < 1 + kNonceBytes + kTagBytes || sealed.at(0) != kValueVersion)
        return R::failure(QStringLiteral("a stored value is not sealed (damaged or not from Acorn)"));
    CipherCtx c;
    QByteArray plain;
    if (!c.ctx
        || !gcmOpen(c.ctx, key, sealed.sliced(1, kNonceBytes), context,
            sealed.sliced(1 + kNonceBytes), plain))
        return R::failure(QStringLiteral(
            "a stored value does not open with this device's data key (wrong key, or the "
            "value was altered or moved)"));
    return R(plain);
}

// ------------------------------------------------------------------ open folders

namespace {
QMutex s_foldersLock;
struct OpenFolder
{
    DataKey key;
    int opened = 0; // stores open on it
};
QHash<QString, OpenFolder> &openFolders()
{
    static QHash<QString, OpenFolder> folders;
    return folders;
}
QString folderKey(const QString &folder)
{
    QString f = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    if (!f.endsWith(u'/'))
        f += u'/';
    return f;
}
} // namespace

void atrest::registerFolder(const QString &folder, const DataKey &key)
{
    QMutexLocker lock(&s_foldersLock);
    OpenFolder &f = openFolders()[folderKey(folder)];
    f.key = key;
    ++f.opened;
}

void atrest::unregisterFolder(const QString &folder)
{
    QMutexLocker lock(&s_foldersLock);
    const QString k = folderKey(folder);
    auto it = openFolders().find(k);
    if (it != openFolders().end() && --it->opened <= 0)
        openFolders().erase(it);
}

DataKey atrest::keyForPath(const QString &path)
{
    const QString file = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QMutexLocker lock(&s_foldersLock);
    DataKey best;
    qsizetype bestLength = 0;
    for (auto it = openFolders().cbegin(); it != openFolders().cend(); ++it) {
        if (file.startsWith(it.key()) && it.key().size() > bestLength) {
            best = it.value().key;
            bestLength = it.key().size();
        }
    }
    return best;
}

std::unique_ptr<QIODevice> openMediaFile(const QString &path, QString *error)
{
    std::unique_ptr<QIODevice> device;
    if (sealedfile::isSealed(path)) {
        const DataKey key = atrest::keyForPath(path);
        if (!key.isValid()) {
            if (error)
                *error = QStringLiteral("%1 is encrypted and its profile is not open")
                             .arg(QFileInfo(path).fileName());
            return nullptr;
        }
        device = std::make_unique<SealedFileReader>(path, key);
    } else {
        device = std::make_unique<QFile>(path);
    }
    if (!device->open(QIODevice::ReadOnly)) {
        if (error)
            *error = device->errorString();
        return nullptr;
    }
    return device;
}

Result<QByteArray> readMediaFile(const QString &path)
{
    using R = Result<QByteArray>;
    QString error;
    auto device = openMediaFile(path, &error);
    if (!device)
        return R::failure(error);
    QByteArray out(device->size(), Qt::Uninitialized);
    if (device->read(out.data(), out.size()) != out.size())
        return R::failure(device->errorString());
    return R(out);
}

Status exportMediaFile(const QString &path, const QString &target)
{
    QString error;
    auto in = openMediaFile(path, &error);
    if (!in)
        return Status::failure(error);
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(target, out.errorString()));
    QByteArray buf;
    while (!(buf = in->read(1 << 20)).isEmpty()) {
        if (out.write(buf) != buf.size())
            return Status::failure(QStringLiteral("cannot write %1 (is the disk full?)").arg(target));
    }
    if (in->pos() != in->size())
        return Status::failure(in->errorString());
    return {};
}

Status sealInPlace(const QString &path, const DataKey &key)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return Status::failure(QStringLiteral("cannot read %1: %2").arg(path, in.errorString()));
    SealedFileWriter out(path, key);
    Status s = out.open();
    QByteArray buf;
    while (s && !(buf = in.read(1 << 20)).isEmpty())
        s = out.write(buf);
    in.close();
    if (s)
        s = out.commit(); // renames over the plain file
    return s;
}

Result<int> sealPlainFiles(const QString &folder, const DataKey &key)
{
    int sealed = 0;
    const QDir dir(folder);
    for (const QFileInfo &fi : dir.entryInfoList(QDir::Files)) {
        if (fi.suffix() == QLatin1String("tmp") || fi.suffix() == QLatin1String("part")
            || sealedfile::isSealed(fi.absoluteFilePath()))
            continue;
        if (Status s = sealInPlace(fi.absoluteFilePath(), key); !s)
            return Result<int>::failure(s.error());
        ++sealed;
    }
    return sealed;
}

// ------------------------------------------------------------------ files

bool sealedfile::isSealed(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.read(kMagic.size()) == kMagic;
}

SealedFileReader::SealedFileReader(QString path, DataKey key, QObject *parent)
    : QIODevice(parent)
    , m_file(std::move(path))
    , m_key(std::move(key))
{ }

SealedFileReader::~SealedFileReader()
{
    EVP_CIPHER_CTX_free(m_ctx);
}

bool SealedFileReader::open(OpenMode mode)
{
    const QString name = QFileInfo(m_file.fileName()).fileName();
    if ((mode & (WriteOnly | Append | Truncate)) || !m_key.isValid()) {
        setErrorString(QStringLiteral("%1 can only be read, with this device's data key").arg(name));
        return false;
    }
    if (!m_file.open(QIODevice::ReadOnly)) {
        setErrorString(QStringLiteral("cannot read %1: %2").arg(name, m_file.errorString()));
        return false;
    }
    m_header = m_file.read(sealedfile::kHeaderBytes);
    const qint64 body = m_file.size() - sealedfile::kHeaderBytes;
    m_segmentBytes = m_header.size() == sealedfile::kHeaderBytes
        ? qFromBigEndian<quint32>(m_header.constData() + 12)
        : 0;
    if (m_header.size() != sealedfile::kHeaderBytes || !m_header.startsWith(kMagic)
        || m_header.at(8) != kFileVersion || m_segmentBytes <= 0
        || m_segmentBytes > 16 * 1024 * 1024 || body < sealedfile::kTagBytes) {
        setErrorString(QStringLiteral("%1 is not a sealed Acorn file, or it was cut short").arg(name));
        m_file.close();
        return false;
    }
    const qint64 stride = m_segmentBytes + sealedfile::kTagBytes;
    m_segments = (body + stride - 1) / stride;
    if (body - (m_segments - 1) * stride < sealedfile::kTagBytes) {
        setErrorString(QStringLiteral("%1 was cut short").arg(name));
        m_file.close();
        return false;
    }
    m_plainSize = body - m_segments * sealedfile::kTagBytes;
    if (!m_ctx)
        m_ctx = EVP_CIPHER_CTX_new();
    m_loaded = -1;
    QIODevice::open(ReadOnly | Unbuffered); // pos() in readData() is then the file's
    // The last segment must open as the last one: a file cut at a segment boundary, or
    // opened with the wrong key, is refused now rather than half-way through a read.
    if (!loadSegment(m_segments - 1)) {
        const QString why = errorString();
        close();
        setErrorString(why);
        return false;
    }
    return true;
}

void SealedFileReader::close()
{
    m_plain.fill('\0');
    m_plain.clear();
    m_loaded = -1;
    m_file.close();
    QIODevice::close();
}

bool SealedFileReader::seek(qint64 pos)
{
    if (pos < 0 || pos > m_plainSize)
        return false;
    return QIODevice::seek(pos);
}

bool SealedFileReader::loadSegment(qint64 index)
{
    if (index == m_loaded)
        return true;
    const qint64 stride = m_segmentBytes + sealedfile::kTagBytes;
    if (!m_file.seek(sealedfile::kHeaderBytes + index * stride)) {
        setErrorString(QStringLiteral("cannot read %1").arg(m_file.fileName()));
        return false;
    }
    const QByteArray sealed = m_file.read(stride);
    const bool last = index == m_segments - 1;
    m_loaded = -1;
    if (!gcmOpen(m_ctx, m_key, segmentNonce(m_header, static_cast<quint32>(index)),
            segmentAad(m_header, last), sealed, m_plain)
        || (!last && m_plain.size() != m_segmentBytes)) {
        setErrorString(QStringLiteral(
            "%1 does not open with this device's data key: the file was altered, damaged or cut "
            "short, or the key is wrong (segment %2 of %3)")
                           .arg(QFileInfo(m_file.fileName()).fileName())
                           .arg(index + 1)
                           .arg(m_segments));
        return false;
    }
    m_loaded = index;
    return true;
}

qint64 SealedFileReader::readData(char *data, qint64 maxSize)
{
    qint64 done = 0;
    qint64 at = pos();
    while (done < maxSize && at < m_plainSize) {
        const qint64 index = at / m_segmentBytes;
        if (!loadSegment(index))
            return done > 0 ? done : -1;
        const qint64 within = at - index * m_segmentBytes;
        const qint64 n = std::min(maxSize - done, static_cast<qint64>(m_plain.size()) - within);
        memcpy(data + done, m_plain.constData() + within, static_cast<size_t>(n));
        done += n;
        at += n;
    }
    return done;
}

Result<QByteArray> SealedFileReader::readAll(const QString &path, const DataKey &key)
{
    using R = Result<QByteArray>;
    SealedFileReader r(path, key);
    if (!r.open(QIODevice::ReadOnly))
        return R::failure(r.errorString());
    QByteArray out(r.size(), Qt::Uninitialized);
    if (r.read(out.data(), out.size()) != out.size())
        return R::failure(r.errorString());
    return R(out);
}

SealedFileWriter::SealedFileWriter(QString path, DataKey key)
    : m_path(std::move(path))
    , m_file(m_path + QStringLiteral(".tmp"))
    , m_key(std::move(key))
{ }

SealedFileWriter::~SealedFileWriter()
{
    if (!m_committed)
        cancel();
    EVP_CIPHER_CTX_free(m_ctx);
}

Status SealedFileWriter::open()
{
    if (!m_key.isValid())
        return Status::failure(QStringLiteral("no data key to seal %1").arg(m_path));
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Status::failure(
            QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()));
    m_header = kMagic;
    m_header.append(kFileVersion);
    m_header.append(3, '\0');
    char be[4];
    qToBigEndian(static_cast<quint32>(sealedfile::kSegmentBytes), be);
    m_header.append(be, 4);
    m_header.append(crypto::randomBytes(8));
    m_ctx = EVP_CIPHER_CTX_new();
    m_pending.reserve(sealedfile::kSegmentBytes * 2);
    if (m_file.write(m_header) != m_header.size())
        return Status::failure(QStringLiteral("cannot write %1 (is the disk full?)").arg(m_path));
    return {};
}

Status SealedFileWriter::flushSegment(bool last)
{
    const qsizetype n = last ? m_pending.size() : sealedfile::kSegmentBytes;
    QByteArray out;
    out.reserve(n + kTagBytes);
    if (!gcmSeal(m_ctx, m_key, segmentNonce(m_header, m_index), segmentAad(m_header, last),
            QByteArrayView(m_pending).first(n), out))
        qFatal("AES-256-GCM sealing failed in OpenSSL");
    if (m_file.write(out) != out.size())
        return Status::failure(QStringLiteral("cannot write %1 (is the disk full?)").arg(m_path));
    m_pending.remove(0, n);
    ++m_index;
    return {};
}

Status SealedFileWriter::write(QByteArrayView data)
{
    m_pending.append(data);
    // A full segment is sealed as "not last" only once more data follows it.
    while (m_pending.size() > sealedfile::kSegmentBytes) {
        if (Status s = flushSegment(false); !s)
            return s;
    }
    return {};
}

Status SealedFileWriter::commit()
{
    if (!m_file.isOpen())
        return Status::failure(QStringLiteral("%1 was not opened for writing").arg(m_path));
    Status s = flushSegment(true);
    if (s && (!m_file.flush() || ::fsync(m_file.handle()) != 0))
        s = Status::failure(QStringLiteral("cannot write %1 (is the disk full?)").arg(m_path));
    m_file.close();
    if (s) {
        QFile::remove(m_path);
        if (!QFile::rename(m_file.fileName(), m_path))
            s = Status::failure(QStringLiteral("cannot move %1 into place").arg(m_path));
    }
    if (!s) {
        cancel();
        return s;
    }
    m_committed = true;
    return {};
}

void SealedFileWriter::cancel()
{
    m_pending.fill('\0');
    m_pending.clear();
    m_file.close();
    QFile::remove(m_file.fileName());
}

Status SealedFileWriter::writeAll(const QString &path, const DataKey &key, QByteArrayView bytes)
{
    SealedFileWriter w(path, key);
    Status s = w.open();
    if (s)
        s = w.write(bytes);
    if (s)
        s = w.commit();
    return s;
}

} // namespace acorn::client
