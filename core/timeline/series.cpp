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
  const auto pos =
      static_cast<std::size_t>(std::upper_bound(t_.begin(), t_.end(), tNs) - t_.begin());
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
  const auto begin =
      static_cast<std::size_t>(std::lower_bound(t_.begin(), t_.end(), t0) - t_.begin());
  const auto end =
      static_cast<std::size_t>(std::upper_bound(t_.begin(), t_.end(), t1) - t_.begin());
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
  const std::int64_t* times = t_.begin();
  const std::int64_t* stop = t_.end();
  const std::int64_t* values = v_.begin();
  const std::int64_t* next = std::lower_bound(times, stop, t0);
  DepthColumn carried;
  if (next != times) {
    const std::int64_t previous = v_[static_cast<std::size_t>(next - times) - 1];
    carried = {previous, previous, true};
  }
  for (std::size_t column = 0; column < out.size(); ++column) {
    const std::int64_t columnEnd =
        t0 + static_cast<std::int64_t>(std::floor(static_cast<double>(column + 1) * nsPerPixel));
    if (next == stop || *next >= columnEnd) {
      out[column] = carried;  // no sample here: the queue still holds what it held
      continue;
    }
    // Every sample in the column is read for min/max anyway, so one forward pass finds the
    // column's end too: cheaper than a search (no unpredictable branches), same order.
    const std::int64_t* value = values + (next - times);
    std::int64_t low = *value;
    std::int64_t high = *value;
    for (++next, ++value; next != stop && *next < columnEnd; ++next, ++value) {
      low = std::min(low, *value);
      high = std::max(high, *value);
    }
    out[column] = {low, high, true};
    carried = {value[-1], value[-1], true};
  }
}

}  // namespace eps
