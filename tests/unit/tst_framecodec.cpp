#include "framecodec.h"

#include <QTest>
#include <QtEndian>

using acorn::FrameDecoder;
using acorn::encodeFrame;
using acorn::wire::Frame;

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
