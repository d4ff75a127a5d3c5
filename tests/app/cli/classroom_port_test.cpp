// The classroom setup, run as the class would: `epollscope --headless --port P`, a real `nc`
// typing into it, a second program already holding the port, a peer trying another loopback
// address. These run the binary and real child processes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <map>

#include "core/base/peer_names.hpp"
#include "tests/helpers/peer_process.hpp"

namespace {

using namespace std::chrono_literals;
using eps::testing::PeerProcess;

// A listening socket on 127.0.0.1 with a kernel-chosen port: a free port for the run (closed
// first), or a port another program holds (kept open).
class HeldPort {
 public:
  HeldPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 4);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~HeldPort() { release(); }
  int port() const { return port_; }
  void release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// The headless binary as a child: its first stdout line, then SIGTERM ends it cleanly.
class Headless {
 public:
  Headless(int port, const std::string& traceOut)
      : process_({EPOLLSCOPE_BINARY, "--headless", "--port", std::to_string(port), "--duration",
                  "60", "--trace-out", traceOut}) {}
  std::string firstLine() {
    std::string line;
    while (line.empty() || line.back() != '\n') {
      const std::string more = process_.readEcho(1, 10000ms);
      if (more.empty()) break;
      line += more;
    }
    return line;
  }
  std::optional<int> terminate() {
    ::kill(process_.pid(), SIGTERM);
    return process_.waitExit(20000ms);
  }

 private:
  PeerProcess process_;
};

int connectTo(const char* address, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, address, &to.sin_addr);
  const int ret = ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to);
  const int err = ret == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

std::string runCapturing(const std::string& args, int& exitCode) {
  const std::string command = std::string(EPOLLSCOPE_BINARY) + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  const int status = pipe ? ::pclose(pipe) : -1;
  exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(ClassroomPort, ToolbarBannerNamesTheNcCommand) {
  EXPECT_EQ(eps::connectBanner(7000), "connect with: nc 127.0.0.1 7000");
  EXPECT_EQ(eps::connectCommand(7000), "nc 127.0.0.1 7000");
}

TEST(ClassroomPort, ATakenPortIsOneLineNamingItAndExitsTwo) {
  HeldPort taken;  // another program listens there
  const std::string expected = "epollscope: port " + std::to_string(taken.port()) +
                               " on 127.0.0.1 is already in use (bind: Address already in use)\n";
  int code = 0;
  EXPECT_EQ(runCapturing("--headless --duration 0.2 --port " + std::to_string(taken.port()), code),
            expected);
  EXPECT_EQ(code, 2);
#ifdef EPOLLSCOPE_WITH_GUI
  // The window starts its engine before it opens, so the same line comes with or without a
  // display, and no window appears for a run that cannot serve.
  EXPECT_EQ(runCapturing("--frames 1 --port " + std::to_string(taken.port()), code), expected);
  EXPECT_EQ(code, 2);
#endif
}

TEST(ClassroomPort, AFixedPortServesLoopbackOnly) {
  HeldPort free;
  free.release();
  const std::string trace = ::testing::TempDir() + "classroom_loopback.json";
  Headless run(free.port(), trace);
  ASSERT_EQ(run.firstLine(), "listening on 127.0.0.1:" + std::to_string(free.port()) + "\n");
  EXPECT_EQ(connectTo("127.0.0.1", free.port()), 0);
  // 127.0.0.2 is loopback too, but the engine bound 127.0.0.1, not INADDR_ANY.
  EXPECT_EQ(connectTo("127.0.0.2", free.port()), ECONNREFUSED);
  EXPECT_EQ(run.terminate(), std::optional<int>(0));
}

// The read on `tid` that returned data, and the track names by tid.
struct ExportView {
  std::map<int, std::string> trackNames;
  std::vector<nlohmann::json> reads;
};

ExportView viewOf(const std::string& path) {
  std::ifstream in(path);
  const nlohmann::json doc = nlohmann::json::parse(in);
  ExportView view;
  for (const auto& e : doc["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] == 1) {
      view.trackNames[e["tid"].get<int>()] = e["args"]["name"];
    }
    if (e["ph"] == "X" && e["name"] == "read") view.reads.push_back(e);
  }
  return view;
}

TEST(ClassroomPort, RealNcIsEchoedAndTheTraceNamesItAndKeepsWhatItTyped) {
  HeldPort free;
  free.release();
  const int port = free.port();
  const auto command = eps::testing::peerCommand(port);
  if (!command) GTEST_SKIP() << "neither nc nor socat is installed: no external peer to run";
  const std::string trace = ::testing::TempDir() + "classroom_nc.json";
  Headless run(port, trace);
  ASSERT_EQ(run.firstLine(), "listening on 127.0.0.1:" + std::to_string(port) + "\n");

  const std::string typed = "hello from nc\n";
  PeerProcess nc(*command);
  ASSERT_TRUE(nc.started());
  ASSERT_TRUE(nc.type(typed));
  ASSERT_EQ(nc.readEcho(typed.size(), 10000ms), typed) << "every byte echoed, in order";
  const int ncPort = nc.localPortTo(port);
  ASSERT_NE(ncPort, 0);
  nc.closeStdin();
  ASSERT_TRUE(nc.waitExit(10000ms).has_value()) << "nc ends once the engine closes";
  ASSERT_EQ(run.terminate(), std::optional<int>(0));

  const ExportView view = viewOf(trace);
  int ncTid = 0;
  for (const auto& [tid, name] : view.trackNames) {
    if (name.ends_with("\u2190 external :" + std::to_string(ncPort))) ncTid = tid;
  }
  ASSERT_NE(ncTid, 0) << "a track named after nc's port :" << ncPort;
  int withData = 0;
  for (const auto& read : view.reads) {
    if (read["tid"] != ncTid || read["args"]["ret"].get<int>() <= 0) continue;  // EAGAIN, EOF
    ++withData;
    EXPECT_EQ(read["args"]["ret"], 14);
    // Escaped as the event line shows it.
    EXPECT_EQ(read["args"].value("data", std::string("<none>")), "hello from nc\\n");
    EXPECT_FALSE(read["args"].contains("data_truncated"));
  }
  EXPECT_EQ(withData, 1) << "one read took the whole line";
}

}  // namespace
