#include "core/timeline/aligned_axis.hpp"

#include <algorithm>
#include <cmath>

namespace eps {
namespace {

// The log scale's knee: times well under it are drawn linearly, times above it by decade.
constexpr double kKneeNs = 100'000;

}  // namespace

AlignedAxis::AlignedAxis(std::vector<std::array<std::int64_t, 2>> markers,
                         std::array<std::int64_t, 2> first, std::array<std::int64_t, 2> last) {
  for (std::size_t side = 0; side < 2; ++side) {
    std::vector<std::int64_t>& starts = starts_[side];
    starts.push_back(std::min(first[side], markers.empty() ? first[side] : markers[0][side]));
    for (const auto& marker : markers) starts.push_back(std::max(marker[side], starts.back()));
    starts.push_back(std::max(last[side], starts.back()));  // the end of the last stretch
  }
  for (std::size_t k = 0; k + 1 < starts_[0].size(); ++k) {
    spanNs_.push_back(
        std::max(starts_[0][k + 1] - starts_[0][k], starts_[1][k + 1] - starts_[1][k]));
  }
}

double AlignedAxis::positionInStretch(std::size_t stretch, std::int64_t sinceNs) const {
  const double span = static_cast<double>(std::max<std::int64_t>(spanNs_[stretch], 1));
  const double since = std::clamp(static_cast<double>(sinceNs), 0.0, span);
  return static_cast<double>(stretch) + std::log1p(since / kKneeNs) / std::log1p(span / kKneeNs);
}

double AlignedAxis::position(std::size_t side, std::int64_t tNs) const {
  const std::vector<std::int64_t>& starts = starts_[side];
  // The stretch whose start is the last at or before tNs (before the first: stretch 0).
  const auto after = std::upper_bound(starts.begin(), starts.end() - 1, tNs);
  const std::size_t stretch =
      after == starts.begin() ? 0 : static_cast<std::size_t>(after - starts.begin()) - 1;
  return positionInStretch(std::min(stretch, spanNs_.size() - 1), tNs - starts[stretch]);
}

}  // namespace eps
