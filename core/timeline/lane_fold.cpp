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

std::int64_t LaneItems::maxEndAt(std::size_t pos) const {
  const std::uint64_t abs = base_ + pos;
  const std::uint64_t groupStart = (abs >> kGroupShift) << kGroupShift;
  std::int64_t running = std::numeric_limits<std::int64_t>::min();
  std::size_t from = 0;
  if (groupStart > base_) {  // the group before is retained: its running max holds
    running = groupMax_[(groupStart >> kGroupShift) - 1 - maxFirst_];
    from = groupStart - base_;
  }
  for (std::size_t p = from; p <= pos; ++p) running = std::max(running, endAt(p));
  return running;
}

std::size_t LaneItems::firstReaching(std::size_t lo, std::size_t hi, std::int64_t t) const {
  return firstWhere(lo, hi, [&](std::size_t p) { return maxEndAt(p) >= t; });
}

TimelineModel::Range LaneItems::visible(std::int64_t t0, std::int64_t t1) const {
  if (empty() || t1 < t0) return {};
  // maxEnd ascends, so everything before `begin` ended before t0 — including items that
  // started long ago, which is how an epoll_wait begun before the window stays visible.
  const std::size_t begin = firstReaching(0, size(), t0);
  const std::size_t end = firstWhere(0, size(), [&](std::size_t p) { return start_[p] > t1; });
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
// and a FlagSummary read (a few dozen reads, whatever the block's size).
void LaneItems::fold(const FoldFrame& frame, std::vector<TimelineBlock>& out) const {
  out.clear();
  const TimelineModel::Range range = visible(frame.t0, frame.t1);
  std::int64_t claimedTo = frame.t0;
  std::size_t pos = range.begin;
  while (pos < range.end) {
    if (claimedTo > frame.t1) {
      out.push_back(block(pos, range.end));
      return;
    }
    const std::int64_t claim = std::max(start_[pos], claimedTo);
    const std::int64_t end = endAt(pos);
    if (end - claim >= frame.minNs) {
      out.push_back(block(pos, pos + 1));
      claimedTo = end;
      ++pos;
      continue;
    }
    const std::int64_t limit = claim + frame.minNs;
    // Items in (pos, inside) start inside the claim.
    const std::size_t inside =
        gallopFirstWhere(pos + 1, range.end, [&](std::size_t p) { return start_[p] >= limit; });
    // The block stops at the first of them reaching limit + minPx. Everything up to pos ends
    // before `limit` (earlier claims lie behind this one), so the running max over
    // (pos, inside) finds it exactly. Usually none does: then the block takes them all.
    const std::int64_t cut = limit + frame.minNs;
    std::size_t stop = inside;
    if (maxEndAt(inside - 1) >= cut) stop = firstReaching(pos + 1, inside, cut);
    out.push_back(block(pos, stop));
    claimedTo = limit;
    pos = stop;
  }
}

TimelineBlock LaneItems::block(std::size_t begin, std::size_t end) const {
  TimelineBlock out;
  out.startNs = start_[begin];
  out.firstId = idAt(begin);
  out.count = saturatingCount(end - begin);
  out.bytes = bytesBetween(begin, end);
  if (end - begin == 1) {
    out.endNs = endAt(begin);
    out.flags = flags_[begin];
    return out;
  }
  // The lane's running max reached a new value inside the block: that value is the block's
  // own latest end. Otherwise an earlier item reaches further, and the block's first and
  // last items bound its end (within the block's few pixels).
  const std::int64_t reach = maxEndAt(end - 1);
  out.endNs =
      begin == 0 || maxEndAt(begin - 1) < reach ? reach : std::max(endAt(begin), endAt(end - 1));
  out.flags = flagsBetween(begin, end);
  return out;
}

std::int64_t LaneItems::bytesBetween(std::size_t begin, std::size_t end) const {
  const std::size_t first = dataIndex(begin);
  const std::size_t last = dataIndex(end);
  if (first == last) return 0;
  return dataCum_[last - 1] - (first == 0 ? bytesBefore_ : dataCum_[first - 1]);
}

std::uint32_t LaneItems::flagsBetween(std::size_t begin, std::size_t end) const {
  return flagSummary_.between(base_ + begin, base_ + end,
                              [this](std::uint64_t abs) { return flags_[abs - base_]; });
}

// Nearest first, then narrowest (the most specific item), then the later one.
std::optional<std::uint64_t> LaneItems::hitTest(std::int64_t t, std::int64_t toleranceNs) const {
  if (empty()) return std::nullopt;
  const std::size_t after = firstWhere(0, size(), [&](std::size_t p) { return start_[p] > t; });
  std::optional<std::size_t> best;
  std::int64_t bestDistance = 0;
  auto consider = [&](std::size_t pos) {
    const std::int64_t distance =
        t < start_[pos] ? start_[pos] - t : std::max<std::int64_t>(0, t - endAt(pos));
    if (distance > toleranceNs) return;
    const std::int64_t width = endAt(pos) - start_[pos];
    if (best && (distance > bestDistance ||
                 (distance == bestDistance && width > endAt(*best) - start_[*best]))) {
      return;
    }
    best = pos;
    bestDistance = distance;
  };
  if (after > 0) {
    // Of everything starting at or before t, the item reaching furthest is the nearest:
    // the first position where the running max attains its value at after - 1.
    consider(firstReaching(0, after, maxEndAt(after - 1)));
    const std::size_t from = after > kHitScanBack ? after - kHitScanBack : 0;
    for (std::size_t pos = from; pos < after; ++pos) consider(pos);
  }
  if (after < size()) consider(after);
  if (!best) return std::nullopt;
  return idAt(*best);
}

}  // namespace eps
