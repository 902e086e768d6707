// libFuzzer target: the frame decoder fed arbitrary bytes, whole and in pieces.
//
// Invariants: it never asks for more than one frame's bytes (header + limit); feeding the
// same bytes in different pieces gives the same frames and the same failure; every frame
// it yields encodes and decodes back to the same message.

#include "framecodec.h"
#include "fuzzsupport.h"

#include <cstdint>
#include <string>
#include <vector>

namespace {

constexpr std::uint32_t kLimit = 64 * 1024; // small, so the limit path is reached often

struct Outcome
{
    std::vector<std::string> frames;
    bool failed = false;
};

Outcome decode(QByteArrayView bytes, qsizetype piece)
{
    Outcome out;
    acorn::FrameDecoder decoder(kLimit);
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        ACORN_FUZZ_CHECK(decoder.bytesWanted() <= qsizetype(kLimit) + 4,
            "the decoder wants more than one frame");
        const qsizetype take = std::min(piece, bytes.size() - pos);
        const qsizetype used = decoder.feed(bytes.sliced(pos, take));
        ACORN_FUZZ_CHECK(used >= 0 && used <= take, "feed() consumed more than it was given");
        pos += used;
        if (decoder.state() == acorn::FrameDecoder::State::FrameReady) {
            out.frames.push_back(decoder.takeFrame().SerializeAsString());
        } else if (decoder.state() == acorn::FrameDecoder::State::Failed) {
            ACORN_FUZZ_CHECK(!decoder.error().isEmpty(), "a failure without a reason");
            ACORN_FUZZ_CHECK(decoder.bytesWanted() == 0, "a failed decoder still wants bytes");
            out.failed = true;
            break;
        } else {
            ACORN_FUZZ_CHECK(used == take, "a decoder needing more left bytes unread");
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    acorn::fuzz::startQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(data, static_cast<qsizetype>(size));
    const Outcome whole = decode(bytes, bytes.size() + 1);
    const Outcome pieces = decode(bytes, size > 0 ? 1 + data[0] % 13 : 1);
    ACORN_FUZZ_CHECK(whole.frames == pieces.frames, "pieces decode differently from the whole");
    ACORN_FUZZ_CHECK(whole.failed == pieces.failed, "pieces fail differently from the whole");

    for (const std::string &serialized : whole.frames) {
        acorn::wire::Frame frame;
        ACORN_FUZZ_CHECK(frame.ParseFromString(serialized), "a decoded frame does not parse again");
        const QByteArray encoded = acorn::encodeFrame(frame);
        acorn::FrameDecoder again(kLimit + 1024 * 1024);
        again.feed(encoded);
        ACORN_FUZZ_CHECK(again.state() == acorn::FrameDecoder::State::FrameReady,
            "an encoded frame does not decode");
        ACORN_FUZZ_CHECK(
            again.takeFrame().SerializeAsString() == serialized, "a frame changes on a round trip");
    }
    return 0;
}
