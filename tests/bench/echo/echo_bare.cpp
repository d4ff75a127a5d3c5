// The bare epoll echo server epollscope's engine is measured against: the same discipline as
// `epollscope --conn-trigger et --listen-trigger et --accept drain --read drain --write direct
// --read-chunk 65536`, with nothing recorded. Edge-triggered: accept until EAGAIN, read until
// EAGAIN, write each chunk at once, EPOLLOUT registered only while output is pending.
//
// `--busy` makes it the other side of the busy-loop comparison (`epollscope --conn-trigger lt
// --write always`): level-triggered with EPOLLOUT always registered, so an idle connection
// makes every epoll_wait return at once. It counts those returns and prints the rate at exit.
//
// One thread owns everything; SIGINT/SIGTERM arrive through a signalfd in the epoll set.
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>

#include <array>
#include <memory>
#include <vector>

#include "tests/bench/echo/server_common.hpp"

namespace {

using echo_bench::kMaxPendingOutput;
using echo_bench::kReadChunk;

struct Conn {
  std::vector<char> pending;  // output the socket did not take yet
  std::size_t pendingOff = 0;
  bool outArmed = false;      // EPOLLOUT registered (direct mode: only while pending)
  bool readPaused = false;    // stopped reading at kMaxPendingOutput; resumes once flushed
};

double monotonicSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

class BareServer {
 public:
  explicit BareServer(const echo_bench::ServerArgs& args) : busy_(args.busy) {}

  int run(const echo_bench::ServerArgs& args);

 private:
  std::uint32_t connMask(const Conn& c) const {
    if (busy_) return EPOLLIN | EPOLLOUT;  // level-triggered, EPOLLOUT always
    return EPOLLIN | EPOLLET | (c.outArmed ? EPOLLOUT : 0u);
  }
  void control(int op, int fd, std::uint32_t mask) {
    epoll_event ev{};
    ev.events = mask;
    ev.data.fd = fd;
    if (::epoll_ctl(epfd_, op, fd, &ev) != 0) echo_bench::dieErrno("epoll_ctl");
  }
  void acceptAll();
  void readAll(int fd);
  bool send(int fd, const char* data, std::size_t size);
  bool flush(int fd);
  void closeConn(int fd);
  void countWakeup();
  void report(const std::string& path) const;

  bool busy_;
  int epfd_ = -1;
  int listenFd_ = -1;
  int sigFd_ = -1;
  std::vector<std::unique_ptr<Conn>> conns_;  // by fd
  std::size_t open_ = 0;
  std::array<char, kReadChunk> buf_{};        // reused for every read
  // Busy figure: epoll_wait returns while a connection was open, over that time.
  std::uint64_t wakeups_ = 0;
  double firstOpen_ = 0, lastClose_ = 0;
};

void BareServer::acceptAll() {
  for (;;) {
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN: drained; EMFILE/ENFILE: stop here too (a benchmark never reaches it)
    }
    if (static_cast<std::size_t>(fd) >= conns_.size()) conns_.resize(fd + 1);
    echo_bench::setNoDelay(fd);
    conns_[fd] = std::make_unique<Conn>();
    if (open_++ == 0 && firstOpen_ == 0) firstOpen_ = monotonicSeconds();
    control(EPOLL_CTL_ADD, fd, connMask(*conns_[fd]));
  }
}

void BareServer::closeConn(int fd) {
  ::close(fd);  // also leaves the epoll set: the fd was never duplicated
  conns_[fd].reset();
  if (--open_ == 0) lastClose_ = monotonicSeconds();
}

// Writes what the socket takes now; the rest waits in `pending` with EPOLLOUT armed.
bool BareServer::send(int fd, const char* data, std::size_t size) {
  Conn& c = *conns_[fd];
  if (c.pending.empty()) {
    ssize_t n;
    do n = ::write(fd, data, size); while (n < 0 && errno == EINTR);
    if (n < 0 && errno != EAGAIN) return false;
    const std::size_t taken = n < 0 ? 0 : static_cast<std::size_t>(n);
    data += taken;
    size -= taken;
    if (size == 0) return true;
  }
  c.pending.insert(c.pending.end(), data, data + size);
  if (!c.outArmed) {
    c.outArmed = true;
    if (!busy_) control(EPOLL_CTL_MOD, fd, connMask(c));
  }
  return true;
}

