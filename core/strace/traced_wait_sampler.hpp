// While the traced program sleeps in a readiness wait, its sockets are sampled through
// pidfd_getfd (core/inspect/pid_sampler.hpp: harmless probes, never a read, never SO_ERROR)
// and the samples go into the import (StraceImporter::noteSamples) as the engine's own
// samples go into its trace. "Sleeps in a wait" is read off strace's output: strace writes a
// call's beginning ("1234 1700000000.000001 epoll_wait(4<anon_inode:[eventpoll]>, ") when the
// call starts and the rest when it returns, so a pending line that begins a wait, with no
// further output for kSettleNs, is a thread asleep in it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/inspect/pid_sampler.hpp"

namespace eps {

class StraceImporter;

// The tid of a pending strace line that begins a readiness wait (epoll_wait, epoll_pwait,
// epoll_pwait2, poll, ppoll, select, pselect6), else nullopt.
std::optional<int> waitingTid(std::string_view partial);

// Ownership: made by LiveTracer, used only by its reader thread, which owns the importer it
// feeds. Holds the pidfd of the traced process for the trace's lifetime.
class TracedWaitSampler {
 public:
  explicit TracedWaitSampler(pid_t pid) : pid_(pid), sampler_(pid) {}

  // Output arrived from strace: whatever wait was open may have returned.
  void onOutput(std::int64_t nowNs) { quietSinceNs_ = nowNs; }
  // How long the reader may sleep before a sample is due (ms for poll; -1: none is due).
  int timeoutMs(std::string_view partial, std::int64_t nowNs) const;
  // Samples the process's sockets when a wait is open, quiet for kSettleNs, and its last
  // sample kSampleIntervalNs old. A wait that returned during the probes (strace's output
  // `outFd` became readable) makes them stale: they are dropped.
  void maybeSample(std::string_view partial, std::int64_t nowNs, int outFd,
                   StraceImporter& importer);

  static constexpr std::int64_t kSettleNs = 20'000'000;

 private:
  std::optional<int> due(std::string_view partial, std::int64_t nowNs) const;

  pid_t pid_;
  PidSampler sampler_;
  std::int64_t quietSinceNs_ = 0;
  std::int64_t lastSampleNs_ = 0;
  std::vector<FdSample> samples_;  // reused: one round's samples
};

}  // namespace eps
