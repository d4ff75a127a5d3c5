#include "core/trace/ring.hpp"

#include <bit>
#include <stdexcept>

namespace eps {

TraceRing::TraceRing(std::size_t capacityPow2)
    : slots_(new TraceEvent[capacityPow2]), mask_(capacityPow2 - 1) {
  if (!std::has_single_bit(capacityPow2)) {
    throw std::invalid_argument("trace ring capacity must be a power of two");
  }
}

bool TraceRing::push(const TraceEvent& event) {
  const std::size_t head = head_.load(std::memory_order_relaxed);
  const std::size_t tail = tail_.load(std::memory_order_acquire);
  if (head - tail > mask_) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  slots_[head & mask_] = event;
  head_.store(head + 1, std::memory_order_release);
  return true;
}

std::size_t TraceRing::drainInto(std::vector<TraceEvent>& out) {
  const std::size_t tail = tail_.load(std::memory_order_relaxed);
  const std::size_t head = head_.load(std::memory_order_acquire);
  for (std::size_t i = tail; i != head; ++i) out.push_back(slots_[i & mask_]);
  tail_.store(head, std::memory_order_release);
  return head - tail;
}

}  // namespace eps
