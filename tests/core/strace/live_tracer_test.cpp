// LiveTracer on a real program under Debian's strace: events arrive in batches while the
// program still runs (what the window will stream), stop() ends a program it started and
// detaches from one it attached to, which runs on.
#include "core/strace/live_tracer.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
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

// A tracer made on a thread that then ends (a lesson step played on a worker) keeps tracing:
// strace's parent-death signal belongs to the thread that forked it, so that must be the
// tracer's own reader, not its maker.
TEST(LiveTracer, KeepsTracingAfterTheThreadThatMadeItEnds) {
  if (!straceWorks()) GTEST_SKIP() << "strace cannot trace a program here";
  const std::string go = ::testing::TempDir() + "live-tracer-go-" + std::to_string(::getpid());
  std::remove(go.c_str());
  std::unique_ptr<LiveTracer> tracer;
  std::thread maker([&] {
    tracer = std::make_unique<LiveTracer>(LiveTraceTarget{
        {"sh", "-c",
         "while [ ! -e '" + go + "' ]; do sleep 0.01; done; echo live >/dev/null; exec sleep 1000"},
        0});
    tracer->begin();
  });
  maker.join();
  std::ofstream(go).put('\n');
  EXPECT_TRUE(sawWrite(*tracer, 20000ms));
  tracer->stop();
  std::remove(go.c_str());
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

// epollscope killed between attaching and releasing the program (no destructor runs): the
// held child read its own copy of the release pipe's write end and waited forever, and strace
// on it. Now it sees end of file and leaves.
TEST(LiveTracer, AHeldProgramLeavesWhenEpollscopeDiesBeforeReleasingIt) {
  if (!straceWorks()) GTEST_SKIP() << "strace cannot trace a program here";
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  const pid_t owner = ::fork();
  if (owner == 0) {
    ::close(report[0]);
    try {
      LiveTracer tracer({{"sleep", "1000"}, 0});
      const pid_t held = tracer.pid();
      [[maybe_unused]] const ssize_t told = ::write(report[1], &held, sizeof held);
      ::_exit(0);  // as a crash would: no destructor, no stop(), no release
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(report[1]);
  pid_t held = 0;
  const ssize_t got = ::read(report[0], &held, sizeof held);
  ::close(report[0]);
  ::waitpid(owner, nullptr, 0);
  ASSERT_EQ(got, static_cast<ssize_t>(sizeof held));
  const auto gone = [held] {
    std::ifstream status("/proc/" + std::to_string(held) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("State:", 0) == 0) return line.find('Z') != std::string::npos;
    }
    return true;  // reaped
  };
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!gone() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(gone()) << "held child " << held << " still waiting";
  if (!gone()) ::kill(held, SIGKILL);
}

}  // namespace
}  // namespace eps
