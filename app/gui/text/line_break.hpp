// Where a paragraph of the window's text breaks into lines, in English and in Chinese. Dear
// ImGui 1.86 wraps only at spaces, and a Chinese sentence has none: it falls back to breaking
// wherever the line is full, even inside `epoll_wait`. Here, in the spirit of Unicode's line
// breaking (UAX #14, much reduced): a line may break at a space and between two CJK
// characters, never inside a run of Latin letters, digits and call syntax; CJK closing
// punctuation (，。：）…) never starts a line and opening punctuation (（“) never ends one.
// Only a word wider than a whole line is cut, between its characters.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

namespace eps::gui {

// `measure` gives the width of a piece of text (widths add up: ImGui 1.86 has no kerning).
// Returns the lines, without the spaces at a break and without '\n' (which always breaks).
// Stateless; any thread.
std::vector<std::string_view> breakLines(std::string_view text, float width,
                                         const std::function<float(std::string_view)>& measure);

// The code point at `text[at]` (its UTF-8 length in `length`); U+FFFD for a broken sequence.
char32_t codePointAt(std::string_view text, std::size_t at, std::size_t& length);
// CJK ideographs, kana, hangul, fullwidth forms and CJK punctuation: a line may break between
// two of them.
bool isCjk(char32_t c);

}  // namespace eps::gui
