// The checksum a session file's trailer carries (format in core/formats/session_file.hpp): any change
// to a line after saving — a flipped digit, a lost line — shows as a mismatch, even one that
// leaves every field in range. Not cryptographic: it catches damage, not tampering.
#pragma once

#include <bit>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace eps::session {

// Ownership: a value; one per file being read or written.
class LineChecksum {
 public:
  // Adds one line: its text without the line end, and its length (so bytes cannot move
  // between lines unnoticed). Each step is a bijection of the running value, so a change to
  // any one 8-byte word of the file always changes the result.
  void add(std::string_view line) {
    mix(line.size());
    std::size_t i = 0;
    for (; i + 8 <= line.size(); i += 8) mix(littleEndian(line.data() + i, 8));
    mix(littleEndian(line.data() + i, line.size() - i));
  }
  std::uint64_t value() const { return value_; }

 private:
  // The same value on every machine (a session opens on another one); one load on x86/arm.
  static std::uint64_t littleEndian(const char* bytes, std::size_t count) {
    std::uint64_t word = 0;
    for (std::size_t k = 0; k < count; ++k) {
      word |= std::uint64_t{static_cast<unsigned char>(bytes[k])} << (8 * k);
    }
    return word;
  }
  void mix(std::uint64_t word) {
    value_ = std::rotl((value_ ^ word) * 0x100000001b3ULL, 29);  // FNV's prime; odd: bijective
  }
  std::uint64_t value_ = 0xcbf29ce484222325ULL;
};

// "end N 0123456789abcdef": the event count and the checksum of every line before it.
inline std::string trailerLine(std::uint64_t events, std::uint64_t checksum) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(checksum));
  return "end " + std::to_string(events) + " " + hex;
}

}  // namespace eps::session
