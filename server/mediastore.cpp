#include "mediastore.h"

#include "logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace acorn::server {

namespace {
bool isHex64(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{64}$"));
    return re.match(s).hasMatch();
}
} // namespace

MediaStore::MediaStore(QString root) : m_root(std::move(root)) { }

Status MediaStore::ensureLayout()
{
    for (const char *sub : {"objects", "incoming"}) {
        if (!QDir().mkpath(m_root + QLatin1Char('/') + QLatin1String(sub)))
            return Status::failure(QStringLiteral("cannot create the media folder %1/%2").arg(m_root, QLatin1String(sub)));
    }
    return {};
}

QString MediaStore::uploadKey(const QString &mediaId, int variant)
{
    // Media ids are UUIDs checked by the caller; keep only safe characters regardless.
    QString safe = mediaId;
    safe.remove(QRegularExpression(QStringLiteral("[^0-9a-fA-F-]")));
    return QStringLiteral("%1.%2").arg(safe).arg(variant);
}

QString MediaStore::incomingPath(const QString &uploadKey) const
{
    return m_root + QStringLiteral("/incoming/") + uploadKey + QStringLiteral(".part");
}

QString MediaStore::objectPath(const QString &sha256Hex) const
{
    return m_root + QStringLiteral("/objects/") + sha256Hex.left(2) + QLatin1Char('/') + sha256Hex;
}

qint64 MediaStore::incomingSize(const QString &uploadKey) const
{
    const QFileInfo fi(incomingPath(uploadKey));
    return fi.exists() ? fi.size() : 0;
}

Status MediaStore::append(const QString &uploadKey, qint64 offset, QByteArrayView data, bool *diskFull)
{
    *diskFull = false;
    QFile f(incomingPath(uploadKey));
    if (!f.open(QIODevice::ReadWrite))
        return Status::failure(QStringLiteral("cannot open the upload file: %1").arg(f.errorString()));
    if (f.size() != offset)
        return Status::failure(QStringLiteral("upload offset %1 does not match the %2 bytes held").arg(offset).arg(f.size()));
    f.seek(offset);
    const qint64 written = f.write(data.data(), data.size());
    const bool flushed = written == data.size() && f.flush();
    if (flushed) {
        // Start writing this chunk to disk now, without waiting for it, so the sync at the
        // end of the upload has little left to do.
        ::sync_file_range(f.handle(), offset, data.size(), SYNC_FILE_RANGE_WRITE);
        if (const int err = settleBehind(f.handle(), offset, data.size()); err != 0) {
            // The disk failed to write an earlier part of this upload. Waiting reported the
            // error and used it up (the sync before "complete" would not see it again), and
            // the running hash only knows what was sent: nothing of this file can be
            // trusted, so it is discarded and the device sends it again from the start.
            m_hashes.remove(uploadKey);
            f.close();
            QFile::remove(incomingPath(uploadKey));
            *diskFull = err == ENOSPC || err == EDQUOT;
            qCWarning(lcServerMedia) << "upload" << uploadKey << "discarded: writing it to disk failed:" << strerror(err);
            return Status::failure(*diskFull ? QStringLiteral("the server's disk is full")
                                             : QStringLiteral("cannot write the upload to disk: %1")
                                                   .arg(QString::fromLocal8Bit(strerror(err))));
        }
        RunningHash &h = m_hashes[uploadKey];
        if (offset == 0 || !h.hash || h.bytes != offset) {
            h.hash = offset == 0 ? std::make_shared<crypto::Sha256>() : nullptr;
            h.bytes = 0;
        }
        if (h.hash) {
            h.hash->add(data);
            h.bytes = offset + data.size();
        }
    }
    if (!flushed) {
        const int err = errno;
        *diskFull = err == ENOSPC || err == EDQUOT;
        // Drop whatever part of the chunk made it: the acknowledged offset stays exact.
        f.resize(offset);
        return Status::failure(*diskFull ? QStringLiteral("the server's disk is full")
                                         : QStringLiteral("cannot write the upload: %1").arg(f.errorString()));
    }
    return {};
}

