// The engine: a real epoll event loop on its own thread serving TCP clients on 127.0.0.1.
// Every call it makes goes through the KernelSeam and lands in the trace.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/engine_mode.hpp"
#include "core/base/knobs.hpp"
#include "core/base/names.hpp"  // engineModeName, for the engine's users
#include "core/base/trace_event.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

struct EngineOptions {
  Knobs knobs;
  int port = 0;       // 0: the kernel picks
  int backlog = 128;  // listen(2) backlog; keep above the number of simultaneous clients
  bool startPaused = false;
  // Record nothing and sample nothing: the same engine and binary without its instrument,
  // only to measure what recording costs (the echo benchmark's traced/untraced ratio).
  bool untraced = false;
};

// What the engine is doing right now, for the toolbar ("paused before read(7, 100)").
struct EngineStatus {
  EngineMode mode = EngineMode::Starting;
  Call pendingCall = Call::None;  // the call it is about to make (paused) or is in
  int pendingFd = -1;
  std::int64_t pendingBytes = 0;
  bool inCall = false;           // inside pendingCall right now (blocked in epoll_wait, ...)
  std::int64_t callSinceNs = 0;  // when that call began
  int paceMs = 0;
  std::uint64_t callsMade = 0;
  // Wakeups in a row that found nothing to do; from kBusyRun on, the engine is in a busy
  // loop right now (the `busy` diagnosis), and 0 again as soon as one wakeup does something.
  std::uint64_t idleWakeups = 0;
};

// Idle wakeups in a row that make a busy loop (and the first `busy` diagnosis).
inline constexpr std::uint64_t kBusyRun = 100;

// One socket as the kernel view shows it.
struct SocketView {
  int fd = -1;
  bool listener = false;
  int peerPort = 0;
  std::uint32_t interest = 0;  // mask registered with epoll (EPOLLET, EPOLLONESHOT included)
  bool armed = true;           // false: a ONESHOT registration that has fired
  std::int64_t recvQueue = 0;  // SIOCINQ; accept queue for the listener
  std::int64_t sendQueue = 0;  // SIOCOUTQ; backlog limit for the listener
  std::int64_t unsent = 0;     // SIOCOUTQNSD
  std::int64_t sampledNs = 0;  // when the queues above were read (CLOCK_MONOTONIC)
  std::size_t heldBytes = 0;   // bytes the engine read and has not written back yet
  bool peerEof = false;
  bool lastReadEagain = false;
  std::int64_t stranded = 0;  // bytes (or connections) waiting with no wakeup due
};

// Ownership: owned by its creator (UI, headless CLI, test); the loop runs on a thread the
// engine owns. All public methods are thread-safe; commands are applied by the engine
// thread between two calls and recorded there.
class Engine {
 public:
  Engine(Recorder& recorder, EngineOptions options);
  ~Engine();  // stops the loop and joins
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Creates the listener on 127.0.0.1 (from the engine thread) and starts the loop.
  // Returns the bound port; throws std::runtime_error naming the failed call.
  int start();
  void stop();

  // Every knob at once (a lesson's start, a session): the engine records each that changed.
  void setKnobs(const Knobs& knobs);
  // One knob to one value (as knobValueNumber gives it). Queued changes are applied in order,
  // each against the knobs then in force, so two edits made while the engine is paused or
  // paced both take effect. A value out of range is recorded as a refused `config` event.
  void setKnob(KnobId knob, std::int64_t value);
  // Sets the fd limit so that the engine can open exactly `more` descriptors, counted in the
  // engine's own descriptor table by the engine thread (lesson action limit-fds N).
  void allowMoreFds(int more);
  void run();
  void pause(PauseWhy why = PauseWhy::Asked);  // `why` goes into the recorded pause event
  void stepCall();                             // exactly one more call, then paused
  void stepWakeup();  // until the engine is about to call epoll_wait again, then paused
  void setPace(std::chrono::milliseconds delayBeforeEachCall);

  // Blocks until the engine thread has applied every command queued before this call.
  bool waitApplied(std::chrono::milliseconds bound);
  // Blocks until every command queued before this call is applied and the engine is then
  // paused (or stopped), with a bound.
  bool waitPaused(std::chrono::milliseconds bound);

  EngineStatus status() const;
  std::vector<SocketView> sockets() const;
  Knobs knobs() const;  // the knobs in force: the last applied
  // The knobs as they will be once every queued setKnob is applied (what a knobs panel shows
  // while an edit waits for a paused or paced engine).
  Knobs pendingKnobs() const;
  int port() const;
  // In the engine's own descriptor table (engine/fd_table.hpp): other threads read its
  // fdinfo as /proc/self/task/<engineTid()>/fdinfo/<epollFd()>, not /proc/self/fdinfo.
  int epollFd() const;
  int engineTid() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eps
