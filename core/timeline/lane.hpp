// The timeline model's per-lane indexes: the drawn items of one lane in time order (with the
// derived columns that make folding cost O(blocks x log n)), a time series (queue depth, or
// the model's config markers) and the lane's stranded spans.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/timeline/column.hpp"
#include "core/timeline/flag_summary.hpp"
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
// of arrays, about 20 B an item. Each column is as narrow as its values allow:
//  - the end as the duration in 32 bits; a span past 4.29 s keeps its end in wideEnd_;
//  - the id as its low 32 bits: the model retains fewer than 2^32 events, so every retained
//    id lies in [idFloor_, idFloor_ + 2^32) and the rest follows from idFloor_;
//  - the running max of ends (so the first item reaching t0 is one binary search away even
//    when a long span began far before the window) once per group of 16 items, the rest
//    of it recomputed from the group's ends when read;
//  - block flags as a FlagSummary, block bytes as a running sum over only the items that moved
//    bytes (dataPos_, dataCum_).
// Absolute position = base_ + position; base_ grows as the front is dropped, so the groups,
// the summary and the data positions survive front drops untouched.
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
  std::uint64_t idAt(std::size_t pos) const {
    return idFloor_ + static_cast<std::uint32_t>(id_[pos] - static_cast<std::uint32_t>(idFloor_));
  }
  std::int64_t startAt(std::size_t pos) const { return start_[pos]; }
  std::int64_t endAt(std::size_t pos) const {
    const std::uint32_t duration = dur_[pos];
    return duration != kWide ? start_[pos] + duration : wideEnd_.at(idAt(pos));
  }
  std::int64_t firstStart() const { return start_.front(); }
  std::int64_t latestEnd() const { return groupMax_.back(); }

  TimelineModel::Range visible(std::int64_t t0, std::int64_t t1) const;
  void fold(const FoldFrame& frame, std::vector<TimelineBlock>& out) const;
  std::optional<std::uint64_t> hitTest(std::int64_t t, std::int64_t toleranceNs) const;

 private:
  static constexpr std::uint32_t kWide = 0xffffffff;  // the duration is in wideEnd_
  static constexpr int kGroupShift = 4;               // groupMax_: 16 items a group

  void append(const LaneItem& item);
  void insertAt(std::size_t pos, const LaneItem& item);
  void popFront(std::size_t n);
  void noteEnd(std::uint64_t abs, std::int64_t end);
  void recomputeMaxFrom(std::size_t pos);
  void repairMaxPrefix();
  void insertData(std::size_t pos, std::int64_t bytes);
  void rebuildWithout(std::uint64_t firstId);
  // The running max of ends over items [0, pos]; the first position in [lo, hi) where it
  // reaches t (it ascends).
  std::int64_t maxEndAt(std::size_t pos) const;
  std::size_t firstReaching(std::size_t lo, std::size_t hi, std::int64_t t) const;
  std::size_t dataIndex(std::size_t pos) const;  // first dataPos_ entry at or after pos
  std::int64_t bytesAt(std::size_t pos) const;
  std::int64_t bytesBetween(std::size_t begin, std::size_t end) const;
  std::uint32_t flagsBetween(std::size_t begin, std::size_t end) const;
  TimelineBlock block(std::size_t begin, std::size_t end) const;

  Column<std::int64_t> start_;
  Column<std::uint32_t> dur_;  // end - start, or kWide
  Column<std::uint32_t> id_;   // low 32 bits
  Column<std::uint16_t> flags_;
  Column<std::int64_t> groupMax_;  // running max of ends to the end of each group
  std::uint64_t maxFirst_ = 0;     // the group groupMax_[0] is of
  FlagSummary flagSummary_;
  Column<std::uint32_t> dataPos_;  // absolute positions (low 32 bits) of items moving bytes
  Column<std::int64_t> dataCum_;   // running sum of their bytes
  std::unordered_map<std::uint64_t, std::int64_t> wideEnd_;  // id -> end, spans past 4.29 s
  std::uint64_t base_ = 0;        // absolute position of item 0
  std::uint64_t idFloor_ = 0;     // no retained id is lower
  std::int64_t bytesBefore_ = 0;  // dataCum of the last dropped item
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
