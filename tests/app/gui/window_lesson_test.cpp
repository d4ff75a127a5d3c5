// A lesson in the window under real X input: a predict-first answer is locked before the step
// runs and revealed only after it, beside its checks; the engine's control channel stays out
// of a lesson's timeline until the Lanes menu asks for it.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include "tests/helpers/lesson_steps.hpp"
#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

bool hasControlLane(const json& state) {
  for (const json& lane : state["timeline"]["lanes"]) {
    if (lane["kind"] == "control") return true;
  }
  return false;
}

// Lesson 01, step 2 asks how many wakeups 4096 bytes cause. Locking a choice records it and
// shows no answer; the answer (and that the choice was right) comes once the step has run.
TEST(WindowLesson, ThePredictAnswerComesOnlyAfterTheStepRan) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--lesson", kSource + "/lessons/01-lt-partial-read.toml"}});
  ASSERT_FALSE(lessonShown(window).is_null()) << window.failure();
  ASSERT_FALSE(runStep(window, 0).is_null()) << window.failure();
  const json asked = window.settle();
  ASSERT_TRUE(asked["lesson"]["needsAnswer"].get<bool>()) << asked["lesson"].dump();
  EXPECT_EQ(asked["lesson"]["answerShownFor"].get<int>(), -1) << "step 1 has no predict";

  ASSERT_TRUE(window.scrollToWidget("lesson-choice-1", "lesson")) << window.failure();
  ASSERT_TRUE(window.clickWidget("lesson-choice-1")) << window.failure();  // "41 times"
  ASSERT_TRUE(window.scrollToWidget("lesson-lock", "lesson")) << window.failure();
  ASSERT_TRUE(window.clickWidget("lesson-lock")) << window.failure();
  const json locked = window.waitFor([](const json& s) { return s["lesson"]["locked"].get<bool>(); },
                                     "the choice locked");
  ASSERT_FALSE(locked.is_null()) << window.failure();
  const json beforeRun = window.settle(5);
  EXPECT_EQ(beforeRun["lesson"]["step"].get<int>(), 1) << "locking does not run the step";
  EXPECT_EQ(beforeRun["lesson"]["answerShownFor"].get<int>(), -1)
      << "the answer waits for the step's run: " << beforeRun["lesson"].dump();

  ASSERT_FALSE(runStep(window, 1).is_null()) << window.failure();
  const json after = window.waitFor([](const json& s) {
    return s["lesson"]["answerShownFor"].get<int>() == 1;
  }, "the answer of step 2 beside its checks");
  ASSERT_FALSE(after.is_null()) << window.failure();
  EXPECT_TRUE(after["lesson"]["answerRight"].get<bool>()) << "41 wakeups was the right choice";
}

// The engine's control eventfd (its read(fd, 8) at every command) is not drawn in a lesson's
// timeline until Lanes > "show the engine's control channel" is ticked.
TEST(WindowLesson, TheControlLaneIsHiddenUntilAskedFor) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--lesson", kSource + "/lessons/02-et-lost-wakeup.toml"}});
  ASSERT_FALSE(lessonShown(window).is_null()) << window.failure();
  ASSERT_FALSE(runStep(window, 0).is_null()) << window.failure();
  const json hidden = window.settle(5);
  EXPECT_FALSE(hasControlLane(hidden)) << hidden["timeline"]["lanes"].dump();
  EXPECT_FALSE(hidden["timeline"]["showControl"].get<bool>());
  EXPECT_GT(hidden["timeline"]["hiddenLanes"].get<int>(), 0);
  ASSERT_TRUE(window.clickWidget("lanes")) << window.failure();
  ASSERT_TRUE(window.clickWidget("show-control")) << window.failure();
  const json shown = window.waitFor(
      [](const json& s) { return s["timeline"]["showControl"].get<bool>() && hasControlLane(s); },
      "the control lane shown");
  ASSERT_FALSE(shown.is_null()) << window.failure();
}

}  // namespace
}  // namespace eps::test
#endif
