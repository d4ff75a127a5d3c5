// Control reaching the engine thread: a locked queue plus an eventfd in the engine's epoll
// set (muduo's EventLoop::queueInLoop pattern). The eventfd is written only when the engine
// may be asleep in epoll_wait; while it is paused it waits on a condition variable instead,
// so a paused engine makes no call at all.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include "core/base/knobs.hpp"
#include "core/base/trace_event.hpp"

namespace eps {

struct Command {
  enum class Type : std::uint8_t {
    SetKnobs,
    SetKnob,
    AllowFds,
    Run,
    Pause,
    StepCall,
    StepWakeup,
    SetPace,
    Stop,
    Barrier
  };
  Type type = Type::Barrier;
  Knobs knobs;                          // SetKnobs: every knob at once
  KnobId knob = KnobId::ReadChunk;      // SetKnob: this one knob ...
  std::int64_t value = 0;               // ... to this value (as knobValueNumber gives it)
  PauseWhy pauseWhy = PauseWhy::Asked;  // Pause
  int moreFds = 0;                      // AllowFds: descriptors the engine may still open
  int paceMs = 0;                       // SetPace
  std::uint64_t ticket = 0;
};

// Ownership: shared by the Engine facade (any thread pushes) and the engine thread (takes).
class CommandQueue {
 public:
  // Engine thread: the eventfd to write when the engine sleeps; -1 before closing it.
  void setWakeFd(int eventFd);

  // Any thread. Returns the command's ticket.
  std::uint64_t push(Command command);

  // Engine thread: cheap check before every call.
  bool hasPending() const { return pending_.load(std::memory_order_acquire); }
  std::deque<Command> takeAll();
  // Engine thread: called before (true) and after (false) epoll_wait. Returns true when a
  // command is already queued, in which case the caller should not sleep.
  bool enterWait();
  void leaveWait() { inWait_.store(false, std::memory_order_seq_cst); }
  // Engine thread, pausing before a wait: commands no longer write the eventfd (the paused
  // engine hears them on the condition variable), so a command sent while paused does not
  // leave the eventfd readable, due on the ready list. Returns whether it was in the wait;
  // if so the caller calls enterWait() again before the wait.
  bool suspendWait() { return inWait_.exchange(false, std::memory_order_seq_cst); }
  // Engine thread: sleep (not in a system call the trace records) until a command or timeout.
  void waitForCommand(std::chrono::milliseconds bound);
  void markApplied(std::uint64_t ticket);

  // Any thread: wait until every command with a ticket <= `ticket` was applied.
  bool waitApplied(std::uint64_t ticket, std::chrono::milliseconds bound);
  std::uint64_t lastTicket() const;
  std::uint64_t appliedTicket() const;
  // Wakes every waiter (the engine thread ended).
  void close();

 private:
  mutable std::mutex mutex_;
  std::condition_variable engineCv_;   // engine waits for commands
  std::condition_variable appliedCv_;  // callers wait for application
  std::deque<Command> queue_;
  std::uint64_t nextTicket_ = 1;
  std::uint64_t applied_ = 0;
  bool closed_ = false;
  std::atomic<bool> pending_{false};
  std::atomic<bool> inWait_{false};
  int wakeFd_ = -1;  // guarded by mutex_
};

}  // namespace eps
