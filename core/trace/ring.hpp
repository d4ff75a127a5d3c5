// A single-producer single-consumer ring of trace events. Lock-free and wait-free: the
// producer never blocks; when the ring is full the event is dropped and counted, so a slow
// consumer can never stall the engine.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/base/trace_event.hpp"

namespace eps {

// Ownership: shared by exactly one producer thread (reserve/publish) and one consumer thread
// (available/at/release). The producer keeps its head and a cached copy of the consumer's
// tail on its own cache line and re-reads the real tail only when the cached copy says
// full, so recording touches the consumer's line once per lap at most, not once per event.
class TraceRing {
 public:
  explicit TraceRing(std::size_t capacityPow2);

  // Producer thread only. The slot for the next event, filled in place; nullptr (and a drop
  // counted) when the ring is full. Nothing is visible to the consumer until publish().
  TraceEvent* reserve() {
    if (head_ - cachedTail_ > mask_) {
      cachedTail_ = tail_.load(std::memory_order_acquire);
      if (head_ - cachedTail_ > mask_) {
        // Only this thread writes dropped_: a plain load and store, no locked instruction.
        dropped_.store(dropped_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        return nullptr;
      }
    }
    return &slots_[head_ & mask_];
  }
  // Producer thread only: makes the slot reserve() returned visible to the consumer.
  void publish() { publishedHead_.store(++head_, std::memory_order_release); }

  // Consumer thread only. How many published events wait, oldest at at(0).
  std::size_t available() const {
    return publishedHead_.load(std::memory_order_acquire) - tail_.load(std::memory_order_relaxed);
  }
  const TraceEvent& at(std::size_t i) const {
    return slots_[(tail_.load(std::memory_order_relaxed) + i) & mask_];
  }
  // Consumer thread only: gives the oldest `count` slots back to the producer.
  void release(std::size_t count) {
    tail_.store(tail_.load(std::memory_order_relaxed) + count, std::memory_order_release);
  }

  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return mask_ + 1; }

 private:
  std::unique_ptr<TraceEvent[]> slots_;
  std::size_t mask_;
  // Producer's line: its own head and its cached view of the consumer's tail.
  alignas(64) std::size_t head_ = 0;
  std::size_t cachedTail_ = 0;
  std::atomic<std::uint64_t> dropped_{0};
  // The head as the consumer sees it: written by the producer, read by the consumer.
  alignas(64) std::atomic<std::size_t> publishedHead_{0};
  // Consumer's line: its tail (read by the producer only when its cache says full).
  alignas(64) std::atomic<std::size_t> tail_{0};
};

}  // namespace eps
