#include "core/base/json_writer.hpp"

#include <array>

namespace eps {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not valid
// (overlong forms, surrogates and code points above U+10FFFF are invalid too).
std::size_t utf8Length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8Length(text, i);
      if (length == 0) {
        out += kReplacement;
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void appendScaled(std::string& out, std::int64_t value, int decimals) {
  if (decimals > 18) decimals = 18;  // 10^19 no longer fits the divisor
  std::uint64_t magnitude = value < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(value)
                                      : static_cast<std::uint64_t>(value);
  std::uint64_t divisor = 1;
  for (int i = 0; i < decimals; ++i) divisor *= 10;
  if (value < 0) out += '-';
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, magnitude / divisor);
  out.append(digits, result.ptr);
  if (decimals <= 0) return;
  out += '.';
  std::uint64_t fraction = magnitude % divisor;
  std::array<char, 20> tail{};
  for (int i = decimals - 1; i >= 0; --i) {
    tail[static_cast<std::size_t>(i)] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  out.append(tail.data(), static_cast<std::size_t>(decimals));
}

JsonWriter::JsonWriter(std::ostream& out) : out_(out) {
  buffer_.reserve(kFlushBytes + 4096);
}

JsonWriter::~JsonWriter() {
  flush();
}

void JsonWriter::separate() {
  if (afterKey_) {
    afterKey_ = false;
    return;
  }
  if (first_.empty()) return;
  if (first_.back()) {
    first_.back() = false;
  } else {
    buffer_ += ',';
  }
}

void JsonWriter::beginObject() {
  separate();
  buffer_ += '{';
  first_.push_back(true);
}

void JsonWriter::endObject() {
  buffer_ += '}';
  if (!first_.empty()) first_.pop_back();
  maybeFlush();
}

void JsonWriter::beginArray() {
  separate();
  buffer_ += '[';
  first_.push_back(true);
}

void JsonWriter::endArray() {
  buffer_ += ']';
  if (!first_.empty()) first_.pop_back();
  maybeFlush();
}

void JsonWriter::key(std::string_view name) {
  separate();
  appendJsonString(buffer_, name);
  buffer_ += ':';
  afterKey_ = true;
}

void JsonWriter::string(std::string_view text) {
  separate();
  appendJsonString(buffer_, text);
  maybeFlush();
}

void JsonWriter::scaled(std::int64_t value, int decimals) {
  separate();
  appendScaled(buffer_, value, decimals);
}

void JsonWriter::raw(std::string_view json) {
  separate();
  buffer_.append(json);
  maybeFlush();
}

void JsonWriter::flush() {
  if (buffer_.empty()) return;
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

}  // namespace eps
