// LiveTracer on a real program under Debian's strace: events arrive in batches while the
// program still runs (what the window will stream), stop() ends a program it started and
// detaches from one it attached to, which runs on.
#include "core/strace/live_tracer.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace eps {
namespace {

using namespace std::chrono_literals;

bool straceWorks() {
  return std::system("strace -qq -o /dev/null true >/dev/null 2>&1") == 0;
}

// Takes batches until one holds a write on fd 1 (the shell's echo), within `bound`.
bool sawWrite(LiveTracer& tracer, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const StraceDelta& batch : tracer.takeBatches()) {
      for (const TraceEvent& event : batch.events) {
        if (event.kind == EventKind::Call && event.call == Call::Write && event.fd == 1) {
          return true;
        }
      }
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(LiveTracer, StreamsBatchesWhileTheProgramRunsAndStopEndsIt) {
  if (!straceWorks()) GTEST_SKIP() << "strace cannot trace a program here";
  LiveTracer tracer({{"sh", "-c", "echo live >/dev/null; exec sleep 1000"}, 0});
  tracer.begin();
  EXPECT_TRUE(sawWrite(tracer, 20000ms));
  EXPECT_FALSE(tracer.ended());  // the sleep is still running: the write came live
  tracer.stop();
  EXPECT_TRUE(tracer.ended());
  EXPECT_EQ(tracer.programFate(), "killed by SIGTERM");
  EXPECT_EQ(::kill(tracer.pid(), 0), -1);  // reaped
  const StraceImport rest = tracer.finish();
  EXPECT_GE(rest.stats.callsImported, 1u);
}

TEST(LiveTracer, AttachedProgramRunsOnAfterStop) {
  if (!straceWorks()) GTEST_SKIP() << "strace cannot trace a program here";
  const pid_t child = ::fork();
  if (child == 0) {
    ::execlp("sh", "sh", "-c", "while :; do echo tick >/dev/null; sleep 0.05; done", nullptr);
    ::_exit(127);
  }
  ASSERT_GT(child, 0);
  try {
    LiveTracer tracer({{}, child});
    EXPECT_TRUE(sawWrite(tracer, 20000ms));
    tracer.stop();
    EXPECT_EQ(tracer.programFate(), "left running");
  } catch (const LiveTraceError& error) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    GTEST_SKIP() << error.what();  // ptrace of a non-descendant refused (Yama)
  }
  EXPECT_EQ(::waitpid(child, nullptr, WNOHANG), 0);  // not exited
  EXPECT_EQ(::kill(child, SIGKILL), 0);
  ::waitpid(child, nullptr, 0);
}

}  // namespace
}  // namespace eps
