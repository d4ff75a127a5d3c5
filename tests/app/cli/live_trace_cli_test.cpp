// `epollscope --trace -- PROGRAM` and `--attach PID` (DESIGN "Headless CLI"): a real program
// nobody here wrote, a python3 epoll echo server on 127.0.0.1, traced live through strace
// while the test talks to it; the exports hold its calls and lanes, Ctrl-C ends the trace
// with 0, --attach leaves the program running, and bad targets exit 2 with one line.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "tests/app/cli/cli_child.hpp"
#include "tests/app/cli/cli_run.hpp"
#include "tests/helpers/live_trace_subject.hpp"

namespace {

using eps::test::Child;
using eps::test::EchoClient;
using eps::test::kEchoServer;
using eps::test::ptraceRefused;
using eps::test::waitFor;
using namespace std::chrono_literals;

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

int countCalls(const nlohmann::json& trace, const std::string& name, long long ret = -2) {
  int count = 0;
  for (const auto& event : trace["traceEvents"]) {
    if (event.value("name", "") != name || event.value("ph", "") != "X") continue;
    if (ret == -2 || event["args"].value("ret", -3LL) == ret) ++count;
  }
  return count;
}

bool hasLaneContaining(const nlohmann::json& trace, const std::string& text) {
  for (const auto& event : trace["traceEvents"]) {
    if (event.value("name", "") == "thread_name" &&
        event["args"].value("name", "").find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// The PID in "tracing PID 123: ...", or 0.
int tracedPid(const std::string& line) {
  return line.rfind("tracing PID ", 0) == 0 ? std::atoi(line.c_str() + 12) : 0;
}

TEST(LiveTraceCli, TracesAProgramItStartsThroughOneEchoAndItsExit) {
  if (auto why = ptraceRefused(false)) GTEST_SKIP() << *why;
  const std::string trace = ::testing::TempDir() + "live_trace_program.json";
  Child child({"--headless", "--trace-out", trace, "--trace", "--", "python3", "-c", kEchoServer,
               "once"});
  const std::optional<std::string> first = child.readLine(30000ms);
  ASSERT_TRUE(first) << child.err();
  EXPECT_GT(tracedPid(*first), 0) << *first;
  EXPECT_NE(first->find(": python3 -c "), std::string::npos) << *first;
  const std::optional<std::string> portLine = child.readLine(30000ms);  // the program's own
  ASSERT_TRUE(portLine) << child.err();
  const int port = std::atoi(portLine->c_str());
  ASSERT_GT(port, 0) << *portLine;

  int clientPort = 0;
  {
    EchoClient client(port);
    ASSERT_GT(client.localPort, 0);
    clientPort = client.localPort;
    const std::string message(4096, 'e');
    EXPECT_EQ(client.echo(message), message);
  }  // closed: the server reads 0 and exits
  EXPECT_EQ(child.waitExit(30000ms), 0) << child.err();

  const nlohmann::json json = readJson(trace);
  ASSERT_TRUE(json.is_object()) << trace;
  EXPECT_GE(countCalls(json, "epoll_wait"), 2);
  EXPECT_EQ(countCalls(json, "read", 4096), 1);
  EXPECT_GE(countCalls(json, "accept4"), 1);
  EXPECT_TRUE(hasLaneContaining(json, "->127.0.0.1:" + std::to_string(clientPort) + "]"))
      << "no lane for the client's socket (port " << clientPort << ")";
  EXPECT_EQ(json["metadata"]["source"].get<std::string>().rfind("live trace of PID ", 0), 0u);
}

TEST(LiveTraceCli, AttachTracesARunningServerAndCtrlCLeavesItRunning) {
  if (auto why = ptraceRefused(true)) GTEST_SKIP() << *why;
  Child server({"-c", kEchoServer}, "/usr/bin/python3");
  const std::optional<std::string> portLine = server.readLine(30000ms);
  ASSERT_TRUE(portLine) << server.err();
  const int port = std::atoi(portLine->c_str());
  ASSERT_GT(port, 0);

  const std::string trace = ::testing::TempDir() + "live_trace_attach.json";
  Child child({"--headless", "--trace-out", trace, "--attach", std::to_string(server.pid())});
  const std::optional<std::string> first = child.readLine(30000ms);
  ASSERT_TRUE(first) << child.err();
  EXPECT_EQ(tracedPid(*first), server.pid()) << *first;
  const std::string message = "traced while attached\n";
  {
    EchoClient client(port);
    EXPECT_EQ(client.echo(message), message);
  }
  ::kill(child.pid(), SIGINT);
  EXPECT_EQ(child.waitExit(30000ms), 0) << child.err();

  // Detached, not killed: alive, untraced, and still serving.
  EXPECT_EQ(::kill(server.pid(), 0), 0);
  EXPECT_TRUE(waitFor([&] {
    std::ifstream status("/proc/" + std::to_string(server.pid()) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("TracerPid:", 0) == 0) return std::atoi(line.c_str() + 10) == 0;
    }
    return false;
  }));
  {
    EchoClient again(port);
    EXPECT_EQ(again.echo("still here\n"), "still here\n");
  }
  EXPECT_EQ(::kill(server.pid(), 0), 0);

  const nlohmann::json json = readJson(trace);
  ASSERT_TRUE(json.is_object()) << trace;
  EXPECT_GE(countCalls(json, "epoll_wait"), 1);
  EXPECT_EQ(countCalls(json, "read", static_cast<long long>(message.size())), 1);
}

TEST(LiveTraceCli, DurationEndsAnAttachedTraceAndLeavesTheProgramRunning) {
  if (auto why = ptraceRefused(true)) GTEST_SKIP() << *why;
  Child server({"-c", kEchoServer}, "/usr/bin/python3");
  const std::optional<std::string> portLine = server.readLine(30000ms);
  ASSERT_TRUE(portLine) << server.err();
  const std::string csv = ::testing::TempDir() + "live_trace_duration.csv";
  Child child({"--headless", "--attach", std::to_string(server.pid()), "--duration", "0.5",
               "--csv-out", csv});
  ASSERT_TRUE(child.readLine(30000ms)) << child.err();
  EXPECT_EQ(child.waitExit(30000ms), 0) << child.err();
  const std::optional<std::string> summary = child.readLine(5000ms);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->rfind("trace ended (--duration passed): PID " +
                               std::to_string(server.pid()) + " left running; ",
                           0),
            0u)
      << *summary;
  EXPECT_EQ(::kill(server.pid(), 0), 0);
  EchoClient client(std::atoi(portLine->c_str()));
  EXPECT_EQ(client.echo("after the trace\n"), "after the trace\n");
}

TEST(LiveTraceCli, NoProgramOrNoSuchProcessExitsTwoWithOneLine) {
  const eps::test::CliRun noProgram = eps::test::runBinary("--headless --trace --", 30);
  EXPECT_EQ(noProgram.exitCode, 2);
  EXPECT_EQ(noProgram.err,
            "epollscope: --trace needs a program after --: --trace -- PROGRAM [ARGS...]\n");
  EXPECT_EQ(noProgram.out, "");

  const eps::test::CliRun noProcess = eps::test::runBinary("--attach 999999999", 30);
  EXPECT_EQ(noProcess.exitCode, 2);
  EXPECT_EQ(noProcess.err, "epollscope: --attach 999999999: no such process\n");
  EXPECT_EQ(noProcess.out, "");

  const eps::test::CliRun noSuchProgram =
      eps::test::runBinary("--trace -- ./no-such-program-here", 30);
  EXPECT_EQ(noSuchProgram.exitCode, 2);
  EXPECT_EQ(noSuchProgram.err,
            "epollscope: --trace: ./no-such-program-here: no such program (not an executable "
            "file, nor one on PATH)\n");
}

TEST(LiveTraceCli, CtrlCEndsTheTracedProgramAndWritesTheOutputs) {
  if (auto why = ptraceRefused(false)) GTEST_SKIP() << *why;
  const std::string trace = ::testing::TempDir() + "live_trace_sleep.json";
  const std::string csv = ::testing::TempDir() + "live_trace_sleep.csv";
  std::remove(trace.c_str());
  std::remove(csv.c_str());
  Child child(
      {"--headless", "--trace-out", trace, "--csv-out", csv, "--trace", "--", "sleep", "1000"});
  const std::optional<std::string> first = child.readLine(30000ms);
  ASSERT_TRUE(first) << child.err();
  const int sleeper = tracedPid(*first);
  ASSERT_GT(sleeper, 0) << *first;
  // It runs: exec'd, so its command line is sleep's.
  ASSERT_TRUE(waitFor([&] {
    std::ifstream in("/proc/" + std::to_string(sleeper) + "/comm");
    std::string comm;
    return std::getline(in, comm) && comm == "sleep";
  }));
  ::kill(child.pid(), SIGINT);
  EXPECT_EQ(child.waitExit(30000ms), 0) << child.err();
  EXPECT_EQ(::kill(sleeper, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  const std::optional<std::string> summary = child.readLine(5000ms);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->rfind("trace ended (SIGINT): PID " + std::to_string(sleeper) +
                               " killed by SIGTERM; ",
                           0),
            0u)
      << *summary;
  EXPECT_TRUE(readJson(trace).is_object());
  std::ifstream in(csv);
  std::string header;
  ASSERT_TRUE(std::getline(in, header));
  EXPECT_EQ(header.rfind("seq,t_us,", 0), 0u) << header;
}

// A reader of stdout that is gone (`| head -1` after its line) made the summary's write
// raise SIGPIPE, which killed epollscope before the outputs were written.
TEST(LiveTraceCli, AStdoutNobodyReadsStillGetsTheOutputsWritten) {
  if (auto why = ptraceRefused(false)) GTEST_SKIP() << *why;
  const std::string csv = ::testing::TempDir() + "live_trace_closed_stdout.csv";
  std::remove(csv.c_str());
  int out[2];
  ASSERT_EQ(::pipe2(out, O_CLOEXEC), 0);
  ::close(out[0]);  // nobody will ever read
  const pid_t child = ::fork();
  if (child == 0) {
    ::dup2(out[1], 1);
    ::execl(EPOLLSCOPE_BINARY, EPOLLSCOPE_BINARY, "--headless", "--csv-out", csv.c_str(), "--trace",
            "--", "true", nullptr);
    ::_exit(127);
  }
  ::close(out[1]);
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(csv);
  std::string header;
  EXPECT_TRUE(std::getline(in, header)) << csv;
}

}  // namespace
