// A single-producer single-consumer ring of trace events. Lock-free and wait-free: the
// producer never blocks; when the ring is full the event is dropped and counted, so a slow
// consumer can never stall the engine.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

#include "core/base/trace_event.hpp"

namespace eps {

// Ownership: shared by exactly one producer thread (push) and one consumer thread (drain).
class TraceRing {
 public:
  explicit TraceRing(std::size_t capacityPow2);

  // Producer thread only. Returns false (and counts a drop) when the ring is full.
  bool push(const TraceEvent& event);

  // Consumer thread only. Appends every published event to `out`; returns how many.
  std::size_t drainInto(std::vector<TraceEvent>& out);

  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return mask_ + 1; }

 private:
  std::unique_ptr<TraceEvent[]> slots_;
  std::size_t mask_;
  // Separate cache lines: the producer writes head_, the consumer writes tail_.
  alignas(64) std::atomic<std::size_t> head_{0};
  alignas(64) std::atomic<std::size_t> tail_{0};
  alignas(64) std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace eps
