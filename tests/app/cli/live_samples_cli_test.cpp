// A live trace samples the traced program's sockets while it sleeps in a wait (core/strace/
// wait_sampler.hpp): et_one_read (assets/examples) reads 100 bytes per edge-triggered wakeup,
// so a 4096-byte send leaves 3996 in its receive queue while it sleeps in epoll_wait. The
// stranded diagnosis must say so, measured from a sample, both when epollscope starts the
// program (--trace) and when it attaches to it running (--attach, which leaves it running).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "tests/app/cli/cli_child.hpp"

namespace {

using eps::test::Child;
using namespace std::chrono_literals;

bool straceRuns() {
  return std::system("strace -qq -o /dev/null true >/dev/null 2>&1") == 0;
}

// The port of "listening on 127.0.0.1:PORT", or 0.
int portOf(const std::optional<std::string>& line) {
  const std::string prefix = "listening on 127.0.0.1:";
  if (!line || line->rfind(prefix, 0) != 0) return 0;
  return std::atoi(line->c_str() + prefix.size());
}

// Connects, sends 4096 bytes and waits (bounded) for the first 100 to come back: after that
// et_one_read sleeps in epoll_wait with 3996 bytes left. The socket; -1 on failure.
int sendBurst(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string burst(4096, 'x');
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0 ||
      ::send(fd, burst.data(), burst.size(), MSG_NOSIGNAL) != 4096) {
    ::close(fd);
    return -1;
  }
  char echo[4096];
  std::size_t got = 0;
  pollfd ready{fd, POLLIN, 0};
  while (got < 100 && ::poll(&ready, 1, 20000) == 1) {
    const ssize_t n = ::recv(fd, echo, sizeof echo, 0);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  EXPECT_EQ(got, 100u) << "et_one_read echoes one 100-byte read per wakeup";
  return fd;
}

// The Chrome trace holds the wait, the 100-byte read and a 3996-byte stranding measured from
// a sample (not the inferred kind).
void expectMeasuredStranding(const std::string& path) {
  std::ifstream in(path);
  const nlohmann::json trace = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(trace.contains("traceEvents")) << path << " is no Chrome trace";
  bool wait = false;
  bool read = false;
  bool stranded = false;
  for (const auto& event : trace["traceEvents"]) {
    const std::string name = event.value("name", "");
    const nlohmann::json args = event.value("args", nlohmann::json::object());
    wait = wait || name == "epoll_wait";
    read = read || (name == "read" && args.value("ret", -1) == 100);
    stranded = stranded || (name == "stranded" && args.value("bytes", -1) == 3996 &&
                            args.value("measured", "") == "from a sample" &&
                            event.value("cat", "") == "diagnosis");
  }
  EXPECT_TRUE(wait) << "no epoll_wait in " << path;
  EXPECT_TRUE(read) << "no read returning 100 in " << path;
  EXPECT_TRUE(stranded) << "no stranding of 3996 bytes measured from a sample in " << path;
}

// Reads epollscope's stdout until the measured diagnosis is announced (bounded).
bool waitMeasured(Child& child) {
  while (const std::optional<std::string> line = child.readLine(30000ms)) {
    if (line->find("stranded fd") != std::string::npos &&
        line->find("3996 bytes waiting") != std::string::npos &&
        line->find("(measured from a sample)") != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(LiveSamplesCli, TraceMeasuresTheBytesEtOneReadStrands) {
  if (!straceRuns()) GTEST_SKIP() << "strace cannot trace a program here";
  const std::string trace = ::testing::TempDir() + "live_samples_trace.json";
  Child child(
      {"--headless", "--trace-out", trace, "--trace", "--", EPOLLSCOPE_ET_ONE_READ, "--port", "0"});
  const std::optional<std::string> first = child.readLine(30000ms);
  ASSERT_TRUE(first && first->rfind("tracing PID ", 0) == 0) << first.value_or("(nothing)");
  const int port = portOf(child.readLine(30000ms));
  ASSERT_GT(port, 0);
  const int client = sendBurst(port);
  ASSERT_GE(client, 0);
  EXPECT_TRUE(waitMeasured(child)) << "epollscope never said the stranding was measured";
  ::kill(child.pid(), SIGINT);
  EXPECT_EQ(child.waitExit(30000ms), 0);
  ::close(client);
  expectMeasuredStranding(trace);
}

TEST(LiveSamplesCli, AttachMeasuresTheBytesAndLeavesTheProgramRunning) {
  if (!straceRuns()) GTEST_SKIP() << "strace cannot trace a program here";
  Child server({"--port", "0"}, EPOLLSCOPE_ET_ONE_READ);
  const int port = portOf(server.readLine(30000ms));
  ASSERT_GT(port, 0);
  const std::string trace = ::testing::TempDir() + "live_samples_attach.json";
  Child child({"--headless", "--trace-out", trace, "--attach", std::to_string(server.pid())});
  const std::optional<std::string> first = child.readLine(30000ms);
  if (!first && child.waitExit(30000ms) == 2) GTEST_SKIP() << "ptrace attach refused here";
  ASSERT_TRUE(first && first->rfind("tracing PID ", 0) == 0) << first.value_or("(nothing)");
  const int client = sendBurst(port);
  ASSERT_GE(client, 0);
  EXPECT_TRUE(waitMeasured(child)) << "epollscope never said the stranding was measured";
  ::kill(child.pid(), SIGINT);
  EXPECT_EQ(child.waitExit(30000ms), 0);
  EXPECT_EQ(::kill(server.pid(), 0), 0) << "et_one_read must run on after --attach ends";
  ::close(client);
  expectMeasuredStranding(trace);
}

}  // namespace
