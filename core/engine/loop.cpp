#include "core/engine/loop.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace eps {
namespace {

// Serials in epoll data's high half that are not connections.
constexpr std::uint32_t kListenerSerial = 1;
constexpr std::uint32_t kControlSerial = 2;

std::runtime_error callFailed(const char* what) {
  return std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

// A fixed port (the classroom's --port 7000) can be taken by another program. SO_REUSEADDR
// only forgives TIME_WAIT leftovers; on Linux it never lets two sockets listen on one port.
std::runtime_error bindFailed(int port) {
  const std::string where = "port " + std::to_string(port) + " on 127.0.0.1";
  if (errno == EADDRINUSE) {
    return std::runtime_error(where + " is already in use (bind: " + std::strerror(errno) + ")");
  }
  return std::runtime_error("cannot bind " + where + " (bind: " + std::strerror(errno) + ")");
}

}  // namespace

EngineLoop::EngineLoop(Recorder& recorder, TraceWriter& writer, CommandQueue& commands,
                       EngineShared& shared, const EngineOptions& options)
    : writer_(writer),
      payloads_(recorder.payloads()),
      commands_(commands),
      shared_(shared),
      options_(options),
      knobs_(options.knobs),
      seam_(writer, *this),
      events_(kMaxMaxEvents),
      readBuffer_(65536),
      workers_(recorder, [&commands] {
        Command wake;  // a no-op command: it writes the eventfd if the engine sleeps
        commands.push(wake);
      }) {
  mode_ = options.startPaused ? EngineMode::Paused : EngineMode::Running;
}

EngineLoop::~EngineLoop() = default;

int EngineLoop::setup() {
  gateOpen_ = true;
  // The command eventfd first, while this thread still shares the process's descriptor
  // table: the UI, the clients and the lesson runner wake the engine by writing it by
  // number. Every other descriptor is made in the engine's own table (engine/fd_table.hpp).
  controlFd_ = seam_.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (controlFd_ < 0) throw callFailed("eventfd");
  if (fdTable_.makeOwn(controlFd_) == 0) {
    std::lock_guard lock(shared_.mutex);
    shared_.processWakeFd = controlFd_;
  }
  epfd_ = seam_.epollCreate1(EPOLL_CLOEXEC);
  if (epfd_ < 0) throw callFailed("epoll_create1");
  listenFd_ = seam_.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listenFd_ < 0) throw callFailed("socket");
  const int on = 1;
  ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  // Buffer sizes must be set before listen() to be inherited with the right window (tcp(7)).
  applySocketOptions(listenFd_);

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(options_.port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // a teaching server binds loopback only
  if (seam_.bind(listenFd_, address) != 0) throw bindFailed(options_.port);
  if (seam_.listen(listenFd_, options_.backlog) != 0) throw callFailed("listen");
  socklen_t length = sizeof address;
  ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);

  if (seam_.epollCtl(epfd_, EPOLL_CTL_ADD, controlFd_, EPOLLIN,
                     epollData(kControlSerial, controlFd_)) != 0) {
    throw callFailed("epoll_ctl(eventfd)");
  }
  listenerInterest_ = listenerMask();
  if (seam_.epollCtl(epfd_, EPOLL_CTL_ADD, listenFd_, listenerInterest_,
                     epollData(kListenerSerial, listenFd_)) != 0) {
    throw callFailed("epoll_ctl(listener)");
  }
  listenerRegistered_ = true;
  listenerView_.fd = listenFd_;
  listenerView_.listener = true;
  listenerView_.interest = listenerInterest_;
  commands_.setWakeFd(controlFd_);
  Knobs initial = knobs_;
  knobs_ = Knobs{};
  knobs_.listenTrigger = initial.listenTrigger;  // already registered with it
  applyKnobs(initial);                           // records each non-default knob as a config event
  idleFdChanged_ = true;  // idle-fd is on by default: no change was seen, the spare is not open
  applyPendingRegistrations();
  {
    std::lock_guard lock(shared_.mutex);
    shared_.port = port_;
    shared_.epfd = epfd_;
  }
  gateOpen_ = false;
  return port_;
}

void EngineLoop::serve() {
  try {
    for (;;) oneWakeup();
  } catch (const StopRequested&) {
  }
}

void EngineLoop::oneWakeup() {
  // From enterWait() on, every command pushed also writes the eventfd, so epoll_wait cannot
  // sleep through it. Commands queued before that are applied here, with the registrations
  // they need (a trigger change's EPOLL_CTL_MOD), before the engine may sleep. Applying them
  // only in the gate of epoll_wait would leave that MOD pending through the sleep.
  commands_.enterWait();
  if (commands_.hasPending()) applyCommands();
  applyPendingRegistrations();
  const int maxEvents = currentMaxEvents();  // the gate samples right before the call
  setWaiting(true);
  const int n = seam_.epollWait(epfd_, events_.data(), maxEvents, -1);
  setWaiting(false);
  commands_.leaveWait();
  if (n < 0) {
    if (errno == EINTR) return;  // a signal: simply wait again
    throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
  }
  progress_ = false;
  bool socketEvents = false;
  for (int i = 0; i < n; ++i) {
    if (events_[static_cast<std::size_t>(i)].data.u64 >> 32 != kControlSerial) socketEvents = true;
    dispatch(events_[static_cast<std::size_t>(i)]);
  }
  if (socketEvents) noteWakeupResult(n, progress_);
  growEventsIfFull(n);
}

void EngineLoop::setWaiting(bool waiting) {
  std::lock_guard lock(shared_.waitMutex);
  shared_.engineWaiting = waiting;
}

