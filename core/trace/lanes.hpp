// Assigns every trace event to a lane: one per socket lifetime (an fd between the call that
// created it and its close), one epoll_wait lane per engine thread, one per built-in client,
// and a control lane. Shared by the timeline model and the exports.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/trace/fd_kinds.hpp"

namespace eps {

enum class LaneKind : std::uint8_t {
  EpollWait,
  Listener,
  Connection,
  Control,
  IdleFd,
  Client,
  Other
};

struct LaneInfo {
  std::uint32_t id = 0;
  LaneKind kind = LaneKind::Other;
  int fd = -1;               // engine fd, or the client's fd
  std::uint32_t client = 0;  // client id for client lanes
  std::uint8_t thread = 0;   // engine worker index
  int peerPort = 0;          // connections: the peer's port (matches a client's local port)
  int localPort = 0;         // client lanes: the client's own port (a connection's peerPort)
  // Connections: the peer is no built-in client (nc, telnet, a script): no client lane has
  // its port. Named by that port, the only name the engine learns for it.
  bool external = false;
  std::string name;  // "fd 7 ← :43210", "fd 9 ← external :43211", "epoll_wait", "client 2"
  std::int64_t startNs = 0;
  std::int64_t endNs = -1;  // -1: still open
  std::uint32_t label = 0;  // imported lanes: the label that names it (0: none)
  // Imported lanes: what the label's decoration says the descriptor is.
  FdKind fdKind = FdKind::Unknown;
};

std::string_view laneKindName(LaneKind kind);  // "epoll_wait", "listener", "file", ...

// Ownership: one per consumer (timeline model, exporter), used by that consumer's thread;
// feed events in sequence order.
//
// Placement rules (why: the timeline draws one track per socket lifetime):
//  - a call goes to the lane of the fd it was made on (epoll_ctl: its target fd; accept4: the
//    listener, which also opens the new connection's lane); calls that create an fd and take
//    none (socket, openat, eventfd2, epoll_create1) go to the lane they create;
//  - epoll_wait goes to the epoll_wait lane of `event.thread`, poll (the engine under
//    poller=poll, or an import) to the thread's lane named for the call; Ready records go to
//    the lane of the thread's last wait;
//  - close ends the lane and frees the fd number, so a reused number gets a new lane;
//  - an event on an fd with no open lane (imported or mid-run traces) opens one, with its kind
//    guessed from the event;
//  - Busy goes to the open lane of the socket it names (the one that keeps waking the
//    engine), or to the control lane when that fd has no open lane;
//  - Config, Control, Step, Note and fd-less events go to the control lane;
//  - every event of Actor::Clients goes to the lane of its client id (`event.conn`);
//  - an accepted connection whose peer port is no built-in client's local port is external
//    ("fd 9 ← external :43211"). The client thread records its Connect after connect()
//    returns, which may be after the engine's accept4, so a client lane that later claims the
//    port turns that connection back into a built-in one.
// fd numbers are process-wide (workers share one fd table), so lanes are keyed by fd alone.
//
// Imported events (flags & kEventImported, see strace/import.hpp) differ in two ways: a
// thread may wait on several epoll instances, so each (thread, epfd) gets its own epoll_wait
// lane, opened by its first wait (epoll_create opens the instance's descriptor lane, "epoll fd
// N", which owns the number; its close ends every wait lane of the instance), and Ready
// records go to their thread's last one; and the importer names lanes from
// strace's fd decorations: `conn` is an index into setLabels()'s table naming the lane the
// event lands on (accept4's `c` names the new connection), the latest label winning (a
// socket's decoration gains its address at bind and listen). A label that names another
// descriptor (sameDescriptor: another kind, path or peer) means the number was reused without
// a close in the log: the old lane ends and a new one begins. The label also gives the lane its
// FdKind; a file's lane is a "file" lane (IdleFd), a pipe's or an eventfd's an Other lane, never
// a connection. A Note of NoteOp::ClosedOnExec (the importer's mark for an execve that closed
// a descriptor opened with O_CLOEXEC) ends the fd's lane.
class LaneTracker {
 public:
  static constexpr std::uint32_t kNoLane = UINT32_MAX;

