// The lanes' compact indexes against a walk over every item: spans longer than their 32-bit
// durations hold (past 4.29 s), under late inserts and retention drops; and block flags read
// from the flag summary's levels equal the OR over the block's items, however many.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "core/timeline/model.hpp"
#include "tests/core/timeline/timeline_checks.hpp"

namespace eps {
namespace {

using namespace timeline_test;

constexpr std::int64_t kSecond = 1'000'000'000;

// Every query of the connection lane checked exactly, at zooms from the whole trace to 1 µs,
// and a time inside every span past 4.29 s hits an item whose extent contains it.
void expectLaneExact(const TimelineModel& model, std::int64_t from, std::int64_t to) {
  const std::uint32_t lane = connLane(model);
  for (const int widthPx : {50, 400, 1'600}) {
    const double span = static_cast<double>(to - from);
    for (const double nsPerPixel : {span / widthPx, span / widthPx / 97, 1.0}) {
      for (std::int64_t t0 = from; t0 < to; t0 += (to - from) / 7) {
        foldChecked(model, lane, t0, nsPerPixel, widthPx, 3.0f);
      }
    }
  }
  for (std::size_t pos = 0; pos < model.laneSize(lane); ++pos) {
    const auto [start, stop] = extentOf(model.event(model.laneItemId(lane, pos)));
    if (stop - start < 5 * kSecond) continue;
    const std::int64_t inside = start + (stop - start) / 2;
    const std::optional<std::uint64_t> hit = model.hitTest(lane, inside, 0);
    ASSERT_TRUE(hit.has_value()) << "nothing hit inside the span at " << pos;
    const auto [hitStart, hitStop] = extentOf(model.event(*hit));
    EXPECT_LE(hitStart, inside);
    EXPECT_GE(hitStop, inside);
  }
}

// Reads of seconds among microsecond calls, and Blocked diagnoses reaching back further than
// 4.29 s (inserted before the calls recorded ahead of them); the cap drops the oldest.
TEST(TimelineLanes, SpansPastFourSecondsStayExactThroughInsertsAndDrops) {
  std::mt19937_64 random(11);
  Trace trace;
  std::vector<TraceEvent> events = trace.prologue();
  std::int64_t t = 1'000;
  for (int i = 0; i < 6'000; ++i) {
    const std::uint64_t roll = random() % 100;
    if (roll < 3) {
      events.push_back(trace.read(kConnFd, 10, t, 5 * kSecond + static_cast<std::int64_t>(
                                                                       random() % kSecond)));
    } else if (roll < 5) {
      events.push_back(trace.blocked(kConnFd, t, 6 * kSecond));
    } else {
      events.push_back(trace.read(kConnFd, roll % 2 == 0 ? 64 : -1, t, 500));
    }
    t += static_cast<std::int64_t>(random() % 3'000'000);
  }
  TimelineModel model(4'000);
  for (std::size_t at = 0; at < events.size(); at += 1'000) {
    model.append(std::span(events).subspan(at, std::min<std::size_t>(1'000, events.size() - at)));
    expectLaneExact(model, model.firstNs(), model.lastNs());
    if (HasFailure()) return;
  }
  EXPECT_GT(model.droppedByCap(), 0u);
}

// One error among 70,000 reads sits inside a block spanning thousands of the summary's
// groups: the block says so, and so does every block that holds it at any zoom.
TEST(TimelineLanes, ARareFlagInsideAHugeBlockIsFound) {
  Trace trace;
  std::vector<TraceEvent> events = trace.prologue();
  for (int i = 0; i < 70'000; ++i) {
    events.push_back(trace.read(kConnFd, 64, 1'000 + i * 10, 5));
    if (i == 41'234) events.back() = trace.call(Call::Read, kConnFd, -1, 1'000 + i * 10, 5, EIO);
  }
  TimelineModel model;
  model.append(events);
  const std::uint32_t lane = connLane(model);
  std::vector<TimelineBlock> blocks;
  model.fold(lane, 0, 1'000'000.0, 10, 3.0f, blocks);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_NE(blocks[0].flags & kBlockHasError, 0u) << "the error inside the block was missed";
  EXPECT_EQ(blocks[0].bytes, 64 * (70'000 - 1));
  for (const double nsPerPixel : {700'000.0 / 1'600, 30.0, 7.0}) {
    foldChecked(model, lane, 0, nsPerPixel, 1'600, 3.0f);
  }
}

}  // namespace
}  // namespace eps
