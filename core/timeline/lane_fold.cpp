// LaneItems queries: the visible range, folding, and hit-testing. Every query is bounded by
// pixels (binary searches per block), never by the number of events.
#include <algorithm>
#include <limits>

#include "core/timeline/lane.hpp"

namespace eps {
namespace {

// How far back hitTest looks, beside the one span that reaches furthest, for a narrower
// item that also contains t (a call inside a Blocked span, a mark at the end of a wait).
constexpr std::size_t kHitScanBack = 32;

std::uint32_t saturatingCount(std::size_t n) {
  return n > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                       : static_cast<std::uint32_t>(n);
}

}  // namespace

TimelineModel::Range LaneItems::visible(std::int64_t t0, std::int64_t t1) const {
  if (empty() || t1 < t0) return {};
  // maxEnd ascends, so everything before `begin` ended before t0 — including items that
  // started long ago, which is how an epoll_wait begun before the window stays visible.
  const auto begin = static_cast<std::size_t>(std::lower_bound(maxEnd_.begin(), maxEnd_.end(), t0) -
                                              maxEnd_.begin());
  const auto end =
      static_cast<std::size_t>(std::upper_bound(start_.begin(), start_.end(), t1) - start_.begin());
  return {begin, std::max(begin, end)};
}

// The fold rule. Each block claims a stretch of the window that no other block claims:
//  - the claim starts at the block's first item, or where the previous claim ended if that
//    is later (clamped to t0);
//  - an item reaching at least minPx past its claim start is a block of its own (count 1)
//    and claims up to its end;
//  - otherwise the block claims exactly minPx and takes every following item that starts
//    inside the claim, stopping before an item reaching minPx or more beyond the claim —
//    that item then gets a full claim of its own and is drawn as itself.
// Claims are disjoint, start inside [t0, t1] and are at least minPx long, so there are at most
// widthPx / minPx + 1 of them; once claims run past t1 (only overlapping spans can push them
// there) everything left becomes one last block: at most widthPx / minPx + 2 blocks. An item
// at least 2 x minPx wide that does not overlap an earlier item is always its own block.
// Each block costs a galloping search over starts, at most one binary search over maxEnd,
// and one galloping search per flag bit its first and last items lack.
void LaneItems::fold(const FoldFrame& frame, std::vector<TimelineBlock>& out) const {
  out.clear();
  const TimelineModel::Range range = visible(frame.t0, frame.t1);
  std::int64_t claimedTo = frame.t0;
  std::size_t pos = range.begin;
  FlagCursors cursors{};
  while (pos < range.end) {
    if (claimedTo > frame.t1) {
      out.push_back(block(pos, range.end, cursors));
      return;
    }
    const std::int64_t claim = std::max(start_[pos], claimedTo);
    if (end_[pos] - claim >= frame.minNs) {
      out.push_back(block(pos, pos + 1, cursors));
      claimedTo = end_[pos];
      ++pos;
      continue;
    }
    const std::int64_t limit = claim + frame.minNs;
    const std::int64_t* starts = start_.begin();
    const std::int64_t* reach = maxEnd_.begin();
    // Items in (pos, inside) start inside the claim.
    const std::size_t inside = static_cast<std::size_t>(
        gallopLowerBound(starts + pos + 1, starts + range.end, limit) - starts);
    // The block stops at the first of them reaching limit + minPx. Everything up to pos ends
    // before `limit` (earlier claims lie behind this one), so the running max over
    // (pos, inside) finds it exactly. Usually none does: then the block takes them all.
    const std::int64_t cut = limit + frame.minNs;
    std::size_t stop = inside;
    if (reach[inside - 1] >= cut) {
      stop =
          static_cast<std::size_t>(std::lower_bound(reach + pos + 1, reach + inside, cut) - reach);
    }
    out.push_back(block(pos, stop, cursors));
    claimedTo = limit;
    pos = stop;
  }
}

TimelineBlock LaneItems::block(std::size_t begin, std::size_t end, FlagCursors& cursors) const {
  TimelineBlock out;
  out.startNs = start_[begin];
  out.firstId = id_[begin];
  out.count = saturatingCount(end - begin);
  out.bytes = bytesBetween(begin, end);
  if (end - begin == 1) {
    out.endNs = end_[begin];
    out.flags = flags_[begin];
    return out;
  }
  // The lane's running max reached a new value inside the block: that value is the block's
  // own latest end. Otherwise an earlier item reaches further, and the block's first and
  // last items bound its end (within the block's few pixels).
  const std::int64_t reach = maxEnd_[end - 1];
  out.endNs =
      begin == 0 || maxEnd_[begin - 1] < reach ? reach : std::max(end_[begin], end_[end - 1]);
  out.flags = flagsBetween(begin, end, cursors);
  return out;
}

std::int64_t LaneItems::bytesBetween(std::size_t begin, std::size_t end) const {
  return bytesCum_[end - 1] - (begin == 0 ? bytesBefore_ : bytesCum_[begin - 1]);
}

std::uint32_t LaneItems::flagsBetween(std::size_t begin, std::size_t end,
                                      FlagCursors& cursors) const {
  std::uint32_t flags = flags_[begin] | flags_[end - 1];
  const std::uint64_t lo = base_ + begin;
  const std::uint64_t hi = base_ + end;
  for (int bit = 0; bit < kFlagBits; ++bit) {
    const std::uint32_t mask = 1u << bit;
    if (flags & mask) continue;
    const auto index = static_cast<std::size_t>(bit);
    const Column<std::uint64_t>& list = withFlag_[index];
    const std::uint64_t* at = gallopLowerBound(list.begin() + cursors[index], list.end(), lo);
    cursors[index] = static_cast<std::size_t>(at - list.begin());
    if (at != list.end() && *at < hi) flags |= mask;
  }
  return flags;
}

// Nearest first, then narrowest (the most specific item), then the later one.
std::optional<std::uint64_t> LaneItems::hitTest(std::int64_t t, std::int64_t toleranceNs) const {
  if (empty()) return std::nullopt;
  const auto after =
      static_cast<std::size_t>(std::upper_bound(start_.begin(), start_.end(), t) - start_.begin());
  std::optional<std::size_t> best;
  std::int64_t bestDistance = 0;
  auto consider = [&](std::size_t pos) {
    const std::int64_t distance =
        t < start_[pos] ? start_[pos] - t : std::max<std::int64_t>(0, t - end_[pos]);
    if (distance > toleranceNs) return;
    const std::int64_t width = end_[pos] - start_[pos];
    if (best && (distance > bestDistance ||
                 (distance == bestDistance && width > end_[*best] - start_[*best]))) {
      return;
    }
    best = pos;
    bestDistance = distance;
  };
  if (after > 0) {
    // Of everything starting at or before t, the item reaching furthest is the nearest:
    // the first position where the running max attains its value at after - 1.
    const std::int64_t* reach = maxEnd_.begin();
    consider(static_cast<std::size_t>(std::lower_bound(reach, reach + after, maxEnd_[after - 1]) -
                                      reach));
    const std::size_t from = after > kHitScanBack ? after - kHitScanBack : 0;
    for (std::size_t pos = from; pos < after; ++pos) consider(pos);
  }
  if (after < size()) consider(after);
  if (!best) return std::nullopt;
  return id_[*best];
}

}  // namespace eps
