// A paired run plays one script on two engines with different knobs. Each side must count
// exactly what the same script counts when the lesson runner plays it alone with that side's
// knobs (real engines, real kernel), and the two traces must line up on the script's markers.
#include "core/compare/paired_run.hpp"

#include <gtest/gtest.h>

#include "core/runner/lesson_runner.hpp"
#include "core/timeline/aligned_axis.hpp"

namespace eps {
namespace {

// Counters a run of lesson 02's script gives the same on every run, LT or ET.
constexpr LessonCounter kSteady[] = {
    LessonCounter::Wakeups,   LessonCounter::Reads,         LessonCounter::ReadsWithData,
    LessonCounter::BytesRead, LessonCounter::StrandedBytes, LessonCounter::RecvQueue,
    LessonCounter::Accepts,   LessonCounter::LostBytes,     LessonCounter::SentBytes,
};

Lesson lesson02() {
  LessonLoad loaded =
      loadLessonFile(std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/02-et-lost-wakeup.toml");
  EXPECT_TRUE(loaded.lesson) << (loaded.error ? loaded.error->text() : "");
  return loaded.lesson.value_or(Lesson{});
}

Knobs changed(const Knobs& from, const std::string& changes) {
  Knobs knobs = from;
  EXPECT_EQ(applyKnobChanges(knobs, changes), "");
  return knobs;
}

// The lesson played alone by the lesson runner with `knobs`: every step's counters.
std::vector<LessonCounts> playedAlone(Lesson lesson, const Knobs& knobs) {
  lesson.knobs = knobs;
  LessonRunner runner(lesson);
  EXPECT_EQ(runner.start(), "");
  std::vector<LessonCounts> steps;
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const StepResult result = runner.playStep(i);
    EXPECT_EQ(result.failure, "") << "step " << i + 1;
    LessonCounts counts;
    for (const LessonCounter id : kSteady) counts[id] = runner.counter(id);
    steps.push_back(counts);
  }
  return steps;
}

TEST(PairedRun, EachSideCountsWhatTheScriptCountsPlayedAloneWithItsKnobs) {
  const Lesson lesson = lesson02();
  ASSERT_FALSE(lesson.steps.empty());
  const Knobs lt = changed(lesson.knobs, "conn-trigger=lt");
  const Knobs et = changed(lesson.knobs, "conn-trigger=et");
  PairedRun paired(lesson, lt, et);
  ASSERT_EQ(paired.start(), "");
  const Comparison compared = paired.play();
  ASSERT_FALSE(compared.failed()) << compared.sides[0].failure << compared.sides[1].failure;
  const std::array<std::vector<LessonCounts>, 2> alone = {playedAlone(lesson, lt),
                                                          playedAlone(lesson, et)};
  for (std::size_t side = 0; side < 2; ++side) {
    ASSERT_EQ(compared.sides[side].steps.size(), lesson.steps.size());
    for (std::size_t step = 0; step < lesson.steps.size(); ++step) {
      for (const LessonCounter id : kSteady) {
        EXPECT_EQ(compared.sides[side].steps[step][id], alone[side][step][id])
            << "side " << compared.sides[side].name << ", step " << step + 1 << ", "
            << counterInfo(id).name;
      }
    }
  }
  // The story the lesson tells, on both sides: ET strands 3996 bytes after one read of 100,
  // LT wakes again until the 4096 bytes are read.
  const LessonCounts& ltSend = compared.sides[0].steps[1];
  const LessonCounts& etSend = compared.sides[1].steps[1];
  EXPECT_EQ(etSend[LessonCounter::StrandedBytes], 3996);
  EXPECT_EQ(etSend[LessonCounter::Wakeups], 1);
  EXPECT_EQ(ltSend[LessonCounter::StrandedBytes], 0);
  EXPECT_EQ(ltSend[LessonCounter::BytesRead], 4096);
  EXPECT_GT(ltSend[LessonCounter::Wakeups], etSend[LessonCounter::Wakeups]);
  const std::vector<LessonCounter> differ = compared.differingInStep(1);
  EXPECT_NE(std::find(differ.begin(), differ.end(), LessonCounter::StrandedBytes), differ.end());
}

TEST(PairedRun, BothTracesHoldEveryStepAndActionMarkerAndTheAxisAlignsThem) {
  const Lesson lesson = lesson02();
  PairedRun paired(lesson, changed(lesson.knobs, "read=drain"), lesson.knobs);
  ASSERT_EQ(paired.start(), "");
  const Comparison compared = paired.play();
  std::size_t expected = lesson.steps.size();
  for (const LessonStep& step : lesson.steps) expected += step.actions.size();
  ASSERT_EQ(compared.markers.size(), expected) << "every step and action, on both sides";
  EXPECT_EQ(compared.markers[0].label, "step 1");
  EXPECT_EQ(compared.markers[1].label, "connect 1");
  std::vector<std::array<std::int64_t, 2>> times;
  for (const ScriptMarker& marker : compared.markers) times.push_back(marker.tNs);
  const AlignedAxis axis(
      times, {compared.sides[0].events.front().tNs, compared.sides[1].events.front().tNs},
      {compared.sides[0].events.back().tNs, compared.sides[1].events.back().tNs});
  for (std::size_t k = 0; k < times.size(); ++k) {
    EXPECT_DOUBLE_EQ(axis.position(0, times[k][0]), AlignedAxis::markerPosition(k));
    EXPECT_DOUBLE_EQ(axis.position(1, times[k][1]), AlignedAxis::markerPosition(k));
  }
}

TEST(PairedRun, KnobChangesNameTheWordThatIsWrong) {
  Knobs knobs;
  EXPECT_EQ(applyKnobChanges(knobs, "conn-trigger=et, read=once"), "");
  EXPECT_EQ(knobValueText(knobs, KnobId::ConnTrigger), "et");
  EXPECT_NE(applyKnobChanges(knobs, "conn-triger=et").find("no knob named conn-triger"),
            std::string::npos);
  EXPECT_NE(applyKnobChanges(knobs, "read").find("expected KNOB=VALUE"), std::string::npos);
  EXPECT_NE(applyKnobChanges(knobs, "read=sometimes").find("sometimes"), std::string::npos);
}

}  // namespace
}  // namespace eps
