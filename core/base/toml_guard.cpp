#include "core/base/toml_guard.hpp"

#include <cstdio>

#include "core/base/terminal_text.hpp"

namespace eps {
namespace {

bool keyStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '"' || c == '\'';
}

bool blank(char c) {
  return c == ' ' || c == '\t';
}

// The code points toml++ 3.3.0's is_non_ascii_horizontal_whitespace reaches
// __builtin_unreachable() for (its generated table skips three of its 64 blocks).
bool misreadAsSpace(char32_t c) {
  return (c >= 0xA1 && c <= 0x499) || (c >= 0x2C5E && c <= 0x3057 && c != 0x3000) ||
         (c >= 0xFB26 && c <= 0xFEFE);
}

// The code point of the valid UTF-8 sequence at the start of `text`.
char32_t codePoint(std::string_view text) {
  const auto byte = [&text](std::size_t i) { return static_cast<char32_t>(text[i] & 0xFF); };
  switch (utf8SequenceLength(text)) {
    case 2:
      return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
    case 3:
      return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    case 4:
      return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) |
             (byte(3) & 0x3F);
    default:
      return byte(0);
  }
}

std::string codePointName(char32_t c) {
  char name[16];
  std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
  return name;
}

// Walks the text as TOML's lexer would, far enough to know what is a string, a comment and a
// table header. Ownership: a value on the caller's stack, over text that outlives it.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::optional<TomlGuardProblem> run() {
    if (const std::size_t bad = firstInvalidUtf8(text_); bad != std::string_view::npos) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(text_[bad] & 0xFF));
      return problemAt(bad, std::string("not UTF-8 text (byte ") + hex + ")");
    }
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a byte-order mark
    while (pos_ < text_.size() && !problem_) step();
    return problem_;
  }

 private:
  bool at(std::string_view token) const { return text_.substr(pos_).starts_with(token); }

  void refuse(std::size_t offset, std::string message) {
    if (!problem_) problem_ = problemAt(offset, std::move(message));
  }

  TomlGuardProblem problemAt(std::size_t offset, std::string message) const {
    TomlGuardProblem problem{1, 1, std::move(message)};
    for (std::size_t i = 0; i < offset; ++i) {
      if (text_[i] == '\n') {
        ++problem.line;
        problem.column = 1;
      } else if ((text_[i] & 0xC0) != 0x80) {
        ++problem.column;
      }
    }
    return problem;
  }

  void step();
  void tableHeader();
  void skipTo(std::string_view end, bool stopAtNewline);
  void closeQuotes(char quote);
  void multiLineBasic();
  void lineEndingBackslash();

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;          // open [ and { of values
  bool lineStart_ = true;  // only blanks so far on this line
  char lastToken_ = '\n';  // the last character of the previous token on this line, or '\n'
  bool misplacedQuote_ = false;  // this line has a quote where no string can begin
  std::optional<TomlGuardProblem> problem_;
};

// Where TOML lets a string begin: a key at the start of a line or after '.', a value after
// '=', '[', '{' or ','. A quote anywhere else is a syntax error to toml++, but toml++ reads on
// past it outside any string (z=4"\u0341 reached its unreachable state). So the rest of such
// a line is scanned as bare text, where non-ASCII is refused, and toml++ reports the quote.
bool stringMayBegin(char lastToken) {
  return lastToken == '\n' || lastToken == '=' || lastToken == '[' || lastToken == '{' ||
         lastToken == ',' || lastToken == '.';
}

