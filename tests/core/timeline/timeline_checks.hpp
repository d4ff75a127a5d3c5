// What the timeline tests share: a trace builder and checks of the model's queries against
// a walk over every item (the exact answer), used by the model's and the lanes' tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/timeline/model.hpp"

namespace eps::timeline_test {

inline constexpr int kListenFd = 3;
inline constexpr int kEpollFd = 4;
inline constexpr int kEventFd = 5;
inline constexpr int kConnFd = 7;

// Builds events by hand, stamping sequence numbers in the order they are made.
class Trace {
 public:
  TraceEvent call(Call which, int fd, std::int64_t ret, std::int64_t t, std::int64_t dur = 100,
                  int err = 0) {
    TraceEvent event = next(EventKind::Call, fd, t);
    event.call = which;
    event.ret = ret;
    event.err = err;
    event.durNs = dur;
    return event;
  }
  TraceEvent read(int fd, std::int64_t ret, std::int64_t t, std::int64_t dur = 100) {
    return call(Call::Read, fd, ret, t, dur, ret < 0 ? EAGAIN : 0);
  }
  TraceEvent wait(std::int64_t t, std::int64_t dur, std::int64_t ready = 1) {
    return call(Call::EpollWait, kEpollFd, ready, t, dur);
  }
  TraceEvent sample(int fd, std::int64_t t, std::int64_t receiveQueue) {
    TraceEvent event = next(EventKind::Sample, fd, t);
    event.op = static_cast<std::uint8_t>(SampleOf::Socket);
    event.a = receiveQueue;
    return event;
  }
  TraceEvent stranded(int fd, std::int64_t t, std::int64_t bytes) {
    TraceEvent event = next(EventKind::Stranded, fd, t);
    event.op = static_cast<std::uint8_t>(StrandedWhat::Bytes);
    event.a = bytes;
    return event;
  }
  TraceEvent blocked(int fd, std::int64_t t, std::int64_t blockedNs) {
    TraceEvent event = next(EventKind::Blocked, fd, t);
    event.call = Call::Read;
    event.a = blockedNs;
    return event;
  }
  TraceEvent of(EventKind kind, int fd, std::int64_t t) { return next(kind, fd, t); }

  // epoll_create1 -> 4, eventfd2 -> 5, socket -> 3, listen(3), accept4(3) -> 7, all before t.
  std::vector<TraceEvent> prologue(std::int64_t t = 1'000) {
    return {call(Call::EpollCreate1, -1, kEpollFd, t - 500, 10),
            call(Call::Eventfd2, -1, kEventFd, t - 400, 10),
            call(Call::Socket, -1, kListenFd, t - 300, 10),
            call(Call::Listen, kListenFd, 0, t - 200, 10),
            call(Call::Accept4, kListenFd, kConnFd, t - 100, 10)};
  }

 private:
  TraceEvent next(EventKind kind, int fd, std::int64_t t) {
    TraceEvent event;
    event.kind = kind;
    event.fd = fd;
    event.tNs = t;
    event.seq = ++seq_;
    return event;
  }
  std::uint64_t seq_ = 0;
};

inline std::uint32_t laneOf(const TimelineModel& model, LaneKind kind) {
  for (const LaneInfo& lane : model.lanes()) {
    if (lane.kind == kind) return lane.id;
  }
  ADD_FAILURE() << "no lane of the kind asked for";
  return 0;
}

inline std::uint32_t connLane(const TimelineModel& model) {
  return laneOf(model, LaneKind::Connection);
}

inline std::int64_t expectedBytes(const TraceEvent& event) {
  const bool moves = event.kind == EventKind::Call &&
                     (event.call == Call::Read || event.call == Call::Write) && event.ret > 0;
  return moves ? event.ret : 0;
}

// How the model draws an event on a lane: a Blocked diagnosis reaches back `a` ns.
inline std::pair<std::int64_t, std::int64_t> extentOf(const TraceEvent& event) {
  if (event.kind == EventKind::Blocked) return {event.tNs - event.a, event.tNs};
  return {event.tNs, event.tNs + event.durNs};
}

// visible() against a walk over the whole lane: items sorted by start; the range begins at
// the first item whose running max end reaches t0 and ends after the last start <= t1, so
// it holds every item overlapping [t0, t1].
inline void expectVisibleIsExact(const TimelineModel& model, std::uint32_t lane, std::int64_t t0,
                          std::int64_t t1) {
  const TimelineModel::Range range = model.visible(lane, t0, t1);
  std::size_t begin = model.laneSize(lane);
  std::size_t end = 0;
  std::int64_t reach = INT64_MIN;
  std::int64_t previousStart = INT64_MIN;
  for (std::size_t pos = 0; pos < model.laneSize(lane); ++pos) {
    const auto [start, stop] = extentOf(model.event(model.laneItemId(lane, pos)));
    ASSERT_LE(previousStart, start) << "items out of time order at " << pos;
    previousStart = start;
    reach = std::max(reach, stop);
    if (reach >= t0 && begin == model.laneSize(lane)) begin = pos;
    if (start <= t1) end = pos + 1;
    if (start <= t1 && stop >= t0) {
      EXPECT_TRUE(pos >= range.begin && pos < range.end) << "overlapping item " << pos << " missed";
    }
  }
  if (end < begin) end = begin;
  EXPECT_EQ(range.begin, begin) << "window " << t0 << ".." << t1;
  EXPECT_EQ(range.end, end) << "window " << t0 << ".." << t1;
}

// Folds and checks every guarantee against the visible range, item by item: the bound on
// blocks, counts summing to the range, blocks tiling the range in order, flags and bytes.
inline std::vector<TimelineBlock> foldChecked(const TimelineModel& model, std::uint32_t lane,
                                       std::int64_t t0, double nsPerPixel, int widthPx,
                                       float minPx) {
  std::vector<TimelineBlock> blocks;
  model.fold(lane, t0, nsPerPixel, widthPx, minPx, blocks);
  const auto t1 = t0 + static_cast<std::int64_t>(nsPerPixel * widthPx);
  expectVisibleIsExact(model, lane, t0, t1);
  const TimelineModel::Range range = model.visible(lane, t0, t1);
  EXPECT_LE(static_cast<double>(blocks.size()), widthPx / static_cast<double>(minPx) + 2.0);
  std::size_t pos = range.begin;
  for (const TimelineBlock& block : blocks) {
    EXPECT_GE(block.count, 1u);
    if (pos + block.count > range.end) {
      ADD_FAILURE() << "blocks run past the visible range";
      break;
    }
    EXPECT_EQ(block.firstId, model.laneItemId(lane, pos));
    std::uint32_t flags = 0;
    std::int64_t bytes = 0;
    for (std::size_t i = pos; i < pos + block.count; ++i) {
      const TraceEvent& event = model.event(model.laneItemId(lane, i));
      flags |= itemFlags(event);
      bytes += expectedBytes(event);
    }
    EXPECT_EQ(block.flags, flags) << "block at position " << pos;
    EXPECT_EQ(block.bytes, bytes) << "block at position " << pos;
    EXPECT_LE(block.startNs, block.endNs);
    pos += block.count;
  }
  EXPECT_EQ(pos, range.end) << "counts must sum to the visible items";
  return blocks;
}

inline std::vector<TraceEvent> withPrologue(Trace& trace) {
  return trace.prologue();
}

}  // namespace eps::timeline_test
