// A step back is a replay: from a fresh engine, the same story up to the step before, so the
// step played again gives the same check values as playing forward did.
#include "core/base/names.hpp"
#include "core/runner/lesson_runner.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

namespace eps {
namespace {

std::map<std::string, std::int64_t> countersOf(const LessonRunner& runner) {
  std::map<std::string, std::int64_t> values;
  for (const char* name : {"wakeups", "reads_with_data", "last_read_ret", "stranded_bytes",
                           "recv_queue", "lost_bytes"}) {
    values[name] = runner.counter(name).value_or(-1);
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


// The window's player pauses an engine that a step left spinning (lesson 11 step 1: LT on
// EMFILE), so the busy loop does not push the lesson's start out of the retained events; the
// pause is recorded, and the next step resumes the engine and plays as headless does.
TEST(LessonRunner, AStepThatEndsInABusyLoopPausesTheEngineForTheWindow) {
  const LessonLoad loaded =
      loadLessonFile(std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/11-emfile.toml");
  ASSERT_TRUE(loaded.lesson) << (loaded.error ? loaded.error->text() : "");
  LessonRunner runner(*loaded.lesson);
  runner.setPauseBusyLoops(true);
  ASSERT_EQ(runner.start(), "");
  const StepResult first = runner.playStep(0);
  ASSERT_TRUE(first.passed()) << first.failure;
  EXPECT_TRUE(runner.pausedBusyLoop());
  const std::shared_ptr<Engine> engine = runner.engineRef();
  ASSERT_TRUE(engine->waitPaused(std::chrono::milliseconds(5000)));
  EXPECT_EQ(engine->status().mode, EngineMode::Paused);

  std::vector<TraceEvent> events;
  runner.takeNewEvents(events);
  bool recorded = false;
  for (const TraceEvent& e : events) {
    recorded = recorded || (e.kind == EventKind::Control &&
                            e.op == static_cast<std::uint8_t>(ControlOp::Pause) &&
                            e.a == static_cast<std::int64_t>(PauseWhy::BusyLoop));
  }
  EXPECT_TRUE(recorded) << "the pause is in the trace, marked as a busy loop's";
  // Paused, the engine makes no call at all: over 300 ms (a busy loop makes thousands),
  // neither its call count nor the engine's trace moves.
  const std::uint64_t calls = engine->status().callsMade;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(engine->status().callsMade, calls);
  events.clear();
  runner.takeNewEvents(events);
  for (const TraceEvent& e : events) {
    EXPECT_NE(e.kind, EventKind::Call) << "a call after the pause: " << callName(e.call);
  }

  for (std::size_t i = 1; i < runner.lesson().steps.size(); ++i) {
    const StepResult result = runner.playStep(i);
    EXPECT_TRUE(result.passed()) << "step " << i + 1 << ": " << result.failure;
    EXPECT_FALSE(runner.pausedBusyLoop()) << "step " << i + 1 << " ends without a busy loop";
  }
}

}  // namespace
}  // namespace eps
