// The window's words in its two languages. Every string the window shows is written once, in
// English, where it is drawn, and passes through tr(): while the window speaks Chinese, tr()
// gives the string's Chinese from the one table (zh_table.cpp). A string the table lacks is
// shown in English and remembered, for --state-out and the test that fails on it.
#pragma once

#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eps::gui {

struct Translation {
  std::string_view en;
  std::string_view zh;
};

// The table, in the order it is written (zh_table.cpp).
std::span<const Translation> chineseTable();

// UI thread only: the language, the lookups and the strings found missing.
void speakChinese(bool on);
bool speaksChinese();
// `english` itself, or its Chinese while the window speaks Chinese. Never null; the pointer
// stays valid as long as `english` does.
const char* tr(const char* english);
// A name shown the same in both languages (fd, a call name, a flag): said so where it is
// drawn, for the test that finds every literal the window draws without tr().
inline const char* asIs(const char* name) {
  return name;
}
// The two ways of saying a string: `english` (what --state-out and the CLI contract read) and
// `tr` (what the window shows). Code that builds text for both takes one of them.
using Translator = const char* (*)(const char*);
inline const char* english(const char* text) {
  return text;
}
// printf into a string with the translated format. Safe although the format is not a literal:
// a test holds every table entry to its English's conversions, in order (ui_text_test.cpp).
template <typename... Args>
std::string trPrintfWith(Translator say, const char* text, Args... args) {
  const char* format = say(text);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
  const int size = std::snprintf(nullptr, 0, format, args...);
  std::string out(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  if (size > 0) std::snprintf(out.data(), out.size() + 1, format, args...);
#pragma GCC diagnostic pop
  return out;
}
template <typename... Args>
std::string trPrintf(const char* text, Args... args) {
  return trPrintfWith(tr, text, args...);
}

// Whether `text` has words to translate: a letter outside its printf conversions and before
// its "##id" tail ("%llu / %zu", "##lesson" and "\u2713 %s" have none).
bool hasWords(std::string_view text);
// The strings asked for in Chinese that the table lacks, sorted (strings without a letter,
// such as "%d" or "##id", need none).
std::vector<std::string> missingTranslations();
// Every Chinese string of the table, for the font atlas's glyphs.
std::string tableChineseText();

}  // namespace eps::gui