// Write-behind, as PostgreSQL's *_flush_after settings do: the range that ended
// kWriteBehindBytes before this chunk has had its writeback under way for several chunks;
// wait for it (rarely a wait at all) and drop it from the page cache. A 500 MB video then
// holds a few megabytes of cache instead of evicting the database and the thumbnails
// parents fetch, the sync before the upload's "complete" has almost nothing left to write,
// and the next chunks are copied into pages the kernel just freed (on a virtual machine,
// pages it has not touched for a while are the slowest memory there is).
// Returns 0, or the errno of a failed write of that range.
int MediaStore::settleBehind(int fd, qint64 offset, qint64 length)
{
    const qint64 from = std::max<qint64>(0, offset - kWriteBehindBytes);
    const qint64 to = offset + length - kWriteBehindBytes;
    if (to <= from)
        return 0;
    if (::sync_file_range(fd, from, to - from,
                          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)
        != 0)
        return errno;
    ::posix_fadvise(fd, from, to - from, POSIX_FADV_DONTNEED);
    return 0;
}

Status MediaStore::commit(const QString &uploadKey, qint64 expectedSize, const QString &expectedSha256Hex)
{
    if (!isHex64(expectedSha256Hex))
        return Status::failure(QStringLiteral("the declared SHA-256 is not 64 hex digits"));
    const QString part = incomingPath(uploadKey);
    QFile f(part);
    if (!f.open(QIODevice::ReadOnly))
        return Status::failure(QStringLiteral("the upload file is missing"));
    if (f.size() != expectedSize) {
        return Status::failure(QStringLiteral("the upload holds %1 bytes, %2 were declared").arg(f.size()).arg(expectedSize));
    }
    if (::fdatasync(f.handle()) != 0)
        return Status::failure(QStringLiteral("cannot write the upload to disk: %1").arg(QString::fromLocal8Bit(strerror(errno))));
    const RunningHash running = m_hashes.take(uploadKey);
    QString actual;
    if (running.hash && running.bytes == expectedSize) {
        actual = QString::fromLatin1(running.hash->result().toHex());
    } else {
        crypto::Sha256 hash;
        if (!hash.addFile(f))
            return Status::failure(QStringLiteral("cannot read the upload back"));
        actual = QString::fromLatin1(hash.result().toHex());
    }
    f.close();
    if (actual != expectedSha256Hex) {
        QFile::remove(part);
        qCWarning(lcServerMedia) << "upload" << uploadKey << "failed its SHA-256 check; discarded";
        return Status::failure(QStringLiteral("the uploaded file does not match its SHA-256; it will be sent again"));
    }
    const QString target = objectPath(actual);
    if (QFileInfo::exists(target)) {
        QFile::remove(part);
        return {};
    }
    QDir().mkpath(QFileInfo(target).path());
    if (!QFile::rename(part, target))
        return Status::failure(QStringLiteral("cannot move the upload into the media store"));
    // The rename is durable only once its directory is synced.
    const int dirFd = ::open(QFile::encodeName(QFileInfo(target).path()).constData(), O_RDONLY | O_DIRECTORY);
    const bool synced = dirFd >= 0 && ::fsync(dirFd) == 0;
    if (dirFd >= 0)
        ::close(dirFd);
    if (!synced)
        return Status::failure(QStringLiteral("cannot write the media store's directory to disk"));
    return {};
}

bool MediaStore::hasObject(const QString &sha256Hex) const
{
    return isHex64(sha256Hex) && QFileInfo::exists(objectPath(sha256Hex));
}

Status MediaStore::removeObject(const QString &sha256Hex)
{
    if (!hasObject(sha256Hex))
        return {};
    QFile f(objectPath(sha256Hex));
    if (!f.remove())
        return Status::failure(
            QStringLiteral("cannot delete %1: %2").arg(f.fileName(), f.errorString()));
    return {};
}

Result<QByteArray> MediaStore::read(const QString &sha256Hex, qint64 offset, qint64 length) const
{
    if (!isHex64(sha256Hex))
        return Result<QByteArray>::failure(QStringLiteral("not a media hash"));
    QFile f(objectPath(sha256Hex));
    if (!f.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(QStringLiteral("the media file is missing from the store"));
    if (offset < 0 || offset > f.size())
        return Result<QByteArray>::failure(QStringLiteral("offset %1 is beyond the end of the file").arg(offset));
    f.seek(offset);
    // Not more than the file holds: a thumbnail's 30 KiB must not cost a 1 MiB buffer.
    return f.read(std::min(length, f.size() - offset));
}

} // namespace acorn::server
