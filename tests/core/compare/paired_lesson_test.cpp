// A paired lesson played a step at a time (PairedRun::playNext, as --check and the window's
// lesson panel play it): each step runs on both engines, its checks name a side and are
// evaluated over that side's counts of the step, and the comparison so far grows by a step.
#include <gtest/gtest.h>

#include "core/compare/paired_run.hpp"
#include "core/lessons/lesson.hpp"

namespace eps {
namespace {

const char* const kLesson = R"(id = "paired"
title = { en = "T", zh = "T" }
summary = { en = "S", zh = "S" }

[compare]
a = { knobs = "poller=epoll", label = { en = "epoll", zh = "epoll" } }
b = { knobs = "poller=poll", label = { en = "poll", zh = "poll" } }

[[step]]
title = { en = "T", zh = "T" }
text = { en = "T", zh = "T" }
do = ["connect 3"]
check = ["a.accepts == 3 && b.accepts == 3", "a.epoll_ctls == 3", "b.epoll_ctls == 0",
         "b.fds_passed > a.fds_passed", "a.epoll_ctls == 4"]

[[step]]
title = { en = "T", zh = "T" }
text = { en = "T", zh = "T" }
do = ["send 2 1000"]
check = ["a.echoed_bytes == 1000 && b.echoed_bytes == 1000", "a.epoll_ctls == 0"]
)";

TEST(PairedLesson, EachStepIsCheckedOverBothSidesCountsOfThatStep) {
  const LessonLoad loaded = loadLessonText(kLesson, "paired.toml");
  ASSERT_TRUE(loaded.lesson) << loaded.error->text();
  PairedRun run(*loaded.lesson);
  ASSERT_EQ(run.start(), "");
  EXPECT_EQ(run.snapshot().sides[0].steps.size(), 0u);

  const StepResult first = run.playNext();
  EXPECT_EQ(first.index, 0u);
  EXPECT_EQ(first.failure, "");
  ASSERT_EQ(first.checks.size(), 5u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(first.checks[i].passed) << first.checks[i].source;
  EXPECT_FALSE(first.checks[4].passed) << "a wrong figure fails";
  EXPECT_EQ(first.checks[4].observed, "a.epoll_ctls=3");
  EXPECT_EQ(first.checks[4].place.line, 14);

  const Comparison once = run.snapshot();
  ASSERT_EQ(once.sides[0].steps.size(), 1u);
  EXPECT_EQ(once.sides[0].label.en, "epoll");
  EXPECT_EQ(once.sides[1].label.en, "poll");
  EXPECT_EQ(once.sides[0].steps[0][LessonCounter::EpollCtls], 3);

  const StepResult second = run.playNext();
  EXPECT_EQ(second.index, 1u);
  EXPECT_TRUE(second.passed()) << second.failure;
  EXPECT_EQ(run.snapshot().sides[1].steps.size(), 2u);
  EXPECT_EQ(run.playNext().failure, "steps are played in order, until one fails");

  // Sides whose knobs the caller chose (--knobs-a / --knobs-b) are not the lesson's: no names.
  PairedRun chosen(*loaded.lesson, loaded.lesson->knobs, loaded.lesson->knobs);
  EXPECT_EQ(chosen.snapshot().sides[1].label.en, "");

  // A fresh start plays the lesson from its first step again.
  ASSERT_EQ(run.start(), "");
  EXPECT_EQ(run.nextStep(), 0u);
  EXPECT_TRUE(run.playNext().checks[2].passed);
}

}  // namespace
}  // namespace eps
