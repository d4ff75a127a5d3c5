#include "core/trace/payload_store.hpp"

#include <algorithm>
#include <cstring>

namespace eps {

// The arena and index are allocated uninitialised: pages are touched only as payloads fill
// them, so a store that never sees a read costs address space, not memory.
PayloadStore::PayloadStore(std::size_t capacityBytes)
    : capacity_(capacityBytes),
      slots_(capacityBytes / kEntryOverhead + 1),
      arena_(new char[std::max<std::size_t>(capacityBytes, 1)]),
      index_(new Entry[slots_]) {}

void PayloadStore::keep(std::uint64_t seq, std::string_view bytes) {
  if (seq == 0) return;
  const std::string_view kept = bytes.substr(0, std::min(bytes.size(), kKeptPerRead));
  const std::size_t cost = kept.size() + kEntryOverhead;
  std::lock_guard lock(mutex_);
  if (cost > capacity_) {  // a store too small for even one entry keeps nothing, and says so
    ++dropped_;
    return;
  }
  if (seq <= highestSeq_ && findLocked(seq) != nullptr) return;  // the first one stays
  while (count_ > 0 && bytes_ + cost > capacity_) evictOldestLocked();
  const std::uint64_t position = placeLocked(kept.size());
  if (!kept.empty()) std::memcpy(&arena_[position % capacity_], kept.data(), kept.size());
  if (count_ == 0) sorted_ = true;
  sorted_ = sorted_ && seq > highestSeq_;
  index_[(first_ + count_) % slots_] = Entry{seq, position, kept.size()};
  ++count_;
  highestSeq_ = std::max(highestSeq_, seq);
  bytes_ += cost;
}

// A payload's bytes are contiguous: one that would straddle the ring's end starts over at
// its beginning (the bytes skipped are free again once the entries before them leave).
// Evicts the oldest entries until the bytes from the oldest to the new end fit the ring.
std::uint64_t PayloadStore::placeLocked(std::size_t length) {
  std::uint64_t start = writePosition_;
  if (start % capacity_ + length > capacity_) start += capacity_ - start % capacity_;
  while (count_ > 0 && start + length - at(0).position > capacity_) evictOldestLocked();
  writePosition_ = start + length;
  return start;
}

void PayloadStore::evictOldestLocked() {
  bytes_ -= at(0).length + kEntryOverhead;
  first_ = (first_ + 1) % slots_;
  --count_;
  ++dropped_;
}

const PayloadStore::Entry* PayloadStore::findLocked(std::uint64_t seq) const {
  if (sorted_) {
    std::size_t low = 0;
    std::size_t high = count_;
    while (low < high) {
      const std::size_t middle = low + (high - low) / 2;
      if (at(middle).seq < seq) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low < count_ && at(low).seq == seq ? &at(low) : nullptr;
  }
  for (std::size_t i = 0; i < count_; ++i) {
    if (at(i).seq == seq) return &at(i);
  }
  return nullptr;
}

std::string PayloadStore::bytesOf(const Entry& entry) const {
  return std::string(&arena_[entry.position % capacity_], entry.length);
}

std::vector<std::pair<std::uint64_t, std::string>> PayloadStore::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::uint64_t, std::string>> out;
  out.reserve(count_);
  for (std::size_t i = 0; i < count_; ++i) out.emplace_back(at(i).seq, bytesOf(at(i)));
  return out;
}

std::optional<std::string> PayloadStore::find(std::uint64_t seq) const {
  std::lock_guard lock(mutex_);
  const Entry* found = findLocked(seq);
  if (found == nullptr) return std::nullopt;
  return bytesOf(*found);
}

std::size_t PayloadStore::size() const {
  std::lock_guard lock(mutex_);
  return count_;
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
