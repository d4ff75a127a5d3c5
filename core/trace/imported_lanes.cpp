// LaneTracker's rules for imported events (strace logs): labels from -yy decorations and
// the descriptor kinds they give, lifetimes a reused number or an execve ends, and the
// epoll_wait lanes of each (thread, epoll instance). The rest of the tracker is lanes.cpp.
#include <string>
#include <vector>

#include "core/trace/lanes.hpp"

namespace eps {

// An imported event whose label names another descriptor than the fd's open lane: the log
// never showed the close (a library's raw syscall, a close strace missed, a dup2 over it), so
// that lifetime ends here and laneForFd opens the new one.
void LaneTracker::endIfReused(const TraceEvent& event) {
  if (event.fd < 0 || event.conn == 0 || labels_ == nullptr || event.conn >= labels_->size()) {
    return;
  }
  const std::uint32_t open = openLaneOf(event.fd);
  if (open == kNoLane || lanes_[open].label == 0 || lanes_[open].label == event.conn) return;
  if (sameDescriptor(labelDecoration((*labels_)[lanes_[open].label]),
                     labelDecoration((*labels_)[event.conn]))) {
    return;
  }
  endLane(open, event.tNs);
}

// An execve closed the descriptor (it had FD_CLOEXEC): its lane ends where the exec began.
std::uint32_t LaneTracker::closedOnExec(const TraceEvent& event) {
  const std::uint32_t open = openLaneOf(event.fd);
  endImportedWaits(event.fd, event.tNs);
  if (open == kNoLane) return control(event);
  endLane(open, event.tNs);
  return open;
}

// An imported epoll fd closed: every thread's wait lane on that instance ends with it, so a
// new instance on the same number gets lanes of its own.
void LaneTracker::endImportedWaits(int epfd, std::int64_t endNs) {
  std::vector<std::uint32_t> waits;
  for (const auto& [key, lane] : importedEpollLanes_) {
    if (static_cast<int>(key & 0xffffffffU) == epfd) waits.push_back(lane);
  }
  for (const std::uint32_t lane : waits) {
    if (lanes_[lane].endNs < 0) endLane(lane, endNs);
  }
}

void LaneTracker::applyLabel(std::uint32_t lane, std::uint32_t label) {
  if (label == 0 || labels_ == nullptr || label >= labels_->size()) return;
  LaneInfo& info = lanes_[lane];
  if (info.label == label) return;
  info.label = label;
  info.name = (*labels_)[label];
  const FdKind kind = fdKindOfDecoration(labelDecoration(info.name));
  if (kind == FdKind::Unknown) return;
  info.fdKind = kind;
  // What a read or a close guessed (a connection) yields to what the decoration says.
  if (info.kind != LaneKind::Connection && info.kind != LaneKind::Other) return;
  if (kind == FdKind::File) info.kind = LaneKind::IdleFd;
  if (kind != FdKind::File && !fdKindIsSocket(kind)) info.kind = LaneKind::Other;
  // A socket() lane that got a peer (a client's connect) is a connection.
  if (fdKindIsSocket(kind) && info.name.find("->") != std::string::npos) {
    info.kind = LaneKind::Connection;
  }
}

// An imported thread's lane for one epoll instance. The first lane made for an epfd owns the
// number (its close ends that lane); another thread waiting on the same instance gets a lane
// of its own, as its waits overlap the first thread's.
std::uint32_t LaneTracker::importedEpollLane(std::uint8_t thread, int epfd, std::int64_t tNs) {
  const std::uint64_t key = (std::uint64_t{thread} << 32) | static_cast<std::uint32_t>(epfd);
  auto [it, inserted] = importedEpollLanes_.try_emplace(key, kNoLane);
  if (inserted) {
    it->second = static_cast<std::uint32_t>(lanes_.size());
    LaneInfo info;
    info.id = it->second;
    info.kind = LaneKind::EpollWait;
    info.fd = epfd;
    info.thread = thread;
    info.name = "epoll_wait epfd " + std::to_string(epfd);
    info.startNs = tNs;
    lanes_.push_back(std::move(info));
    // The number belongs to the instance's descriptor lane (epoll_create) or, in a log that
    // starts later, to the first wait lane; anything else open on it is a stale lifetime.
    const std::uint32_t owner = openLaneOf(epfd);
    if (owner == kNoLane ||
        (lanes_[owner].kind != LaneKind::EpollWait && lanes_[owner].fdKind != FdKind::Epoll)) {
      bindFd(epfd, it->second, tNs);
    }
  }
  return noteWait(thread, it->second);
}

}  // namespace eps
