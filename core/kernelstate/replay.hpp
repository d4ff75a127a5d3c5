// The kernel's state at any event of a trace, for a cursor that steps both ways through a
// million events: a step forward applies one event to the state it holds; a step back (or a
// jump) restarts from the nearest checkpoint at or before the target, one kept every
// kCheckpointEvery events, so no seek applies more than that many events.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/kernelstate/kernel_state.hpp"

namespace eps {

// Ownership: a value, used by one thread (the window's UI thread, a test). Holds a copy of
// the events it was given (the timeline's store is packed; replay needs them whole).
class KernelReplay {
 public:
  static constexpr std::size_t kCheckpointEvery = 4096;

  // Adds events after those already held (a trace that grows while it is shown).
  void append(std::span<const TraceEvent> events);
  void clear();
  std::size_t size() const { return events_.size(); }
  const std::vector<TraceEvent>& events() const { return events_; }

  // The state after events [0, count) (count clamped to size()).
  const KernelState& seek(std::size_t count);
  // How many events the state at time t has applied: the longest prefix whose events all
  // began at or before t (events are in sequence order; a call is sequenced when it ends).
  std::size_t countAt(std::int64_t t) const;
  // The index of the engine call after / before event `index` (npos: none).
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t nextCall(std::size_t index) const;
  std::size_t previousCall(std::size_t index) const;
  // Events applied by seeks since construction (how much work a step cost, for tests).
  std::size_t eventsApplied() const { return applied_; }

 private:
  void extendCheckpoints(std::size_t upTo);

  std::vector<TraceEvent> events_;
  std::vector<std::int64_t> prefixMaxNs_;  // max tNs of events [0, i]
  std::vector<KernelState> checkpoints_;   // checkpoints_[k]: after k * kCheckpointEvery
  KernelState current_;
  std::size_t applied_ = 0;
};

}  // namespace eps
