#include "backuparchive.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QIODevice>

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace acorn::server {

namespace {

constexpr qint64 kBlock = 512;
constexpr qint64 kChunk = 1 << 20;
constexpr int kNameField = 100;
constexpr qint64 kMaxOctalSize = (qint64(1) << 33) - 1; // 11 octal digits: 8 GiB - 1
constexpr int kFileMode = 0600;

// A NUL-terminated, zero-padded octal number filling `width` bytes at `offset`.
void putOctal(QByteArray &h, int offset, int width, qint64 value)
{
    for (int i = width - 2; i >= 0; --i) {
        h[offset + i] = static_cast<char>('0' + (value & 7));
        value >>= 3;
    }
    h[offset + width - 1] = '\0';
}

// GNU base-256 for sizes of 8 GiB and more: a 0x80 marker, then big-endian bytes.
void putBase256(QByteArray &h, int offset, int width, qint64 value)
{
    for (int i = width - 1; i > 0; --i) {
        h[offset + i] = static_cast<char>(value & 0xff);
        value >>= 8;
    }
    h[offset] = static_cast<char>(0x80);
}

std::optional<qint64> getNumber(const QByteArray &h, int offset, int width)
{
    const auto *p = reinterpret_cast<const unsigned char *>(h.constData() + offset);
    qint64 value = 0;
    if (p[0] == 0x80) {
        for (int i = 1; i < width; ++i) {
            if (value > (std::numeric_limits<qint64>::max() >> 8))
                return std::nullopt;
            value = (value << 8) | p[i];
        }
        return value;
    }
    for (int i = 0; i < width && p[i] != 0 && p[i] != ' '; ++i) {
        if (p[i] < '0' || p[i] > '7')
            return std::nullopt;
        value = (value << 3) | (p[i] - '0');
    }
    return value;
}

QByteArray header(const QByteArray &name, qint64 size, qint64 mtime)
{
    QByteArray h(kBlock, '\0');
    std::memcpy(h.data(), name.constData(), static_cast<size_t>(name.size()));
    putOctal(h, 100, 8, kFileMode);
    putOctal(h, 108, 8, 0); // uid
    putOctal(h, 116, 8, 0); // gid
    if (size > kMaxOctalSize)
        putBase256(h, 124, 12, size);
    else
        putOctal(h, 124, 12, size);
    putOctal(h, 136, 12, mtime);
    std::memset(h.data() + 148, ' ', 8); // the checksum counts its own field as spaces
    h[156] = '0'; // a regular file
    std::memcpy(h.data() + 257, "ustar", 6);
    std::memcpy(h.data() + 263, "00", 2);
    std::memcpy(h.data() + 265, "acorn", 5); // uname
    std::memcpy(h.data() + 297, "acorn", 5); // gname
    qint64 sum = 0;
    for (const char c : std::as_const(h))
        sum += static_cast<unsigned char>(c);
    putOctal(h, 148, 7, sum); // six digits and a NUL, then the space left in place
    return h;
}

qint64 padding(qint64 size)
{
    return (kBlock - size % kBlock) % kBlock;
}

bool allZero(const QByteArray &data)
{
    return std::all_of(data.cbegin(), data.cend(), [](char c) { return c == 0; });
}

} // namespace

// ------------------------------------------------------------------ writer

BackupArchiveWriter::BackupArchiveWriter(QIODevice &out, qint64 mtimeSecs)
    : m_out(out)
    , m_mtime(mtimeSecs)
{ }

Status BackupArchiveWriter::write(const char *data, qint64 size)
{
    if (m_out.write(data, size) != size)
        return Status::failure(
            QStringLiteral("cannot write the backup: %1").arg(m_out.errorString()));
    m_written += size;
    return {};
}

Result<QString> BackupArchiveWriter::addFile(const QString &path, QIODevice &in, qint64 size)
{
    using R = Result<QString>;
    const QByteArray name = path.toUtf8();
    if (name.isEmpty() || name.size() >= kNameField)
        return R::failure(QStringLiteral("the path '%1' cannot be stored in a backup").arg(path));
    const QByteArray h = header(name, size, m_mtime);
    if (Status s = write(h.constData(), h.size()); !s)
        return R::failure(s.error());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 left = size;
    while (left > 0) {
        const QByteArray chunk = in.read(std::min(left, kChunk));
        if (chunk.isEmpty())
            return R::failure(QStringLiteral("%1 became shorter while it was being backed up "
                                             "(%2 of %3 bytes read): %4")
                                  .arg(path)
                                  .arg(size - left)
                                  .arg(size)
                                  .arg(in.errorString()));
        hash.addData(chunk);
        if (Status s = write(chunk.constData(), chunk.size()); !s)
            return R::failure(s.error());
        left -= chunk.size();
    }
    const QByteArray zeros(padding(size), '\0');
    if (Status s = write(zeros.constData(), zeros.size()); !s)
        return R::failure(s.error());
    return QString::fromLatin1(hash.result().toHex());
}

Result<QString> BackupArchiveWriter::addData(const QString &path, const QByteArray &data)
{
    QByteArray copy = data;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    return addFile(path, buffer, copy.size());
}

Status BackupArchiveWriter::finish()
{
    const QByteArray zeros(2 * kBlock, '\0');
    return write(zeros.constData(), zeros.size());
}

// ------------------------------------------------------------------ reader

BackupArchiveReader::BackupArchiveReader(QIODevice &in)
    : m_in(in)
{ }

Result<QByteArray> BackupArchiveReader::readExactly(qint64 size)
{
    QByteArray data = m_in.read(size);
    if (data.size() != size) {
        return Result<QByteArray>::failure(
            QStringLiteral("the file ends early, at byte %1: it is truncated (was the copy "
                           "interrupted?)")
                .arg(m_position + data.size()));
    }
    m_position += size;
    return data;
}

Result<std::optional<BackupArchiveReader::Entry>> BackupArchiveReader::next()
{
    using R = Result<std::optional<Entry>>;
    if (m_pending > 0)
        return R::failure(QStringLiteral("internal error: the previous entry was not read"));
    const qint64 at = m_position;
    const auto block = readExactly(kBlock);
    if (!block)
        return R::failure(block.error());
    if (allZero(block.value())) {
        const auto second = readExactly(kBlock);
        if (!second)
            return R::failure(second.error());
        if (!allZero(second.value()))
            return R::failure(QStringLiteral("the end marker at byte %1 is damaged").arg(at));
        return R(std::nullopt);
    }
    const QByteArray &h = block.value();
    const qsizetype nameEnd = h.indexOf('\0');
    const QByteArray name
        = h.left(std::min<qsizetype>(nameEnd < 0 ? kNameField : nameEnd, kNameField));
    const auto size = getNumber(h, 124, 12);
    const auto mtime = getNumber(h, 136, 12);
    if (name.isEmpty() || !size || !mtime || header(name, *size, *mtime) != h)
        return R::failure(QStringLiteral("the entry header at byte %1 is damaged").arg(at));
    m_pending = *size;
    return R(Entry { QString::fromUtf8(name), *size });
}

Result<QString> BackupArchiveReader::readData(const std::function<Status(QByteArrayView)> &sink)
{
    using R = Result<QString>;
    if (m_pending < 0)
        return R::failure(QStringLiteral("internal error: no entry to read"));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const qint64 size = m_pending;
    while (m_pending > 0) {
        const auto chunk = readExactly(std::min(m_pending, kChunk));
        if (!chunk)
            return R::failure(chunk.error());
        hash.addData(chunk.value());
        if (sink) {
            if (Status s = sink(chunk.value()); !s)
                return R::failure(s.error());
        }
        m_pending -= chunk->size();
    }
    m_pending = -1;
    const qint64 at = m_position;
    const auto pad = readExactly(padding(size));
    if (!pad)
        return R::failure(pad.error());
    if (!allZero(pad.value()))
        return R::failure(QStringLiteral("the padding at byte %1 is damaged").arg(at));
    return QString::fromLatin1(hash.result().toHex());
}

Status BackupArchiveReader::finish()
{
    for (;;) {
        const qint64 at = m_position;
        const QByteArray rest = m_in.read(kChunk);
        if (rest.isEmpty())
            return {};
        m_position += rest.size();
        if (!allZero(rest))
            return Status::failure(
                QStringLiteral("there is data after the end marker (from byte %1)").arg(at));
    }
}

} // namespace acorn::server
