#include "core/trace/payload_store.hpp"

#include <algorithm>

namespace eps {

PayloadStore::PayloadStore(std::size_t capacityBytes) : capacity_(capacityBytes) {}

void PayloadStore::keep(std::uint64_t seq, std::string_view bytes) {
  const std::string_view kept = bytes.substr(0, std::min(bytes.size(), kKeptPerRead));
  const std::size_t cost = kept.size() + kEntryOverhead;
  std::lock_guard lock(mutex_);
  if (cost > capacity_) {  // a store too small for even one entry keeps nothing, and says so
    ++dropped_;
    return;
  }
  evictUntilFits(cost);
  const auto [it, inserted] = bySeq_.try_emplace(seq, kept);
  if (!inserted) return;  // one payload per event: the first one stays
  order_.push_back(seq);
  bytes_ += cost;
}

void PayloadStore::evictUntilFits(std::size_t incoming) {
  while (!order_.empty() && bytes_ + incoming > capacity_) {
    const auto found = bySeq_.find(order_.front());
    if (found != bySeq_.end()) {
      bytes_ -= found->second.size() + kEntryOverhead;
      bySeq_.erase(found);
    }
    order_.pop_front();
    ++dropped_;
  }
}

std::vector<std::pair<std::uint64_t, std::string>> PayloadStore::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::uint64_t, std::string>> out;
  out.reserve(order_.size());
  for (const std::uint64_t seq : order_) {
    if (const auto found = bySeq_.find(seq); found != bySeq_.end())
      out.emplace_back(seq, found->second);
  }
  return out;
}

std::optional<std::string> PayloadStore::find(std::uint64_t seq) const {
  std::lock_guard lock(mutex_);
  const auto found = bySeq_.find(seq);
  if (found == bySeq_.end()) return std::nullopt;
  return found->second;
}

std::size_t PayloadStore::size() const {
  std::lock_guard lock(mutex_);
  return bySeq_.size();
}

std::size_t PayloadStore::bytesHeld() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::uint64_t PayloadStore::droppedOldest() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

}  // namespace eps
