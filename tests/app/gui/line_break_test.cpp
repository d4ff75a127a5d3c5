// Line breaking for the window's text: Chinese breaks between any two CJK characters, never
// inside a Latin word or a call name, and keeps its punctuation with the character it belongs
// to; English breaks at spaces. Widths are counted in columns: a CJK character is 2, any other
// character 1 (as a monospaced terminal would), so the expected lines can be read off.
#ifdef EPOLLSCOPE_WITH_GUI
#include "app/gui/text/line_break.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace eps::gui {
namespace {

float columns(std::string_view text) {
  float width = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = 0;
    width += isCjk(codePointAt(text, at, length)) ? 2.0F : 1.0F;
    at += length;
  }
  return width;
}

std::vector<std::string> lines(std::string_view text, float width) {
  std::vector<std::string> out;
  for (const std::string_view line : breakLines(text, width, columns)) out.emplace_back(line);
  return out;
}

using Lines = std::vector<std::string>;

TEST(LineBreak, EnglishBreaksAtSpacesOnly) {
  EXPECT_EQ(lines("the engine reads once", 10), (Lines{"the engine", "reads once"}));
  EXPECT_EQ(lines("epoll_wait(4, 64, -1) = 1", 13), (Lines{"epoll_wait(4,", "64, -1) = 1"}));
  EXPECT_EQ(lines("one\ntwo", 80), (Lines{"one", "two"}));
}

TEST(LineBreak, ChineseBreaksBetweenCharactersButNeverInsideACallName) {
  // 客户端发送 (10 columns) then epoll_wait (10): the call name moves whole to the next line.
  EXPECT_EQ(lines("客户端发送epoll_wait返回", 14), (Lines{"客户端发送", "epoll_wait返回"}));
  EXPECT_EQ(lines("引擎醒来一次然后睡去", 8), (Lines{"引擎醒来", "一次然后", "睡去"}));
}

TEST(LineBreak, PunctuationStaysWithItsCharacter) {
  // A line never starts with ，or 。 and never ends with （.
  EXPECT_EQ(lines("读到数据，然后（再）睡", 8), (Lines{"读到数", "据，然后", "（再）睡"}));
  EXPECT_EQ(lines("等待epoll_wait，然后", 14), (Lines{"等待", "epoll_wait，然", "后"}));
}

TEST(LineBreak, AWordWiderThanALineIsCutBetweenCharacters) {
  EXPECT_EQ(lines("abcdefghij", 4), (Lines{"abcd", "efgh", "ij"}));
  EXPECT_EQ(lines("x 中文", 0), (Lines{"x", "中", "文"}));
}

TEST(LineBreak, BrokenUtf8IsOneCharacterEach) {
  std::size_t length = 0;
  EXPECT_EQ(codePointAt("\xe4\xb8", 0, length), U'\uFFFD');
  EXPECT_EQ(length, 1u);
  EXPECT_EQ(lines("a\xff b", 80), (Lines{"a\xff b"}));
}

}  // namespace
}  // namespace eps::gui
#endif
