#include "app/gui/text/line_break.hpp"

#include <algorithm>
#include <string>

namespace eps::gui {
namespace {

// CJK punctuation that closes (no line starts with it) and that opens (no line ends with it).
bool closes(char32_t c) {
  static constexpr std::u32string_view kClosing = U"，。、：；！？）」』】〉》”’…・ー";
  return kClosing.find(c) != std::u32string_view::npos;
}

bool opens(char32_t c) {
  static constexpr std::u32string_view kOpening = U"（「『【〈《“‘";
  return kOpening.find(c) != std::u32string_view::npos;
}

// A piece no break may fall inside: a Latin word (with what sticks to it), one CJK character
// (with closing punctuation after it and opening punctuation before it), a run of spaces, or
// a newline.
struct Piece {
  std::size_t begin = 0;
  std::size_t end = 0;
  enum class Kind { Word, Space, Newline } kind = Kind::Word;
};

std::size_t wordEnd(std::string_view text, std::size_t at) {
  while (at < text.size()) {
    std::size_t length = 0;
    const char32_t c = codePointAt(text, at, length);
    if (c == U' ' || c == U'\n' || isCjk(c)) break;
    at += length;
  }
  return at;
}

std::size_t closingEnd(std::string_view text, std::size_t at) {
  while (at < text.size()) {
    std::size_t length = 0;
    if (!closes(codePointAt(text, at, length))) break;
    at += length;
  }
  return at;
}

// The piece that starts at `at` with a visible character: opening punctuation, then one CJK
// character or one Latin word, then the closing punctuation that must stay with it.
std::size_t pieceEnd(std::string_view text, std::size_t at) {
  std::size_t length = 0;
  char32_t c = codePointAt(text, at, length);
  while (opens(c) && at + length < text.size()) {
    at += length;
    c = codePointAt(text, at, length);
  }
  if (c == U' ' || c == U'\n') return at;  // an opening mark before a space stands alone
  at = isCjk(c) && !closes(c) ? at + length : std::max(wordEnd(text, at), at + length);
  return closingEnd(text, at);
}

std::vector<Piece> pieces(std::string_view text) {
  std::vector<Piece> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t length = 0;
    const char32_t c = codePointAt(text, at, length);
    Piece piece{at, at + length, Piece::Kind::Word};
    if (c == U'\n') {
      piece.kind = Piece::Kind::Newline;
    } else if (c == U' ') {
      piece.kind = Piece::Kind::Space;
      while (piece.end < text.size() && text[piece.end] == ' ') ++piece.end;
    } else {
      piece.end = std::max(pieceEnd(text, at), at + length);
    }
    out.push_back(piece);
    at = piece.end;
  }
  return out;
}

// A word wider than a line: as many whole characters as fit, at least one.
std::size_t cutPoint(std::string_view word, float width,
                     const std::function<float(std::string_view)>& measure) {
  std::size_t at = 0;
  while (at < word.size()) {
    std::size_t length = 0;
    codePointAt(word, at, length);
    if (at > 0 && measure(word.substr(0, at + length)) > width) break;
    at += length;
  }
  return at;
}

// Lays out the pieces greedily. `line` holds the current line's start; a line ends before the
// piece that would not fit, and the spaces at a break vanish.
class Layout {
 public:
  Layout(std::string_view text, float width, const std::function<float(std::string_view)>& measure)
      : text_(text), width_(width), measure_(measure) {}

  std::vector<std::string_view> run() {
    for (const Piece& piece : pieces(text_)) place(piece);
    if (hasLine_) flush();
    return lines_;
  }

 private:
  void place(const Piece& piece) {
    if (piece.kind == Piece::Kind::Newline) {
      flush();
      return;
    }
    if (piece.kind == Piece::Kind::Space) {
      if (hasLine_) pendingSpace_ = {piece.begin, piece.end};
      return;
    }
    std::string_view word = text_.substr(piece.begin, piece.end - piece.begin);
    float wordWidth = measure_(word);
    const float spaceWidth =
        pendingSpace_.second > pendingSpace_.first
            ? measure_(
                  text_.substr(pendingSpace_.first, pendingSpace_.second - pendingSpace_.first))
            : 0.0F;
    if (hasLine_ && used_ + spaceWidth + wordWidth > width_) flush();
    while (!hasLine_ && wordWidth > width_ && word.size() > 1) {  // cut a word wider than a line
      const std::size_t cut = cutPoint(word, width_, measure_);
      if (cut >= word.size()) break;
      lines_.push_back(word.substr(0, cut));
      word.remove_prefix(cut);
      wordWidth = measure_(word);
    }
    if (!hasLine_) {
      start_ = static_cast<std::size_t>(word.data() - text_.data());
      used_ = 0.0F;
      hasLine_ = true;
    } else {
      used_ += spaceWidth;
    }
    used_ += wordWidth;
    end_ = static_cast<std::size_t>(word.data() - text_.data()) + word.size();
    pendingSpace_ = {0, 0};
  }

  void flush() {
    lines_.push_back(hasLine_ ? text_.substr(start_, end_ - start_) : std::string_view());
    hasLine_ = false;
    pendingSpace_ = {0, 0};
  }

  std::string_view text_;
  float width_;
  const std::function<float(std::string_view)>& measure_;
  std::vector<std::string_view> lines_;
  bool hasLine_ = false;
  std::size_t start_ = 0;
  std::size_t end_ = 0;
  float used_ = 0.0F;
  std::pair<std::size_t, std::size_t> pendingSpace_{0, 0};
};

}  // namespace

char32_t codePointAt(std::string_view text, std::size_t at, std::size_t& length) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  length = 1;
  if (lead < 0x80) return lead;
  const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (need == 0 || at + need > text.size()) return U'\uFFFD';
  char32_t c = lead & (0xFF >> (need + 1));
  for (std::size_t i = 1; i < need; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return U'\uFFFD';
    c = (c << 6) | (byte(at + i) & 0x3F);
  }
  length = need;
  return c;
}

bool isCjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) ||  // radicals, punctuation, kana, ideographs
         (c >= 0xAC00 && c <= 0xD7AF) ||  // hangul
         (c >= 0xF900 && c <= 0xFAFF) ||  // compatibility ideographs
         (c >= 0xFF00 && c <= 0xFFEF) ||  // fullwidth forms (，：（）)
         (c >= 0x20000 && c <= 0x2FFFF);  // ideographs beyond the BMP
}

std::vector<std::string_view> breakLines(std::string_view text, float width,
                                         const std::function<float(std::string_view)>& measure) {
  return Layout(text, width, measure).run();
}

}  // namespace eps::gui
