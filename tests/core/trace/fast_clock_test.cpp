// The producers' clock reads CLOCK_MONOTONIC through the TSC: it must agree with
// monotonicNs() (other threads stamp with it) and never go backwards.
#include "core/trace/fast_clock.hpp"

#include <gtest/gtest.h>

namespace eps {
namespace {

TEST(FastClock, AgreesWithTheMonotonicClockAndNeverGoesBack) {
  FastClock clock;
  // Generous: the interpolation is off by tens of nanoseconds, a preempted reading by more.
  constexpr std::int64_t kSlackNs = 5'000'000;
  const std::int64_t start = monotonicNs();
  std::int64_t previous = 0;
  std::int64_t calls = 0;
  bool monotonic = true;
  bool within = true;
  // Long enough to calibrate and re-anchor many times (about 1 ms each).
  while (monotonicNs() - start < 50'000'000) {
    const std::int64_t before = monotonicNs();
    const std::int64_t now = clock.now();
    const std::int64_t after = monotonicNs();
    monotonic = monotonic && now >= previous;
    within = within && now >= before - kSlackNs && now <= after + kSlackNs;
    previous = now;
    ++calls;
  }
  EXPECT_TRUE(monotonic);
  EXPECT_TRUE(within);
  EXPECT_GT(calls, 0);
}

}  // namespace
}  // namespace eps
