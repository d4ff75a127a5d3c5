// The bytes the load generator sends and expects back. Each 8-byte word of a connection's
// stream is a hash of (connection, word index), so a byte echoed on the wrong connection or
// from an earlier offset of the same one differs from what is expected (a single stray byte
// matches by chance 1 time in 256; a stray message of 64 bytes practically never). A hash per
// word, not per byte, keeps the generator far faster than the servers it measures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace echo_bench {

inline std::uint64_t patternWord(std::uint32_t conn, std::uint64_t word) {
  // splitmix64 of a mix of both: cheap, and every input bit reaches every output byte.
  std::uint64_t x = word * 0x9E3779B97F4A7C15ULL + (std::uint64_t{conn} + 1) * 0xD1B54A32D192ED03ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Writes the stream bytes [offset, offset + size) of connection `conn` into `out`.
inline void fillPattern(std::uint32_t conn, std::uint64_t offset, unsigned char* out,
                        std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const std::uint64_t at = offset + done;
    const std::uint64_t word = patternWord(conn, at / 8);
    unsigned char bytes[8];
    std::memcpy(bytes, &word, 8);
    const std::size_t from = static_cast<std::size_t>(at % 8);
    const std::size_t n = size - done < 8 - from ? size - done : 8 - from;
    std::memcpy(out + done, bytes + from, n);
    done += n;
  }
}

}  // namespace echo_bench
