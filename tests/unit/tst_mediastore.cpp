#include "crypto.h"
#include "mediastore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

using acorn::server::MediaStore;

// The server's media store on a real file system: uploads appended chunk by chunk,
// checked against their SHA-256 before they are committed, and written behind so that a
// big video does not fill the page cache.
class TestMediaStore : public QObject
{
    Q_OBJECT

    static constexpr qint64 kChunk = 1024 * 1024;

    static QByteArray pattern(qint64 size, int seed)
    {
        QByteArray out(size, Qt::Uninitialized);
        quint32 x = 2463534242u + quint32(seed);
        for (qint64 i = 0; i < size; ++i) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            out[i] = char(x);
        }
        return out;
    }

    // Appends `bytes` in chunks as a client does; returns false at the first failure.
    static bool upload(MediaStore &store, const QString &key, const QByteArray &bytes)
    {
        for (qint64 offset = 0; offset < bytes.size(); offset += kChunk) {
            bool diskFull = false;
            const QByteArrayView piece = QByteArrayView(bytes).sliced(offset, std::min(kChunk, bytes.size() - offset));
            if (!store.append(key, offset, piece, &diskFull).ok() || store.incomingSize(key) != offset + piece.size())
                return false;
        }
        return true;
    }

    // Pages of [from, to) of the file that are in the page cache.
    static qint64 residentPages(const QString &path, qint64 from, qint64 to)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        const long page = ::sysconf(_SC_PAGESIZE);
        void *map = ::mmap(nullptr, size_t(f.size()), PROT_READ, MAP_SHARED, f.handle(), 0);
        if (map == MAP_FAILED)
            return -1;
        std::vector<unsigned char> vec(size_t((f.size() + page - 1) / page));
        qint64 resident = -1;
        if (::mincore(map, size_t(f.size()), vec.data()) == 0) {
            resident = 0;
            for (qint64 p = from / page; p < (to + page - 1) / page; ++p)
                resident += vec[size_t(p)] & 1;
        }
        ::munmap(map, size_t(f.size()));
        return resident;
    }

private slots:
    void bigUploadCommitsByteForByte()
    {
        QTemporaryDir dir;
        MediaStore store(dir.path());
        QVERIFY(store.ensureLayout().ok());
        // Longer than the write-behind window, ending in a short chunk.
        const QByteArray video = pattern(3 * MediaStore::kWriteBehindBytes + 12345, 1);
        const QString key = MediaStore::uploadKey(QStringLiteral("0b7d3c2e-1f00-4a55-9e21-7d9a1c3b5e60"), 0);
        QVERIFY(upload(store, key, video));
        const QString sha = acorn::crypto::sha256Hex(video);
        const acorn::Status committed = store.commit(key, video.size(), sha);
        QVERIFY2(committed.ok(), qPrintable(committed.error()));
        QCOMPARE(store.incomingSize(key), 0);
        QFile object(store.objectPath(sha));
        QVERIFY(object.open(QIODevice::ReadOnly));
        QVERIFY(object.readAll() == video);
    }

    void writeBehindDropsWhatIsOnDisk()
    {
        QTemporaryDir dir;
        struct statfs fs {};
        QVERIFY(::statfs(QFile::encodeName(dir.path()).constData(), &fs) == 0);
        if (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC)
            QSKIP("the temporary folder is in memory (tmpfs): its pages are the file, nothing is written behind");
        MediaStore store(dir.path());
        QVERIFY(store.ensureLayout().ok());
        const QByteArray video = pattern(4 * MediaStore::kWriteBehindBytes, 2);
        const QString key = MediaStore::uploadKey(QStringLiteral("5f0c1e7a-2b3d-4c4e-8f9a-0a1b2c3d4e5f"), 0);
        QVERIFY(upload(store, key, video));
        const QString part = dir.path() + QStringLiteral("/incoming/") + key + QStringLiteral(".part");
        QCOMPARE(QFile(part).size(), video.size());
        // Everything but the last window has been written to disk and left the cache; the
        // last window is still there (its writeback started, not waited for).
        const qint64 settledEnd = video.size() - MediaStore::kWriteBehindBytes;
        const qint64 settled = residentPages(part, 0, settledEnd);
        QVERIFY(settled >= 0);
        QVERIFY2(settled * ::sysconf(_SC_PAGESIZE) <= kChunk,
                 qPrintable(QStringLiteral("%1 pages of the written-behind range are still cached").arg(settled)));
        const qint64 recent = residentPages(part, settledEnd, video.size());
        QVERIFY2(recent * ::sysconf(_SC_PAGESIZE) >= MediaStore::kWriteBehindBytes / 2,
                 qPrintable(QStringLiteral("only %1 pages of the newest window are cached").arg(recent)));
        // What left the cache reads back intact, and the upload still commits.
        QVERIFY(store.commit(key, video.size(), acorn::crypto::sha256Hex(video)).ok());
        QFile object(store.objectPath(acorn::crypto::sha256Hex(video)));
        QVERIFY(object.open(QIODevice::ReadOnly));
        QVERIFY(object.readAll() == video);
    }

    void wrongOffsetAndWrongHashAreRefused()
    {
        QTemporaryDir dir;
        MediaStore store(dir.path());
        QVERIFY(store.ensureLayout().ok());
        const QString key = MediaStore::uploadKey(QStringLiteral("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"), 1);
        const QByteArray bytes = pattern(2 * kChunk + 7, 3);
        QVERIFY(upload(store, key, bytes.first(kChunk)));
        bool diskFull = false;
        QVERIFY(!store.append(key, 2 * kChunk, QByteArrayView(bytes).sliced(2 * kChunk), &diskFull).ok());
        QVERIFY(!diskFull);
        QCOMPARE(store.incomingSize(key), kChunk);
        QVERIFY(store.append(key, kChunk, QByteArrayView(bytes).sliced(kChunk), &diskFull).ok());
        // A file that does not match its declared SHA-256 is discarded, never committed.
        const QString wrong = acorn::crypto::sha256Hex("something else");
        QVERIFY(!store.commit(key, bytes.size(), wrong).ok());
        QVERIFY(!store.hasObject(wrong));
        QCOMPARE(store.incomingSize(key), 0);
    }
};

QTEST_GUILESS_MAIN(TestMediaStore)
#include "tst_mediastore.moc"
