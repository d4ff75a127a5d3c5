// The echo benchmark's load generator: N loopback connections to 127.0.0.1:PORT, one load for
// a duration (or a fixed number of messages), every echoed byte checked against what was sent
// (echo_pattern.hpp). Prints one line of JSON figures and exits 0; exits 1 naming the
// connection and offset when a byte differs, or when a connection closes or fails; 2 on bad
// arguments.
//
// Loads: l1 = 50 connections x 64 B ping-pong; l2 = 10 connections x 4 KiB, 16 in flight each;
// busy = one connection that echoes one message and then idles (the busy figure is the
// server's). --idle N opens N more connections first that never send: what a server that
// passes its whole descriptor set on every wait (poll) pays for, and epoll does not. One thread,
// nonblocking sockets, level-triggered epoll: EPOLLIN always, EPOLLOUT only while the socket would
// not take what the window allows.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "tests/bench/echo/echo_pattern.hpp"

namespace {

struct Load {
  std::string name;
  int connections = 0;
  std::size_t messageBytes = 0;
  std::uint64_t inflight = 0;  // messages a connection may have unechoed
};

struct Args {
  Load load;
  int port = -1;
  double seconds = 0;          // run this long ...
  std::uint64_t messages = 0;  // ... or until this many messages are echoed (strace counts)
  int idle = 0;                // connections opened before the load that never send
};

struct Conn {
  int fd = -1;
  std::uint32_t index = 0;
  std::uint64_t sent = 0;      // bytes written
  std::uint64_t verified = 0;  // bytes echoed and checked
  std::uint64_t quota = 0;     // bytes it may send in all (UINT64_MAX: until the deadline)
  bool outArmed = false;
};

// How long the generator waits with echoes outstanding and none arriving before it calls them
// lost: far beyond any loopback round trip (even under strace), so only a server that dropped
// bytes reaches it. The busy load's idle connection has nothing outstanding.
constexpr double kStallBoundSeconds = 20;
constexpr double kNever = std::numeric_limits<double>::infinity();

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "echo_load: %s\n", what.c_str());
  std::exit(1);
}

[[noreturn]] void usage(const std::string& what) {
  std::fprintf(stderr,
               "echo_load: %s\nusage: echo_load --port N --load l1|l2|busy "
               "(--seconds S | --messages N) [--idle N]\n",
               what.c_str());
  std::exit(2);
}

double now() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Load loadNamed(std::string_view name) {
  if (name == "l1") return {"l1", 50, 64, 1};
  if (name == "l2") return {"l2", 10, 4096, 16};
  if (name == "busy") return {"busy", 1, 64, 1};
  usage("unknown load '" + std::string(name) + "'");
}

Args parseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("flag '" + std::string(flag) + "' wants a value");
    const char* value = argv[++i];
    char* end = nullptr;
    if (flag == "--port") {
      args.port = static_cast<int>(std::strtol(value, &end, 10));
    } else if (flag == "--load") {
      args.load = loadNamed(value);
      end = const_cast<char*>(value) + std::strlen(value);
    } else if (flag == "--seconds") {
      args.seconds = std::strtod(value, &end);
    } else if (flag == "--messages") {
      args.messages = std::strtoull(value, &end, 10);
    } else if (flag == "--idle") {
      args.idle = static_cast<int>(std::strtol(value, &end, 10));
    } else {
      usage("unknown flag '" + std::string(flag) + "'");
    }
    if (end == value || *end != '\0') usage("bad value '" + std::string(value) + "'");
  }
  if (args.port <= 0 || args.port > 65535) usage("--port wants 1..65535");
  if (args.idle < 0 || args.idle > 100000) usage("--idle wants 0..100000");
  if (args.load.name.empty()) usage("--load is required");
  if ((args.seconds > 0) == (args.messages > 0)) usage("give one of --seconds or --messages");
  if (args.load.name == "busy" && args.seconds <= 0) usage("busy runs for --seconds");
  return args;
}

class Generator {
 public:
  explicit Generator(const Args& args) : args_(args) {}
  void connectAll();
  void run();
  void printFigures() const;

 private:
  void pump(Conn& c);
  bool receive(Conn& c);
  void setOut(Conn& c, bool armed);
  void closeWindow(double t);
  bool allEchoed() const;
  bool quotaSent() const;
  std::uint64_t completedMessages() const;
  std::uint64_t outstandingBytes() const;

