// The window tracing a program live: `epollscope --trace -- PROGRAM` opens the window on the
// program's trace (lanes for its sockets appear as a client talks to it; SIGTERM, as the
// close button, ends the program and exits 0), and File -> Attach to a process traces a
// running server picked by its PID, typed with real X keys, and leaves it running when the
// window closes. The program is a python3 epoll echo server on 127.0.0.1, nobody's here.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/app/cli/cli_child.hpp"
#include "tests/helpers/live_trace_subject.hpp"
#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

// The lane of the server's side of `client`'s connection ("...->127.0.0.1:LOCALPORT]"), if
// the state lists it.
bool hasClientLane(const json& state, int clientPort) {
  const std::string peer = "->127.0.0.1:" + std::to_string(clientPort) + "]";
  for (const json& lane : state["timeline"]["lanes"]) {
    if (lane["name"].get<std::string>().find(peer) != std::string::npos) return true;
  }
  return false;
}

// The `n`th line (from 0) the app printed, waited for within a bound; "" when it did not come.
std::string outputLine(const WindowDriver& window, int n) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::istringstream lines(window.output());
    std::string line;
    for (int i = 0; std::getline(lines, line); ++i) {
      if (i == n && lines.good()) return line;  // a whole line: its newline came
    }
    std::this_thread::sleep_for(10ms);
  }
  return "";
}

std::uint64_t eventsOf(const json& state) {
  return state["timeline"]["events"].get<std::uint64_t>();
}

