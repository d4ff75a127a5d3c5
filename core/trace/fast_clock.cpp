#include "core/trace/fast_clock.hpp"

#include <time.h>

#include <algorithm>

namespace eps {

std::int64_t monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

#if defined(__x86_64__) || defined(__i386__)
namespace {

__extension__ using Wide = unsigned __int128;

constexpr std::int64_t kReanchorNs = 1'000'000;
// A reading whose TSC bracket spans more than this was interrupted: it pins nothing.
constexpr std::uint64_t kMaxBracketTicks = 20'000;

}  // namespace

std::int64_t FastClock::reanchor() {
  const std::uint64_t before = __rdtsc();
  const std::int64_t real = monotonicNs();
  const std::uint64_t after = __rdtsc();
  // What the current interpolation says now: never return less (monotonic per producer).
  const std::uint64_t sinceAnchor = before - anchorTsc_;
  const bool calibrated = nsPerTickQ32_ != 0 && before >= anchorTsc_;
  const std::int64_t predicted =
      calibrated ? anchorNs_ + static_cast<std::int64_t>(
                                   (static_cast<Wide>(sinceAnchor) * nsPerTickQ32_) >> 32)
                 : real;
  const std::int64_t result = std::max(real, std::min(predicted, real + kReanchorNs));
  if (after < before || after - before > kMaxBracketTicks) {
    reanchorTicks_ = 0;  // try again next event
    return std::max(result, anchorNs_);
  }
  const std::uint64_t tsc = before + (after - before) / 2;
  if (realNs_ != 0 && tsc > realTsc_ && real - realNs_ >= kReanchorNs) {
    const auto elapsedNs = static_cast<Wide>(real - realNs_);
    nsPerTickQ32_ = static_cast<std::uint64_t>((elapsedNs << 32) / (tsc - realTsc_));
    reanchorTicks_ = static_cast<std::uint64_t>(
        (static_cast<Wide>(kReanchorNs) << 32) / std::max<std::uint64_t>(nsPerTickQ32_, 1));
  }
  if (realNs_ == 0 || real - realNs_ >= kReanchorNs) {
    realTsc_ = tsc;
    realNs_ = real;
  }
  anchorTsc_ = tsc;
  anchorNs_ = std::max(result, anchorNs_);
  return anchorNs_;
}
#endif

}  // namespace eps