void EngineLoop::dispatch(const epoll_event& event) {
  const auto serial = static_cast<std::uint32_t>(event.data.u64 >> 32);
  const int fd = static_cast<int>(event.data.u64 & 0xffffffffu);
  if (serial == kControlSerial) return controlReady();
  applyPendingRegistrations();
  if (serial == kListenerSerial) return seed() ? seedListenerReady() : listenerReady();
  const auto found = conns_.find(fd);
  // An event for a connection closed earlier in this same batch (libuv skips these too):
  // the serial tells a reused fd number from the one the event was about.
  if (found == conns_.end() || found->second->serial != serial) return;
  Conn& conn = *found->second;
  if (seed()) {
    seedConnReady(conn, event.events);
  } else {
    if (knobs_.oneshot) conn.armed = false;  // the kernel disarmed it when it reported
    connReady(conn, event.events);
  }
  if (conn.fd < 0) conns_.erase(found);
}

void EngineLoop::controlReady() {
  std::uint64_t count = 0;
  seam_.read(controlFd_, &count, sizeof count);
  applyCommands();
}

int EngineLoop::currentMaxEvents() const {
  return knobs_.maxEvents == kGrowMaxEvents ? grownMaxEvents_ : knobs_.maxEvents;
}

// Seed 000 doubles its array when a return fills it. Harmless but unnecessary: events that
// did not fit come back on the next call (epoll_wait(2) NOTES; EPOLL-FACTS §2.10).
void EngineLoop::growEventsIfFull(int returned) {
  if (knobs_.maxEvents != kGrowMaxEvents || returned != grownMaxEvents_) return;
  if (grownMaxEvents_ >= kMaxMaxEvents) return;
  TraceEvent grown;
  grown.kind = EventKind::Config;
  grown.op = static_cast<std::uint8_t>(KnobId::MaxEvents);
  grown.b = grownMaxEvents_;
  grownMaxEvents_ *= 2;
  grown.a = grownMaxEvents_;
  grown.c = 1;  // changed by the engine itself, not by a command
  writer_.record(grown);
}

void EngineLoop::applyPendingRegistrations() {
  if (workersChanged_) {
    workersChanged_ = false;
    restartWorkers();
  }
  for (const HandedOff& accepted : workers_.takeAccepted()) adopt(accepted.fd, accepted.peer);
  if (idleFdChanged_) {
    idleFdChanged_ = false;
    if (knobs_.idleFd && idleFd_ < 0) reopenIdleFd();
    if (!knobs_.idleFd && idleFd_ >= 0) {
      seam_.close(idleFd_);
      idleFd_ = -1;
    }
  }
  if (!needRegistration_) return;
  needRegistration_ = false;
  // Switching a trigger live re-registers every socket with EPOLL_CTL_MOD. The MOD re-polls
  // the socket ("Modify will reread available I/O", epoll(7)), which rescues stranded data.
  const std::uint32_t wanted = listenerMask();
  if (listenerRegistered_ && wanted != listenerInterest_ &&
      seam_.epollCtl(epfd_, EPOLL_CTL_MOD, listenFd_, wanted,
                     epollData(kListenerSerial, listenFd_)) == 0) {
    listenerInterest_ = wanted;
    listenerView_.interest = wanted;
  }
  for (auto& [fd, conn] : conns_) {
    setBlocking(fd, knobs_.sockets == SocketMode::Blocking);
    applySocketOptions(fd);
    resumeBelowLowWater(*conn);  // out-cap may have gone up, or off
    registerConn(*conn);
  }
  socketsDirty_ = true;
}

void EngineLoop::registerConn(Conn& conn) {
  const std::uint32_t wanted = wantedMask(conn);
  if (wanted == conn.interest && conn.armed && !conn.rearmRead) return;
  conn.rearmRead = false;
  if (seam_.epollCtl(epfd_, EPOLL_CTL_MOD, conn.fd, wanted, epollData(conn.serial, conn.fd)) == 0) {
    conn.interest = wanted;
    conn.armed = true;
    conn.view.interest = wanted;
    conn.view.armed = true;
    socketsDirty_ = true;
  }
}

// Workers take the listener from the engine thread's epoll set (so only they accept) and
// give it back when they stop.
void EngineLoop::restartWorkers() {
  if (workers_.running()) workers_.stop(seam_);
  const std::uint64_t data = epollData(kListenerSerial, listenFd_);
  if (knobs_.workers > 0) {
    if (listenerRegistered_ && seam_.epollCtl(epfd_, EPOLL_CTL_DEL, listenFd_, 0, data) == 0) {
      listenerRegistered_ = false;
    }
    workers_.start(knobs_.workers, listenFd_, knobs_.exclusive);
  } else if (!listenerRegistered_) {
    listenerInterest_ = listenerMask();
    listenerRegistered_ =
        seam_.epollCtl(epfd_, EPOLL_CTL_ADD, listenFd_, listenerInterest_, data) == 0;
  }
  socketsDirty_ = true;
}

void EngineLoop::teardown() {
  gateOpen_ = true;
  fdTable_.release();
  if (workers_.running()) workers_.stop(seam_);
  for (auto& [fd, conn] : conns_) seam_.close(fd);
  conns_.clear();
  if (idleFd_ >= 0) seam_.close(idleFd_);
  if (listenFd_ >= 0) seam_.close(listenFd_);
  commands_.setWakeFd(-1);  // no thread may write to it once it is closed
  if (controlFd_ >= 0) seam_.close(controlFd_);
  if (epfd_ >= 0) seam_.close(epfd_);
  idleFd_ = listenFd_ = controlFd_ = epfd_ = -1;
  std::lock_guard lock(shared_.mutex);
  shared_.status.mode = EngineMode::Stopped;
  shared_.status.inCall = false;
  shared_.sockets.clear();
  shared_.changed.notify_all();
}

}  // namespace eps
