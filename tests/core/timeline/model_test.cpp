// The timeline model: lanes indexed in time order, queries bounded by pixels (visible range,
// folding, depth per column, hit-testing), stranded spans, and the retention cap.
#include "core/timeline/model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <utility>

#include "core/trace/event_text.hpp"
#include "tests/core/timeline/timeline_checks.hpp"

namespace eps {
namespace {

using namespace timeline_test;

// --- visible range ---------------------------------------------------------------------

// The kinds a block's colour depends on besides calls: a diagnosis, a crash (also an error),
// a client action, and echoed bytes that came back wrong (an error on the client's lane).
TEST(TimelineModel, ItemFlagsMarkDiagnosesCrashesAndClientErrors) {
  TraceEvent event;
  event.kind = EventKind::Busy;
  EXPECT_EQ(itemFlags(event), kBlockHasDiagnosis);
  event.kind = EventKind::Crash;
  EXPECT_EQ(itemFlags(event), kBlockHasDiagnosis | kBlockHasError);
  event.kind = EventKind::ClientAction;
  event.op = static_cast<std::uint8_t>(ClientOp::Send);
  EXPECT_EQ(itemFlags(event), kBlockHasClient);
  event.op = static_cast<std::uint8_t>(ClientOp::Error);
  EXPECT_EQ(itemFlags(event), kBlockHasClient | kBlockHasError);
  event.kind = EventKind::ClientData;
  event.b = 3;
  EXPECT_EQ(itemFlags(event), kBlockHasClient | kBlockHasError);
  event.kind = EventKind::Note;
  EXPECT_EQ(itemFlags(event), 0u);
}

TEST(TimelineModel, PrologueGivesEpollControlListenerAndConnectionLanes) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  EXPECT_EQ(model.lanes().size(), 4u);
  EXPECT_EQ(model.lanes()[connLane(model)].fd, kConnFd);
  EXPECT_EQ(model.laneOf(4), laneOf(model, LaneKind::Listener)) << "accept4 is on the listener";
  EXPECT_EQ(model.firstNs(), 500);
  EXPECT_EQ(model.lastNs(), 910);
}

TEST(TimelineModel, VisibleRangeHoldsASpanBegunBeforeTheWindow) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint32_t lane = laneOf(model, LaneKind::EpollWait);
  const std::uint64_t longWait = model.endId();
  model.append(std::vector{trace.wait(10'000, 1'000'000),  // 10 µs .. 1.01 ms
                           trace.wait(1'020'000, 1'000),   // short ones after it
                           trace.wait(1'030'000, 1'000)});
  // A window inside the long wait: only the long wait, though it began far before t0.
  TimelineModel::Range range = model.visible(lane, 500'000, 600'000);
  ASSERT_EQ(range.end - range.begin, 1u);
  EXPECT_EQ(model.laneItemId(lane, range.begin), longWait);
  // A window from inside it to past the short ones: all three.
  range = model.visible(lane, 900'000, 2'000'000);
  EXPECT_EQ(range.end - range.begin, 3u);
  EXPECT_EQ(model.laneItemId(lane, range.begin), longWait);
  // Only the short ones.
  range = model.visible(lane, 1'015'000, 1'031'000);
  EXPECT_EQ(range.end - range.begin, 2u);
  EXPECT_EQ(model.laneItemId(lane, range.begin), longWait + 1);
  // After everything, and before everything.
  range = model.visible(lane, 5'000'000, 6'000'000);
  EXPECT_EQ(range.end, range.begin);
  EXPECT_EQ(model.visible(lane, 0, 100).end, model.visible(lane, 0, 100).begin);
}

TEST(TimelineModel, ReadyIsOnTheEpollLaneAndMarksItsSocketLane) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint64_t ready = model.endId() + 1;
  model.append(std::vector{trace.wait(5'000, 2'000), trace.of(EventKind::Ready, kConnFd, 7'000)});
  const std::uint32_t epoll = laneOf(model, LaneKind::EpollWait);
  EXPECT_EQ(model.laneOf(ready), epoll);
  EXPECT_EQ(model.laneSize(epoll), 3u) << "epoll_create1, the wait and its ready entry";
  ASSERT_EQ(model.laneSize(connLane(model)), 1u);
  EXPECT_EQ(model.laneItemId(connLane(model), 0), ready);
}

// The engine's control eventfd waking it is drawn on the control lane alone (a lesson hides
// that lane): the wait lane shows only the sockets' reports. The event stays on its home lane.
TEST(TimelineModel, TheControlEventfdsReadyIsDrawnOnTheControlLaneOnly) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint64_t ready = model.endId() + 1;
  model.append(std::vector{trace.wait(5'000, 2'000), trace.of(EventKind::Ready, kEventFd, 7'000)});
  const std::uint32_t epoll = laneOf(model, LaneKind::EpollWait);
  const std::uint32_t control = laneOf(model, LaneKind::Control);
  EXPECT_EQ(model.laneOf(ready), epoll);
  EXPECT_EQ(model.laneSize(epoll), 2u) << "epoll_create1 and the wait, no ready entry";
  ASSERT_GE(model.laneSize(control), 1u);
  EXPECT_EQ(model.laneItemId(control, model.laneSize(control) - 1), ready);
}

TEST(TimelineModel, BlockedIsASpanEndingAtItsDiagnosis) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint64_t blocked = model.endId() + 1;
  model.append(std::vector{trace.read(kConnFd, 10, 10'000, 500'000),
                           trace.blocked(kConnFd, 510'100, 500'000)});
  std::vector<TimelineBlock> blocks;
  model.fold(connLane(model), 0, 1'000.0, 1'000, 3.0f, blocks);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].firstId, blocked);
  EXPECT_EQ(blocks[1].startNs, 10'100);
  EXPECT_EQ(blocks[1].endNs, 510'100);
  EXPECT_EQ(blocks[1].flags, kBlockHasDiagnosis);
}

// --- folding ---------------------------------------------------------------------------

TEST(TimelineFold, AMillionEventsInOnePixelColumnFoldToOneBlock) {
  constexpr std::int64_t kEvents = 1'000'000;
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  std::vector<TraceEvent> events;
  events.reserve(kEvents);
  std::int64_t bytes = 0;
  // A burst squeezed into 800 ns (many share a nanosecond): one 1 µs pixel column.
  for (std::int64_t i = 0; i < kEvents; ++i) {
    const bool eagain = i % 4 == 3;
    events.push_back(trace.read(kConnFd, eagain ? -1 : 100, 2'000'000 + i * 800 / kEvents, 0));
    bytes += eagain ? 0 : 100;
  }
  model.append(events);
  const std::uint32_t lane = connLane(model);
  ASSERT_EQ(model.laneSize(lane), static_cast<std::size_t>(kEvents));

  std::vector<TimelineBlock> blocks;
  model.fold(lane, 1'000'000, 1'000.0, 1'600, 3.0f, blocks);
  ASSERT_EQ(blocks.size(), 1u) << "a million events inside one pixel must fold to one block";
  EXPECT_EQ(blocks[0].count, 1'000'000u);
  EXPECT_EQ(blocks[0].firstId, model.laneItemId(lane, 0));
  EXPECT_EQ(blocks[0].bytes, bytes);
  EXPECT_EQ(blocks[0].flags, kBlockHasCall | kBlockHasData | kBlockHasEagain);
  EXPECT_EQ(blocks[0].startNs, 2'000'000);
  EXPECT_LE(blocks[0].endNs, 2'000'800);
}

TEST(TimelineFold, AWideSpanAmongManyNarrowItemsStaysItself) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  std::vector<TraceEvent> events;
  // 1 µs per pixel: narrow reads every 300 ns, then one read blocking for 200 px, then more.
  std::int64_t t = 100'000;
  for (int i = 0; i < 2'000; ++i, t += 300) events.push_back(trace.read(kConnFd, 10, t, 50));
  const std::uint64_t wide = model.endId() + events.size();
  events.push_back(trace.read(kConnFd, 4'000, t, 200'000));
  t += 200'000 + 10;
  for (int i = 0; i < 2'000; ++i, t += 300) events.push_back(trace.read(kConnFd, -1, t, 50));
  model.append(events);

  const std::vector<TimelineBlock> blocks =
      foldChecked(model, connLane(model), 0, 1'000.0, 1'600, 3.0f);
  const auto found = std::find_if(blocks.begin(), blocks.end(),
                                  [&](const TimelineBlock& b) { return b.firstId == wide; });
  ASSERT_NE(found, blocks.end()) << "the wide read must start a block";
  EXPECT_EQ(found->count, 1u);
  EXPECT_EQ(found->endNs - found->startNs, 200'000);
  EXPECT_EQ(found->bytes, 4'000);
  EXPECT_LT(blocks.size(), 4'001u / 2) << "the narrow reads fold";
}

TEST(TimelineFold, EpollWaitsWiderThanTwoMinimumsAreAlwaysThemselves) {
  // Sequential items of random widths, including the "wait, ready, wait" rhythm.
  std::mt19937_64 random(7);
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  std::vector<TraceEvent> events;
  std::int64_t t = 10'000;
  for (int i = 0; i < 20'000; ++i) {
    const std::int64_t dur = random() % 3 == 0 ? static_cast<std::int64_t>(random() % 20'000)
                                               : static_cast<std::int64_t>(random() % 200);
    events.push_back(trace.wait(t, dur));
    t += dur + static_cast<std::int64_t>(random() % 50);
    events.push_back(trace.of(EventKind::Ready, kConnFd, t));
    t += static_cast<std::int64_t>(random() % 50);
  }
  model.append(events);
  const std::uint32_t lane = laneOf(model, LaneKind::EpollWait);
  for (const double nsPerPixel : {20.0, 100.0, 1'000.0, 5'000.0}) {
    const std::int64_t t0 = 50'000;
    const std::int64_t t1 = t0 + static_cast<std::int64_t>(nsPerPixel * 1'000);
    const std::vector<TimelineBlock> blocks = foldChecked(model, lane, t0, nsPerPixel, 1'000, 3.0f);
    std::vector<std::uint64_t> alone;
    for (const TimelineBlock& block : blocks) {
      if (block.count == 1) alone.push_back(block.firstId);
    }
    for (std::size_t pos = 0; pos < model.laneSize(lane); ++pos) {
      const std::uint64_t id = model.laneItemId(lane, pos);
      const TraceEvent& event = model.event(id);
      const bool inside = event.tNs >= t0 && event.tNs + event.durNs <= t1;
      if (!inside || static_cast<double>(event.durNs) < 2 * 3.0 * nsPerPixel) continue;
      EXPECT_TRUE(std::binary_search(alone.begin(), alone.end(), id))
          << "a wait " << event.durNs << " ns wide at " << nsPerPixel << " ns/px was folded";
    }
  }
}

TEST(TimelineFold, GuaranteesHoldForOverlappingAndLateItems) {
  std::mt19937_64 random(11);
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  std::vector<TraceEvent> events;
  std::int64_t now = 1'000'000;
  for (int i = 0; i < 30'000; ++i) {
    now += static_cast<std::int64_t>(random() % 700);
    // One in ten stamped up to 5 µs early: inserted behind later items.
    const std::int64_t t =
        now - (random() % 10 == 0 ? static_cast<std::int64_t>(random() % 5'000) : 0);
    const auto dur = random() % 10 == 0 ? static_cast<std::int64_t>(random() % 3'000'000)
                                        : static_cast<std::int64_t>(random() % 300);
    const auto ret = static_cast<std::int64_t>(random() % 3) - 1;  // -1 (EAGAIN), 0, 1
    events.push_back(random() % 5 == 0 ? trace.of(EventKind::Ready, kConnFd, t)
                                       : trace.read(kConnFd, ret < 0 ? -1 : ret * 64, t, dur));
  }
  model.append(events);
  const std::uint32_t lane = connLane(model);
  for (const double nsPerPixel : {1.0, 50.0, 3'000.0, 20'000.0}) {
    for (const float minPx : {1.0f, 3.0f, 8.0f}) {
      foldChecked(model, lane, 2'000'000, nsPerPixel, 800, minPx);
    }
  }
}

// --- depth -----------------------------------------------------------------------------

TEST(TimelineDepth, MinMaxPerColumnCarriesTheLastValueIntoEmptyColumns) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  // 100 ns per column from t0 = 10'000: samples in columns 2 and 5 only.
  model.append(std::vector{trace.sample(kConnFd, 10'210, 5), trace.sample(kConnFd, 10'250, 9),
                           trace.sample(kConnFd, 10'299, 3), trace.sample(kConnFd, 10'500, 12)});
  std::vector<DepthColumn> columns;
  model.depthColumns(connLane(model), 10'000, 100.0, 8, columns);
  ASSERT_EQ(columns.size(), 8u);
  EXPECT_FALSE(columns[0].valid) << "before the first sample there is nothing to draw";
  EXPECT_FALSE(columns[1].valid);
  EXPECT_TRUE(columns[2].valid);
  EXPECT_EQ(columns[2].min, 3);
  EXPECT_EQ(columns[2].max, 9);
  for (int c : {3, 4}) {
    EXPECT_TRUE(columns[c].valid) << c;
    EXPECT_EQ(columns[c].min, 3) << "column " << c << " carries the last value";
    EXPECT_EQ(columns[c].max, 3) << c;
  }
  for (int c : {5, 6, 7}) {
    EXPECT_EQ(columns[c].min, 12) << c;
    EXPECT_EQ(columns[c].max, 12) << c;
  }
  // A window starting after the samples carries the last one from before it.
  model.depthColumns(connLane(model), 20'000, 100.0, 3, columns);
  for (const DepthColumn& column : columns) {
    EXPECT_TRUE(column.valid);
    EXPECT_EQ(column.max, 12);
  }
  EXPECT_EQ(model.laneSize(connLane(model)), 0u) << "samples are not drawn as items";
}

TEST(TimelineDepth, LateSampleTimestampsSortIntoPlace) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  // The sampler's clock ran ahead: the sample at 10'250 arrives after the one at 10'350.
  model.append(std::vector{trace.sample(kConnFd, 10'150, 10), trace.sample(kConnFd, 10'350, 30),
                           trace.sample(kConnFd, 10'250, 20)});
  std::vector<DepthColumn> columns;
  model.depthColumns(connLane(model), 10'000, 100.0, 5, columns);
  EXPECT_FALSE(columns[0].valid);
  EXPECT_EQ(columns[1].max, 10);
  EXPECT_EQ(columns[2].max, 20) << "the late sample lands in its own column";
  EXPECT_EQ(columns[3].max, 30);
  EXPECT_EQ(columns[4].max, 30) << "the carried value is the latest by time, not by arrival";
  EXPECT_EQ(model.laneSampleCount(connLane(model)), 3u);
}

// --- hit-testing -----------------------------------------------------------------------

TEST(TimelineHitTest, SpanContainingTimeThenNearestInstantThenNothing) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint64_t read = model.endId();
  model.append(std::vector{trace.read(kConnFd, 10, 10'000, 5'000),       // span 10..15 µs
                           trace.of(EventKind::Ready, kConnFd, 20'000),  // instant at 20 µs
                           trace.read(kConnFd, -1, 40'000, 200'000),     // long span
                           trace.blocked(kConnFd, 240'000, 100'000)});   // covers 140..240
  const std::uint32_t lane = connLane(model);
  EXPECT_EQ(model.hitTest(lane, 12'000, 100), read) << "inside the span";
  EXPECT_EQ(model.hitTest(lane, 20'300, 500), read + 1) << "the instant, within tolerance";
  EXPECT_EQ(model.hitTest(lane, 20'300, 200), std::nullopt) << "the instant, beyond it";
  EXPECT_EQ(model.hitTest(lane, 30'000, 1'000), std::nullopt) << "nothing near";
  EXPECT_EQ(model.hitTest(lane, 15'400, 1'000), read) << "just after the span's end";
  EXPECT_EQ(model.hitTest(lane, 100'000, 0), read + 2) << "only the long read covers it";
  EXPECT_EQ(model.hitTest(lane, 200'000, 0), read + 3) << "the narrower of two spans wins";
  EXPECT_EQ(model.hitTest(static_cast<std::uint32_t>(model.lanes().size()) + 5, 0, 1'000),
            std::nullopt);
}

TEST(TimelineHitTest, FindsALongSpanBehindManyInstants) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint64_t wide = model.endId();
  std::vector<TraceEvent> events{trace.read(kConnFd, 1, 10'000, 1'000'000)};
  for (int i = 0; i < 1'000; ++i) {
    events.push_back(trace.of(EventKind::Ready, kConnFd, 20'000 + i * 10));
  }
  model.append(events);
  // 500 µs: far from every instant, inside the wide read that hundreds of items follow.
  EXPECT_EQ(model.hitTest(connLane(model), 500'000, 10), wide);
}

// --- stranded spans --------------------------------------------------------------------

TEST(TimelineStranded, SpanEndsAtTheNextCallOnItsLane) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint64_t diagnosis = model.endId();
  model.append(std::vector{trace.stranded(kConnFd, 10'000, 3'996),
                           trace.sample(kConnFd, 11'000, 3'996),
                           trace.of(EventKind::Ready, kConnFd, 12'000)});
  const std::uint32_t lane = connLane(model);
  std::vector<StrandedSpan> spans = model.strandedSpans(lane, 0, 1'000'000);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].endNs, -1) << "samples and ready marks are not calls: still stranded";
  EXPECT_EQ(spans[0].startNs, 10'000);
  EXPECT_EQ(spans[0].count, 3'996);
  EXPECT_FALSE(spans[0].connections);
  EXPECT_EQ(spans[0].diagnosisId, diagnosis);

  model.append(std::vector{trace.read(kConnFd, 3'996, 50'000)});
  spans = model.strandedSpans(lane, 0, 1'000'000);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].endNs, 50'000);
  EXPECT_EQ(model.strandedSpans(lane, 50'001, 60'000).size(), 0u) << "over before this window";
  EXPECT_EQ(model.strandedSpans(lane, 0, 9'999).size(), 0u) << "not begun in this window";
  EXPECT_EQ(model.strandedSpans(lane, 20'000, 30'000).size(), 1u);
  EXPECT_TRUE(model.strandedSpans(laneOf(model, LaneKind::Listener), 0, 1'000'000).empty());
}

// --- config markers --------------------------------------------------------------------

TEST(TimelineModel, ConfigMarkersInRange) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint64_t first = model.endId();
  model.append(std::vector{
      trace.of(EventKind::Config, -1, 10'000), trace.of(EventKind::Control, -1, 15'000),
      trace.of(EventKind::Config, -1, 20'000), trace.of(EventKind::Config, -1, 30'000)});
  EXPECT_EQ(model.configMarkers(0, 100'000),
            (std::vector<std::uint64_t>{first, first + 2, first + 3}));
  EXPECT_EQ(model.configMarkers(15'000, 25'000), (std::vector<std::uint64_t>{first + 2}));
  EXPECT_TRUE(model.configMarkers(31'000, 40'000).empty());
  EXPECT_EQ(model.laneOf(first), laneOf(model, LaneKind::Control)) << "knob changes: control lane";
}

// --- retention -------------------------------------------------------------------------

// Every retained item and sample is on its lanes; nothing dropped is referenced.
void expectLanesMatchStore(const TimelineModel& model) {
  std::size_t items = 0;
  std::size_t samples = 0;
  for (const LaneInfo& lane : model.lanes()) {
    for (std::size_t pos = 0; pos < model.laneSize(lane.id); ++pos) {
      ASSERT_GE(model.laneItemId(lane.id, pos), model.firstRetainedId()) << lane.name;
    }
    items += model.laneSize(lane.id);
    samples += model.laneSampleCount(lane.id);
  }
  std::size_t expectedItems = 0;
  std::size_t expectedSamples = 0;
  for (std::uint64_t id = model.firstRetainedId(); id < model.endId(); ++id) {
    const EventKind kind = model.event(id).kind;
    expectedSamples += kind == EventKind::Sample ? 1 : 0;
    expectedItems += kind == EventKind::Ready ? 2 : (kind == EventKind::Sample ? 0 : 1);
  }
  EXPECT_EQ(items, expectedItems);
  EXPECT_EQ(samples, expectedSamples);
}

TEST(TimelineRetention, CapDropsTheOldestAndLanesForgetThem) {
  constexpr std::size_t kCap = 1'000;
  constexpr std::size_t kExtra = 2'345;
  Trace trace;
  TimelineModel model(kCap);
  std::vector<TraceEvent> events = trace.prologue();
  std::mt19937_64 random(3);
  std::int64_t t = 10'000;
  while (events.size() < kCap + kExtra) {
    t += 100;
    switch (random() % 6) {
      case 0:
        events.push_back(trace.sample(kConnFd, t - static_cast<std::int64_t>(random() % 400),
                                      static_cast<std::int64_t>(random() % 100)));
        break;  // sampler clock: sometimes late
      case 1:
        events.push_back(trace.of(EventKind::Ready, kConnFd, t));
        break;
      case 2:
        events.push_back(trace.of(EventKind::Config, -1, t));
        break;
      case 3:
        events.push_back(trace.stranded(kConnFd, t, 10));
        break;
      default:  // now and then a call stamped before the lane's last item
        events.push_back(trace.read(kConnFd, 64, t - (random() % 8 == 0 ? 250 : 0), 20));
    }
  }
  model.append(events);

  EXPECT_GE(model.droppedByCap(), kExtra);
  EXPECT_LE(model.endId() - model.firstRetainedId(), kCap);
  EXPECT_EQ(model.firstRetainedId(), model.droppedByCap()) << "ids start at 0";
  EXPECT_EQ(model.endId(), kCap + kExtra);
  EXPECT_EQ(model.event(model.firstRetainedId()).seq, model.firstRetainedId() + 1);
  EXPECT_THROW(model.event(model.firstRetainedId() - 1), std::out_of_range);

  for (const LaneInfo& lane : model.lanes()) {
    for (const StrandedSpan& span : model.strandedSpans(lane.id, INT64_MIN, INT64_MAX)) {
      EXPECT_GE(span.diagnosisId, model.firstRetainedId());
    }
  }
  for (std::uint64_t id : model.configMarkers(INT64_MIN, INT64_MAX)) {
    EXPECT_GE(id, model.firstRetainedId());
  }
  // Every retained item is on its lanes exactly once (a Ready twice: epoll and socket).
  expectLanesMatchStore(model);
  // Queries still work and still agree with the items, flags and bytes included.
  foldChecked(model, connLane(model), model.firstNs(), 100.0, 1'000, 3.0f);
  foldChecked(model, connLane(model), model.firstNs(), 1.0, 1'000, 3.0f);
  EXPECT_GE(model.firstNs(), 10'000 - 400);
  EXPECT_LE(model.firstNs(), model.lastNs());
  std::vector<DepthColumn> columns;
  model.depthColumns(connLane(model), model.firstNs(), 100.0, 100, columns);
  EXPECT_TRUE(columns.back().valid);
}

TEST(TimelineRetention, LateItemsAheadOfOlderOnesAreDroppedExactly) {
  Trace trace;
  TimelineModel model(8);  // drops one event at a time
  model.append(trace.prologue());
  // Ids 5..: a read at 20 µs, then a read stamped 15 µs (sorted in front of it), and a
  // sample at 40 µs followed by one stamped 35 µs. Dropping by id then removes an item
  // that is not at its lane's front.
  const std::vector<TraceEvent> events{
      trace.read(kConnFd, 1, 10'000, 45'000),  // until 55 µs: its drop must shrink reach
      trace.read(kConnFd, 2, 20'000),         trace.read(kConnFd, 4, 15'000),
      trace.sample(kConnFd, 40'000, 7),       trace.sample(kConnFd, 35'000, 5),
      trace.read(kConnFd, 8, 50'000),         trace.read(kConnFd, 16, 60'000),
      trace.read(kConnFd, 32, 70'000),        trace.read(kConnFd, 64, 80'000),
      trace.read(kConnFd, 128, 90'000),       trace.read(kConnFd, 256, 100'000),
      trace.read(kConnFd, 512, 110'000)};
  for (const TraceEvent& event : events) {
    model.append(std::span(&event, 1));
    expectLanesMatchStore(model);
    foldChecked(model, connLane(model), 0, 1'000.0, 200, 3.0f);
    foldChecked(model, connLane(model), 0, 1.0, 200'000, 3.0f);
    for (std::int64_t t0 = 0; t0 < 120'000; t0 += 5'000) {
      expectVisibleIsExact(model, connLane(model), t0, t0 + 2'000);
    }
  }
  EXPECT_EQ(model.droppedByCap(), model.endId() - 8);
}

TEST(TimelineRetention, ClearForgetsEverythingButKeepsIdsGrowing) {
  Trace trace;
  TimelineModel model;
  model.append(withPrologue(trace));
  const std::uint64_t end = model.endId();
  model.clear();
  EXPECT_TRUE(model.lanes().empty());
  EXPECT_EQ(model.firstRetainedId(), end);
  EXPECT_EQ(model.endId(), end);
  EXPECT_EQ(model.firstNs(), 0);
  EXPECT_EQ(model.lastNs(), 0);
  model.append(withPrologue(trace));
  EXPECT_EQ(model.firstRetainedId(), end);
  EXPECT_EQ(model.lanes().size(), 4u);
}

}  // namespace
}  // namespace eps
