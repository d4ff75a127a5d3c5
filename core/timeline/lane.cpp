// LaneItems upkeep: appends, near-back inserts for late timestamps, and front drops for the
// retention cap, keeping the derived columns (group maxima, flag summary, data sums) exact.
#include <algorithm>

#include "core/timeline/lane.hpp"

namespace eps {

void LaneItems::add(const LaneItem& item) {
  if (empty()) idFloor_ = item.id;  // items come in id order: no later one is lower
  if (start_.empty() || item.startNs >= start_.back()) {
    append(item);
    return;
  }
  // A producer stamped this earlier than the lane's last item (another thread's clock, or a
  // Blocked span that began before the calls recorded ahead of it). The first later start
  // keeps equal starts in arrival order.
  insertAt(firstWhere(0, size(), [&](std::size_t p) { return start_[p] > item.startNs; }), item);
}

namespace {

std::uint32_t durationOf(const LaneItem& item) {
  const std::uint64_t duration =
      static_cast<std::uint64_t>(item.endNs) - static_cast<std::uint64_t>(item.startNs);
  return duration < 0xffffffffu ? static_cast<std::uint32_t>(duration) : 0xffffffffu;
}

}  // namespace

void LaneItems::append(const LaneItem& item) {
  const std::uint64_t abs = base_ + size();
  start_.push_back(item.startNs);
  dur_.push_back(durationOf(item));
  if (dur_.back() == kWide) wideEnd_[item.id] = item.endNs;
  id_.push_back(static_cast<std::uint32_t>(item.id));
  flags_.push_back(static_cast<std::uint16_t>(item.flags));
  noteEnd(abs, item.endNs);
  flagSummary_.append(abs, static_cast<std::uint16_t>(item.flags));
  if (item.bytes > 0) {
    dataPos_.push_back(static_cast<std::uint32_t>(abs));
    dataCum_.push_back((dataCum_.empty() ? bytesBefore_ : dataCum_.back()) + item.bytes);
  }
}

// The running max of ends through the group of absolute position `abs`, which is the last.
void LaneItems::noteEnd(std::uint64_t abs, std::int64_t end) {
  const std::uint64_t group = abs >> kGroupShift;
  if (groupMax_.empty()) maxFirst_ = group;
  if (group == maxFirst_ + groupMax_.size()) {
    groupMax_.push_back(groupMax_.empty() ? end : std::max(groupMax_.back(), end));
  } else {
    groupMax_.back() = std::max(groupMax_.back(), end);
  }
}

// Cost: the distance from pos to the back, in every column (late items land near the back).
void LaneItems::insertAt(std::size_t pos, const LaneItem& item) {
  start_.insert(pos, item.startNs);
  dur_.insert(pos, durationOf(item));
  if (dur_[pos] == kWide) wideEnd_[item.id] = item.endNs;
  id_.insert(pos, static_cast<std::uint32_t>(item.id));
  flags_.insert(pos, static_cast<std::uint16_t>(item.flags));
  recomputeMaxFrom(pos);
  flagSummary_.rebuildFrom(base_ + pos, base_ + size(), base_,
                           [this](std::uint64_t abs) { return flags_[abs - base_]; });
  insertData(pos, item.bytes);
}

void LaneItems::recomputeMaxFrom(std::size_t pos) {
  const std::uint64_t group = (base_ + pos) >> kGroupShift;
  groupMax_.truncate(std::min<std::size_t>(group - maxFirst_, groupMax_.size()));
  const std::uint64_t from = std::max(group << kGroupShift, base_) - base_;
  for (std::size_t p = from; p < size(); ++p) noteEnd(base_ + p, endAt(p));
}

// Every item from pos on moved one place back: so do their data positions; then the new
// item's bytes go in, and into the running sum of everything after it.
void LaneItems::insertData(std::size_t pos, std::int64_t bytes) {
  const auto base = static_cast<std::uint32_t>(base_);
  std::size_t k = dataPos_.size();
  while (k > 0 && static_cast<std::uint32_t>(dataPos_[k - 1] - base) >= pos) ++dataPos_[--k];
  if (bytes <= 0) return;
  dataPos_.insert(k, static_cast<std::uint32_t>(base_ + pos));
  dataCum_.insert(k, (k == 0 ? bytesBefore_ : dataCum_[k - 1]) + bytes);
  for (std::size_t j = k + 1; j < dataCum_.size(); ++j) dataCum_[j] += bytes;
}

void LaneItems::dropBefore(std::uint64_t firstId, std::size_t count) {
  if (count == 0) return;
  std::size_t leading = 0;
  while (leading < size() && leading < count && idAt(leading) < firstId) ++leading;
  if (leading == count) {
    popFront(leading);
  } else {
    // A late item (newer id, earlier time) sits in front of a dropped one. Rare; rebuilding
    // the lane is O(lane), paid once per drop batch of maxEvents/8, so append stays
    // amortised O(1).
    rebuildWithout(firstId);
  }
  std::erase_if(wideEnd_, [firstId](const auto& entry) { return entry.first < firstId; });
  if (!empty()) idFloor_ = std::max(idFloor_, firstId);
}

void LaneItems::popFront(std::size_t n) {
  if (n == 0) return;
  const auto oldBase = static_cast<std::uint32_t>(base_);
  start_.popFront(n);
  dur_.popFront(n);
  id_.popFront(n);
  flags_.popFront(n);
  base_ += n;
  const std::uint64_t whole = base_ >> kGroupShift;
  const std::size_t groups =
      std::min<std::size_t>(whole > maxFirst_ ? whole - maxFirst_ : 0, groupMax_.size());
  groupMax_.popFront(groups);
  maxFirst_ += groups;
  flagSummary_.dropBefore(base_);
  std::size_t gone = 0;
  while (gone < dataPos_.size() && static_cast<std::uint32_t>(dataPos_[gone] - oldBase) < n) {
    ++gone;
  }
  if (gone > 0) {
    bytesBefore_ = dataCum_[gone - 1];
    dataPos_.popFront(gone);
    dataCum_.popFront(gone);
  }
  if (empty()) {
    clear();
    return;
  }
  repairMaxPrefix();
}

// The first group may still hold the end of a dropped long span. Stored values are
// max(dropped ends, retained running max); once the running max catches up they agree for
// good, so the repair stops there (usually at the first group).
void LaneItems::repairMaxPrefix() {
  std::int64_t running = endAt(0);
  for (std::size_t p = 0; p < size(); ++p) {
    running = std::max(running, endAt(p));
    const std::uint64_t abs = base_ + p;
    if ((abs & ((1u << kGroupShift) - 1)) != (1u << kGroupShift) - 1 && p + 1 < size()) continue;
    std::int64_t& stored = groupMax_[(abs >> kGroupShift) - maxFirst_];
    if (stored == running) return;
    stored = running;
  }
}

void LaneItems::rebuildWithout(std::uint64_t firstId) {
  std::vector<LaneItem> keep;
  keep.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) {
    if (idAt(i) < firstId) continue;
    keep.push_back({start_[i], endAt(i), idAt(i), flags_[i], bytesAt(i)});
  }
  clear();
  idFloor_ = firstId;  // in time order, the first kept item need not have the lowest id
  for (const LaneItem& item : keep) append(item);
}

