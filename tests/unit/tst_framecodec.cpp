#include "framecodec.h"

#include <QBuffer>
#include <QTest>
#include <QtEndian>

using acorn::FrameDecoder;
using acorn::encodeFrame;
using acorn::wire::Frame;

// A stream that hands out at most `step` bytes per read, as a socket does.
class TrickleDevice : public QIODevice
{
public:
    TrickleDevice(QByteArray bytes, qint64 step) : m_bytes(std::move(bytes)), m_step(step) { open(ReadOnly | Unbuffered); }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_bytes.size() - m_pos + QIODevice::bytesAvailable(); }
    qint64 consumed() const { return m_pos; }

protected:
    qint64 readData(char *data, qint64 max) override
    {
        const qint64 n = std::min({ max, m_step, qint64(m_bytes.size() - m_pos) });
        memcpy(data, m_bytes.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_bytes;
    qint64 m_step;
    qint64 m_pos = 0;
};

// The frame codec: whole frames out of any split of the byte stream, limits enforced
// before buffering, garbage refused.
class TestFrameCodec : public QObject
{
    Q_OBJECT

    static Frame sample(quint64 id)
    {
        Frame f;
        f.set_request_id(id);
        f.mutable_login()->set_username("jo.smith");
        f.mutable_login()->set_password(std::string(300, 'p'));
        f.mutable_login()->set_device_name("tablet 3");
        return f;
    }

    static QList<Frame> decodeAll(FrameDecoder &d, QByteArrayView bytes, QList<int> cuts)
    {
        QList<Frame> out;
        qsizetype pos = 0;
        cuts.append(static_cast<int>(bytes.size()));
        for (int cut : cuts) {
            QByteArrayView piece = bytes.sliced(pos, cut - pos);
            pos = cut;
            while (!piece.isEmpty()) {
                const qsizetype used = d.feed(piece);
                piece = piece.sliced(used);
                if (d.state() == FrameDecoder::State::FrameReady)
                    out.append(d.takeFrame());
                else if (d.state() == FrameDecoder::State::Failed)
                    return out;
                else
                    Q_ASSERT(piece.isEmpty());
            }
        }
        return out;
    }

private slots:
    void roundTrip()
    {
        FrameDecoder d;
        const QByteArray bytes = encodeFrame(sample(7));
        const auto frames = decodeAll(d, bytes, {});
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].request_id(), 7u);
        QCOMPARE(frames[0].login().username(), std::string("jo.smith"));
        QCOMPARE(d.state(), FrameDecoder::State::NeedMore);
    }

    void splitAtEveryBoundary()
    {
        const QByteArray stream = encodeFrame(sample(1)) + encodeFrame(sample(2)) + encodeFrame(Frame());
        for (int cut = 0; cut <= stream.size(); ++cut) {
            FrameDecoder d;
            const auto frames = decodeAll(d, stream, {cut});
            QCOMPARE(frames.size(), 3);
            QCOMPARE(frames[0].request_id(), 1u);
            QCOMPARE(frames[1].request_id(), 2u);
            QCOMPARE(frames[2].request_id(), 0u);
        }
    }

    void byteByByte()
    {
        const QByteArray stream = encodeFrame(sample(1)) + encodeFrame(sample(2));
        FrameDecoder d;
        QList<int> cuts;
        for (int i = 1; i < stream.size(); ++i)
            cuts.append(i);
        const auto frames = decodeAll(d, stream, cuts);
        QCOMPARE(frames.size(), 2);
        QCOMPARE(frames[1].login().password().size(), 300u);
    }

    void bytesWantedNeverExceedsOneFrame()
    {
        FrameDecoder d;
        QCOMPARE(d.bytesWanted(), 4);
        const QByteArray bytes = encodeFrame(sample(3));
        d.feed(QByteArrayView(bytes).first(4));
        QCOMPARE(d.bytesWanted(), bytes.size() - 4);
        // Feeding more than one frame's worth only takes the frame.
        const QByteArray two = bytes + bytes;
        FrameDecoder e;
        QCOMPARE(e.feed(two), bytes.size());
        QCOMPARE(e.state(), FrameDecoder::State::FrameReady);
    }

    void oversizedLengthRefusedAtHeader()
    {
        FrameDecoder d(1024);
        QByteArray header(4, Qt::Uninitialized);
        qToBigEndian<quint32>(1025, header.data());
        QCOMPARE(d.feed(header), 4);
        QCOMPARE(d.state(), FrameDecoder::State::Failed);
        QVERIFY(d.error().contains(QStringLiteral("exceeds")));
        QCOMPARE(d.bytesWanted(), 0);

        FrameDecoder big; // default limit: 4 MiB
        qToBigEndian<quint32>(0xFFFFFFFFu, header.data());
        big.feed(header);
        QCOMPARE(big.state(), FrameDecoder::State::Failed);
    }

    void exactlyAtLimitIsAccepted()
    {
        Frame f;
        f.mutable_upload_chunk()->set_data(std::string(1000, 'x'));
        const QByteArray bytes = encodeFrame(f);
        FrameDecoder d(static_cast<std::uint32_t>(bytes.size() - 4));
        d.feed(bytes);
        QCOMPARE(d.state(), FrameDecoder::State::FrameReady);
    }

    void garbageFails()
    {
        // A length followed by bytes that are not a protobuf message.
        QByteArray bad(4, Qt::Uninitialized);
        const QByteArray junk("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11);
        qToBigEndian<quint32>(static_cast<quint32>(junk.size()), bad.data());
        bad += junk;
        FrameDecoder d;
        d.feed(bad);
        QCOMPARE(d.state(), FrameDecoder::State::Failed);
        QVERIFY(d.error().contains(QStringLiteral("malformed")));
    }

    void unknownFieldsTolerated()
    {
        // Field 999 (varint) is unknown to this version: the frame still decodes.
        QByteArray payload;
        payload.append(char(0x08)).append(char(0x05));                // request_id = 5
        payload.append(char(0xB8)).append(char(0x3E)).append(char(1)); // field 999, varint 1
        QByteArray bytes(4, Qt::Uninitialized);
        qToBigEndian<quint32>(static_cast<quint32>(payload.size()), bytes.data());
        bytes += payload;
        FrameDecoder d;
        d.feed(bytes);
        QCOMPARE(d.state(), FrameDecoder::State::FrameReady);
        QCOMPARE(d.takeFrame().request_id(), 5u);
    }

    void readFromDeviceInAnyStep()
    {
        Frame chunk;
        chunk.set_request_id(9);
        chunk.mutable_upload_chunk()->set_offset(4096);
        std::string data(acorn::protocol::kMaxChunkBytes, '\0');
        for (size_t i = 0; i < data.size(); ++i)
            data[i] = char(i * 7 + i / 251);
        chunk.mutable_upload_chunk()->set_data(data);
        const QList<qsizetype> ends { encodeFrame(sample(1)).size(), encodeFrame(chunk).size(), 4,
            encodeFrame(sample(2)).size() };
        const QByteArray stream = encodeFrame(sample(1)) + encodeFrame(chunk) + QByteArray(4, '\0') + encodeFrame(sample(2));
        for (qint64 step : { qint64(1), qint64(7), qint64(16384), qint64(1) << 30 }) {
            TrickleDevice device(stream, step);
            FrameDecoder d;
            QList<Frame> frames;
            qint64 boundary = 0;
            for (int guard = 0; device.bytesAvailable() > 0 && guard < 10'000'000; ++guard) {
                QVERIFY(d.readFrom(device) > 0);
                QCOMPARE(d.state() == FrameDecoder::State::Failed, false);
                if (d.state() == FrameDecoder::State::FrameReady) {
                    // Never a byte past the frame's end.
                    boundary += ends.at(frames.size());
                    QCOMPARE(device.consumed(), boundary);
                    frames.append(d.takeFrame());
                }
            }
            QCOMPARE(frames.size(), 4);
            QCOMPARE(frames[0].request_id(), 1u);
            QCOMPARE(frames[1].upload_chunk().offset(), 4096u);
            QVERIFY(frames[1].upload_chunk().data() == data);
            QCOMPARE(frames[2].body_case(), Frame::BODY_NOT_SET);
            QCOMPARE(frames[3].login().password().size(), 300u);
            QCOMPARE(d.readFrom(device), 0); // nothing more to read
        }
    }

    void readFromRefusesOversizedBeforeThePayload()
    {
        QByteArray bytes(4, Qt::Uninitialized);
        qToBigEndian<quint32>(1025, bytes.data());
        bytes += QByteArray(1025, 'x');
        TrickleDevice device(bytes, 1 << 20);
        FrameDecoder d(1024);
        QCOMPARE(d.readFrom(device), 4);
        QCOMPARE(d.state(), FrameDecoder::State::Failed);
        QCOMPARE(device.consumed(), 4);
        QCOMPARE(d.readFrom(device), 0);
        QCOMPARE(device.consumed(), 4);
    }

    void chunkBufferIsReusedBigOneReleased()
    {
        // A connection receiving media reuses one buffer; a rare big frame is not kept.
        Frame chunk;
        chunk.mutable_upload_chunk()->set_data(std::string(acorn::protocol::kMaxChunkBytes, 'c'));
        Frame big;
        big.mutable_upload_chunk()->set_data(std::string(3 * acorn::protocol::kMaxChunkBytes, 'b'));
        FrameDecoder d;
        QBuffer device;
        device.setData(encodeFrame(chunk) + encodeFrame(chunk) + encodeFrame(big));
        QVERIFY(device.open(QIODevice::ReadOnly));
        auto next = [&] {
            while (d.state() == FrameDecoder::State::NeedMore && d.readFrom(device) > 0) { }
            QCOMPARE(d.state(), FrameDecoder::State::FrameReady);
            d.takeFrame();
        };
        next();
        const qsizetype kept = d.retainedBytes();
        QVERIFY2(kept >= qsizetype(acorn::protocol::kMaxChunkBytes), qPrintable(QString::number(kept)));
        QVERIFY(kept <= FrameDecoder::kRetainedCapacity);
        next();
        QCOMPARE(d.retainedBytes(), kept);
        next();
        QVERIFY(d.retainedBytes() <= FrameDecoder::kRetainedCapacity);
    }

    void emptyFrame()
    {
        QByteArray bytes(4, '\0');
        FrameDecoder d;
        d.feed(bytes);
        QCOMPARE(d.state(), FrameDecoder::State::FrameReady);
        QCOMPARE(d.takeFrame().body_case(), Frame::BODY_NOT_SET);
    }
};

QTEST_GUILESS_MAIN(TestFrameCodec)
#include "tst_framecodec.moc"
