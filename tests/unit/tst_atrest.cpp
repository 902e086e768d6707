#include "atrest.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace acorn;
using namespace acorn::client;

// The at-rest sealing of values (database columns) and files (outbox/ and media/): round
// trips, and every kind of tampering a thief or a failing card could do is refused.
class TestAtRest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    DataKey m_key = DataKey::generate();

    static QByteArray randomBytes(qint64 n)
    {
        QByteArray b(n, Qt::Uninitialized);
        for (qint64 i = 0; i < n; ++i)
            b[i] = static_cast<char>(QRandomGenerator::global()->bounded(256));
        return b;
    }
    QString sealed(const QByteArray &plain, const QString &name)
    {
        const QString path = m_dir.filePath(name);
        const Status s = SealedFileWriter::writeAll(path, m_key, plain);
        return s ? path : QString();
    }
    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    static constexpr qint64 kStride = sealedfile::kSegmentBytes + sealedfile::kTagBytes;

private slots:
    void aValueRoundTripsAndIsBoundToItsPlace()
    {
        const QByteArray note = "Mia counted to twenty at the water tray";
        const QByteArray s = atrest::seal(m_key, note, "outbox:obs-1");
        QVERIFY(!s.contains("Mia"));
        QCOMPARE(s.size(), note.size() + 1 + 12 + 16);
        QCOMPARE(atrest::open(m_key, s, "outbox:obs-1").value(), note);
        // The same value sealed twice differs (random nonce).
        QVERIFY(atrest::seal(m_key, note, "outbox:obs-1") != s);
        // Moved to another row, opened with another key, or altered: refused, with a reason.
        const auto moved = atrest::open(m_key, s, "outbox:obs-2");
        QVERIFY(!moved);
        QVERIFY(moved.error().contains(QStringLiteral("moved")));
        QVERIFY(!atrest::open(DataKey::generate(), s, "outbox:obs-1"));
        for (qsizetype i = 0; i < s.size(); ++i) {
            QByteArray bad = s;
            bad[i] = static_cast<char>(bad[i] ^ 0x01);
            QVERIFY2(!atrest::open(m_key, bad, "outbox:obs-1"), qPrintable(QString::number(i)));
        }
        QVERIFY(!atrest::open(m_key, s.left(s.size() - 1), "outbox:obs-1"));
        QVERIFY(!atrest::open(m_key, note, "outbox:obs-1")); // plain text is not a sealed value
        QCOMPARE(atrest::open(m_key, atrest::seal(m_key, {}, "x"), "x").value(), QByteArray());
    }

    void aFileRoundTripsAtEverySize_data()
    {
        QTest::addColumn<qint64>("size");
        const qint64 seg = sealedfile::kSegmentBytes;
        for (qint64 n : { qint64(0), qint64(1), seg - 1, seg, seg + 1, 3 * seg, 3 * seg + 7 })
            QTest::addRow("%lld", n) << n;
    }
    void aFileRoundTripsAtEverySize()
    {
        QFETCH(qint64, size);
        const QByteArray plain = randomBytes(size);
        const QString path = sealed(plain, QStringLiteral("f%1").arg(size));
        QVERIFY(!path.isEmpty());
        QVERIFY(sealedfile::isSealed(path));
        QVERIFY(!QFile::exists(path + QStringLiteral(".tmp")));
        const qint64 segments
            = std::max<qint64>(1, (size + sealedfile::kSegmentBytes - 1) / sealedfile::kSegmentBytes);
        QCOMPARE(QFileInfo(path).size(), sealedfile::kHeaderBytes + size + segments * sealedfile::kTagBytes);
        QCOMPARE(SealedFileReader::readAll(path, m_key).value(), plain);
        // Random access: any offset, any length, as the uploader reads its chunks.
        SealedFileReader r(path, m_key);
        QVERIFY2(r.open(QIODevice::ReadOnly), qPrintable(r.errorString()));
        QCOMPARE(r.size(), size);
        for (int i = 0; i < 20 && size > 0; ++i) {
            const qint64 at = QRandomGenerator::global()->bounded(size);
            const qint64 len = QRandomGenerator::global()->bounded(size - at) + 1;
            QVERIFY(r.seek(at));
            QCOMPARE(r.read(len), plain.mid(at, len));
        }
    }

    void aPlainJpegDoesNotShowThrough()
    {
        QByteArray jpeg = QByteArray::fromHex("FFD8FFE000104A464946") + randomBytes(1000);
        const QByteArray disk = readFile(sealed(jpeg, QStringLiteral("photo")));
        QVERIFY(!disk.contains(QByteArray::fromHex("FFD8FF")));
        QVERIFY(disk.startsWith("ACRNSEAL"));
    }

    void tamperingIsFound_data()
    {
        QTest::addColumn<QString>("how");
        for (const char *how : { "flip a byte in every position class", "swap two segments",
                 "truncate at a segment boundary", "truncate mid-segment", "drop the middle segment",
                 "duplicate a segment", "change the header", "append bytes" })
            QTest::addRow("%s", how) << QString::fromLatin1(how);
    }
    void tamperingIsFound()
    {
        QFETCH(QString, how);
        const QByteArray plain = randomBytes(3 * sealedfile::kSegmentBytes + 100);
        const QString path = sealed(plain, QStringLiteral("t"));
        const QByteArray good = readFile(path);
        const QByteArray head = good.left(sealedfile::kHeaderBytes);
        auto seg = [&](int i) { return good.mid(sealedfile::kHeaderBytes + i * kStride, kStride); };
        QList<QByteArray> variants;
        if (how.startsWith(QLatin1String("flip"))) {
            for (qint64 at : { qint64(0), qint64(9), qint64(13), qint64(20), sealedfile::kHeaderBytes,
                     sealedfile::kHeaderBytes + kStride - 1, sealedfile::kHeaderBytes + kStride + 5,
                     qint64(good.size() - 1) }) {
                QByteArray bad = good;
                bad[at] = static_cast<char>(bad[at] ^ 0x40);
                variants.append(bad);
            }
        } else if (how.startsWith(QLatin1String("swap"))) {
            variants.append(head + seg(1) + seg(0) + seg(2) + seg(3));
        } else if (how == QLatin1String("truncate at a segment boundary")) {
            variants.append(head + seg(0) + seg(1) + seg(2));
            variants.append(head);
        } else if (how == QLatin1String("truncate mid-segment")) {
            variants.append(good.left(good.size() - 50));
            variants.append(good.left(sealedfile::kHeaderBytes + kStride + 1000));
        } else if (how.startsWith(QLatin1String("drop"))) {
            variants.append(head + seg(0) + seg(2) + seg(3));
        } else if (how.startsWith(QLatin1String("duplicate"))) {
            variants.append(head + seg(0) + seg(0) + seg(1) + seg(2) + seg(3));
        } else if (how.startsWith(QLatin1String("change"))) {
            QByteArray otherHeader = readFile(sealed(plain, QStringLiteral("other"))).left(sealedfile::kHeaderBytes);
            variants.append(otherHeader + good.mid(sealedfile::kHeaderBytes));
        } else {
            variants.append(good + QByteArray(16, 'x'));
        }
        for (const QByteArray &bad : variants) {
            writeFile(path, bad);
            const auto all = SealedFileReader::readAll(path, m_key);
            QVERIFY(!all);
            QVERIFY2(all.error().contains(QStringLiteral("altered")) || all.error().contains(QStringLiteral("cut short")),
                     qPrintable(all.error()));
        }
        writeFile(path, good);
        QCOMPARE(SealedFileReader::readAll(path, m_key).value(), plain);
    }

    void aReaderNeverHandsOutUnauthenticatedBytes()
    {
        const QByteArray plain = randomBytes(2 * sealedfile::kSegmentBytes + 10);
        const QString path = sealed(plain, QStringLiteral("r"));
        QByteArray bad = readFile(path);
        bad[sealedfile::kHeaderBytes + kStride + 3] ^= 1; // in segment 2 of 3
        writeFile(path, bad);
        SealedFileReader r(path, m_key);
        QVERIFY(r.open(QIODevice::ReadOnly)); // the last segment is fine
        QCOMPARE(r.read(sealedfile::kSegmentBytes), plain.left(sealedfile::kSegmentBytes));
        QCOMPARE(r.read(10), QByteArray());
        QVERIFY(r.errorString().contains(QStringLiteral("segment 2 of 3")));
    }

    void theWrongKeyIsRefused()
    {
        const QString path = sealed("hello", QStringLiteral("k"));
        SealedFileReader r(path, DataKey::generate());
        QVERIFY(!r.open(QIODevice::ReadOnly));
        QVERIFY(r.errorString().contains(QStringLiteral("key is wrong")));
        QVERIFY(!SealedFileReader(path, DataKey()).open(QIODevice::ReadOnly));
        QVERIFY(!DataKey::fromBytes("short").isValid());
        // The file is untouched: the right key still opens it.
        QCOMPARE(SealedFileReader::readAll(path, m_key).value(), QByteArray("hello"));
    }

    void aPlainFileIsNotTakenForASealedOne()
    {
        const QString path = m_dir.filePath(QStringLiteral("plain.jpg"));
        writeFile(path, QByteArray::fromHex("FFD8FFE0") + QByteArray(100, 'a'));
        QVERIFY(!sealedfile::isSealed(path));
        const auto r = SealedFileReader::readAll(path, m_key);
        QVERIFY(!r);
        QVERIFY(r.error().contains(QStringLiteral("not a sealed")));
    }

    void anUnfinishedWriteLeavesNothing()
    {
        const QString path = m_dir.filePath(QStringLiteral("cancelled"));
        {
            SealedFileWriter w(path, m_key);
            QVERIFY(w.open());
            QVERIFY(w.write(randomBytes(200000)));
            QVERIFY(QFile::exists(path + QStringLiteral(".tmp")));
        } // destroyed without commit: as if the app was killed and cleaned up
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + QStringLiteral(".tmp")));
    }
};

QTEST_GUILESS_MAIN(TestAtRest)
#include "tst_atrest.moc"
