// The timeline model's per-lane indexes: the drawn items of one lane in time order (with the
// derived columns that make folding cost O(blocks x log n)), a time series (queue depth, or
// the model's config markers) and the lane's stranded spans.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "core/timeline/column.hpp"
#include "core/timeline/model.hpp"
#include "core/timeline/series.hpp"

namespace eps {

// One drawn item: an event as a lane shows it (a span, or an instant with endNs == startNs).
struct LaneItem {
  std::int64_t startNs = 0;
  std::int64_t endNs = 0;
  std::uint64_t id = 0;
  std::uint32_t flags = 0;  // BlockFlags
  std::int64_t bytes = 0;   // bytes a read/write moved
};

// The pixel geometry of one fold, computed once per query by the model.
struct FoldFrame {
  std::int64_t t0 = 0;
  std::int64_t t1 = 0;     // t0 + widthPx pixels
  std::int64_t minNs = 1;  // minPx pixels in ns (rounded up, at least 1)
};

// Ownership: one per lane, owned by TimelineModel::Impl, used on the model's (UI) thread.
// Items are kept sorted by start (stable: equal starts stay in arrival order) as a structure
// of arrays. Derived columns, each kept exact under appends, near-back inserts and drops:
//  - maxEnd: running max of ends, so the first item that reaches t0 is one binary search
//    away even when a long span began far before the window;
//  - bytesCum: running sum of bytes, so a folded block's bytes are one subtraction;
//  - withFlag[b]: the absolute positions of items carrying flag bit b, so a folded block's
//    flags cost one binary search per bit instead of a walk over its items.
// Absolute position = base_ + position; base_ grows as the front is dropped, so the flag
// lists survive front drops untouched.
class LaneItems {
 public:
  static constexpr int kFlagBits = 10;  // BlockFlags uses bits 0..9 (asserted where they are)

  void add(const LaneItem& item);
  // Removes the `count` items whose id is below firstId (their events left the store).
  void dropBefore(std::uint64_t firstId, std::size_t count);
  void clear();
  std::size_t memoryBytes() const;

  std::size_t size() const { return start_.size(); }
  bool empty() const { return start_.empty(); }
  std::uint64_t idAt(std::size_t pos) const { return id_[pos]; }
  std::int64_t startAt(std::size_t pos) const { return start_[pos]; }
  std::int64_t endAt(std::size_t pos) const { return end_[pos]; }
  std::int64_t firstStart() const { return start_.front(); }
  std::int64_t latestEnd() const { return maxEnd_.back(); }

  TimelineModel::Range visible(std::int64_t t0, std::int64_t t1) const;
  void fold(const FoldFrame& frame, std::vector<TimelineBlock>& out) const;
  std::optional<std::uint64_t> hitTest(std::int64_t t, std::int64_t toleranceNs) const;

 private:
  void append(const LaneItem& item);
  void insertAt(std::size_t pos, const LaneItem& item);
  void popFront(std::size_t n);
  void repairMaxEndPrefix();
  void rebuildWithout(std::uint64_t firstId);
  std::int64_t bytesAt(std::size_t pos) const;
  std::int64_t bytesBetween(std::size_t begin, std::size_t end) const;
  // Per flag bit, an index into withFlag_ at or before the next block's entries: blocks come
  // in order, so each search gallops forward from where the last one stopped.
  using FlagCursors = std::array<std::size_t, kFlagBits>;
  std::uint32_t flagsBetween(std::size_t begin, std::size_t end, FlagCursors& cursors) const;
  TimelineBlock block(std::size_t begin, std::size_t end, FlagCursors& cursors) const;

  Column<std::int64_t> start_;
  Column<std::int64_t> end_;
  Column<std::uint64_t> id_;
  Column<std::uint16_t> flags_;
  Column<std::int64_t> maxEnd_;
  Column<std::int64_t> bytesCum_;
  std::array<Column<std::uint64_t>, kFlagBits> withFlag_;
  std::uint64_t base_ = 0;        // absolute position of item 0
  std::int64_t bytesBefore_ = 0;  // bytesCum of the last dropped item
};

// Ownership: one per lane, owned by TimelineModel::Impl, used on the model's thread.
// Spans in sequence (and time) order, never overlapping: a new diagnosis while one is open
// ends the open one, so the count shown is always the latest.
class StrandedTrack {
 public:
  void onStranded(std::int64_t tNs, std::int64_t count, bool connections, std::uint64_t id);
  void onCall(std::int64_t tNs);  // the engine touched the socket: the wait is over
  void dropBefore(std::uint64_t firstId);
  void clear() { spans_.clear(); }
  std::vector<StrandedSpan> overlapping(std::int64_t t0, std::int64_t t1) const;
  std::size_t memoryBytes() const { return spans_.size() * sizeof(StrandedSpan); }

 private:
  std::deque<StrandedSpan> spans_;
};

}  // namespace eps
