// The timeline's packed event store: what goes in comes out exactly, field by field, whatever
// the values (extremes, negatives, errno, durations past 4 s, imported flags, every kind), in
// every position of its groups and pages, and after the oldest events were dropped.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "core/timeline/model.hpp"

namespace eps {
namespace {

using I64 = std::numeric_limits<std::int64_t>;
using I32 = std::numeric_limits<std::int32_t>;
using U32 = std::numeric_limits<std::uint32_t>;

void expectSameEvent(const TraceEvent& got, const TraceEvent& want, std::uint64_t id) {
  SCOPED_TRACE("event id " + std::to_string(id));
  EXPECT_EQ(got.tNs, want.tNs);
  EXPECT_EQ(got.durNs, want.durNs);
  EXPECT_EQ(got.seq, want.seq);
  EXPECT_EQ(got.ret, want.ret);
  EXPECT_EQ(got.a, want.a);
  EXPECT_EQ(got.b, want.b);
  EXPECT_EQ(got.c, want.c);
  EXPECT_EQ(got.fd, want.fd);
  EXPECT_EQ(got.err, want.err);
  EXPECT_EQ(got.events, want.events);
  EXPECT_EQ(got.conn, want.conn);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.call, want.call);
  EXPECT_EQ(got.op, want.op);
  EXPECT_EQ(got.actor, want.actor);
  EXPECT_EQ(got.thread, want.thread);
  EXPECT_EQ(got.flags, want.flags);
}

// Every retained event, read one at a time and all at once, equals what went in.
void expectRetainedEqual(const TimelineModel& model, const std::vector<TraceEvent>& in) {
  const std::uint64_t first = model.firstRetainedId();
  ASSERT_EQ(model.endId(), in.size());
  const std::vector<TraceEvent> all = model.retainedEvents();
  ASSERT_EQ(all.size(), model.endId() - first);
  for (std::uint64_t id = first; id < model.endId(); ++id) {
    const TraceEvent& want = in[id];
    expectSameEvent(model.event(id), want, id);
    expectSameEvent(all[id - first], want, id);
  }
}

// One event of `kind` with every field far from its usual range. Times stay within ±2^61
// so that the lanes' extents (start + duration) are representable.
TraceEvent extreme(EventKind kind, std::uint64_t seq, std::int64_t t) {
  TraceEvent e;
  e.kind = kind;
  e.tNs = t;
  e.seq = seq;
  e.durNs = 5'000'000'000;  // past 4 s: no 32-bit field holds it
  e.ret = -1;
  e.err = EAGAIN;
  e.a = kind == EventKind::Blocked ? 7'000'000'000 : I64::max();
  e.b = I64::min();
  e.c = -123'456'789'012;
  e.fd = I32::max();
  e.events = U32::max();
  e.conn = U32::max() - 1;
  e.call = Call::CloseRange;
  e.op = 255;
  e.actor = Actor::Control;
  e.thread = 255;
  e.flags = kEventImported | kEventInferred | kEventSamplerThread;
  return e;
}

TEST(TimelineStore, ExtremeValuesOfEveryKindRoundTripExactly) {
  std::vector<TraceEvent> in;
  std::int64_t t = -(std::int64_t{1} << 61);
  for (int kind = 0; kind < kEventKindCount; ++kind) {
    in.push_back(extreme(static_cast<EventKind>(kind), in.size() + 1, t += 1'000));
    TraceEvent low = extreme(static_cast<EventKind>(kind), U32::max() + 7ull, t);
    low.fd = I32::min();
    low.err = I32::max();
    low.ret = I64::min();
    low.durNs = -1;
    low.a = static_cast<EventKind>(kind) == EventKind::Blocked ? 1 : I64::min();
    in.push_back(low);
    TraceEvent plain;  // every field at its default, after a jump back in time and in seq
    plain.kind = static_cast<EventKind>(kind);
    plain.tNs = t - 10'000'000'000;
    in.push_back(plain);
  }
  in.back().seq = std::numeric_limits<std::uint64_t>::max();
  in.back().tNs = std::int64_t{1} << 61;  // a jump forward of 2^62 ns
  TimelineModel model;
  model.append(in);
  expectRetainedEqual(model, in);
}

// Random events across many groups and pages of the store, then the cap drops the oldest in
// batches: what is retained still reads back exactly, from any position.
TEST(TimelineStore, RandomEventsRoundTripAcrossPagesAndDrops) {
  std::mt19937_64 random(7);
  const auto pick = [&random](std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(hi - lo + 1));
  };
  std::vector<TraceEvent> in;
  std::int64_t t = 1'000'000;
  for (std::uint64_t i = 0; i < 30'000; ++i) {
    TraceEvent e;
    e.kind = static_cast<EventKind>(pick(0, kEventKindCount - 1));
    e.call = static_cast<Call>(pick(0, kCallCount - 1));
    e.tNs = t += pick(-5'000, 1'000'000);  // now and then earlier than the last
    e.durNs = random() % 4 == 0 ? pick(0, 10'000'000'000) : pick(0, 3'000);
    e.seq = random() % 50 == 0 ? random() : i + 1;
    e.ret = random() % 3 == 0 ? -1 : pick(-1, 1 << 20);
    e.err = e.ret < 0 ? static_cast<std::int32_t>(pick(1, 133)) : 0;
    e.a = random() % 10 == 0 ? static_cast<std::int64_t>(random() >> 1) : pick(0, 4096);
    if (e.kind == EventKind::Blocked) e.a = pick(0, 10'000'000'000);
    e.b = pick(-1, 2);
    e.c = random() % 7 == 0 ? -static_cast<std::int64_t>(random() >> 2) : 0;
    e.fd = static_cast<std::int32_t>(pick(-1, 40));
    e.events = static_cast<std::uint32_t>(random());
    e.conn = static_cast<std::uint32_t>(pick(0, 9));
    e.op = static_cast<std::uint8_t>(random());
    e.actor = static_cast<Actor>(pick(0, 2));
    e.thread = static_cast<std::uint8_t>(pick(0, 3));
    e.flags = static_cast<std::uint8_t>(pick(0, 7));
    in.push_back(e);
  }
  TimelineModel model(10'000);
  for (std::size_t at = 0; at < in.size(); at += 977) {
    const std::size_t n = std::min<std::size_t>(977, in.size() - at);
    model.append(std::span(in.data() + at, n));
  }
  EXPECT_GT(model.droppedByCap(), 0u);
  expectRetainedEqual(model, in);
}

}  // namespace
}  // namespace eps
