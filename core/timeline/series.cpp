#include "core/timeline/series.hpp"

#include <algorithm>
#include <cmath>

namespace eps {

void TimeSeries::add(std::int64_t tNs, std::int64_t value, std::uint64_t id) {
  if (t_.empty() || tNs >= t_.back()) {
    t_.push_back(tNs);
    v_.push_back(value);
    id_.push_back(id);
    return;
  }
  // The sampler thread stamps its own clock: a sample can arrive after a later-stamped
  // one. Insert it where its time says (near the back), after equal times.
  const std::size_t pos = firstWhere(0, size(), [&](std::size_t i) { return t_[i] > tNs; });
  t_.insert(pos, tNs);
  v_.insert(pos, value);
  id_.insert(pos, id);
}

void TimeSeries::dropBefore(std::uint64_t firstId, std::size_t count) {
  if (count == 0) return;
  std::size_t leading = 0;
  while (leading < size() && leading < count && id_[leading] < firstId) ++leading;
  if (leading == count) {
    t_.popFront(leading);
    v_.popFront(leading);
    id_.popFront(leading);
    return;
  }
  // A late point sits in front of a dropped one: filter the whole series, once per drop
  // batch (amortised O(1) per appended event, as in LaneItems::dropBefore).
  std::size_t kept = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    if (id_[i] < firstId) continue;
    t_[kept] = t_[i];
    v_[kept] = v_[i];
    id_[kept] = id_[i];
    ++kept;
  }
  t_.truncate(kept);
  v_.truncate(kept);
  id_.truncate(kept);
}

std::size_t TimeSeries::memoryBytes() const {
  return t_.memoryBytes() + v_.memoryBytes() + id_.memoryBytes();
}

void TimeSeries::clear() {
  t_.clear();
  v_.clear();
  id_.clear();
}

std::vector<std::uint64_t> TimeSeries::idsIn(std::int64_t t0, std::int64_t t1) const {
  std::vector<std::uint64_t> out;
  if (t1 < t0) return out;
  const std::size_t begin = firstWhere(0, size(), [&](std::size_t i) { return t_[i] >= t0; });
  const std::size_t end = firstWhere(begin, size(), [&](std::size_t i) { return t_[i] > t1; });
  out.reserve(end > begin ? end - begin : 0);
  for (std::size_t i = begin; i < end; ++i) out.push_back(id_[i]);
  return out;
}

// One binary search for the window's first sample, then one pass over the samples inside the
// window (an empty column costs one comparison: the next sample's time already says so).
// O(columns + samples in the window); nothing outside the window is read.
void TimeSeries::columns(std::int64_t t0, double nsPerPixel, int count,
                         std::vector<DepthColumn>& out) const {
  out.assign(count > 0 ? static_cast<std::size_t>(count) : 0, DepthColumn{});
  if (out.empty() || empty() || !(nsPerPixel > 0.0)) return;
  const std::size_t stop = size();
  std::size_t next = firstWhere(0, stop, [&](std::size_t i) { return t_[i] >= t0; });
  DepthColumn carried;
  if (next != 0) carried = {v_[next - 1], v_[next - 1], true};
  for (std::size_t column = 0; column < out.size(); ++column) {
    const std::int64_t columnEnd =
        t0 + static_cast<std::int64_t>(std::floor(static_cast<double>(column + 1) * nsPerPixel));
    if (next == stop || t_[next] >= columnEnd) {
      out[column] = carried;  // no sample here: the queue still holds what it held
      continue;
    }
    // Every sample in the column is read for min/max anyway, so one forward pass finds the
    // column's end too: cheaper than a search (no unpredictable branches), same order.
    std::int64_t low = v_[next];
    std::int64_t high = v_[next];
    for (++next; next != stop && t_[next] < columnEnd; ++next) {
      low = std::min(low, v_[next]);
      high = std::max(high, v_[next]);
    }
    out[column] = {low, high, true};
    carried = {v_[next - 1], v_[next - 1], true};
  }
}

}  // namespace eps
