// Two runs side by side in the window, driven with real X input: File -> Compare two runs...,
// the form's knobs typed, Compare. The counters the view reports for each side must be those of
// the same lesson played alone by the lesson runner with that side's knobs, and the script's
// markers must sit at the same x on both timelines; at a projector's font the view still fits.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <cmath>

#include "core/compare/paired_run.hpp"
#include "core/runner/lesson_runner.hpp"
#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

// Counters of lesson 02's script that every run gives the same, LT or ET.
const char* const kSteady[] = {"wakeups",        "reads",      "reads_with_data", "bytes_read",
                               "stranded_bytes", "recv_queue", "accepts",         "lost_bytes"};

// Lesson 02 played alone by the lesson runner with its knobs changed by `changes`.
std::vector<std::map<std::string, std::int64_t>> playedAlone(const std::string& changes) {
  LessonLoad loaded = loadLessonFile(kSource + "/lessons/02-et-lost-wakeup.toml");
  EXPECT_TRUE(loaded.lesson);
  Lesson lesson = *loaded.lesson;
  EXPECT_EQ(applyKnobChanges(lesson.knobs, changes), "");
  LessonRunner runner(lesson);
  EXPECT_EQ(runner.start(), "");
  std::vector<std::map<std::string, std::int64_t>> steps;
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    EXPECT_EQ(runner.playStep(i).failure, "");
    std::map<std::string, std::int64_t>& step = steps.emplace_back();
    for (const char* name : kSteady) step[name] = runner.counter(name).value_or(-1);
  }
  return steps;
}

bool inside(const json& box, float width, float height) {
  return box["x"].get<float>() >= 0 && box["y"].get<float>() >= 0 &&
         box["x"].get<float>() + box["w"].get<float>() <= width + 0.5f &&
         box["y"].get<float>() + box["h"].get<float>() <= height + 0.5f;
}

TEST(WindowCompare, TheViewOpenedWithRealInputReportsTheCountersOfTwoSeparateRuns) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--font-scale", "2.0"}});
  ASSERT_TRUE(window.clickWidget("file")) << window.failure();
  ASSERT_TRUE(window.clickWidget("compare-runs")) << window.failure();
  // Side A's knobs typed over the default: the form takes what the user writes.
  ASSERT_TRUE(window.clickWidget("compare-knobs-a")) << window.failure();
  window.key("ctrl+a");
  window.type("conn-trigger=lt,max-events=32");
  const json typed = window.settle();
  ASSERT_FALSE(typed.is_null()) << window.failure();
  ASSERT_TRUE(window.clickWidget("compare-start")) << window.failure();
  const json shown = window.waitFor([](const json& s) { return s["compare"]["drawn"].get<bool>(); },
                                    "the compare view", 90s);
  ASSERT_FALSE(shown.is_null()) << window.failure();
  const json& result = shown["compare"]["result"];
  ASSERT_EQ(result["error"], "");
  const json& sides = result["sides"];
  EXPECT_NE(sides[0]["knobs"].get<std::string>().find("conn-trigger=lt"), std::string::npos);
  EXPECT_NE(sides[0]["knobs"].get<std::string>().find("max-events=32"), std::string::npos)
      << "side A runs with the knobs typed";
  EXPECT_NE(sides[1]["knobs"].get<std::string>().find("conn-trigger=et"), std::string::npos);

  const std::vector<std::map<std::string, std::int64_t>> alone[2] = {
      playedAlone("conn-trigger=lt,max-events=32"), playedAlone("conn-trigger=et")};
  for (std::size_t side = 0; side < 2; ++side) {
    ASSERT_EQ(sides[side]["steps"].size(), alone[side].size());
    for (std::size_t step = 0; step < alone[side].size(); ++step) {
      for (const char* name : kSteady) {
        EXPECT_EQ(sides[side]["steps"][step][name].get<std::int64_t>(), alone[side][step].at(name))
            << "side " << side << ", step " << step + 1 << ", " << name;
      }
    }
  }
  EXPECT_EQ(sides[1]["steps"][1]["stranded_bytes"], 3996) << "ET strands the rest";

  // Aligned: every script marker at the same x on both timelines.
  const json& xa = sides[0]["markerX"];
  const json& xb = sides[1]["markerX"];
  ASSERT_EQ(xa.size(), result["aligned"].size());
  ASSERT_EQ(xa.size(), xb.size());
  ASSERT_GE(xa.size(), 5u) << "lesson 02's five actions";
  for (std::size_t k = 0; k < xa.size(); ++k) {
    EXPECT_NEAR(xa[k].get<float>(), xb[k].get<float>(), 0.5f) << "marker " << k;
    if (k > 0) {
      EXPECT_GT(xa[k].get<float>(), xa[k - 1].get<float>());
    }
  }
  // The differences are highlighted, first; everything fits the 1280x720 window at font 2.
  const json& highlighted = shown["compare"]["highlighted"];
  EXPECT_NE(std::find(highlighted.begin(), highlighted.end(), "wakeups"), highlighted.end());
  for (const json& box : {sides[0]["band"], sides[1]["band"], shown["compare"]["table"]}) {
    EXPECT_TRUE(inside(box, 1280, 720)) << box.dump();
  }
  EXPECT_LE(sides[0]["band"]["x"].get<float>() + sides[0]["band"]["w"].get<float>(),
            shown["compare"]["table"]["x"].get<float>())
      << "the timelines and the table side by side, not over each other";
  EXPECT_GE(shown["compare"]["rowsDrawn"].get<int>(), 42);

  // Close: back to free play's panels.
  ASSERT_TRUE(window.clickWidget("compare-close")) << window.failure();
  const json closed = window.waitFor(
      [](const json& s) {
        return !s["compare"]["showing"].get<bool>() && s["panels"].contains("timeline");
      },
      "the panels again");
  ASSERT_FALSE(closed.is_null()) << window.failure();
}

}  // namespace
}  // namespace eps::test
#endif
