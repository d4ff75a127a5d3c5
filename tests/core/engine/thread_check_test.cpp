// Every engine class belongs to the engine thread (core/engine/thread_check.hpp): in Debug and
// sanitizer builds a call from another thread aborts, naming where; Release compiles the
// check out, and these tests say so and skip.
#include <sys/epoll.h>

#include <thread>

#include <gtest/gtest.h>

#include "core/engine/conn_table.hpp"
#include "core/engine/kernel_seam.hpp"
#include "core/engine/thread_check.hpp"
#include "core/trace/recorder.hpp"

namespace eps::testing {
namespace {

class OpenGate final : public CallGate {
 public:
  void beforeCall(const PendingCall&) override {}
  void afterCall(const TraceEvent&) override {}
};

TEST(ThreadCheck, OwnThreadPasses) {
  const EngineThread owner;
  owner.check();
  Recorder recorder;
  OpenGate gate;
  KernelSeam seam(recorder.addWriter("engine", Actor::Engine), gate);
  ConnTable table(seam, recorder.payloads(), Knobs{});
  table.setKnobs(Knobs{});
  EXPECT_EQ(table.find(5, 16), nullptr);
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
        Recorder recorder;
        OpenGate gate;
        KernelSeam seam(recorder.addWriter("engine", Actor::Engine), gate);
        ConnTable table(seam, recorder.payloads(), Knobs{});
        std::thread([&table] { table.setKnobs(Knobs{}); }).join();
      },
      "engine bug at .*conn_table.cpp:[0-9]+.*called off the engine thread");
}

}  // namespace
}  // namespace eps::testing