void BareServer::readAll(int fd) {
  for (;;) {
    Conn& c = *conns_[fd];
    if (c.pending.size() >= kMaxPendingOutput) {
      c.readPaused = true;
      return;
    }
    const ssize_t n = ::read(fd, buf_.data(), buf_.size());
    if (n > 0) {
      if (!send(fd, buf_.data(), static_cast<std::size_t>(n))) return closeConn(fd);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    return closeConn(fd);  // 0: the peer closed; -1: ECONNRESET and friends
  }
}

// EPOLLOUT: flushes pending output; false when the connection failed and was closed.
bool BareServer::flush(int fd) {
  Conn& c = *conns_[fd];
  while (c.pendingOff < c.pending.size()) {
    const ssize_t n = ::write(fd, c.pending.data() + c.pendingOff, c.pending.size() - c.pendingOff);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    if (n < 0) return closeConn(fd), false;
    c.pendingOff += static_cast<std::size_t>(n);
  }
  c.pending.clear();
  c.pendingOff = 0;
  if (!busy_) {
    c.outArmed = false;
    control(EPOLL_CTL_MOD, fd, connMask(c));
  }
  if (c.readPaused) {
    c.readPaused = false;
    readAll(fd);  // ET reports no new edge for data that arrived while paused
  }
  return true;
}

void BareServer::countWakeup() {
  if (open_ > 0) ++wakeups_;
}

int BareServer::run(const echo_bench::ServerArgs& args) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &mask, nullptr);
  echo_bench::ignoreSigpipe();
  sigFd_ = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (sigFd_ < 0 || epfd_ < 0) echo_bench::dieErrno("signalfd/epoll_create1");
  listenFd_ = echo_bench::listenLoopback(args.port);
  control(EPOLL_CTL_ADD, listenFd_, busy_ ? EPOLLIN : EPOLLIN | EPOLLET);
  control(EPOLL_CTL_ADD, sigFd_, EPOLLIN);
  echo_bench::announceListening(listenFd_);

  std::array<epoll_event, 256> events{};
  for (;;) {
    const int n = ::epoll_wait(epfd_, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) echo_bench::dieErrno("epoll_wait");
    countWakeup();
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      const std::uint32_t ev = events[i].events;
      if (fd == sigFd_) return report(args.wakeupsOut), 0;
      if (fd == listenFd_) {
        acceptAll();
        continue;
      }
      if (!conns_[fd]) continue;  // closed earlier in this batch
      if ((ev & EPOLLOUT) && conns_[fd]->outArmed && !flush(fd)) continue;
      if ((ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) && conns_[fd] && !conns_[fd]->readPaused) {
        readAll(fd);
      }
    }
  }
}

// The busy figure; written only in --busy mode (the echo loads have no use for it).
void BareServer::report(const std::string& path) const {
  if (!busy_) return;
  const double end = open_ > 0 || lastClose_ == 0 ? monotonicSeconds() : lastClose_;
  const double seconds = firstOpen_ > 0 ? end - firstOpen_ : 0.0;
  const double rate = seconds > 0 ? static_cast<double>(wakeups_) / seconds : 0.0;
  FILE* out = path.empty() ? stdout : std::fopen(path.c_str(), "w");
  if (out == nullptr) echo_bench::dieErrno(path.c_str());
  std::fprintf(out, "{\"wakeups\":%llu,\"seconds\":%.6f,\"wakeups_per_s\":%.1f}\n",
               static_cast<unsigned long long>(wakeups_), seconds, rate);
  if (out != stdout) std::fclose(out);
}

}  // namespace

int main(int argc, char** argv) {
  const echo_bench::ServerArgs args = echo_bench::parseServerArgs(argc, argv, true);
  BareServer server(args);
  return server.run(args);
}
