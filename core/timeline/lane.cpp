// LaneItems upkeep: appends, near-back inserts for late timestamps, and front drops for the
// retention cap, keeping the derived columns (maxEnd, bytesCum, withFlag) exact.
#include <algorithm>

#include "core/timeline/lane.hpp"

namespace eps {

void LaneItems::add(const LaneItem& item) {
  if (start_.empty() || item.startNs >= start_.back()) {
    append(item);
    return;
  }
  // A producer stamped this earlier than the lane's last item (another thread's clock, or a
  // Blocked span that began before the calls recorded ahead of it). upper_bound keeps equal
  // starts in arrival order.
  const auto pos = static_cast<std::size_t>(
      std::upper_bound(start_.begin(), start_.end(), item.startNs) - start_.begin());
  insertAt(pos, item);
}

void LaneItems::append(const LaneItem& item) {
  const std::size_t pos = size();
  start_.push_back(item.startNs);
  end_.push_back(item.endNs);
  id_.push_back(item.id);
  flags_.push_back(static_cast<std::uint16_t>(item.flags));
  maxEnd_.push_back(pos == 0 ? item.endNs : std::max(maxEnd_.back(), item.endNs));
  bytesCum_.push_back((pos == 0 ? bytesBefore_ : bytesCum_.back()) + item.bytes);
  for (int bit = 0; bit < kFlagBits; ++bit) {
    if ((item.flags >> bit) & 1u) withFlag_[static_cast<std::size_t>(bit)].push_back(base_ + pos);
  }
}

// Cost: the distance from pos to the back, in every column (late items land near the back).
void LaneItems::insertAt(std::size_t pos, const LaneItem& item) {
  start_.insert(pos, item.startNs);
  end_.insert(pos, item.endNs);
  id_.insert(pos, item.id);
  flags_.insert(pos, static_cast<std::uint16_t>(item.flags));

  maxEnd_.insert(pos, 0);
  std::int64_t running = pos == 0 ? end_[0] : maxEnd_[pos - 1];
  for (std::size_t i = pos; i < size(); ++i) {
    running = std::max(running, end_[i]);
    maxEnd_[i] = running;
  }

  bytesCum_.insert(pos, (pos == 0 ? bytesBefore_ : bytesCum_[pos - 1]) + item.bytes);
  for (std::size_t i = pos + 1; i < size(); ++i) bytesCum_[i] += item.bytes;

  // Every item from pos on moved one place back: shift the absolute positions at the back
  // of each flag list, then put the new item in.
  const std::uint64_t absolute = base_ + pos;
  for (int bit = 0; bit < kFlagBits; ++bit) {
    Column<std::uint64_t>& list = withFlag_[static_cast<std::size_t>(bit)];
    std::size_t k = list.size();
    while (k > 0 && list[k - 1] >= absolute) ++list[--k];
    if ((item.flags >> bit) & 1u) list.insert(k, absolute);
  }
}

void LaneItems::dropBefore(std::uint64_t firstId, std::size_t count) {
  if (count == 0) return;
  std::size_t leading = 0;
  while (leading < size() && leading < count && id_[leading] < firstId) ++leading;
  if (leading == count) {
    popFront(leading);
  } else {
    // A late item (newer id, earlier time) sits in front of a dropped one. Rare; rebuilding
    // the lane is O(lane), paid once per drop batch of maxEvents/8, so append stays
    // amortised O(1).
    rebuildWithout(firstId);
  }
}

void LaneItems::popFront(std::size_t n) {
  if (n == 0) return;
  bytesBefore_ = bytesCum_[n - 1];
  start_.popFront(n);
  end_.popFront(n);
  id_.popFront(n);
  flags_.popFront(n);
  maxEnd_.popFront(n);
  bytesCum_.popFront(n);
  base_ += n;
  for (Column<std::uint64_t>& list : withFlag_) {
    const auto gone =
        static_cast<std::size_t>(std::lower_bound(list.begin(), list.end(), base_) - list.begin());
    list.popFront(gone);
  }
  repairMaxEndPrefix();
}

// maxEnd may still hold the end of a dropped long span. Stored values are
// max(dropped ends, retained running max); once the running max catches up they agree for
// good, so the repair stops there (usually at the first item).
void LaneItems::repairMaxEndPrefix() {
  if (empty()) return;
  std::int64_t running = end_[0];
  for (std::size_t i = 0; i < size(); ++i) {
    running = std::max(running, end_[i]);
    if (maxEnd_[i] == running) return;
    maxEnd_[i] = running;
  }
}

void LaneItems::rebuildWithout(std::uint64_t firstId) {
  std::vector<LaneItem> keep;
  keep.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) {
    if (id_[i] < firstId) continue;
    keep.push_back({start_[i], end_[i], id_[i], flags_[i], bytesAt(i)});
  }
  clear();
  for (const LaneItem& item : keep) append(item);
}

std::int64_t LaneItems::bytesAt(std::size_t pos) const {
  return bytesCum_[pos] - (pos == 0 ? bytesBefore_ : bytesCum_[pos - 1]);
}

std::size_t LaneItems::memoryBytes() const {
  std::size_t bytes = start_.memoryBytes() + end_.memoryBytes() + id_.memoryBytes() +
                      flags_.memoryBytes() + maxEnd_.memoryBytes() + bytesCum_.memoryBytes();
  for (const Column<std::uint64_t>& list : withFlag_) bytes += list.memoryBytes();
  return bytes;
}

void LaneItems::clear() {
  start_.clear();
  end_.clear();
  id_.clear();
  flags_.clear();
  maxEnd_.clear();
  bytesCum_.clear();
  for (Column<std::uint64_t>& list : withFlag_) list.clear();
  base_ = 0;
  bytesBefore_ = 0;
}

// --- StrandedTrack ---------------------------------------------------------------------

void StrandedTrack::onStranded(std::int64_t tNs, std::int64_t count, bool connections,
                               std::uint64_t id) {
  onCall(tNs);
  StrandedSpan span;
  span.startNs = tNs;
  span.count = count;
  span.connections = connections;
  span.diagnosisId = id;
  spans_.push_back(span);
}

void StrandedTrack::onCall(std::int64_t tNs) {
  if (spans_.empty() || spans_.back().endNs != -1) return;
  spans_.back().endNs = std::max(spans_.back().startNs, tNs);
}

void StrandedTrack::dropBefore(std::uint64_t firstId) {
  while (!spans_.empty() && spans_.front().diagnosisId < firstId) spans_.pop_front();
}

std::vector<StrandedSpan> StrandedTrack::overlapping(std::int64_t t0, std::int64_t t1) const {
  // Spans never overlap and come in time order, so their ends ascend (an open span, endNs
  // == -1, can only be the last): the first span reaching t0 is a binary search away.
  const auto first = std::partition_point(
      spans_.begin(), spans_.end(), [t0](const auto& s) { return s.endNs != -1 && s.endNs < t0; });
  std::vector<StrandedSpan> out;
  for (auto it = first; it != spans_.end() && it->startNs <= t1; ++it) out.push_back(*it);
  return out;
}

}  // namespace eps
