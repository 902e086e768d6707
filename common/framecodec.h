#pragma once

#include "acorn.pb.h"
#include "protocol.h"

#include <QByteArray>
#include <QString>

class QIODevice;

namespace acorn {

// Serialises a Frame with its 4-byte big-endian length prefix.
QByteArray encodeFrame(const wire::Frame &frame);

// Incremental decoder for length-prefixed Frames read from a stream.
//
// It never buffers more than one frame: callers ask bytesWanted() and read at most that
// many bytes from the socket, so a peer cannot make it hold more than kMaxFrameBytes.
// A declared length over the limit is an error as soon as the header is complete, before
// any payload is read. After an error the decoder stays failed; the connection must close.
class FrameDecoder
{
public:
    enum class State { NeedMore, FrameReady, Failed };

    explicit FrameDecoder(std::uint32_t maxFrameBytes = protocol::kMaxFrameBytes);

    // How many more bytes complete the current header or payload (0 when a frame is ready
    // or the decoder failed).
    qsizetype bytesWanted() const;

    // Consumes bytes up to the end of the current frame; returns how many were taken.
    // Stop feeding when the state is not NeedMore.
    qsizetype feed(QByteArrayView bytes);

    // Reads at most bytesWanted() bytes from `device` straight into the frame being
    // assembled, with no copy in between (a media chunk is a megabyte). Returns how many
    // were read: 0 when the device has none now, -1 when it failed.
    qint64 readFrom(QIODevice &device);

    State state() const { return m_state; }
    // Moves the decoded frame out and starts on the next one. Only in FrameReady.
    wire::Frame takeFrame();
    // Why the decoder failed, for the log (never shown to the peer verbatim).
    const QString &error() const { return m_error; }

    // The payload buffer's allocation, kept between frames up to kRetainedCapacity.
    qsizetype retainedBytes() const { return m_payload.capacity(); }

    // A payload buffer up to this size is kept between frames, so a connection receiving
    // media chunks reuses one buffer instead of allocating a megabyte per chunk; a larger
    // one (a rare big frame) is released once decoded.
    static constexpr qsizetype kRetainedCapacity = protocol::kMaxChunkBytes + 64 * 1024;

private:
    void fail(QString reason);
    void headerComplete();
    void parseIfComplete();

    std::uint32_t m_maxFrameBytes;
    State m_state = State::NeedMore;
    QByteArray m_header;
    QByteArray m_payload;
    std::uint32_t m_expected = 0;
    bool m_haveHeader = false;
    wire::Frame m_frame;
    QString m_error;
};

} // namespace acorn
