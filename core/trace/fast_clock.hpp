// CLOCK_MONOTONIC nanoseconds at the cost of one TSC read: the producer's clock for events
// that arrive without a timestamp. clock_gettime (vDSO) costs more than everything else a
// recorded event does; the TSC, interpolated between real clock readings taken about every
// millisecond, stays within tens of nanoseconds of CLOCK_MONOTONIC (events are ordered by
// seq, never by tNs, so that error cannot reorder a trace).
#pragma once

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace eps {

// Nanoseconds on CLOCK_MONOTONIC (vDSO: no system call, so recording never shows in strace).
std::int64_t monotonicNs();

// Ownership: one per producer, used by that producer's thread only (no synchronisation).
// Monotonic per instance. Falls back to monotonicNs() when there is no TSC, until it is
// calibrated (the first millisecond), and whenever the TSC goes backwards (a move to a CPU
// whose counter differs: the unsigned difference is huge, so it re-anchors).
class FastClock {
 public:
  std::int64_t now() {
#if defined(__x86_64__) || defined(__i386__)
    const std::uint64_t ticks = __rdtsc() - anchorTsc_;
    if (ticks < reanchorTicks_) {
      return anchorNs_ + static_cast<std::int64_t>((ticks * nsPerTickQ32_) >> 32);
    }
    return reanchor();
#else
    return monotonicNs();
#endif
  }

 private:
  std::int64_t reanchor();

  // Interpolation: ns = anchorNs_ + (tsc - anchorTsc_) * nsPerTickQ32_ / 2^32, valid while
  // fewer than reanchorTicks_ (about 1 ms) have passed; 0 until calibrated.
  std::uint64_t anchorTsc_ = 0;
  std::int64_t anchorNs_ = 0;
  std::uint64_t nsPerTickQ32_ = 0;
  std::uint64_t reanchorTicks_ = 0;
  // The last real reading, the base of the next slope measurement.
  std::uint64_t realTsc_ = 0;
  std::int64_t realNs_ = 0;
};

}  // namespace eps