  const Args& args_;
  int epfd_ = -1;
  std::vector<Conn> conns_;
  std::vector<int> idle_;  // connected, never written, never read
  std::vector<unsigned char> sendBuf_, recvBuf_, expectBuf_;
  bool sending_ = true;
  double start_ = 0, measuredSeconds_ = 0;
  std::uint64_t messagesInWindow_ = 0;
};

void Generator::connectAll() {
  epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epfd_ < 0) fail(std::string("epoll_create1: ") + std::strerror(errno));
  const Load& load = args_.load;
  const auto n = static_cast<std::uint64_t>(load.connections);
  const std::uint64_t perConn = args_.messages > 0 ? (args_.messages + n - 1) / n : 0;
  conns_.resize(static_cast<std::size_t>(load.connections));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(args_.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < args_.idle; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      fail("idle connection " + std::to_string(i) + ": connect to 127.0.0.1:" +
           std::to_string(args_.port) + ": " + std::strerror(errno));
    }
    idle_.push_back(fd);
  }
  for (std::size_t i = 0; i < conns_.size(); ++i) {
    Conn& c = conns_[i];
    c.index = static_cast<std::uint32_t>(i);
    c.quota = load.name == "busy" ? load.messageBytes
              : perConn > 0      ? perConn * load.messageBytes
                                 : UINT64_MAX;
    // Connecting is not measured: a blocking connect, then nonblocking for the run.
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c.fd < 0 || ::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      fail("connection " + std::to_string(i) + ": connect to 127.0.0.1:" +
           std::to_string(args_.port) + ": " + std::strerror(errno));
    }
    const int one = 1;
    ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(c.fd, F_SETFL, ::fcntl(c.fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = c.index;
    if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, c.fd, &ev) != 0) fail("epoll_ctl ADD failed");
  }
  const std::size_t window = load.inflight * load.messageBytes;
  sendBuf_.resize(window);
  recvBuf_.resize(std::max<std::size_t>(window, 65536));
  expectBuf_.resize(recvBuf_.size());
}

void Generator::setOut(Conn& c, bool armed) {
  if (c.outArmed == armed) return;
  c.outArmed = armed;
  epoll_event ev{};
  ev.events = EPOLLIN | (armed ? EPOLLOUT : 0u);
  ev.data.u32 = c.index;
  if (::epoll_ctl(epfd_, EPOLL_CTL_MOD, c.fd, &ev) != 0) fail("epoll_ctl MOD failed");
}

// Sends whole messages while fewer than `inflight` are unechoed (a partial write is finished
// first), all in one write.
void Generator::pump(Conn& c) {
  if (!sending_) return setOut(c, false);
  const std::uint64_t size = args_.load.messageBytes;
  const std::uint64_t completed = c.verified / size;
  const std::uint64_t allowedEnd = std::min((completed + args_.load.inflight) * size, c.quota);
  if (c.sent >= allowedEnd) return setOut(c, false);
  const std::size_t n = static_cast<std::size_t>(allowedEnd - c.sent);
  echo_bench::fillPattern(c.index, c.sent, sendBuf_.data(), n);
  const ssize_t w = ::write(c.fd, sendBuf_.data(), n);
  if (w < 0 && errno != EAGAIN && errno != EINTR) {
    fail("connection " + std::to_string(c.index) + ": write: " + std::strerror(errno));
  }
  if (w > 0) c.sent += static_cast<std::uint64_t>(w);
  setOut(c, c.sent < allowedEnd);
}

// Reads and checks what arrived; true when it was echoed bytes.
bool Generator::receive(Conn& c) {
  const ssize_t n = ::read(c.fd, recvBuf_.data(), recvBuf_.size());
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return false;
  const std::string who = "connection " + std::to_string(c.index) + ": ";
  if (n < 0) fail(who + "read: " + std::strerror(errno));
  if (n == 0) {
    fail(who + "the server closed it after echoing " + std::to_string(c.verified) + " of " +
         std::to_string(c.sent) + " bytes sent");
  }
  const auto got = static_cast<std::size_t>(n);
  if (c.verified + got > c.sent) {
    fail(who + "the server echoed " + std::to_string(c.verified + got - c.sent) +
         " bytes more than were sent");
  }
  echo_bench::fillPattern(c.index, c.verified, expectBuf_.data(), got);
  if (std::memcmp(expectBuf_.data(), recvBuf_.data(), got) != 0) {
    std::size_t at = 0;
    while (expectBuf_[at] == recvBuf_[at]) ++at;
    char detail[96];
    std::snprintf(detail, sizeof detail, "byte %llu of the stream: expected 0x%02x, echoed 0x%02x",
                  static_cast<unsigned long long>(c.verified + at), expectBuf_[at], recvBuf_[at]);
    fail(who + detail);
  }
  c.verified += got;
  return true;
}

