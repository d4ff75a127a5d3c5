#include "tests/core/engine/engine_fixture.hpp"

#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>

#include <stdexcept>

namespace eps::testing {

RawClient::RawClient(int port, int rcvbuf) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("connect to 127.0.0.1 failed");
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

void RawClient::send(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("client send failed");
    done += static_cast<std::size_t>(n);
  }
}

void RawClient::sendPattern(std::size_t count) {
  std::string bytes;
  for (std::size_t i = 0; i < count; ++i, ++patternPos_) {
    bytes += static_cast<char>('A' + (patternPos_ / 100) % 26);
  }
  send(bytes);
}

std::string RawClient::receive(std::size_t count, std::chrono::milliseconds bound) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + bound;
  char buffer[65536];
  while (out.size() < count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd_, buffer, std::min(sizeof buffer, count - out.size()), 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

std::size_t RawClient::available() const {
  int value = 0;
  ::ioctl(fd_, SIOCINQ, &value);
  return static_cast<std::size_t>(value);
}

bool RawClient::waitEof(std::chrono::milliseconds bound) {
  pollfd entry{fd_, POLLIN, 0};
  if (::poll(&entry, 1, static_cast<int>(bound.count())) <= 0) return false;
  char byte = 0;
  return ::recv(fd_, &byte, 1, MSG_DONTWAIT) == 0;
}

void RawClient::shutdownWrite() {
  ::shutdown(fd_, SHUT_WR);
}

void RawClient::reset() {
  const linger hard{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  closeNow();
}

void RawClient::closeNow() {
  ::close(fd_);
  fd_ = -1;
}

int RawClient::localPort() const {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

EngineHarness::EngineHarness(Knobs knobs, bool startPaused)
    : EngineHarness([&] {
        EngineOptions options;
        options.knobs = knobs;
        options.startPaused = startPaused;
        return options;
      }()) {}

EngineHarness::EngineHarness(const EngineOptions& options) {
  engine_ = std::make_unique<Engine>(recorder_, options);
  port_ = engine_->start();
}

EngineHarness::~EngineHarness() {
  engine_->stop();
}

const std::vector<TraceEvent>& EngineHarness::drain() {
  recorder_.drainInto(events_);
  return events_;
}

bool EngineHarness::waitIdle(std::chrono::milliseconds quiet, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    const auto before = engine_->status().callsMade;
    const auto quietUntil = std::chrono::steady_clock::now() + quiet;
    bool moved = false;
    while (std::chrono::steady_clock::now() < quietUntil) {
      std::this_thread::sleep_for(5ms);
      if (engine_->status().callsMade != before) {
        moved = true;
        break;
      }
    }
    // A call in progress (blocked in epoll_wait) counts as idle; a blocked read does not.
    const EngineStatus status = engine_->status();
    const bool waiting = !status.inCall || isReadinessWait(status.pendingCall);
    if (!moved && waiting) {
      drain();
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
  }
}

std::vector<int> EngineHarness::waitAccepted(std::size_t count, std::chrono::milliseconds bound) {
  std::vector<int> fds;
  waitUntil(
      [&] {
        drain();
        fds.clear();
        for (const TraceEvent& e : events_) {
          if (e.kind == EventKind::Call && e.call == Call::Accept4 && e.ret >= 0) {
            fds.push_back(static_cast<int>(e.ret));
          }
        }
        return fds.size() >= count;
      },
      bound);
  return fds;
}

std::size_t EngineHarness::countCalls(Call call, int fd, std::size_t from) const {
  return callsOf(call, fd, from).size();
}

std::vector<TraceEvent> EngineHarness::callsOf(Call call, int fd, std::size_t from) const {
  std::vector<TraceEvent> out;
  for (std::size_t i = from; i < events_.size(); ++i) {
    const TraceEvent& e = events_[i];
    if (e.kind == EventKind::Call && e.call == call && (fd < 0 || e.fd == fd)) out.push_back(e);
  }
  return out;
}

std::size_t EngineHarness::countReady(int fd, std::size_t from, std::uint32_t anyOf) const {
  std::size_t count = 0;
  for (std::size_t i = from; i < events_.size(); ++i) {
    const TraceEvent& e = events_[i];
    if (e.kind == EventKind::Ready && e.fd == fd && (e.events & anyOf) != 0) ++count;
  }
  return count;
}

std::vector<TraceEvent> EngineHarness::ofKind(EventKind kind, std::size_t from) const {
  std::vector<TraceEvent> out;
  for (std::size_t i = from; i < events_.size(); ++i) {
    if (events_[i].kind == kind) out.push_back(events_[i]);
  }
  return out;
}

const SocketView* EngineHarness::socket(int fd) {
  socketsCopy_ = engine_->sockets();
  for (const SocketView& view : socketsCopy_) {
    if (view.fd == fd && !view.listener) return &view;
  }
  return nullptr;
}

std::int64_t EngineHarness::recvQueue(int fd) {
  const SocketView* view = socket(fd);
  return view ? view->recvQueue : -1;
}

void EngineHarness::setKnobs(const std::function<void(Knobs&)>& change) {
  Knobs knobs = engine_->knobs();
  change(knobs);
  engine_->setKnobs(knobs);
  ASSERT_TRUE(engine_->waitApplied(5000ms));
}

}  // namespace eps::testing
