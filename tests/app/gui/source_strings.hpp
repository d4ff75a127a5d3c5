// The string literals of a C++ source file and the call each is passed to, for the test that
// finds a visible string drawn without tr() (ui_text_coverage_test.cpp). A small reader, not a
// parser: comments and character literals are skipped, adjacent literals ("a" "b") joined,
// escapes (\n, \", \\, \uXXXX) decoded; the call is the identifier before the innermost
// '(' that encloses the literal ("Button" for ImGui::Button(cond ? "a" : "b")).
#pragma once

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace eps::test {

struct SourceString {
  std::string text;    // decoded
  std::string callee;  // "" at no call
  int line = 0;
};

namespace detail {

inline void appendUtf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The literal's body at `at` (just past its opening quote), decoded; `at` ends past its close.
inline std::string readLiteral(std::string_view src, std::size_t& at) {
  std::string out;
  while (at < src.size() && src[at] != '"') {
    if (src[at] != '\\' || at + 1 >= src.size()) {
      out += src[at++];
      continue;
    }
    const char e = src[at + 1];
    at += 2;
    if (e == 'n')
      out += '\n';
    else if (e == 't')
      out += '\t';
    else if (e == 'u' && at + 4 <= src.size()) {
      appendUtf8(
          out, static_cast<std::uint32_t>(std::stoul(std::string(src.substr(at, 4)), nullptr, 16)));
      at += 4;
    } else {
      out += e;  // \" \\ \'
    }
  }
  ++at;
  return out;
}

// The identifier before the innermost unclosed '(' before `at` in `code` (literals blanked).
inline std::string enclosingCall(std::string_view code, std::size_t at) {
  int depth = 0;
  for (std::size_t i = at; i-- > 0;) {
    const char c = code[i];
    if (c == ')' || c == ']' || c == '}') ++depth;
    if (c == '(' || c == '[' || c == '{') {
      if (depth > 0) {
        --depth;
        continue;
      }
      if (c != '(') return "";  // inside an initializer list or a subscript
      std::size_t end = i;
      while (end > 0 && std::isspace(static_cast<unsigned char>(code[end - 1]))) --end;
      std::size_t begin = end;
      while (begin > 0 && (std::isalnum(static_cast<unsigned char>(code[begin - 1])) ||
                           code[begin - 1] == '_')) {
        --begin;
      }
      return std::string(code.substr(begin, end - begin));
    }
    if (c == ';' && depth == 0) return "";
  }
  return "";
}

}  // namespace detail

inline std::vector<SourceString> sourceStrings(std::string_view src) {
  std::string code(src);  // comments and literals blanked, offsets kept
  struct Found {
    std::size_t at;
    std::string text;
    int line;
  };
  std::vector<Found> found;
  int line = 1;
  std::size_t i = 0;
  bool joinable = false;  // only spaces since the last literal ended
  while (i < src.size()) {
    const char c = src[i];
    if (c == '\n') ++line;
    if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {
      while (i < src.size() && src[i] != '\n') code[i++] = ' ';
      continue;
    }
    if (c == '/' && i + 1 < src.size() && src[i + 1] == '*') {
      const std::size_t end = src.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? src.size() : end + 2;
      for (; i < stop; ++i) {
        if (src[i] == '\n') ++line;
        code[i] = ' ';
      }
      continue;
    }
    // A character literal, not a digit separator (1'000'000).
    if (c == '\'' && (i == 0 || !std::isalnum(static_cast<unsigned char>(src[i - 1])))) {
      const std::size_t end = src.find('\'', i + (src[i + 1] == '\\' ? 3 : 2));
      for (; i <= end && i < src.size(); ++i) code[i] = ' ';
      continue;
    }
    if (c == '"') {
      const std::size_t start = i;
      const int startLine = line;
      ++i;
      std::string text = detail::readLiteral(src, i);
      for (std::size_t k = start + 1; k + 1 < i; ++k) {
        if (src[k] == '\n') ++line;
        code[k] = ' ';
      }
      if (joinable && !found.empty()) {
        found.back().text += text;
      } else {
        found.push_back({start, std::move(text), startLine});
      }
      joinable = true;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(c))) joinable = false;
    ++i;
  }
  std::vector<SourceString> out;
  for (Found& f : found) {
    out.push_back({std::move(f.text), detail::enclosingCall(code, f.at), f.line});
  }
  return out;
}

}  // namespace eps::test