  // The table imported events' `conn` indexes; must outlive the tracker's use. nullptr: none.
  void setLabels(const std::vector<std::string>* labels) { labels_ = labels; }

  // Returns the lane of `event`, creating or closing lanes as the calls say.
  std::uint32_t assign(const TraceEvent& event);
  // The open lane of `event.fd` (created as a Connection lane if none is open; the control
  // lane when fd < 0). The exporter uses it to put a Ready record on its socket's track.
  std::uint32_t fdLane(const TraceEvent& event);
  const std::vector<LaneInfo>& lanes() const { return lanes_; }

  // The lane open for `fd` right now, or kNoLane.
  std::uint32_t openLaneOf(int fd) const;
  std::uint32_t controlLane() const { return controlLane_; }
  // Lanes whose endNs the last assign()/fdLane() set (a close, or an fd number reused
  // without a close being seen, or a client closing).
  const std::vector<std::uint32_t>& endedByLastEvent() const { return ended_; }

 private:
  std::uint32_t callLane(const TraceEvent& event);
  std::uint32_t creationLane(const TraceEvent& event);
  std::uint32_t epollWaitLane(const TraceEvent& event);
  std::uint32_t acceptLane(const TraceEvent& event);
  std::uint32_t clientLane(const TraceEvent& event);
  std::uint32_t epollLane(std::uint8_t thread, std::int64_t tNs);
  std::uint32_t importedEpollLane(std::uint8_t thread, int epfd, std::int64_t tNs);
  std::uint32_t pollWaitLane(const TraceEvent& event);
  std::uint32_t noteWait(std::uint8_t thread, std::uint32_t lane);
  void applyLabel(std::uint32_t lane, std::uint32_t label);
  void endIfReused(const TraceEvent& event);
  std::uint32_t closedOnExec(const TraceEvent& event);
  void endImportedWaits(int epfd, std::int64_t endNs);
  void promoteToListener(std::uint32_t lane);
  std::uint32_t control(const TraceEvent& event);
  std::uint32_t laneForFd(const TraceEvent& event, LaneKind kindIfNew);
  std::uint32_t newLane(LaneKind kind, int fd, const TraceEvent& event);
  void bindFd(int fd, std::uint32_t lane, std::int64_t tNs);
  void endLane(std::uint32_t lane, std::int64_t endNs);
  void openConnection(std::uint32_t lane, int peerPort, bool imported);
  void claimPort(std::uint32_t clientLane, int localPort);
  void releasePort(std::uint32_t clientLane);

  std::vector<LaneInfo> lanes_;
  // fd -> open lane: a direct table for the small numbers the kernel hands out, a map for the
  // rare huge ones (imported traces), so lookups stay O(1) for any number of live fds.
  std::vector<std::uint32_t> openByFd_;
  std::unordered_map<int, std::uint32_t> openByBigFd_;
  std::vector<std::uint32_t> epollLaneByThread_;                  // index: engine thread
  std::unordered_map<std::uint32_t, std::uint32_t> clientLanes_;  // client id -> lane
  std::unordered_map<int, std::uint32_t> clientByPort_;  // open client's local port -> its lane
  std::unordered_map<int, std::uint32_t> connByPeer_;    // open connection's peer port -> lane
  std::uint32_t controlLane_ = kNoLane;
  std::vector<std::uint32_t> ended_;
  const std::vector<std::string>* labels_ = nullptr;
  // Imported: (thread << 32 | epfd) -> its epoll_wait lane; and each thread's last one.
  std::unordered_map<std::uint64_t, std::uint32_t> importedEpollLanes_;
  // Each thread's last wait lane (epoll_wait, poll, ...): where the Ready records after it go.
  std::vector<std::uint32_t> lastWait_;  // index: thread
  std::unordered_map<std::uint32_t, std::uint32_t> pollLanes_;  // thread << 8 | call -> lane
};

}  // namespace eps
