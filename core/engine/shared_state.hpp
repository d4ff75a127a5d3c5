// What the engine thread publishes for other threads (the Engine facade, the wait sampler).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "core/base/knobs.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/status_cell.hpp"

namespace eps {

// Ownership: shared by the Engine facade and the engine thread; every field but `status` is
// guarded by `mutex`. On the engine thread only the Observer writes it (and the EventLoop the
// wait flag). `status` is published without the lock on every call (StatusCell); a change a
// waiter on `changed` needs (paused, stopped) is also notified under the mutex.
struct EngineShared {
  mutable std::mutex mutex;
  std::condition_variable changed;
  StatusCell status;
  std::vector<SocketView> sockets;
  Knobs knobs;
  int port = 0;
  int epfd = -1;
  int tid = 0;
  // The command eventfd's copy in the process's descriptor table (the engine thread has its
  // own: engine/fd_table.hpp); closed by the Engine facade once the engine thread is joined.
  int processWakeFd = -1;

  // Held by the sampler thread while it probes, and taken by the engine thread when
  // epoll_wait returns: no descriptor can be closed while another thread probes it.
  std::mutex waitMutex;
  bool engineWaiting = false;  // guarded by waitMutex
  std::uint64_t waits = 0;     // guarded by waitMutex: the waits begun, so far
};

}  // namespace eps
