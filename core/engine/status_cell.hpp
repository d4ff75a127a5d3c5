// The engine's status as other threads read it ("paused before read(7, 100)"), published on
// every call without a lock: a sequence lock whose fields are relaxed atomics, so a reader
// never sees half of one call and half of another, and the engine never waits for a reader.
// (A mutex here cost two round trips per call on the engine's hottest path.)
#pragma once

#include <atomic>
#include <cstdint>

#include "core/engine/engine.hpp"

namespace eps {

// Ownership: a member of EngineShared. store(): the engine thread only (one writer).
// load(): any thread, any time; it retries while a store is under way.
class StatusCell {
 public:
  void store(const EngineStatus& status);
  EngineStatus load() const;

 private:
  std::atomic<std::uint64_t> version_{0};  // odd while a store is under way
  std::atomic<EngineMode> mode_{EngineMode::Starting};
  std::atomic<Call> pendingCall_{Call::None};
  std::atomic<int> pendingFd_{-1};
  std::atomic<std::int64_t> pendingBytes_{0};
  std::atomic<bool> inCall_{false};
  std::atomic<std::int64_t> callSinceNs_{0};
  std::atomic<int> paceMs_{0};
  std::atomic<std::uint64_t> callsMade_{0};
  std::atomic<std::uint64_t> idleWakeups_{0};
};

}  // namespace eps
