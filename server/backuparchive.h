#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

class QIODevice;

namespace acorn::server {

// The container of a school backup: a POSIX ustar archive, so that `tar -tvf` lists it and
// `tar -xf` unpacks it on any machine, written by this small class rather than by the tar
// program (the server's systemd sandbox need not have tar, and every byte's SHA-256 is
// computed while it is written, in one pass).
//
// The reader accepts only what the writer produces: every header is rebuilt from the values
// read and compared byte for byte, data padding and the end marker must be zeros, and
// nothing but zeros may follow the end marker. So a single changed byte anywhere outside
// the entries' data is caught here, and a changed data byte by the SHA-256 in the backup's
// manifest (backup.h). A reader never writes anything.
class BackupArchiveWriter
{
public:
    // `mtimeSecs` is stamped on every entry (the backup's creation time).
    BackupArchiveWriter(QIODevice &out, qint64 mtimeSecs);

    // Streams exactly `size` bytes from `in` into an entry at `path` (relative, at most
    // 100 bytes); returns the SHA-256 (hex) of the bytes written.
    Result<QString> addFile(const QString &path, QIODevice &in, qint64 size);
    Result<QString> addData(const QString &path, const QByteArray &data);
    // Writes the end-of-archive marker (two zero blocks).
    Status finish();

    qint64 bytesWritten() const { return m_written; }

private:
    Status write(const char *data, qint64 size);

    QIODevice &m_out;
    qint64 m_mtime;
    qint64 m_written = 0;
};

class BackupArchiveReader
{
public:
    struct Entry
    {
        QString path;
        qint64 size = 0;
    };

    explicit BackupArchiveReader(QIODevice &in);

    // The next entry's header; nullopt at the end marker. A damaged header or an archive
    // that ends early is a failure.
    Result<std::optional<Entry>> next();
    // Reads the current entry's data, giving it to `sink` in chunks (a failing sink stops
    // the read), checks its padding, and returns the SHA-256 (hex) of the data.
    Result<QString> readData(const std::function<Status(QByteArrayView)> &sink = {});
    // After next() returned nullopt: checks that nothing but zeros follows the end marker.
    Status finish();

    qint64 position() const { return m_position; }

private:
    Result<QByteArray> readExactly(qint64 size);

    QIODevice &m_in;
    qint64 m_position = 0;
    qint64 m_pending = -1; // data bytes of the current entry not read yet; -1: none
};

} // namespace acorn::server
