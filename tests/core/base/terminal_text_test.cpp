// Untrusted text on the way to a terminal: control characters escaped, bad UTF-8 replaced,
// everything printable (Chinese included) unchanged.
#include <gtest/gtest.h>

#include "core/base/terminal_text.hpp"

namespace eps {
namespace {

TEST(TerminalText, PrintableTextPassesUnchanged) {
  EXPECT_EQ(terminalText("lesson 3: ET drain"), "lesson 3: ET drain");
  EXPECT_EQ(terminalText("\xE8\xBE\xB9\xE7\xBC\x98\xE8\xA7\xA6\xE5\x8F\x91"),  // 边缘触发
            "\xE8\xBE\xB9\xE7\xBC\x98\xE8\xA7\xA6\xE5\x8F\x91");
}

TEST(TerminalText, C0ControlsAndDelAreEscaped) {
  EXPECT_EQ(terminalText("a\x1b]0;owned\x07z"), "a\\x1b]0;owned\\x07z");
  EXPECT_EQ(terminalText("two\nlines\ttab\r\x7f"), "two\\x0alines\\x09tab\\x0d\\x7f");
  EXPECT_EQ(terminalText(std::string("nul\0!", 5)), "nul\\x00!");
}

TEST(TerminalText, C1ControlsAreEscaped) {
  EXPECT_EQ(terminalText("\xC2\x9B"
                         "31m red \xC2\x9D"
                         "0;x\xC2\x9C"),
            "\\u009b31m red \\u009d0;x\\u009c");
  EXPECT_EQ(terminalText("\xC2\x80\xC2\x9F\xC2\xA0"), "\\u0080\\u009f\xC2\xA0");  // NBSP stays
}

TEST(TerminalText, InvalidUtf8IsReplaced) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(terminalText("a\x9B"
                         "b"),
            "a" + fffd + "b");                                             // a lone 8-bit CSI byte
  EXPECT_EQ(terminalText("\xC0\xAF"), fffd + fffd);                        // overlong '/'
  EXPECT_EQ(terminalText("\xED\xA0\x80"), fffd + fffd + fffd);             // a UTF-16 surrogate
  EXPECT_EQ(terminalText("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // past U+10FFFF
  EXPECT_EQ(terminalText("cut \xE8\xBE"), "cut " + fffd + fffd);
}

TEST(TerminalText, LongTextIsCutAtACharacterBoundary) {
  EXPECT_EQ(terminalText("abcdef", 4), "abcd...");
  EXPECT_EQ(terminalText("ab\xE8\xBE\xB9", 4), "ab...");  // not half of 边
  EXPECT_EQ(terminalText("abcd", 4), "abcd");
}

TEST(TerminalText, Utf8Validation) {
  EXPECT_EQ(firstInvalidUtf8("ok \xE8\xBE\xB9 \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(firstInvalidUtf8("ok\xFF"), 2u);
  EXPECT_EQ(utf8SequenceLength("\xE0\x80\x80"), 0u);  // overlong
  EXPECT_EQ(utf8SequenceLength("\xF0\x9F\x98\x80"), 4u);
}

}  // namespace
}  // namespace eps