bool Generator::allEchoed() const {
  return std::all_of(conns_.begin(), conns_.end(),
                     [](const Conn& c) { return c.verified == c.sent; });
}

std::uint64_t Generator::completedMessages() const {
  std::uint64_t total = 0;
  for (const Conn& c : conns_) total += c.verified / args_.load.messageBytes;
  return total;
}

// Ends the measured window: messages echoed so far are the figure; echoes still in flight
// are checked but not counted.
void Generator::closeWindow(double t) {
  sending_ = false;
  measuredSeconds_ = t - start_;
  messagesInWindow_ = completedMessages();
}

bool Generator::quotaSent() const {
  return std::all_of(conns_.begin(), conns_.end(), [](const Conn& c) { return c.sent == c.quota; });
}

void Generator::run() {
  start_ = now();
  const double deadline = args_.seconds > 0 ? start_ + args_.seconds : kNever;
  double lastProgress = start_;
  for (Conn& c : conns_) pump(c);
  std::vector<epoll_event> events(conns_.size());
  for (;;) {
    const double t = now();
    const bool counted = args_.messages > 0 && quotaSent() && allEchoed();
    if (sending_ && (t >= deadline || counted)) closeWindow(t);
    if (!sending_ && allEchoed()) return;
    if (allEchoed()) lastProgress = t;  // nothing outstanding: idling is not stalling
    if (t - lastProgress >= kStallBoundSeconds) {
      fail("no echo for " + std::to_string(static_cast<int>(kStallBoundSeconds)) + " s with " +
           std::to_string(outstandingBytes()) + " bytes sent and not echoed");
    }
    const double until = std::min(sending_ ? deadline : kNever, lastProgress + kStallBoundSeconds);
    const int timeoutMs = static_cast<int>(std::ceil((until - t) * 1e3));
    const int n = ::epoll_wait(epfd_, events.data(), static_cast<int>(events.size()), timeoutMs);
    if (n < 0 && errno != EINTR) fail(std::string("epoll_wait: ") + std::strerror(errno));
    for (int i = 0; i < n; ++i) {
      Conn& c = conns_[events[i].data.u32];
      if ((events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && receive(c)) lastProgress = now();
      pump(c);
    }
  }
}

std::uint64_t Generator::outstandingBytes() const {
  std::uint64_t total = 0;
  for (const Conn& c : conns_) total += c.sent - c.verified;
  return total;
}

void Generator::printFigures() const {
  const double seconds = measuredSeconds_ > 0 ? measuredSeconds_ : 1e-9;
  const double rate = static_cast<double>(messagesInWindow_) / seconds;
  std::uint64_t verified = 0;
  for (const Conn& c : conns_) verified += c.verified;
  std::printf("{\"load\":\"%s\",\"connections\":%d,\"idle\":%d,\"message_bytes\":%zu,"
              "\"inflight\":%llu,\"seconds\":%.6f,\"messages\":%llu,\"messages_per_s\":%.1f,"
              "\"mb_per_s\":%.2f,\"bytes_verified\":%llu,\"verified\":true}\n",
              args_.load.name.c_str(), args_.load.connections, args_.idle, args_.load.messageBytes,
              static_cast<unsigned long long>(args_.load.inflight), measuredSeconds_,
              static_cast<unsigned long long>(messagesInWindow_), rate,
              rate * static_cast<double>(args_.load.messageBytes) / 1e6,
              static_cast<unsigned long long>(verified));
  for (const Conn& c : conns_) ::close(c.fd);
  for (int fd : idle_) ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parseArgs(argc, argv);
  Generator generator(args);
  generator.connectAll();
  generator.run();
  generator.printFigures();
  return 0;
}
