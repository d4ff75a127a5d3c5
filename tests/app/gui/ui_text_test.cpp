// The window's translation table (app/gui/text/zh_table.cpp): each English string once, each
// with Chinese, and a printf-style string's conversions the same, in the same order, in both
// languages (a missing or extra %s would read a wrong argument).
#ifdef EPOLLSCOPE_WITH_GUI
#include "app/gui/text/ui_text.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace eps::gui {
namespace {

std::vector<std::string> conversions(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t at = text.find('%'); at != std::string_view::npos; at = text.find('%', at)) {
    std::size_t end = at + 1;
    while (end < text.size() &&
           std::string_view("-+ #0123456789.lhzjt").find(text[end]) != std::string_view::npos) {
      ++end;
    }
    out.emplace_back(text.substr(at, end + 1 - at));
    at = end + 1;
  }
  return out;
}

std::string idTail(std::string_view label) {
  const std::size_t at = label.find("##");
  return at == std::string_view::npos ? "" : std::string(label.substr(at));
}

TEST(UiText, EveryEntryIsOnceWithChineseAndTheSameConversionsAndId) {
  std::set<std::string_view> seen;
  for (const Translation& t : chineseTable()) {
    EXPECT_TRUE(seen.insert(t.en).second) << "twice in the table: " << t.en;
    EXPECT_FALSE(t.zh.empty()) << t.en;
    EXPECT_NE(t.zh, t.en) << "not translated: " << t.en;
    EXPECT_EQ(conversions(t.zh), conversions(t.en)) << t.en << " -> " << t.zh;
    EXPECT_EQ(idTail(t.zh), idTail(t.en)) << t.en << " -> " << t.zh;
  }
}

TEST(UiText, ChineseComesFromTheTableAndWhatItLacksIsRemembered) {
  speakChinese(false);
  EXPECT_STREQ(tr("File"), "File");
  speakChinese(true);
  EXPECT_STREQ(tr("File"), "文件");
  EXPECT_STREQ(tr("no such string in the table"), "no such string in the table");
  EXPECT_STREQ(tr("%d"), "%d");
  EXPECT_STREQ(tr("%llu / %zu"), "%llu / %zu");
  EXPECT_STREQ(tr("##id"), "##id");
  speakChinese(false);
  const std::vector<std::string> missing = missingTranslations();
  EXPECT_EQ(missing, (std::vector<std::string>{"no such string in the table"}));
}

}  // namespace
}  // namespace eps::gui
#endif
