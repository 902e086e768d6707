#pragma once

#include <cstdint>

// Constants both ends of the wire agree on. Changing one is a protocol change:
// bump kProtocolVersion and describe it in docs/protocol.md.
namespace acorn::protocol {

inline constexpr std::uint32_t kProtocolVersion = 1;
// Oldest client protocol version the server still serves.
inline constexpr std::uint32_t kMinProtocolVersion = 1;

// A frame's declared length above this is refused as soon as the 4-byte header is read.
inline constexpr std::uint32_t kMaxFrameBytes = 4 * 1024 * 1024;
// Media bytes per UploadChunk / MediaData frame (leaves room for the envelope).
inline constexpr std::uint32_t kMaxChunkBytes = 1024 * 1024;
// Observations per pull page.
inline constexpr std::uint32_t kMaxPullItems = 200;

inline constexpr std::uint16_t kDefaultPort = 7443;

} // namespace acorn::protocol
