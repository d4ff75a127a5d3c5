#include "core/base/payload_text.hpp"

namespace eps {

std::string escapedBytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() + 8);
  for (const char ch : bytes) {
    const auto byte = static_cast<unsigned char>(ch);
    switch (ch) {
      case '\n':
        text += "\\n";
        break;
      case '\r':
        text += "\\r";
        break;
      case '\t':
        text += "\\t";
        break;
      case '\0':
        text += "\\0";
        break;
      case '"':
        text += "\\\"";
        break;
      case '\\':
        text += "\\\\";
        break;
      default:
        if (byte >= 0x20 && byte < 0x7f) {
          text += ch;
        } else {
          text += "\\x";
          text += kHex[byte >> 4];
          text += kHex[byte & 0xf];
        }
    }
  }
  return text;
}

std::string quotedPayload(std::string_view bytes, std::int64_t total) {
  std::string text = "\"" + escapedBytes(bytes) + "\"";
  if (total > static_cast<std::int64_t>(bytes.size())) text += "...";
  return text;
}

}  // namespace eps