TEST(WindowTrace, TracesAProgramItStartsLiveAndSigtermEndsItWithZero) {
  SKIP_WITHOUT_WINDOWS();
  if (auto why = ptraceRefused(false)) GTEST_SKIP() << *why;
  const std::string csv = ::testing::TempDir() + "window_trace_calls.csv";
  std::remove(csv.c_str());
  WindowDriver window(
      {1280, 720, {"--csv-out", csv, "--trace", "--", "/usr/bin/python3", "-c", kEchoServer}});
  const std::string first = outputLine(window, 0);
  ASSERT_EQ(first.rfind("tracing PID ", 0), 0u) << window.output();
  const pid_t program = std::atoi(first.c_str() + 12);
  const int port = std::atoi(outputLine(window, 1).c_str());  // the program's own line
  ASSERT_GT(port, 0) << window.output();
  const json tracing = window.waitFor(
      [](const json& s) { return s["mode"] == "trace" && s["trace"]["running"] == true; },
      "the window to show the running trace");
  ASSERT_FALSE(tracing.is_null()) << window.failure();
  EXPECT_EQ(tracing["trace"]["pid"].get<int>(), program);

  EchoClient client(port);
  ASSERT_GT(client.localPort, 0);
  ASSERT_EQ(client.echo("hello\n"), "hello\n");
  const json laned =
      window.waitFor([&](const json& s) { return hasClientLane(s, client.localPort); },
                     "a lane for the client's socket");
  ASSERT_FALSE(laned.is_null()) << window.failure();
  const std::uint64_t before = eventsOf(laned);
  ASSERT_EQ(client.echo("again\n"), "again\n");
  const json grown = window.waitFor([&](const json& s) { return eventsOf(s) > before; },
                                    "more events while it runs");
  ASSERT_FALSE(grown.is_null()) << window.failure();

  EXPECT_EQ(window.signalAndWait(SIGTERM), 0) << window.output();
  // The program was epollscope's child, reaped: gone, not a zombie.
  EXPECT_EQ(::kill(program, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  // --csv-out is written when the window closes, with the echoes' reads in it.
  std::ifstream calls(csv);
  const std::string text{std::istreambuf_iterator<char>(calls), {}};
  EXPECT_EQ(text.rfind("seq,t_us,", 0), 0u) << csv;
  EXPECT_NE(text.find(",read,"), std::string::npos) << text.substr(0, 2000);
}

TEST(WindowTrace, FileAttachTracesARunningServerAndClosingLeavesItServing) {
  SKIP_WITHOUT_WINDOWS();
  if (auto why = ptraceRefused(true)) GTEST_SKIP() << *why;
  Child server({"-c", kEchoServer}, "/usr/bin/python3");
  const std::optional<std::string> portLine = server.readLine(30000ms);
  ASSERT_TRUE(portLine) << server.err();
  const int port = std::atoi(portLine->c_str());
  ASSERT_GT(port, 0);

  WindowDriver window({1280, 720, {}});
  ASSERT_FALSE(
      window.waitFor([](const json& s) { return s["mode"] == "live"; }, "free play").is_null())
      << window.failure();
  ASSERT_TRUE(window.clickWidget("file")) << window.failure();
  ASSERT_TRUE(window.clickWidget("attach-pid")) << window.failure();
  window.type(std::to_string(server.pid()));
  window.key("Return");
  const json attached = window.waitFor(
      [](const json& s) { return s["mode"] == "attach" && s["trace"]["running"] == true; },
      "the attached trace");
  ASSERT_FALSE(attached.is_null()) << window.failure();
  EXPECT_EQ(attached["trace"]["pid"].get<int>(), server.pid());

  {
    EchoClient client(port);
    ASSERT_GT(client.localPort, 0);
    ASSERT_EQ(client.echo("traced\n"), "traced\n");
    const json laned =
        window.waitFor([&](const json& s) { return hasClientLane(s, client.localPort); },
                       "a lane for the client's socket");
    ASSERT_FALSE(laned.is_null()) << window.failure();
  }
  // SIGTERM closes the window as its close button does (gui_main.cpp).
  EXPECT_EQ(window.signalAndWait(SIGTERM), 0) << window.output();
  EXPECT_EQ(::kill(server.pid(), 0), 0) << "the attached server must run on";
  std::ifstream status("/proc/" + std::to_string(server.pid()) + "/status");
  std::string line;
  while (std::getline(status, line) && line.rfind("TracerPid:", 0) != 0) {
  }
  EXPECT_EQ(line, "TracerPid:\t0") << "strace detached";
  EchoClient after(port);
  EXPECT_EQ(after.echo("after\n"), "after\n");
}

// A process that is not there, or a command line that cannot be split: the window says so
// in its toolbar and stays in free play, its engine serving.
TEST(WindowTrace, ABadTargetFromFileIsSaidInTheWindowAndFreePlayStays) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {}});
  ASSERT_FALSE(
      window.waitFor([](const json& s) { return s["mode"] == "live"; }, "free play").is_null())
      << window.failure();
  ASSERT_TRUE(window.clickWidget("file")) << window.failure();
  ASSERT_TRUE(window.clickWidget("attach-pid")) << window.failure();
  window.type("999999999");
  window.key("Return");
  const json noProcess = window.waitFor(
      [](const json& s) { return s["status"] == "--attach 999999999: no such process"; },
      "the toolbar to say there is no such process");
  ASSERT_FALSE(noProcess.is_null()) << window.failure();
  EXPECT_EQ(noProcess["mode"], "live");
  EXPECT_EQ(noProcess["engineMode"], "running");

  ASSERT_TRUE(window.clickWidget("file")) << window.failure();
  ASSERT_TRUE(window.clickWidget("trace-command")) << window.failure();
  window.type("python3 -c \"print(1)");  // an unclosed double quote
  window.key("Return");
  const json unclosed = window.waitFor(
      [](const json& s) { return s["status"] == "Trace a program: unclosed double quote"; },
      "the toolbar to name the unclosed quote");
  ASSERT_FALSE(unclosed.is_null()) << window.failure();
  EXPECT_EQ(unclosed["mode"], "live");
  EXPECT_EQ(window.signalAndWait(SIGTERM), 0) << window.output();
}

}  // namespace
}  // namespace eps::test
#endif
