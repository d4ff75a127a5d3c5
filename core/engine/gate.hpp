// The engine's gate: every call the engine thread makes passes here first. Commands (knob
// changes, run, pause, step, pace) are applied here, between two calls, and recorded; a
// paused engine waits here, making no call at all, while clients and the kernel go on.
#pragma once

#include <cstdint>

#include "core/base/knobs.hpp"
#include "core/engine/command_queue.hpp"
#include "core/engine/conn_table.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/fd_table.hpp"
#include "core/engine/kernel_seam.hpp"
#include "core/engine/observer.hpp"
#include "core/engine/thread_check.hpp"

namespace eps {

// Hears each change of the knobs in force as the gate applies it, to do what the change
// needs (new registrations, the spare descriptor, workers) before the next epoll_wait.
// Ownership: implemented by the EventLoop; called on the engine thread only.
class KnobsListener {
 public:
  virtual ~KnobsListener() = default;
  // `effects`: the KnobEffect bits of every knob that changed (core/base/knobs.hpp).
  virtual void knobsApplied(std::uint8_t effects) = 0;
};

// Ownership: owned by the EventLoop; created, used and destroyed on the engine thread (the
// KernelSeam calls it there before and after every call).
class Gate final : public CallGate {
 public:
  Gate(ConnTable& table, Observer& observer, CommandQueue& commands, TraceWriter& writer,
       EngineFdTable& fdTable, KnobsListener& listener, bool startPaused);

  // Throws StopServing on a Stop command.
  std::int64_t beforeCall(const PendingCall& call) override;
  void afterCall(const TraceEvent& recorded) override;
  // Setup and teardown run with the gate open: no pause, no pace, no command.
  void setOpen(bool open) { open_ = open; }
  void applyCommands();
  void waitWhilePaused(const PendingCall& call);
  // Every knob that differs is recorded as a config event, then in force.
  void applyKnobs(const Knobs& next);

 private:
  bool mayProceed(const PendingCall& call);
  void applyCommand(const Command& command);
  void applyOneKnob(KnobId knob, std::int64_t value);
  void allowMoreFds(int more);
  void recordConfig(KnobId knob, std::int64_t after, std::int64_t before, int err);
  void refuseConflict(const Knobs& before, const Knobs& next, KnobId conflict);
  void setMode(EngineMode mode, ControlOp op, std::int64_t argument = 0);
  void setPace(int paceMs);
  void waitBeforeCall(std::int64_t paceNs);
  void publishStatus(const PendingCall& call, bool inCall, std::int64_t sinceNs);

  EngineThread engineThread_;
  ConnTable& table_;
  Observer& observer_;
  CommandQueue& commands_;
  TraceWriter& writer_;
  EngineFdTable& fdTable_;
  KnobsListener& listener_;

  EngineMode mode_;
  int stepBudget_ = 0;
  bool passedWait_ = false;
  bool stopping_ = false;
  bool open_ = true;
  bool inGate_ = false;
  int paceMs_ = 0;
  std::int64_t lastPausedSampleNs_ = 0;
};

}  // namespace eps
