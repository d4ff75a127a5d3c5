// The engine's status is published on every call without a lock: a reader on another thread
// must never see half of one store and half of another.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/engine/status_cell.hpp"

namespace eps::testing {
namespace {

TEST(StatusCell, AReaderNeverSeesHalfOfAStore) {
  StatusCell cell;
  std::atomic<bool> done{false};
  std::jthread writer([&] {
    EngineStatus status;
    for (std::int64_t i = 1; i <= 2'000'000; ++i) {
      // Every field carries i: a torn read shows two different values.
      status.pendingFd = static_cast<int>(i);
      status.pendingBytes = i;
      status.callSinceNs = i;
      status.callsMade = static_cast<std::uint64_t>(i);
      status.idleWakeups = static_cast<std::uint64_t>(i);
      status.paceMs = static_cast<int>(i);
      status.inCall = (i % 2) == 1;
      cell.store(status);
    }
    done.store(true);
  });
  std::uint64_t reads = 0;
  std::uint64_t last = 0;
  while (!done.load() || reads == 0) {
    const EngineStatus seen = cell.load();
    ++reads;
    const auto i = static_cast<std::int64_t>(seen.callsMade);
    if (i == 0) continue;  // before the first store
    ASSERT_EQ(seen.pendingBytes, i);
    ASSERT_EQ(seen.callSinceNs, i);
    ASSERT_EQ(seen.pendingFd, static_cast<int>(i));
    ASSERT_EQ(seen.idleWakeups, seen.callsMade);
    ASSERT_EQ(seen.paceMs, static_cast<int>(i));
    ASSERT_EQ(seen.inCall, i % 2 == 1);
    ASSERT_GE(seen.callsMade, last) << "the status went backwards";
    last = seen.callsMade;
  }
  writer.join();
  EXPECT_EQ(cell.load().callsMade, 2'000'000u);
}

}  // namespace
}  // namespace eps::testing
