// Paired lessons ([compare]): the two sides' knobs are the lesson's [knobs] with each side's
// changes applied, every check names a side, and a malformed [compare] or a check without a
// side is refused with the file, line, column and what was expected.
#include <gtest/gtest.h>

#include <string>

#include "core/lessons/lesson.hpp"

namespace eps {
namespace {

std::string pairedLesson(const std::string& compare, const std::string& check,
                         const std::string& action = "connect 1") {
  return R"(id = "paired"
title = { en = "T", zh = "T" }
summary = { en = "S", zh = "S" }

[knobs]
read = "drain"

)" + compare +
         R"(

[[step]]
title = { en = "T", zh = "T" }
text = { en = "T", zh = "T" }
do = [")" +
         action + R"("]
check = [")" +
         check + R"("]
)";
}

const std::string kSides = R"([compare]
a = { knobs = "poller=epoll", label = { en = "epoll", zh = "epoll" } }
b = { knobs = "poller=poll", label = { en = "poll", zh = "poll" } })";

std::string refusal(const std::string& text) {
  const LessonLoad loaded = loadLessonText(text, "p.toml");
  EXPECT_FALSE(loaded.lesson.has_value());
  return loaded.error ? loaded.error->text() : "";
}

TEST(PairedLessonLoad, EachSideStartsFromTheLessonKnobsWithItsChanges) {
  const LessonLoad loaded = loadLessonText(
      pairedLesson(kSides, "b.fds_passed > a.fds_passed && a.epoll_ctls == 1"), "p.toml");
  ASSERT_TRUE(loaded.lesson) << loaded.error->text();
  const Lesson& lesson = *loaded.lesson;
  ASSERT_TRUE(lesson.paired());
  const auto& sides = *lesson.compare;
  EXPECT_EQ(sides[0].changes, "poller=epoll");
  EXPECT_EQ(sides[1].changes, "poller=poll");
  EXPECT_EQ(sides[0].label.en, "epoll");
  EXPECT_EQ(sides[1].label.zh, "poll");
  EXPECT_EQ(knobValueText(sides[0].knobs, KnobId::Poller), "epoll");
  EXPECT_EQ(knobValueText(sides[1].knobs, KnobId::Poller), "poll");
  // The lesson's own [knobs] hold on both sides.
  EXPECT_EQ(knobValueText(sides[0].knobs, KnobId::Read), "drain");
  EXPECT_EQ(knobValueText(sides[1].knobs, KnobId::Read), "drain");
  EXPECT_EQ(lesson.steps[0].checks[0].source, "b.fds_passed > a.fds_passed && a.epoll_ctls == 1");
}

TEST(PairedLessonLoad, AnUnprefixedCounterIsRefusedWithItsPlace) {
  // The check string starts at line 16, column 10; "wakeups" is its 14th byte.
  EXPECT_EQ(refusal(pairedLesson(kSides, "a.wakeups == wakeups")),
            "p.toml:16:24: check: column 14: 'wakeups' names no side: in a paired lesson write "
            "a.wakeups or b.wakeups");
}

TEST(PairedLessonLoad, ASidePrefixOutsideAPairedLessonIsRefused) {
  EXPECT_EQ(refusal(pairedLesson("", "a.wakeups == 1")),
            "p.toml:14:11: check: column 1: 'a.' names a side of a paired lesson; this lesson "
            "has no [compare]");
}

TEST(PairedLessonLoad, AnUnknownSideOrCounterIsRefused) {
  EXPECT_EQ(refusal(pairedLesson(kSides, "c.wakeups == 1")),
            "p.toml:16:11: check: column 1: 'c.' names no side: a paired lesson's sides are a. "
            "and b.");
  EXPECT_NE(refusal(pairedLesson(kSides, "a.wakeup == 1"))
                .find("p.toml:16:13: check: column 3: unknown counter 'wakeup' (did you mean "
                      "'wakeups'?"),
            std::string::npos);
}

TEST(PairedLessonLoad, AMalformedCompareIsRefusedWhereItIsWritten) {
  EXPECT_EQ(refusal(pairedLesson(R"([compare]
a = { knobs = "poller=epoll", label = { en = "epoll", zh = "epoll" } })",
                                 "a.wakeups == 1")),
            "p.toml:8:1: missing required key 'b' in [compare]");
  EXPECT_EQ(refusal(pairedLesson(R"([compare]
a = { knobs = "poller=epoll", label = { en = "epoll", zh = "epoll" } }
b = { knobs = "poller=sometimes", label = { en = "poll", zh = "poll" } })",
                                 "a.wakeups == 1"))
                .substr(0, 33),
            "p.toml:10:15: [compare] b: --poll");
  EXPECT_EQ(refusal(pairedLesson(R"([compare]
a = { knobs = "polller=poll", label = { en = "epoll", zh = "epoll" } }
b = { knobs = "poller=poll", label = { en = "poll", zh = "poll" } })",
                                 "a.wakeups == 1")),
            "p.toml:9:15: [compare] a: 'polller=poll': no knob named polller");
  EXPECT_EQ(refusal(pairedLesson(R"([compare]
a = { knobs = "poller=epoll", label = { en = "epoll", zh = "epoll" } }
b = { knobs = "poller=poll", label = { en = "poll" } })",
                                 "a.wakeups == 1")),
            "p.toml:10:38: missing required key 'zh' in 'label'");
  EXPECT_EQ(refusal(pairedLesson(R"([compare]
a = { knobs = "poller=epoll", label = { en = "epoll", zh = "epoll" }, color = "red" }
b = { knobs = "poller=poll", label = { en = "poll", zh = "poll" } })",
                                 "a.wakeups == 1")),
            "p.toml:9:71: unknown key 'color' in [compare] a (expected: knobs, label)");
  EXPECT_EQ(refusal(pairedLesson(R"([compare]
a = "poller=epoll"
b = { knobs = "poller=poll", label = { en = "poll", zh = "poll" } })",
                                 "a.wakeups == 1")),
            "p.toml:9:5: expected a table { knobs = \"...\", label = {...} }, got a string");
}

TEST(PairedLessonLoad, ASideWhoseKnobsConflictIsRefusedAtItsChanges) {
  // Edge triggering is epoll's alone: poll(2) on side b cannot honour it.
  EXPECT_NE(refusal(pairedLesson(R"([compare]
a = { knobs = "conn-trigger=et", label = { en = "epoll", zh = "epoll" } }
b = { knobs = "conn-trigger=et poller=poll", label = { en = "poll", zh = "poll" } })",
                                 "a.wakeups == 1"))
                .find("p.toml:10:15: [compare] b: conn-trigger et needs poller=epoll"),
            std::string::npos);
}

TEST(PairedLessonLoad, AnExampleCannotRunInAPairedLesson) {
  EXPECT_EQ(refusal(pairedLesson(kSides, "a.wakeups == 1", "example et_drain")),
            "p.toml:15:7: 'example' cannot run in a paired lesson: both sides play the engine "
            "([compare])");
}

}  // namespace
}  // namespace eps
