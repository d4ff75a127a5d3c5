// The flags of any range of a lane's items in a few dozen reads: ORs of the items' flags over
// aligned groups of 16, 256, 4096, ... items (by absolute position), like the levels of a
// mipmap. A range is its unaligned ends, read item by item or group by group, and the whole
// groups between them, read one level up. Costs about 1/8 B an item, where a list of item
// positions per flag bit cost 8 B per flag an item carried.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/timeline/column.hpp"

namespace eps {

// Ownership: one per LaneItems, used on the model's (UI) thread.
// Absolute position = the lane's base (items dropped so far) + position. A group partly
// dropped keeps the dropped items' flags, which is harmless: a query starts at or after the
// base, so it only ever reads groups that lie wholly inside the retained items.
class FlagSummary {
 public:
  // Items past 16^kLevels apart read the top level entry by entry (2^24: 16 M items a group).
  static constexpr int kLevels = 6;

  // The item at absolute position `abs` (one past the last so far) carries `flags`.
  void append(std::uint64_t abs, std::uint16_t flags) {
    for (int k = 0; k < kLevels; ++k) accumulate(k, abs >> shiftOf(k), flags);
  }

  // Items from absolute position `from` to `end` changed (an insert): recomputed from them,
  // level by level. `base` is the first retained position; flagAt(abs) an item's flags.
  template <class FlagAt>
  void rebuildFrom(std::uint64_t from, std::uint64_t end, std::uint64_t base, FlagAt flagAt) {
    for (int k = 0; k < kLevels; ++k) {
      Level& level = levels_[static_cast<std::size_t>(k)];
      const std::uint64_t group = from >> shiftOf(k);
      const std::uint64_t keep = group > level.first ? group - level.first : 0;
      level.ors.truncate(std::min<std::uint64_t>(keep, level.ors.size()));
      const std::uint64_t sourceFrom = group << shiftOf(k);
      if (k == 0) {
        for (std::uint64_t p = std::max(sourceFrom, base); p < end; ++p) {
          accumulate(0, p >> shiftOf(0), flagAt(p));
        }
        continue;
      }
      const Level& below = levels_[static_cast<std::size_t>(k - 1)];
      const std::uint64_t belowFrom = std::max(sourceFrom >> shiftOf(k - 1), below.first);
      for (std::uint64_t g = belowFrom; g < below.first + below.ors.size(); ++g) {
        accumulate(k, g >> 4, below.ors[g - below.first]);
      }
    }
  }

  // Forgets the groups wholly before absolute position `base`.
  void dropBefore(std::uint64_t base) {
    for (int k = 0; k < kLevels; ++k) {
      Level& level = levels_[static_cast<std::size_t>(k)];
      const std::uint64_t whole = base >> shiftOf(k);
      const std::uint64_t n =
          std::min<std::uint64_t>(whole > level.first ? whole - level.first : 0, level.ors.size());
      level.ors.popFront(n);
      level.first += n;
    }
  }

  void clear() { levels_ = {}; }

  // The OR of the flags of the items at absolute positions [lo, hi), all retained.
  template <class FlagAt>
  std::uint32_t between(std::uint64_t lo, std::uint64_t hi, FlagAt flagAt) const {
    std::uint32_t flags = 0;
    for (; lo < hi && (lo & 15) != 0; ++lo) flags |= flagAt(lo);
    for (; hi > lo && (hi & 15) != 0;) flags |= flagAt(--hi);
    for (int k = 0; k < kLevels && lo < hi; ++k) {
      const int shift = shiftOf(k);
      const Level& level = levels_[static_cast<std::size_t>(k)];
      const auto at = [&](std::uint64_t abs) { return level.ors[(abs >> shift) - level.first]; };
      const std::uint64_t step = std::uint64_t{1} << shift;
      if (k + 1 == kLevels) {  // the top level: every group between the ends
        for (; lo < hi; lo += step) flags |= at(lo);
        break;
      }
      const std::uint64_t align = (step << 4) - 1;  // the ends not aligned one level up
      for (; lo < hi && (lo & align) != 0; lo += step) flags |= at(lo);
      for (; hi > lo && (hi & align) != 0;) flags |= at(hi -= step);
    }
    return flags;
  }

  std::size_t memoryBytes() const {
    std::size_t bytes = 0;
    for (const Level& level : levels_) bytes += level.ors.memoryBytes();
    return bytes;
  }

 private:
  struct Level {
    Column<std::uint16_t> ors;  // one per group, from group `first` on
    std::uint64_t first = 0;
  };
  static constexpr int shiftOf(int level) { return 4 * (level + 1); }

  void accumulate(int k, std::uint64_t group, std::uint16_t flags) {
    Level& level = levels_[static_cast<std::size_t>(k)];
    if (level.ors.empty()) level.first = group;
    if (group == level.first + level.ors.size()) {
      level.ors.push_back(flags);
    } else {
      level.ors.back() |= flags;
    }
  }

  std::array<Level, kLevels> levels_;
};

}  // namespace eps
