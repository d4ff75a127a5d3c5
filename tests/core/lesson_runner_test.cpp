// A step back is a replay: from a fresh engine, the same story up to the step before, so the
// step played again gives the same check values as playing forward did.
#include "core/lesson_runner.hpp"

#include <gtest/gtest.h>

#include <map>

namespace eps {
namespace {

std::map<std::string, std::int64_t> countersOf(const LessonRunner& runner) {
  std::map<std::string, std::int64_t> values;
  for (const char* name : {"wakeups", "reads_with_data", "last_read_ret", "stranded_bytes",
                           "recv_queue", "lost_bytes"}) {
    values[name] = runner.counter(name);
  }
  return values;
}

TEST(LessonRunner, ReplayingToAStepReproducesTheValuesOfPlayingForward) {
  const LessonLoad loaded =
      loadLessonFile(std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/02-et-lost-wakeup.toml");
  ASSERT_TRUE(loaded.lesson) << (loaded.error ? loaded.error->text() : "");
  LessonRunner runner(*loaded.lesson);
  ASSERT_EQ(runner.start(), "");
  std::vector<std::map<std::string, std::int64_t>> forward;
  for (std::size_t i = 0; i < 3; ++i) {
    const StepResult result = runner.playStep(i);
    ASSERT_TRUE(result.passed()) << "step " << i << ": " << result.failure;
    forward.push_back(countersOf(runner));
  }
  // Step back from step 3 to step 2: replay steps 0..1 from scratch, then play step 2 again.
  const std::vector<StepResult> replayed = runner.replayTo(2);
  ASSERT_EQ(replayed.size(), 2u);
  EXPECT_EQ(runner.nextStep(), 2u);
  ASSERT_TRUE(runner.playStep(2).passed());
  EXPECT_EQ(countersOf(runner), forward[2]);
}

TEST(LessonRunner, AStepThatCannotHappenFailsLoudlyInsteadOfHanging) {
  Lesson lesson;
  lesson.id = "never";
  LessonStep step;
  step.until.kind = RunUntil::Kind::Event;
  step.until.event = "stranded";
  step.until.boundMs = 300;
  lesson.steps.push_back(step);
  LessonRunner runner(lesson);
  ASSERT_EQ(runner.start(), "");
  const StepResult result = runner.playStep(0);
  EXPECT_FALSE(result.passed());
  EXPECT_NE(result.failure.find("not reached within"), std::string::npos) << result.failure;
}

}  // namespace
}  // namespace eps
