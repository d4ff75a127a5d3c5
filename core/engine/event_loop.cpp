#include "core/engine/event_loop.hpp"

#include <arpa/inet.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/base/names.hpp"
#include "core/engine/engine_bug.hpp"

namespace eps {
namespace {

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

EventLoop::EventLoop(Recorder& recorder, TraceWriter& writer, CommandQueue& commands,
                     EngineShared& shared, const EngineOptions& options)
    : writer_(writer),
      commands_(commands),
      shared_(shared),
      options_(options),
      seam_(writer, gate_),
      table_(seam_, recorder.payloads(), options.knobs),
      observer_(table_, writer, shared),
      gate_(table_, observer_, commands, writer, fdTable_, *this, options.startPaused),
      acceptor_(table_),
      echo_(table_, acceptor_),
      seed_(table_, writer),
      workers_(recorder,
               [&commands] {
                 Command wake;  // a no-op command: it writes the eventfd if the engine sleeps
                 commands.push(wake);
               }),
      fdTable_(seam_),
      events_(kMaxMaxEvents) {}

EventLoop::~EventLoop() = default;

int EventLoop::setup() {
  engineThread_.check();
  seam_.setRecording(!options_.untraced);
  observer_.setObserving(!options_.untraced);
  gate_.setOpen(true);
  // The command eventfd first, while this thread still shares the process's descriptor
  // table: the UI, the clients and the lesson runner wake the engine by writing it by
  // number. Every other descriptor is made in the engine's own table (engine/fd_table.hpp).
  controlFd_ = seam_.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (controlFd_ < 0) throw callFailed("eventfd");
  if (fdTable_.makeOwn(controlFd_) == 0) observer_.publishProcessWakeFd(controlFd_);
  const int epfd = seam_.epollCreate1(EPOLL_CLOEXEC);
  if (epfd < 0) throw callFailed("epoll_create1");
  table_.setEpfd(epfd);
  // poller=poll from the start: nothing joins the epoll set; the instance is made all the same,
  // so a switch to epoll later has it (and the descriptor numbers are the same either way).
  if (const auto conflict = pollerConflict(options_.knobs)) {
    throw std::runtime_error(needsEpollText(*conflict, knobValueText(options_.knobs, *conflict)));
  }
  table_.setInEpollSet(options_.knobs.poller == Poller::Epoll);
  openListener();
  registerInitial();
  commands_.setWakeFd(controlFd_);
  const Knobs initial = table_.knobs();
  Knobs start;
  start.listenTrigger = initial.listenTrigger;  // already registered with it
  table_.setKnobs(start);
  gate_.applyKnobs(initial);  // records each non-default knob as a config event
  pending_.idleFd = true;     // idle-fd is on by default: no change was seen, the spare is not open
  applyPendingRegistrations();
  observer_.publishEndpoints(port_, epfd);
  gate_.setOpen(false);
  return port_;
}

void EventLoop::openListener() {
  const int fd = seam_.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw callFailed("socket");
  table_.listener().fd = fd;
  seam_.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
  // Buffer sizes must be set before listen() to be inherited with the right window (tcp(7)).
  table_.applySocketOptions(fd);

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(options_.port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // a teaching server binds loopback only
  if (seam_.bind(fd, address) != 0) throw bindFailed(options_.port);
  if (seam_.listen(fd, options_.backlog) != 0) throw callFailed("listen");
  seam_.getsockname(fd, &address);
  port_ = ntohs(address.sin_port);
}

void EventLoop::registerInitial() {
  if (!table_.control(EPOLL_CTL_ADD, controlFd_, EPOLLIN, epollData(kControlSerial, controlFd_))) {
    throw callFailed("epoll_ctl(eventfd)");
  }
  ListenerState& listener = table_.listener();
  listener.interest = table_.listenerMask();
  if (!table_.control(EPOLL_CTL_ADD, listener.fd, listener.interest,
                      epollData(kListenerSerial, listener.fd))) {
    throw callFailed("epoll_ctl(listener)");
  }
  listener.registered = true;
  listener.view.fd = listener.fd;
  listener.view.listener = true;
  listener.view.interest = listener.interest;
}

void EventLoop::serve() {
  engineThread_.check();
  try {
    for (;;) oneWakeup();
  } catch (const StopServing&) {
  }
}

void EventLoop::oneWakeup() {
  // From enterWait() on, every command pushed also writes the eventfd, so epoll_wait cannot
  // sleep through it. Commands queued before that are applied here, with the registrations
  // they need (a trigger change's EPOLL_CTL_MOD), before the engine may sleep. Applying them
  // only in the gate of epoll_wait would leave that MOD pending through the sleep.
  commands_.enterWait();
  if (commands_.hasPending()) gate_.applyCommands();
  applyPendingRegistrations();
  const int n = table_.inEpollSet() ? waitEpoll() : waitPoll();
  commands_.leaveWait();
  if (n < 0) return;  // a signal: simply wait again
  bool progress = false;
  bool socketEvents = false;
  for (int i = 0; i < n; ++i) {
    const epoll_event& event = events_[static_cast<std::size_t>(i)];
    if (event.data.u64 >> 32 != kControlSerial) socketEvents = true;
    progress = dispatch(event) || progress;
  }
  if (socketEvents) {
    observer_.noteWakeupResult({events_.data(), static_cast<std::size_t>(n)}, controlFd_, progress);
  }
  growEventsIfFull(n);
}

int EventLoop::waitEpoll() {
  const int maxEvents = currentMaxEvents();  // the gate samples right before the call
  setWaiting(true);
  const int n = seam_.epollWait(table_.epfd(), events_.data(), maxEvents, -1);
  setWaiting(false);
  if (n < 0 && errno != EINTR) {
    // EBADF, EFAULT, EINVAL are all epoll_wait(2) lists besides EINTR: the engine's own epoll
    // fd or array is wrong.
    abortIfImpossible(Call::EpollWait, table_.epfd(), errno);
    engineBug("epoll_wait failed with " + errnoName(errno));
  }
  return n;
}

// The whole set crosses into the kernel on every call: poll keeps nothing between calls.
int EventLoop::waitPoll() {
  pollSet_.build(table_, controlFd_);
  setWaiting(true);
  const int n = seam_.poll(pollSet_.fds(), pollSet_.data(), -1);
  setWaiting(false);
  if (n < 0) {
    if (errno == EINTR) return n;
    // EFAULT, EINVAL (more fds than RLIMIT_NOFILE) and ENOMEM are poll(2)'s others: the
    // engine's own array is wrong, or the kernel is out of memory for a copy of it.
    engineBug("poll failed with " + errnoName(errno));
  }
  return pollSet_.collect(events_);
}

// Only the wait sampler needs it, and an untraced run has none.
void EventLoop::setWaiting(bool waiting) {
  if (options_.untraced) return;
  std::lock_guard lock(shared_.waitMutex);
  shared_.engineWaiting = waiting;
  if (waiting) ++shared_.waits;
}

ConnHandler& EventLoop::handler() {
  if (table_.seed()) return seed_;
  return echo_;
}

// Returns whether the event made progress (the busy diagnosis counts wakeups that made none).
bool EventLoop::dispatch(const epoll_event& event) {
  const auto serial = static_cast<std::uint32_t>(event.data.u64 >> 32);
  const int fd = static_cast<int>(event.data.u64 & 0xffffffffu);
  if (serial == kControlSerial) {
    controlReady();
    return false;
  }
  const bool adopted = applyPendingRegistrations();
  if (serial == kListenerSerial) return handler().listenerReady() || adopted;
  Conn* conn = table_.find(fd, serial);
  if (conn == nullptr) return adopted;  // closed earlier in this same batch
  const bool progress = handler().connReady(*conn, event.events);
  if (conn->fd < 0) table_.erase(fd);
  return progress || adopted;
}

void EventLoop::controlReady() {
  std::uint64_t count = 0;
  seam_.read(controlFd_, &count, sizeof count);
  gate_.applyCommands();
}

int EventLoop::currentMaxEvents() const {
  const Knobs& knobs = table_.knobs();
  return knobs.maxEvents == kGrowMaxEvents ? grownMaxEvents_ : knobs.maxEvents;
}

// Seed 000 doubles its array when a return fills it. Harmless but unnecessary: events that
// did not fit come back on the next call (epoll_wait(2) NOTES; EPOLL-FACTS §2.10).
void EventLoop::growEventsIfFull(int returned) {
  if (table_.knobs().maxEvents != kGrowMaxEvents || returned != grownMaxEvents_) return;
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

// What each change takes is the knob table's effects column (core/base/knobs.cpp).
void EventLoop::knobsApplied(std::uint8_t effects) {
  engineThread_.check();
  if ((effects & kKnobReopensIdleFd) != 0) pending_.idleFd = true;
  if ((effects & kKnobRestartsWorkers) != 0) pending_.workers = true;
  if ((effects & kKnobRestartsGrowth) != 0) grownMaxEvents_ = kGrowInitialEvents;
  if ((effects & kKnobResetsWriteFlip) != 0) {
    for (auto& [fd, conn] : table_.conns()) conn->flipWriting = false;
  }
  if ((effects & kKnobDropsHeldOutput) != 0) {
    // The new handler starts clean: what the old one held back is dropped, as a server
    // restarted with new code would.
    for (auto& [fd, conn] : table_.conns()) {
      conn->out.clear();
      conn->outOffset = 0;
    }
  }
  if ((effects & kKnobChangesInterestMask) != 0) pending_.registrations = true;
  if ((effects & kKnobSwitchesPoller) != 0) pending_.poller = true;
}

// Returns whether it adopted connections the workers accepted.
bool EventLoop::applyPendingRegistrations() {
  if (pending_.workers) {
    pending_.workers = false;
    restartWorkers();
  }
  bool adopted = false;
  for (const HandedOff& accepted : workers_.takeAccepted()) {
    table_.adopt(accepted.fd, accepted.peer);
    adopted = true;
  }
  if (pending_.idleFd) {
    pending_.idleFd = false;
    acceptor_.matchIdleFdKnob();
  }
  if (pending_.poller) {
    pending_.poller = false;
    switchPoller();
  }
  if (pending_.registrations) {
    pending_.registrations = false;
    reregisterAll();
  }
  return adopted;
}

// Switching a trigger live re-registers every socket with EPOLL_CTL_MOD. The MOD re-polls
// the socket ("Modify will reread available I/O", epoll(7)), which rescues stranded data.
void EventLoop::reregisterAll() {
  table_.reregisterListener();
  for (auto& [fd, conn] : table_.conns()) {
    table_.setBlocking(fd, table_.knobs().sockets == SocketMode::Blocking);
    table_.applySocketOptions(fd);
    echo_.resumeBelowLowWater(*conn);  // out-cap may have gone up, or off
    table_.registerConn(*conn);
  }
  table_.markChanged();
}

// To poll: every descriptor leaves the epoll set (EPOLL_CTL_DEL, recorded). The instance itself
// stays open with an empty interest list: closing it would free a number the fd limit
// accounts for and end its lane, and a switch back needs one (a kept instance costs nothing
// while nobody waits on it). Back to epoll: each descriptor is added again (EPOLL_CTL_ADD)
// with the mask it wants now, which also reports what is already ready.
void EventLoop::switchPoller() {
  const bool toEpoll = table_.knobs().poller == Poller::Epoll;
  if (toEpoll == table_.inEpollSet()) return;
  if (toEpoll) {
    table_.setInEpollSet(true);
    epollSetOp(EPOLL_CTL_ADD);
  } else {
    epollSetOp(EPOLL_CTL_DEL);
    table_.setInEpollSet(false);
  }
  table_.markChanged();
}

void EventLoop::epollSetOp(int op) {
  table_.control(op, controlFd_, EPOLLIN, epollData(kControlSerial, controlFd_));
  ListenerState& listener = table_.listener();
  if (listener.registered) {
    listener.interest = table_.listenerMask();
    listener.view.interest = listener.interest;
    table_.control(op, listener.fd, listener.interest, epollData(kListenerSerial, listener.fd));
  }
  std::vector<int> refused;
  for (auto& [fd, conn] : table_.conns()) {
    conn->interest = conn->view.interest = table_.wantedMask(*conn);
    conn->armed = conn->view.armed = true;  // a fresh registration (or none) is armed
    const bool done = table_.control(op, fd, conn->interest, epollData(conn->serial, fd));
    if (!done && op == EPOLL_CTL_ADD) refused.push_back(fd);
  }
  // ENOMEM or ENOSPC on the way back (the kernel's to refuse): as for a new connection, the
  // client sees EOF rather than a socket nobody waits for.
  for (int fd : refused) {
    seam_.close(fd);
    table_.erase(fd);
  }
}

// Workers take the listener from the engine thread's epoll set (so only they accept) and
// give it back when they stop.
void EventLoop::restartWorkers() {
  if (workers_.running()) workers_.stop(seam_);
  const Knobs& knobs = table_.knobs();
  ListenerState& listener = table_.listener();
  const std::uint64_t data = epollData(kListenerSerial, listener.fd);
  if (knobs.workers > 0) {
    if (listener.registered &&
        seam_.epollCtl(table_.epfd(), EPOLL_CTL_DEL, listener.fd, 0, data) == 0) {
      listener.registered = false;
    }
    workers_.start(knobs.workers, listener.fd, knobs.exclusive);
  } else if (!listener.registered) {
    listener.interest = table_.listenerMask();
    listener.registered =
        seam_.epollCtl(table_.epfd(), EPOLL_CTL_ADD, listener.fd, listener.interest, data) == 0;
  }
  table_.markChanged();
}

void EventLoop::teardown() {
  engineThread_.check();
  gate_.setOpen(true);
  fdTable_.release();
  if (workers_.running()) workers_.stop(seam_);
  table_.closeAll();
  acceptor_.close();
  ListenerState& listener = table_.listener();
  if (listener.fd >= 0) seam_.close(listener.fd);
  commands_.setWakeFd(-1);  // no thread may write to it once it is closed
  if (controlFd_ >= 0) seam_.close(controlFd_);
  if (table_.epfd() >= 0) seam_.close(table_.epfd());
  listener.fd = controlFd_ = -1;
  table_.setEpfd(-1);
  observer_.publishStopped();
}

}  // namespace eps
