#include "core/base/terminal_text.hpp"

#include <algorithm>

namespace eps {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool continuation(unsigned char byte) {
  return (byte & 0xC0U) == 0x80U;
}

void appendEscape(std::string& out, std::string_view prefix, unsigned char value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out += prefix;
  out += kDigits[value >> 4];
  out += kDigits[value & 0xFU];
}

}  // namespace

// The ranges of RFC 3629, section 4: the second byte's range excludes overlong forms (E0, F0),
// UTF-16 surrogates (ED) and code points past U+10FFFF (F4).
std::size_t utf8SequenceLength(std::string_view text) {
  const auto at = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = at(0);
  if (lead < 0x80U) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80U;
  unsigned char high = 0xBFU;
  if (lead >= 0xC2U && lead <= 0xDFU) {
    length = 2;
  } else if (lead >= 0xE0U && lead <= 0xEFU) {
    length = 3;
    if (lead == 0xE0U) low = 0xA0U;
    if (lead == 0xEDU) high = 0x9FU;
  } else if (lead >= 0xF0U && lead <= 0xF4U) {
    length = 4;
    if (lead == 0xF0U) low = 0x90U;
    if (lead == 0xF4U) high = 0x8FU;
  } else {
    return 0;
  }
  if (text.size() < length || at(1) < low || at(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (!continuation(at(i))) return 0;
  }
  return length;
}

std::size_t firstInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = utf8SequenceLength(text.substr(i));
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string terminalText(std::string_view text, std::size_t maxBytes) {
  std::string out;
  out.reserve(std::min(text.size(), maxBytes) + 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8SequenceLength(text.substr(i));
    if (i + std::max<std::size_t>(length, 1) > maxBytes) break;
    if (length == 0) {
      out += kReplacement;
      ++i;
    } else if (byte < 0x20U || byte == 0x7FU) {
      appendEscape(out, "\\x", byte);
      ++i;
    } else if (byte == 0xC2U && static_cast<unsigned char>(text[i + 1]) <= 0x9FU) {
      appendEscape(out, "\\u00", static_cast<unsigned char>(text[i + 1]));  // C1
      i += 2;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  if (i < text.size()) out += "...";
  return out;
}

}  // namespace eps
