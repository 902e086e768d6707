#include "framecodec.h"

#include <QIODevice>
#include <QtEndian>

namespace acorn {

QByteArray encodeFrame(const wire::Frame &frame)
{
    const auto size = frame.ByteSizeLong();
    QByteArray out(static_cast<qsizetype>(4 + size), Qt::Uninitialized);
    qToBigEndian(static_cast<quint32>(size), out.data());
    frame.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t *>(out.data() + 4));
    return out;
}

FrameDecoder::FrameDecoder(std::uint32_t maxFrameBytes) : m_maxFrameBytes(maxFrameBytes)
{
    m_header.reserve(4);
}

qsizetype FrameDecoder::bytesWanted() const
{
    if (m_state != State::NeedMore)
        return 0;
    if (!m_haveHeader)
        return 4 - m_header.size();
    return static_cast<qsizetype>(m_expected) - m_payload.size();
}

qsizetype FrameDecoder::feed(QByteArrayView bytes)
{
    qsizetype used = 0;
    while (m_state == State::NeedMore && used < bytes.size()) {
        const qsizetype take = std::min(bytesWanted(), bytes.size() - used);
        if (!m_haveHeader) {
            m_header.append(bytes.data() + used, take);
            used += take;
            if (m_header.size() == 4)
                headerComplete();
        } else {
            m_payload.append(bytes.data() + used, take);
            used += take;
        }
        parseIfComplete();
    }
    return used;
}

// 0 also when nothing is wanted (a frame is ready, or the decoder failed).
qint64 FrameDecoder::readFrom(QIODevice &device)
{
    const qsizetype want = bytesWanted();
    if (want <= 0)
        return 0;
    if (!m_haveHeader) {
        char header[4];
        const qint64 got = device.read(header, want);
        if (got > 0)
            feed(QByteArrayView(header, got));
        return got;
    }
    // Within the capacity reserved when the header came: no reallocation, no zeroing.
    const qsizetype have = m_payload.size();
    m_payload.resize(have + want);
    const qint64 got = device.read(m_payload.data() + have, want);
    m_payload.resize(have + std::max<qint64>(got, 0));
    if (got > 0)
        parseIfComplete();
    return got;
}

void FrameDecoder::headerComplete()
{
    m_expected = qFromBigEndian<quint32>(m_header.constData());
    m_haveHeader = true;
    if (m_expected > m_maxFrameBytes) {
        fail(QStringLiteral("frame of %1 bytes exceeds the limit of %2").arg(m_expected).arg(m_maxFrameBytes));
        return;
    }
    m_payload.resize(0);
    m_payload.reserve(static_cast<qsizetype>(m_expected));
}

void FrameDecoder::parseIfComplete()
{
    if (m_state != State::NeedMore || !m_haveHeader || m_payload.size() != static_cast<qsizetype>(m_expected))
        return;
    m_frame.Clear();
    if (!m_frame.ParseFromArray(m_payload.constData(), static_cast<int>(m_payload.size()))) {
        fail(QStringLiteral("malformed frame of %1 bytes").arg(m_expected));
        return;
    }
    m_state = State::FrameReady;
}

wire::Frame FrameDecoder::takeFrame()
{
    Q_ASSERT(m_state == State::FrameReady);
    wire::Frame out;
    out.Swap(&m_frame);
    m_state = State::NeedMore;
    m_haveHeader = false;
    m_header.clear();
    m_payload.resize(0);
    if (m_payload.capacity() > kRetainedCapacity)
        m_payload.squeeze();
    m_expected = 0;
    return out;
}

void FrameDecoder::fail(QString reason)
{
    m_state = State::Failed;
    m_error = std::move(reason);
    m_payload.clear();
    m_payload.squeeze();
}

} // namespace acorn
