// A paired lesson in the window under real X input (lesson 18, poll against epoll): opening it
// shows the lesson panel beside the compare view, each step run with the lesson panel's button
// fills that step's counters on both sides, equal to what a headless PairedRun of the same
// lesson measures, and the predict answer stays hidden until its step has run.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string_view>

#include "core/compare/paired_run.hpp"
#include "tests/helpers/lesson_steps.hpp"
#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

const std::string kLesson = kSource + "/lessons/18-poll-vs-epoll.toml";

// Counters of lesson 18 that every run gives the same (its checks hold them exactly); in
// step 1, where fifty-one clients connect at once, how many waits the accepts take varies.
const char* const kExact[] = {"accepts",      "epoll_ctls", "wakeups",
                              "echoed_bytes", "fds_passed", "waits"};
const char* const kExactInStep1[] = {"accepts", "epoll_ctls", "echoed_bytes"};

bool exactIn(std::size_t step, const char* name) {
  return step != 0 || std::find(std::begin(kExactInStep1), std::end(kExactInStep1),
                                std::string_view(name)) != std::end(kExactInStep1);
}

using StepCounts = std::map<std::string, std::int64_t>;

// Runs step `step` (0-based) and waits for its answer and both sides' counters of it (null if
// they never come).
json runAndAnswer(WindowDriver& window, int step) {
  if (runStep(window, step).is_null()) return nullptr;
  return window.waitFor(
      [step](const json& s) {
        return s["lesson"]["answerShownFor"].get<int>() == step &&
               s["compare"]["result"]["sides"][1]["steps"].size() ==
                   static_cast<std::size_t>(step + 1);
      },
      "step " + std::to_string(step + 1) + "'s answer and counters");
}

// Lesson 18 played headless, step by step, on both sides: [step][side].
std::vector<std::array<StepCounts, 2>> playedHeadless() {
  LessonLoad loaded = loadLessonFile(kLesson);
  EXPECT_TRUE(loaded.lesson);
  PairedRun run(*loaded.lesson);
  EXPECT_EQ(run.start(), "");
  for (std::size_t i = 0; i < loaded.lesson->steps.size(); ++i) {
    const StepResult result = run.playNext();
    EXPECT_TRUE(result.passed()) << "step " << i + 1 << ": " << result.failure;
  }
  const Comparison played = run.snapshot();
  std::vector<std::array<StepCounts, 2>> steps(played.sides[0].steps.size());
  for (std::size_t step = 0; step < steps.size(); ++step) {
    for (std::size_t side = 0; side < 2; ++side) {
      for (const char* name : kExact) {
        steps[step][side][name] = played.sides[side].steps[step][*lessonCounterFromName(name)];
      }
    }
  }
  return steps;
}

TEST(WindowPairedLesson, EachStepFillsBothSidesWithTheCountersOfAHeadlessRun) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--lesson", kLesson}});
  const json opened = lessonShown(window);
  ASSERT_FALSE(opened.is_null()) << window.failure();
  EXPECT_TRUE(opened["lesson"]["paired"].get<bool>());
  const json shown = window.waitFor([](const json& s) { return s["compare"]["drawn"].get<bool>(); },
                                    "the side by side view beside the lesson", 30s);
  ASSERT_FALSE(shown.is_null()) << window.failure();
  EXPECT_TRUE(shown["panels"].contains("lesson")) << "the lesson panel is drawn too";
  EXPECT_EQ(shown["compare"]["result"]["sides"][0]["steps"].size(), 0u) << "nothing played yet";

  const std::vector<std::array<StepCounts, 2>> headless = playedHeadless();
  ASSERT_EQ(headless.size(), 2u);
  // Step 1 asks how many descriptors each wait hands the kernel: locked, not yet answered.
  const json asked = window.settle();
  ASSERT_TRUE(asked["lesson"]["needsAnswer"].get<bool>()) << asked["lesson"].dump();
  ASSERT_TRUE(lockChoice(window, 1));
  const json beforeRun = window.settle(5);
  EXPECT_EQ(beforeRun["lesson"]["answerShownFor"].get<int>(), -1)
      << "the answer waits for the step's run: " << beforeRun["lesson"].dump();
  EXPECT_EQ(beforeRun["compare"]["result"]["sides"][1]["steps"].size(), 0u)
      << "step 1's counters are not there before it ran";
  const json first = runAndAnswer(window, 0);
  ASSERT_FALSE(first.is_null()) << window.failure();
  EXPECT_TRUE(first["lesson"]["answerRight"].get<bool>());

  ASSERT_TRUE(lockChoice(window, 2));
  const json after = runAndAnswer(window, 1);
  ASSERT_FALSE(after.is_null()) << window.failure();
  EXPECT_TRUE(after["lesson"]["answerRight"].get<bool>());
  EXPECT_EQ(after["compare"]["tableStep"].get<int>(), 1) << "the table follows the step played";
  const json& sides = after["compare"]["result"]["sides"];
  for (std::size_t step = 0; step < 2; ++step) {
    for (std::size_t side = 0; side < 2; ++side) {
      for (const char* name : kExact) {
        if (!exactIn(step, name)) continue;
        EXPECT_EQ(sides[side]["steps"][step][name].get<std::int64_t>(),
                  headless[step][side].at(name))
            << "side " << side << ", step " << step + 1 << ", " << name;
      }
    }
  }
  EXPECT_EQ(sides[0]["steps"][0]["epoll_ctls"], 51) << "epoll registers each connection once";
  EXPECT_EQ(sides[1]["steps"][0]["epoll_ctls"], 0) << "poll registers nothing";
  EXPECT_EQ(sides[0]["steps"][1]["fds_passed"], 0) << "epoll_wait passes no descriptors";
  EXPECT_EQ(sides[1]["steps"][1]["fds_passed"], 265) << "5 waits, 53 descriptors each";
  // Each side's waits are drawn on its first row, named for the call: poll's too.
  EXPECT_EQ(sides[0]["drawnBand"]["rows"][0], "epoll");
  EXPECT_EQ(sides[1]["drawnBand"]["rows"][0], "poll");
  for (std::size_t side = 0; side < 2; ++side) {
    std::int64_t waits = 0;
    for (const json& step : sides[side]["steps"]) waits += step["waits"].get<std::int64_t>();
    EXPECT_GE(sides[side]["drawnBand"]["waits"].get<std::int64_t>(), waits) << "side " << side;
  }
}

