// What goes wrong, said in Chinese: a lesson file that cannot be loaded and a comparison that
// cannot run are told in the window's language around core's own words (the file's place and
// problem, as the loader wrote them); --state-out stays English and nothing the window asked
// the table for is missing from it.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

std::string writeBroken(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("epollscope-zh-" + std::to_string(::getpid()) + "-" + name))
                               .string();
  std::ofstream(path) << text;
  return path;
}

TEST(WindowChineseErrors, ABrokenLessonIsToldInChineseAroundTheLoadersPlace) {
  SKIP_WITHOUT_WINDOWS();
  const std::string lesson = writeBroken("broken.toml", "id = \"x\"\ncolour = 1\n");
  WindowDriver window({1280, 720, {"--chinese", "--lesson", lesson}});
  const json shown = window.waitFor(
      [](const json& s) {
        return s["language"] == "zh" && s["status"].get<std::string>().find(":2:1:") !=
                                            std::string::npos;
      },
      "the Chinese window with the lesson's error");
  ASSERT_FALSE(shown.is_null()) << window.failure();
  const json settled = window.settle();
  ASSERT_FALSE(settled.is_null()) << window.failure();
  const std::string status = settled["status"];
  EXPECT_EQ(status.rfind("cannot load the lesson: " + lesson + ":2:1: ", 0), 0u) << status;
  EXPECT_TRUE(settled["untranslated"].empty()) << settled["untranslated"].dump(1);
  EXPECT_EQ(settled["mode"], "live") << "free play goes on";
  std::filesystem::remove(lesson);
}

TEST(WindowChineseErrors, AComparisonThatCannotRunIsToldInChinese) {
  SKIP_WITHOUT_WINDOWS();
  const std::string broken = writeBroken("broken.eps", "not a session\n");
  WindowDriver window({1280, 720, {"--chinese", "--compare-sessions", broken, broken}});
  const json shown = window.waitFor(
      [](const json& s) {
        return s["language"] == "zh" && s["compare"]["showing"].get<bool>() &&
               s["compare"].contains("result") &&
               !s["compare"]["result"]["error"].get<std::string>().empty();
      },
      "the compare view's error");
  ASSERT_FALSE(shown.is_null()) << window.failure();
  const json settled = window.settle();
  ASSERT_FALSE(settled.is_null()) << window.failure();
  EXPECT_NE(settled["compare"]["result"]["error"].get<std::string>().find(broken),
            std::string::npos)
      << "the error names the file";
  EXPECT_TRUE(settled["untranslated"].empty()) << settled["untranslated"].dump(1);
  std::filesystem::remove(broken);
}

}  // namespace
}  // namespace eps::test
#endif
