// Every engine class belongs to the engine thread (core/engine/thread_check.hpp): in Debug and
// sanitizer builds a call from another thread aborts, naming where; Release compiles the
// check out, and these tests say so and skip.
#include <thread>

#include <gtest/gtest.h>

#include "core/engine/thread_check.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

TEST(ThreadCheck, OwnThreadPasses) {
  const EngineThread owner;
  owner.check();
  TableOnSeam parts;
  parts.table.setKnobs(Knobs{});
  EXPECT_EQ(parts.table.find(5, 16), nullptr);
}

TEST(ThreadCheckDeathTest, OtherThreadAbortsNamingWhere) {
  if (!EngineThread::kChecked) GTEST_SKIP() << "thread checks are compiled out of this build";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        const EngineThread owner;
        std::thread([&owner] { owner.check(); }).join();
      },
      "engine bug at .*thread_check_test.cpp:[0-9]+.*called off the engine thread");
}

// A real engine class, made on one thread and called from another.
TEST(ThreadCheckDeathTest, ConnTableCalledFromAnotherThreadAborts) {
  if (!EngineThread::kChecked) GTEST_SKIP() << "thread checks are compiled out of this build";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        TableOnSeam parts;
        std::thread([&parts] { parts.table.setKnobs(Knobs{}); }).join();
      },
      "engine bug at .*conn_table.cpp:[0-9]+.*called off the engine thread");
}

}  // namespace
}  // namespace eps::testing