// Close hides the side by side view and leaves the lesson (side A's engine in the panels); the
// lesson panel's button brings the view back; a step back replays both sides from fresh
// engines, so the view then holds one step fewer.
TEST(WindowPairedLesson, CloseShowAgainAndAStepBack) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--lesson", kLesson}});
  ASSERT_FALSE(lessonShown(window).is_null()) << window.failure();
  ASSERT_TRUE(lockChoice(window, 1));
  ASSERT_FALSE(runStep(window, 0).is_null()) << window.failure();
  ASSERT_TRUE(lockChoice(window, 2));
  ASSERT_FALSE(runStep(window, 1).is_null()) << window.failure();
  ASSERT_TRUE(window.clickWidget("compare-close")) << window.failure();
  const json closed = window.waitFor(
      [](const json& s) { return !s["compare"]["showing"].get<bool>(); }, "the view closed");
  ASSERT_FALSE(closed.is_null()) << window.failure();
  EXPECT_EQ(closed["mode"], "lesson");
  EXPECT_TRUE(closed["panels"].contains("timeline")) << "the panels are back";
  const json again = window.settle();
  EXPECT_FALSE(again["compare"]["showing"].get<bool>()) << "closed stays closed";

  ASSERT_TRUE(window.clickWidget("lesson-side-by-side")) << window.failure();
  const json shown = window.waitFor([](const json& s) { return s["compare"]["drawn"].get<bool>(); },
                                    "the view shown again");
  ASSERT_FALSE(shown.is_null()) << window.failure();
  EXPECT_EQ(shown["compare"]["result"]["sides"][0]["steps"].size(), 2u);

  ASSERT_TRUE(window.clickWidget("lesson-previous")) << window.failure();
  const json back = window.waitFor(
      [](const json& s) {
        return s["lesson"]["step"].get<int>() == 1 && !s["lesson"]["busy"].get<bool>() &&
               s["compare"]["result"]["sides"][1]["steps"].size() == 1;
      },
      "step 1 replayed on both sides", 60s);
  ASSERT_FALSE(back.is_null()) << window.failure();
  const json& sides = back["compare"]["result"]["sides"];
  EXPECT_EQ(sides[0]["steps"][0]["epoll_ctls"], 51);
  EXPECT_EQ(sides[1]["steps"][0]["epoll_ctls"], 0);
}

// At a projector's font on 1280x720, in Chinese, the counters that differ after lesson 18's
// last step are read whole: the names' column leaves them room (the value columns take only
// what the values shown need).
TEST(WindowPairedLesson, AtAProjectorsFontTheDifferingCountersAreReadWhole) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window(
      {1280, 720, {"--lesson", kLesson, "--lesson-step", "2", "--chinese", "--font-scale", "2.0"}});
  const json shown = window.waitFor(
      [](const json& s) {
        return s["compare"]["drawn"].get<bool>() && !s["compare"]["highlighted"].empty() &&
               s["compare"]["result"]["sides"][0]["steps"].size() == 2;
      },
      "the last step's counters side by side", 120s);
  ASSERT_FALSE(shown.is_null()) << window.failure();
  const json& c = shown["compare"];
  EXPECT_LE(c["highlightedNameWidth"].get<double>(), c["nameRoom"].get<double>())
      << c["highlighted"].dump();
  EXPECT_TRUE(shown["untranslated"].empty()) << shown["untranslated"].dump();
}

}  // namespace
}  // namespace eps::test
#endif
