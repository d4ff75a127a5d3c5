#include "core/trace/lanes.hpp"

#include <fcntl.h>

#include <algorithm>

#include "core/base/names.hpp"
#include "core/base/peer_names.hpp"

namespace eps {
namespace {

// fds below this live in the direct table; the kernel hands out the lowest free number, so a
// live process stays far below it.
constexpr int kDirectFds = 1 << 16;

std::string fdText(int fd) {
  return std::to_string(fd);
}

std::string laneName(LaneKind kind, int fd) {
  switch (kind) {
    case LaneKind::Listener:
      return "listener fd " + fdText(fd);
    case LaneKind::Control:
      return "control (eventfd " + fdText(fd) + ")";
    case LaneKind::IdleFd:
      return "idle fd " + fdText(fd);
    case LaneKind::Other:
      return "socket fd " + fdText(fd);
    case LaneKind::Connection:
    case LaneKind::EpollWait:
    case LaneKind::Client:
      break;
  }
  return "fd " + fdText(fd);
}

// The kind a lane most likely has when an event arrives on an fd no call created (an
// imported or mid-run trace): what the event does to the fd says what the fd is.
LaneKind guessKind(const TraceEvent& event) {
  switch (event.kind) {
    case EventKind::Call:
      switch (event.call) {
        case Call::Accept4:
        case Call::Listen:
          return LaneKind::Listener;
        case Call::Read:
        case Call::Write:
        case Call::Shutdown:
        case Call::Close:
        case Call::EpollCtl:
          return LaneKind::Connection;
        default:
          return LaneKind::Other;
      }
    case EventKind::Sample:
      return static_cast<SampleOf>(event.op) == SampleOf::Listener ? LaneKind::Listener
                                                                   : LaneKind::Connection;
    case EventKind::Stranded:
      return static_cast<StrandedWhat>(event.op) == StrandedWhat::Connections
                 ? LaneKind::Listener
                 : LaneKind::Connection;
    case EventKind::Ready:
    case EventKind::Blocked:
    case EventKind::Crash:
      return LaneKind::Connection;
    default:
      return LaneKind::Other;
  }
}

}  // namespace

std::uint32_t LaneTracker::assign(const TraceEvent& event) {
  ended_.clear();
  if (event.actor == Actor::Clients || event.kind == EventKind::ClientAction ||
      event.kind == EventKind::ClientData) {
    return clientLane(event);
  }
  const bool imported = (event.flags & kEventImported) != 0;
  if (imported) endIfReused(event);
  switch (event.kind) {
    case EventKind::Call: {
      const std::uint32_t lane = callLane(event);
      // epoll_create's label names the waits' lanes (epoll_wait epfd N (tid T)), not this one.
      if (imported && event.call != Call::EpollCreate1) applyLabel(lane, event.conn);
      return lane;
    }
    case EventKind::Ready:
      if (event.thread < lastWait_.size() && lastWait_[event.thread] != kNoLane) {
        return lastWait_[event.thread];
      }
      return epollLane(event.thread, event.tNs);
    case EventKind::Busy:
    case EventKind::Herd: {
      // A busy run names the socket that keeps waking the engine, a herd its listener. One
      // closed since (or an import's inferred run, fd -1) has no lane: a new one would be a ghost.
      const std::uint32_t open = openLaneOf(event.fd);
      return open != kNoLane ? open : control(event);
    }
    case EventKind::Sample:
      // The ready-list poll probes the epoll instance: it belongs with epoll_wait.
      if (static_cast<SampleOf>(event.op) == SampleOf::ReadyList) {
        return epollLane(event.thread, event.tNs);
      }
      [[fallthrough]];
    case EventKind::Stranded:
    case EventKind::Blocked:
    case EventKind::Crash: {
      if (event.fd < 0) return control(event);
      const std::uint32_t lane = laneForFd(event, guessKind(event));
      if (imported) applyLabel(lane, event.conn);
      return lane;
    }
    case EventKind::Note:
      if (imported && static_cast<NoteOp>(event.op) == NoteOp::ClosedOnExec) {
        return closedOnExec(event);
      }
      return control(event);
    default:
      return control(event);
  }
}

std::uint32_t LaneTracker::fdLane(const TraceEvent& event) {
  ended_.clear();
  if (event.fd < 0) return control(event);
  const std::uint32_t lane = laneForFd(event, LaneKind::Connection);
  if ((event.flags & kEventImported) != 0) applyLabel(lane, event.conn);
  return lane;
}

void LaneTracker::promoteToListener(std::uint32_t lane) {
  LaneInfo& info = lanes_[lane];
  if (info.kind == LaneKind::Listener) return;
  info.kind = LaneKind::Listener;
  if (info.label == 0) info.name = laneName(LaneKind::Listener, info.fd);  // a label names better
}

std::uint32_t LaneTracker::openLaneOf(int fd) const {
  if (fd < 0) return kNoLane;
  if (fd < kDirectFds) {
    const auto index = static_cast<std::size_t>(fd);
    return index < openByFd_.size() ? openByFd_[index] : kNoLane;
  }
  const auto found = openByBigFd_.find(fd);
  return found == openByBigFd_.end() ? kNoLane : found->second;
}

std::uint32_t LaneTracker::callLane(const TraceEvent& event) {
  switch (event.call) {
    case Call::EpollCreate1:
    case Call::Eventfd2:
    case Call::Socket:
    case Call::Openat:
      return creationLane(event);
    case Call::EpollWait:
      return epollWaitLane(event);
    case Call::Accept4:
      return acceptLane(event);
    case Call::Listen: {
      if (event.fd < 0) return control(event);
      const std::uint32_t lane = laneForFd(event, LaneKind::Listener);
      if (event.ret >= 0) promoteToListener(lane);
      return lane;
    }
    case Call::Fcntl:
      // F_GETFD asks about a number that is usually free (the fd limit counting free
      // numbers): it must not open a lane for a socket that does not exist.
      if (event.b == F_GETFD && event.ret < 0) return control(event);
      return event.fd >= 0 ? laneForFd(event, LaneKind::Other) : control(event);
    case Call::CloseRange:  // a range of numbers, not one descriptor's story
      return control(event);
    case Call::Poll:
    case Call::Ppoll:
    case Call::Select:
    case Call::Pselect6:
      return pollWaitLane(event);
    case Call::Close: {
      if (event.fd < 0) return control(event);
      const std::uint32_t lane = laneForFd(event, LaneKind::Connection);
      // Whatever close returned, the number is free again (close(2): the fd is released
      // even on EINTR/EIO), so the lane ends here.
      const std::int64_t endNs = event.tNs + std::max<std::int64_t>(event.durNs, 0);
      endLane(lane, endNs);
      if ((event.flags & kEventImported) != 0) endImportedWaits(event.fd, endNs);
      return lane;
    }
    default:
      return event.fd >= 0 ? laneForFd(event, guessKind(event)) : control(event);
  }
}

// epoll_wait: the thread's wait lane (an imported one per epoll instance).
std::uint32_t LaneTracker::epollWaitLane(const TraceEvent& event) {
  if ((event.flags & kEventImported) != 0 && event.fd >= 0) {
    return importedEpollLane(event.thread, event.fd, event.tNs);
  }
  const std::uint32_t lane = epollLane(event.thread, event.tNs);
  // An imported trace may start after epoll_create1: adopt the epoll fd here so its
  // close still ends this lane.
  if (lanes_[lane].fd < 0 && event.fd >= 0 && openLaneOf(event.fd) == kNoLane) {
    lanes_[lane].fd = event.fd;
    bindFd(event.fd, lane, event.tNs);
  }
  return noteWait(event.thread, lane);
}

// accept4: the listener's lane; a new connection opens its own.
std::uint32_t LaneTracker::acceptLane(const TraceEvent& event) {
  if (event.fd < 0) return control(event);
  const std::uint32_t listener = laneForFd(event, LaneKind::Listener);
  if (event.ret >= 0) {
    // A trace that starts after listen() may have guessed the fd to be a connection
    // (from an earlier epoll_ctl): a successful accept says it is a listener.
    promoteToListener(listener);
    const std::uint32_t conn = newLane(LaneKind::Connection, static_cast<int>(event.ret), event);
    const bool imported = (event.flags & kEventImported) != 0;
    openConnection(conn, static_cast<int>(event.a), imported);
    if (imported) applyLabel(conn, static_cast<std::uint32_t>(event.c));
  }
  return listener;
}

// socket, openat, eventfd2, epoll_create1: the call goes to the lane its new fd opens.
std::uint32_t LaneTracker::creationLane(const TraceEvent& event) {
  const bool ok = event.ret >= 0;
  const int fd = static_cast<int>(event.ret);
  switch (event.call) {
    case Call::EpollCreate1: {
      if ((event.flags & kEventImported) != 0) {
        // The instance's descriptor, not a wait: the creating thread may never wait on it (a
        // library probing for epoll, memcached's main thread making its workers' instances).
        // Each thread's epoll_wait lane begins at its first wait.
        if (!ok) return control(event);
        const std::uint32_t lane = newLane(LaneKind::Other, fd, event);
        lanes_[lane].fdKind = FdKind::Epoll;
        lanes_[lane].name = "epoll fd " + fdText(fd);
        return lane;
      }
      const std::uint32_t lane = epollLane(event.thread, event.tNs);
      if (ok) {
        lanes_[lane].fd = fd;
        bindFd(fd, lane, event.tNs);
      }
      return lane;
    }
    case Call::Eventfd2: {
      if (!ok) return control(event);
      // The first eventfd is the engine's command doorbell: it becomes the control lane,
      // adopting an fd-less "engine" lane that an earlier Config may have opened.
      if (controlLane_ != kNoLane && lanes_[controlLane_].fd < 0) {
        lanes_[controlLane_].fd = fd;
        lanes_[controlLane_].name = laneName(LaneKind::Control, fd);
        bindFd(fd, controlLane_, event.tNs);
        return controlLane_;
      }
      const std::uint32_t lane = newLane(LaneKind::Control, fd, event);
      if (controlLane_ == kNoLane) controlLane_ = lane;
      return lane;
    }
    case Call::Socket:
      return ok ? newLane(LaneKind::Other, fd, event) : control(event);
    case Call::Openat:
      return ok ? newLane(LaneKind::IdleFd, fd, event) : control(event);
    default:
      return control(event);
  }
}

std::uint32_t LaneTracker::clientLane(const TraceEvent& event) {
  auto [it, inserted] = clientLanes_.try_emplace(event.conn, kNoLane);
  if (inserted) {
    it->second = static_cast<std::uint32_t>(lanes_.size());
    LaneInfo info;
    info.id = it->second;
    info.kind = LaneKind::Client;
    info.client = event.conn;
    info.fd = event.fd;
    info.name = "client " + std::to_string(event.conn);
    info.startNs = event.tNs;
    lanes_.push_back(std::move(info));
  }
  LaneInfo& lane = lanes_[it->second];
  if (event.kind != EventKind::ClientAction) return lane.id;
  if (event.fd >= 0) lane.fd = event.fd;
  const auto op = static_cast<ClientOp>(event.op);
  if ((op == ClientOp::Connect || op == ClientOp::Connected) && event.b > 0) {
    claimPort(lane.id, static_cast<int>(event.b));
  }
  if (op == ClientOp::Close || op == ClientOp::Reset) {
    lane.endNs = std::max(lane.startNs, event.tNs + std::max<std::int64_t>(event.durNs, 0));
    ended_.push_back(lane.id);
    releasePort(lane.id);
  }
  return lane.id;
}

// A new connection's peer: a built-in client if an open client lane has its port, else
// external. Imported traces have no client lanes (strace sees one process), so their
// connections keep the plain name and their labels.
void LaneTracker::openConnection(std::uint32_t lane, int peerPort, bool imported) {
  LaneInfo& info = lanes_[lane];
  info.peerPort = peerPort;
  info.external = !imported && !clientByPort_.contains(peerPort);
  info.name = "fd " + fdText(info.fd) + " \u2190 " +
              (info.external ? externalPeerName(peerPort) : ":" + std::to_string(peerPort));
  if (!imported) connByPeer_[peerPort] = lane;
}

void LaneTracker::claimPort(std::uint32_t clientLane, int localPort) {
  lanes_[clientLane].localPort = localPort;
  clientByPort_[localPort] = clientLane;
  // The engine may have accepted this client before the client recorded its Connect.
  const auto conn = connByPeer_.find(localPort);
  if (conn == connByPeer_.end()) return;
  LaneInfo& info = lanes_[conn->second];
  if (!info.external) return;
  info.external = false;
  info.name = "fd " + fdText(info.fd) + " \u2190 :" + std::to_string(localPort);
}

void LaneTracker::releasePort(std::uint32_t clientLane) {
  const auto found = clientByPort_.find(lanes_[clientLane].localPort);
  if (found != clientByPort_.end() && found->second == clientLane) clientByPort_.erase(found);
}

std::uint32_t LaneTracker::epollLane(std::uint8_t thread, std::int64_t tNs) {
  if (epollLaneByThread_.size() <= thread) epollLaneByThread_.resize(thread + 1u, kNoLane);
  std::uint32_t& slot = epollLaneByThread_[thread];
  if (slot != kNoLane) return slot;
  slot = static_cast<std::uint32_t>(lanes_.size());
  LaneInfo info;
  info.id = slot;
  info.kind = LaneKind::EpollWait;
  info.thread = thread;
  info.name = thread == 0 ? "epoll_wait" : "epoll_wait (worker " + std::to_string(thread) + ")";
  info.startNs = tNs;
  lanes_.push_back(std::move(info));
  return slot;
}

// poll, ppoll, select, pselect6: one wait lane per thread and call, named after the call (they
// wait on no epoll instance); the Ready records that follow land on it as epoll_wait's do.
std::uint32_t LaneTracker::pollWaitLane(const TraceEvent& event) {
  const std::uint32_t key =
      (std::uint32_t{event.thread} << 8) | static_cast<std::uint8_t>(event.call);
  auto [it, inserted] = pollLanes_.try_emplace(key, kNoLane);
  if (inserted) {
    it->second = static_cast<std::uint32_t>(lanes_.size());
    LaneInfo info;
    info.id = it->second;
    info.kind = LaneKind::EpollWait;
    info.thread = event.thread;
    info.name = std::string(callName(event.call));
    info.startNs = event.tNs;
    lanes_.push_back(std::move(info));
  }
  return noteWait(event.thread, it->second);
}

std::uint32_t LaneTracker::noteWait(std::uint8_t thread, std::uint32_t lane) {
  if (lastWait_.size() <= thread) lastWait_.resize(thread + 1u, kNoLane);
  lastWait_[thread] = lane;
  return lane;
}

std::uint32_t LaneTracker::control(const TraceEvent& event) {
  if (controlLane_ != kNoLane) return controlLane_;
  controlLane_ = static_cast<std::uint32_t>(lanes_.size());
  LaneInfo info;
  info.id = controlLane_;
  info.kind = LaneKind::Control;
  info.thread = event.thread;
  info.name = "engine";
  info.startNs = event.tNs;
  lanes_.push_back(std::move(info));
  return controlLane_;
}

std::uint32_t LaneTracker::laneForFd(const TraceEvent& event, LaneKind kindIfNew) {
  const std::uint32_t open = openLaneOf(event.fd);
  return open != kNoLane ? open : newLane(kindIfNew, event.fd, event);
}

std::uint32_t LaneTracker::newLane(LaneKind kind, int fd, const TraceEvent& event) {
  const auto id = static_cast<std::uint32_t>(lanes_.size());
  LaneInfo info;
  info.id = id;
  info.kind = kind;
  info.fd = fd;
  info.thread = event.thread;
  info.name = laneName(kind, fd);
  info.startNs = event.tNs;
  lanes_.push_back(std::move(info));
  bindFd(fd, id, event.tNs);
  return id;
}

void LaneTracker::bindFd(int fd, std::uint32_t lane, std::int64_t tNs) {
  if (fd < 0) return;
  // The number is still open in our books: its close was not recorded (dropped events, or a
  // trace that starts mid-run). The old lifetime ends where the new one begins.
  const std::uint32_t previous = openLaneOf(fd);
  if (previous != kNoLane && previous != lane) endLane(previous, tNs);
  if (fd < kDirectFds) {
    const auto index = static_cast<std::size_t>(fd);
    if (openByFd_.size() <= index) openByFd_.resize(index + 1, kNoLane);
    openByFd_[index] = lane;
  } else {
    openByBigFd_[fd] = lane;
  }
}

void LaneTracker::endLane(std::uint32_t lane, std::int64_t endNs) {
  LaneInfo& info = lanes_[lane];
  info.endNs = std::max(info.startNs, endNs);
  ended_.push_back(lane);
  if (info.kind == LaneKind::Connection && info.peerPort != 0) {
    const auto conn = connByPeer_.find(info.peerPort);
    if (conn != connByPeer_.end() && conn->second == lane) connByPeer_.erase(conn);
  }
  if (info.fd >= 0 && openLaneOf(info.fd) == lane) {
    if (info.fd < kDirectFds) {
      openByFd_[static_cast<std::size_t>(info.fd)] = kNoLane;
    } else {
      openByBigFd_.erase(info.fd);
    }
  }
  // A closed epoll fd or doorbell ends that role: the next epoll_wait / Config opens anew.
  if (info.kind == LaneKind::EpollWait && info.thread < epollLaneByThread_.size() &&
      epollLaneByThread_[info.thread] == lane) {
    epollLaneByThread_[info.thread] = kNoLane;
  }
  if (info.kind == LaneKind::EpollWait && info.fd >= 0 && !importedEpollLanes_.empty()) {
    const std::uint64_t key =
        (std::uint64_t{info.thread} << 32) | static_cast<std::uint32_t>(info.fd);
    const auto found = importedEpollLanes_.find(key);
    if (found != importedEpollLanes_.end() && found->second == lane) {
      importedEpollLanes_.erase(found);
    }
  }
  if (info.kind == LaneKind::EpollWait && info.thread < lastWait_.size() &&
      lastWait_[info.thread] == lane) {
    lastWait_[info.thread] = kNoLane;
  }
  if (lane == controlLane_) controlLane_ = kNoLane;
}

// What --state-out and the lanes' menus call each kind: "file" for the lanes of opened files
// (the idle fd, a log's files).
std::string_view laneKindName(LaneKind kind) {
  switch (kind) {
    case LaneKind::EpollWait:
      return "epoll_wait";
    case LaneKind::Listener:
      return "listener";
    case LaneKind::Connection:
      return "connection";
    case LaneKind::Control:
      return "control";
    case LaneKind::IdleFd:
      return "file";
    case LaneKind::Client:
      return "client";
    case LaneKind::Other:
      return "other";
  }
  return "other";
}

}  // namespace eps
