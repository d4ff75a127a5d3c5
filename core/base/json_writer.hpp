// A small streaming JSON writer for the exports: values are written as they are visited, so
// a trace of millions of events never exists as one document in memory.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace eps {

// Appends `text` to `out` as a JSON string literal (quotes included). Control characters are
// escaped; bytes that are not valid UTF-8 become U+FFFD so strict parsers accept the file.
void appendJsonString(std::string& out, std::string_view text);

// Appends value / 10^decimals with exactly `decimals` fraction digits ("-1.250" for -1250, 3):
// timestamps in µs from ns keep ns precision without floating-point rounding.
void appendScaled(std::string& out, std::int64_t value, int decimals);

// Ownership: one per output stream, used by one thread. Buffers output and hands it to the
// stream in large blocks (the ostream's per-call overhead dominates otherwise). Commas between
// members and elements are inserted automatically; the caller only nests correctly.
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out);
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void beginObject();
  void endObject();
  void beginArray();
  void endArray();
  void key(std::string_view name);

  void string(std::string_view text);
  template <std::integral T>
  void number(T value) {
    separate();
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    buffer_.append(digits, result.ptr);
    maybeFlush();
  }
  void scaled(std::int64_t value, int decimals);  // see appendScaled
  void raw(std::string_view json);                // an already-encoded value

  // Shorthands for one object member.
  void field(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  void field(std::string_view name, const char* text) {
    key(name);
    string(text);
  }
  template <std::integral T>
  void field(std::string_view name, T value) {
    key(name);
    number(value);
  }

  void flush();

 private:
  void separate();  // writes the comma a new member or element needs
  void maybeFlush() {
    if (buffer_.size() >= kFlushBytes) flush();
  }

  static constexpr std::size_t kFlushBytes = std::size_t{1} << 16;
  std::ostream& out_;
  std::string buffer_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool afterKey_ = false;    // the next value belongs to a key just written
};

}  // namespace eps
