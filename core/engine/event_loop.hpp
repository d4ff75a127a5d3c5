// The engine thread's loop (muduo's EventLoop, redis' aeMain): it owns the epoll instance and
// the command eventfd, waits, and dispatches each event to the gate (commands) or to the
// handler the `handler` knob names; between two waits it makes the registrations that
// applied knobs call for. Internal to core; the public face is Engine.
#pragma once

#include <sys/epoll.h>

#include <vector>

#include "core/engine/acceptor.hpp"
#include "core/engine/command_queue.hpp"
#include "core/engine/conn_table.hpp"
#include "core/engine/echo_handler.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/fd_table.hpp"
#include "core/engine/gate.hpp"
#include "core/engine/kernel_seam.hpp"
#include "core/engine/observer.hpp"
#include "core/engine/poll_set.hpp"
#include "core/engine/seed000_handler.hpp"
#include "core/engine/shared_state.hpp"
#include "core/engine/thread_check.hpp"
#include "core/engine/workers.hpp"

namespace eps {

// Ownership: created, used and destroyed on the engine thread, with every descriptor it
// makes. Other threads reach it only through the CommandQueue and read what its Observer
// publishes into EngineShared.
class EventLoop final : private KnobsListener {
 public:
  EventLoop(Recorder& recorder, TraceWriter& writer, CommandQueue& commands, EngineShared& shared,
            const EngineOptions& options);
  ~EventLoop() override;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // eventfd, its own descriptor table, epoll instance, listener on 127.0.0.1; returns the
  // port. Throws std::runtime_error naming the call that failed.
  int setup();
  void serve();     // until a Stop command (or seed 000's exit)
  void teardown();  // closes every descriptor through the seam (recorded)

 private:
  // What applied knobs left to do before the next epoll_wait.
  struct PendingWork {
    bool registrations = false;  // a mask-changing knob: MOD every socket
    bool idleFd = false;         // open or close the spare descriptor
    bool workers = false;        // start, stop or restart the worker pool
    bool poller = false;         // leave the epoll set for poll(2), or join it again
  };

  void knobsApplied(std::uint8_t effects) override;
  void openListener();
  void registerInitial();
  void oneWakeup();
  // One wait, as the poller knob says; the entries it reported are in events_. -1 on EINTR.
  int waitEpoll();
  int waitPoll();
  void switchPoller();
  void epollSetOp(int op);
  bool dispatch(const epoll_event& event);
  ConnHandler& handler();
  void setWaiting(bool waiting);
  bool applyPendingRegistrations();
  void reregisterAll();
  void restartWorkers();
  void controlReady();
  int currentMaxEvents() const;
  void growEventsIfFull(int returned);

  EngineThread engineThread_;
  TraceWriter& writer_;
  CommandQueue& commands_;
  EngineShared& shared_;
  EngineOptions options_;
  // The seam's gate is gate_, constructed below: the seam only keeps the reference until then.
  KernelSeam seam_;
  ConnTable table_;
  Observer observer_;
  Gate gate_;
  Acceptor acceptor_;
  EchoHandler echo_;
  Seed000Handler seed_;
  WorkerPool workers_;
  EngineFdTable fdTable_;

  int controlFd_ = -1;
  int port_ = 0;
  std::vector<epoll_event> events_;
  PollSet pollSet_;
  int grownMaxEvents_ = kGrowInitialEvents;
  PendingWork pending_;
};

}  // namespace eps