void Scanner::step() {
  const char c = text_[pos_];
  const bool wasLineStart = lineStart_;
  lineStart_ = c == '\n' || (lineStart_ && blank(c));
  const char previousToken = lastToken_;
  if (c == '\n') {
    lastToken_ = '\n';
  } else if (!blank(c) && c != '#' && c != '\r') {
    lastToken_ = c;  // a quote stays the last token once its string closes
  }
  if (c == '\n') misplacedQuote_ = false;
  if ((c == '"' || c == '\'') && !stringMayBegin(previousToken)) {
    misplacedQuote_ = true;  // toml++ will refuse the line: until then nothing is a string
    ++pos_;
  } else if (c == '#' && !misplacedQuote_) {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;  // the newline is step()'s
  } else if (at("\"\"\"")) {
    pos_ += 3;
    multiLineBasic();
  } else if (at("'''")) {
    pos_ += 3;
    skipTo("'''", false);
    closeQuotes('\'');
  } else if (c == '"' || c == '\'') {
    ++pos_;
    skipTo(std::string_view(&text_[pos_ - 1], 1), true);
  } else if (c == '[' && depth_ == 0 && wasLineStart) {
    tableHeader();
  } else if (c == '[' || c == '{') {
    ++depth_;
    ++pos_;
  } else if (c == ']' || c == '}') {
    depth_ = depth_ > 0 ? depth_ - 1 : 0;
    ++pos_;
  } else if ((c & 0x80) != 0) {
    refuse(pos_, codePointName(codePoint(text_.substr(pos_))) +
                     " outside a string or comment (TOML keys and values there are ASCII)");
  } else {
    ++pos_;
  }
}

// "[" or "[[" at the top level, then blanks, then a key: a bare name or a quoted one.
void Scanner::tableHeader() {
  pos_ += at("[[") ? 2 : 1;
  lastToken_ = '[';
  while (pos_ < text_.size() && blank(text_[pos_])) ++pos_;
  if (pos_ < text_.size() && !keyStart(text_[pos_])) {
    refuse(pos_, "a table header must begin with a key (a name or a quoted string), got '" +
                     terminalText(text_.substr(pos_, utf8SequenceLength(text_.substr(pos_)))) +
                     "'");
  }
}

// Past the next `end` (a string's or a comment's); a one-line string also ends at a newline,
// left for step() to see. A backslash escapes the byte after it in a basic string.
void Scanner::skipTo(std::string_view end, bool stopAtNewline) {
  const bool escapes = end == "\"";
  while (pos_ < text_.size()) {
    if (at(end)) {
      pos_ += end.size();
      return;
    }
    if (stopAtNewline && text_[pos_] == '\n') return;
    pos_ += escapes && text_[pos_] == '\\' ? 2 : 1;
  }
}

// A multi-line string may end in one or two of its quotes before the closing three.
void Scanner::closeQuotes(char quote) {
  for (int extra = 0; extra < 2 && pos_ < text_.size() && text_[pos_] == quote; ++extra) ++pos_;
}

void Scanner::multiLineBasic() {
  while (pos_ < text_.size() && !problem_) {
    if (at("\"\"\"")) {
      pos_ += 3;
      closeQuotes('"');
      return;
    }
    if (text_[pos_] != '\\') {
      ++pos_;
      continue;
    }
    ++pos_;
    if (pos_ >= text_.size()) return;
    const char next = text_[pos_];
    if (blank(next) || next == '\r' || next == '\n') {
      lineEndingBackslash();
    } else if ((next & 0x80) != 0) {
      refuse(pos_ - 1, "'\\' before " + codePointName(codePoint(text_.substr(pos_))) +
                           " is not an escape TOML knows");
    } else {
      ++pos_;
    }
  }
}

// toml++ tests the first character after the skipped blanks and line breaks for whitespace.
void Scanner::lineEndingBackslash() {
  while (pos_ < text_.size() &&
         (blank(text_[pos_]) || text_[pos_] == '\r' || text_[pos_] == '\n')) {
    ++pos_;
  }
  if (pos_ >= text_.size()) return;
  const char32_t first = codePoint(text_.substr(pos_));
  if (misreadAsSpace(first)) {
    refuse(pos_, codePointName(first) +
                     " right after a line-ending backslash trips this build's TOML reader "
                     "(toml++ 3.3.0); write it as \\u" +
                     codePointName(first).substr(2) + " or begin the line with another character");
  }
}

}  // namespace

std::optional<TomlGuardProblem> checkTomlText(std::string_view text) {
  return Scanner(text).run();
}

}  // namespace eps
