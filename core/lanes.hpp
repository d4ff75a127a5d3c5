// Assigns every trace event to a lane: one per socket lifetime (an fd between the call that
// created it and its close), one epoll_wait lane per engine thread, one per built-in client,
// and a control lane. Shared by the timeline model and the exports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace_event.hpp"

namespace eps {

enum class LaneKind : std::uint8_t { EpollWait, Listener, Connection, Control, IdleFd, Client, Other };

struct LaneInfo {
  std::uint32_t id = 0;
  LaneKind kind = LaneKind::Other;
  int fd = -1;              // engine fd, or the client's fd
  std::uint32_t client = 0; // client id for client lanes
  std::uint8_t thread = 0;  // engine worker index
  int peerPort = 0;         // connections: the peer's port (matches a client's local port)
  std::string name;         // "fd 7 ← :43210", "epoll_wait", "client 2"
  std::int64_t startNs = 0;
  std::int64_t endNs = -1;  // -1: still open
};

// Ownership: one per consumer (timeline model, exporter); feed events in sequence order.
class LaneTracker {
 public:
  // Returns the lane of `event`, creating or closing lanes as the calls say.
  std::uint32_t assign(const TraceEvent& event);
  const std::vector<LaneInfo>& lanes() const { return lanes_; }

 private:
  std::vector<LaneInfo> lanes_;
  // (thread, fd) -> open lane id; small linear maps keep this dependency-free and fast
  // enough for the handful of live sockets a lesson has.
  struct OpenFd {
    std::uint8_t thread;
    int fd;
    std::uint32_t lane;
  };
  std::vector<OpenFd> open_;
  std::vector<std::uint32_t> epollLaneByThread_;
  std::vector<std::uint32_t> clientLanes_;  // index: client id
  std::uint32_t controlLane_ = UINT32_MAX;
};

}  // namespace eps
