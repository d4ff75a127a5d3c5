// A lesson played under poller=poll: "until idle" holds while the engine sleeps in poll (as in
// epoll_wait), its counters count poll's waits, and a `set` of a knob only epoll has fails the
// step with the reason instead of being silently refused.
#include <gtest/gtest.h>

#include "core/lessons/lesson.hpp"
#include "core/runner/lesson_runner.hpp"

namespace eps {
namespace {

const char* const kLesson = R"(id = "poll-echo"
title = { en = "T", zh = "T" }
summary = { en = "S", zh = "S" }

[knobs]
poller = "poll"

[[step]]
title = { en = "T", zh = "T" }
text = { en = "T", zh = "T" }
do = ["connect 3", "send 2 1000"]
until = "idle 300ms"
check = ["echoed_bytes == 1000", "wakeups >= 1", "fds_passed >= 5", "epoll_ctls == 0"]

[[step]]
title = { en = "T", zh = "T" }
text = { en = "T", zh = "T" }
do = ["set conn-trigger=et"]
until = "idle 200ms"
)";

TEST(PollerLesson, UntilIdleHoldsWhileTheEngineSleepsInPoll) {
  const LessonLoad loaded = loadLessonText(kLesson, "poll.toml");
  ASSERT_TRUE(loaded.lesson) << (loaded.error ? loaded.error->text() : "");
  LessonRunner runner(*loaded.lesson);
  ASSERT_EQ(runner.start(), "");
  const StepResult echo = runner.playStep(0);
  EXPECT_TRUE(echo.passed()) << echo.failure;
  for (const CheckResult& check : echo.checks) EXPECT_TRUE(check.passed) << check.source;
  const StepResult set = runner.playStep(1);
  EXPECT_FALSE(set.passed());
  EXPECT_NE(set.failure.find("set conn-trigger=et: conn-trigger et needs poller=epoll"),
            std::string::npos)
      << set.failure;
}

}  // namespace
}  // namespace eps