std::size_t LaneItems::dataIndex(std::size_t pos) const {
  const auto base = static_cast<std::uint32_t>(base_);
  return firstWhere(0, dataPos_.size(), [&](std::size_t j) {
    return static_cast<std::uint32_t>(dataPos_[j] - base) >= pos;
  });
}

std::int64_t LaneItems::bytesAt(std::size_t pos) const {
  const std::size_t j = dataIndex(pos);
  if (j == dataPos_.size() || static_cast<std::uint32_t>(dataPos_[j] - base_) != pos) return 0;
  return dataCum_[j] - (j == 0 ? bytesBefore_ : dataCum_[j - 1]);
}

std::size_t LaneItems::memoryBytes() const {
  return start_.memoryBytes() + dur_.memoryBytes() + id_.memoryBytes() + flags_.memoryBytes() +
         groupMax_.memoryBytes() + flagSummary_.memoryBytes() + dataPos_.memoryBytes() +
         dataCum_.memoryBytes() +
         wideEnd_.size() * (sizeof(std::uint64_t) + sizeof(std::int64_t) + 2 * sizeof(void*)) +
         wideEnd_.bucket_count() * sizeof(void*);
}

void LaneItems::clear() {
  start_.clear();
  dur_.clear();
  id_.clear();
  flags_.clear();
  groupMax_.clear();
  maxFirst_ = 0;
  flagSummary_.clear();
  dataPos_.clear();
  dataCum_.clear();
  wideEnd_.clear();
  base_ = 0;
  idFloor_ = 0;
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
