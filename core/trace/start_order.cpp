#include "core/trace/start_order.hpp"

#include <algorithm>

namespace eps {

void StartOrder::insert(std::vector<Entry>& batch) {
  if (batch.empty()) return;
  std::sort(batch.begin(), batch.end());
  for (const Entry& entry : batch) lowestId_ = std::min(lowestId_, entry.id);
  const auto oldSize = static_cast<std::ptrdiff_t>(entries_.size());
  // Everything before the first entry that sorts after the batch's earliest is untouched.
  const auto from = std::upper_bound(entries_.begin(), entries_.end(), batch.front());
  const std::ptrdiff_t mergeFrom = from - entries_.begin();
  entries_.insert(entries_.end(), batch.begin(), batch.end());
  if (mergeFrom < oldSize) {
    std::inplace_merge(entries_.begin() + mergeFrom, entries_.begin() + oldSize, entries_.end());
  }
  batch.clear();
}

void StartOrder::dropBefore(std::uint64_t firstKept) {
  if (lowestId_ == UINT64_MAX || lowestId_ >= firstKept) return;
  std::erase_if(entries_, [firstKept](const Entry& entry) { return entry.id < firstKept; });
  lowestId_ = UINT64_MAX;
  for (const Entry& entry : entries_) lowestId_ = std::min(lowestId_, entry.id);
}

void StartOrder::clear() {
  entries_.clear();
  lowestId_ = UINT64_MAX;
}

std::size_t StartOrder::positionOf(std::int64_t tNs, std::uint64_t id) const {
  const auto at = std::lower_bound(entries_.begin(), entries_.end(), Entry{tNs, id});
  return static_cast<std::size_t>(at - entries_.begin());
}

std::vector<std::uint64_t> startOrderOf(std::span<const TraceEvent> events) {
  std::vector<StartOrder::Entry> batch;
  batch.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) batch.push_back({events[i].tNs, i});
  StartOrder order;
  order.insert(batch);
  std::vector<std::uint64_t> ids;
  ids.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) ids.push_back(order.idAt(i));
  return ids;
}

}  // namespace eps
