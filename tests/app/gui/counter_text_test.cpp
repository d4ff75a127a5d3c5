// Every counter a lesson or a tour can name has its meaning in Chinese (zh_counters.cpp): the
// compare view's tooltips show a counter's meaning in the window's language, and a counter
// added without its Chinese would show English in the Chinese window.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "app/gui/text/ui_text.hpp"
#include "core/checks/counters.hpp"

namespace eps::gui {
namespace {

std::set<std::string_view> tableEnglish() {
  std::set<std::string_view> english;
  for (const Translation& t : chineseTable()) english.insert(t.en);
  return english;
}

TEST(CounterText, EveryLessonAndTourCounterMeaningHasChinese) {
  const std::set<std::string_view> english = tableEnglish();
  for (const auto table : {lessonCounters(), tourCounters()}) {
    for (const CounterInfo& info : table) {
      EXPECT_EQ(english.count(info.meaning), 1U)
          << "counter '" << info.name << "' has no Chinese for its meaning: " << info.meaning;
    }
  }
  EXPECT_EQ(english.count("step: %s"), 1U);
  EXPECT_EQ(english.count("now: %s"), 1U);
}

TEST(CounterText, TheMeaningIsInTheReadersLanguageAndEnglishWithoutATranslator) {
  const CounterInfo& stranded = counterInfo(LessonCounter::StrandedBytes);
  EXPECT_EQ(counterText(stranded), "now: bytes stranded on connections");
  speakChinese(true);
  EXPECT_EQ(counterText(stranded, tr), "此刻：滞留在连接上的字节");
  EXPECT_EQ(counterText(counterInfo(LessonCounter::Reads), tr), "本步：连接上的 read 调用");
  EXPECT_EQ(counterText(counterInfo(TourCounter::Lines), tr), "日志的行数");
  speakChinese(false);
  EXPECT_EQ(counterText(stranded, tr), "now: bytes stranded on connections");
}

}  // namespace
}  // namespace eps::gui
#endif
