// Keeps the kernel view current while the engine sleeps in epoll_wait: bytes keep arriving on
// a socket whose ONESHOT registration fired, connections queue on an ET listener, and the
// engine, asleep, samples none of it. This thread does, without disturbing anything.
#pragma once

#include <cstdint>
#include <thread>

#include "core/engine/shared_state.hpp"

namespace eps {

// Ownership: created and destroyed by the engine thread (so its thread shares the engine's
// own descriptor table, where the numbers it probes mean the engine's sockets: see
// engine/fd_table.hpp); runs on its own thread, samples only while the engine thread is
// inside epoll_wait (EngineShared::engineWaiting, under waitMutex).
class WaitSampler {
 public:
  WaitSampler(TraceWriter& writer, EngineShared& shared);
  ~WaitSampler();
  WaitSampler(const WaitSampler&) = delete;
  WaitSampler& operator=(const WaitSampler&) = delete;

 private:
  void loop(std::stop_token stop);
  void sampleOnce();
  void sampleReadyList();

  std::uint64_t readyListSampledIn_ = 0;  // the wait (EngineShared::waits) last looked at

  TraceWriter& writer_;
  EngineShared& shared_;
  std::jthread thread_;
};

}  // namespace eps
