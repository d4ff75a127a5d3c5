// A lane's queue-depth samples (and the model's config markers), sorted by time, reduced to
// min/max per pixel column.
#pragma once

#include <cstdint>
#include <vector>

#include "core/timeline/column.hpp"
#include "core/timeline/model.hpp"

namespace eps {

// Ownership: owned by TimelineModel::Impl (per lane depth, and the config markers), used on
// the model's thread. Points (time, value, id) sorted by time; a late point (another
// producer's clock) is inserted in place.
class TimeSeries {
 public:
  void add(std::int64_t tNs, std::int64_t value, std::uint64_t id);
  void dropBefore(std::uint64_t firstId, std::size_t count);
  void clear();

  std::size_t size() const { return t_.size(); }
  std::size_t memoryBytes() const;
  bool empty() const { return t_.empty(); }
  std::int64_t firstTime() const { return t_.front(); }
  std::int64_t lastTime() const { return t_.back(); }

  // Ids of points with t0 <= t <= t1, in time order.
  std::vector<std::uint64_t> idsIn(std::int64_t t0, std::int64_t t1) const;
  // Min/max of the values per pixel column, carrying the last value into empty columns.
  void columns(std::int64_t t0, double nsPerPixel, int count, std::vector<DepthColumn>& out) const;

 private:
  Column<std::int64_t> t_;
  Column<std::int64_t> v_;
  Column<std::uint64_t> id_;
};

}  // namespace eps
