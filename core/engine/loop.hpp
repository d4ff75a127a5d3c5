// The engine thread's whole world: the epoll instance, the listener, the connections, the
// knobs in force, and the loop that serves them. Internal to core; the public face is Engine.
#pragma once

#include <netinet/in.h>
#include <sys/epoll.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/engine/command_queue.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/fd_table.hpp"
#include "core/engine/kernel_seam.hpp"
#include "core/engine/workers.hpp"

namespace eps {

// What the engine thread publishes for other threads. Ownership: shared by the Engine facade
// and the engine thread; every field is guarded by `mutex`.
struct EngineShared {
  mutable std::mutex mutex;
  std::condition_variable changed;
  EngineStatus status;
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
};

// epoll's data word: the fd in the low half (what strace prints as u32) and a serial in the
// high half, so an event for a closed fd is never taken for a new socket with the same number.
inline std::uint64_t epollData(std::uint32_t serial, int fd) {
  return (std::uint64_t{serial} << 32) | static_cast<std::uint32_t>(fd);
}

// One accepted connection, as the engine tracks it.
struct Conn {
  int fd = -1;
  std::uint32_t serial = 0;  // distinguishes a reused fd number; in epoll data's high half
  int peerPort = 0;
  std::uint32_t interest = 0;         // the mask registered with epoll right now
  bool armed = true;                  // false once a ONESHOT registration has reported
  bool flipWriting = false;           // write=flip (and seed000): registered for EPOLLOUT only
  std::string out;                    // bytes read and not yet written back
  std::size_t outOffset = 0;          // kept across partial writes (seed 000 reset it: duplicates)
  bool peerEof = false;               // read() returned 0
  bool lastReadEagain = false;        // the last read ended in EAGAIN: nothing left behind
  bool failed = false;                // a read or write failed (ECONNRESET, EPIPE): close it
  bool readPaused = false;            // back-pressure: over out-cap, EPOLLIN dropped (engine_io)
  bool rearmRead = false;             // ET: reading resumed with EPOLLIN still registered
  bool touched = true;                // sample it before the next epoll_wait
  SocketView view;                    // last sample, published to the kernel view
  std::int64_t strandedReported = 0;  // last stranded count recorded (0: none)
  std::size_t pendingOut() const { return out.size() - outOffset; }
};

// Ownership: created, used and destroyed on the engine thread. Other threads reach it only
// through the CommandQueue and read what it publishes into EngineShared.
class EngineLoop final : public CallGate {
 public:
  EngineLoop(Recorder& recorder, TraceWriter& writer, CommandQueue& commands, EngineShared& shared,
             const EngineOptions& options);
  ~EngineLoop() override;

  // eventfd, its own descriptor table, epoll instance, listener on 127.0.0.1; returns the port
  int setup();
  void serve();     // until a Stop command
  void teardown();  // closes every descriptor through the seam (recorded)

 private:
  struct StopRequested {};

  // The gate (engine/gate.cpp): run / pause / step / pace, and commands between two calls.
  void beforeCall(const PendingCall& call) override;
  void afterCall(const TraceEvent& recorded) override;
  bool mayProceed(const PendingCall& call);
  void applyCommands();
  void applyCommand(const Command& command);
  void applyKnobs(const Knobs& next);
  void applyOneKnob(KnobId knob, std::int64_t value);
  void allowMoreFds(int more);
  void recordConfig(KnobId knob, std::int64_t after, std::int64_t before, int err);
  void setMode(EngineMode mode, ControlOp op, std::int64_t argument = 0);
  void publishStatus(const PendingCall& call, bool inCall);
  void waitBeforeCall(std::int64_t paceNs);

  // The loop (engine/loop.cpp).
  void oneWakeup();
  void dispatch(const epoll_event& event);
  void setWaiting(bool waiting);
  void applyPendingRegistrations();
  void controlReady();
  void restartWorkers();
  int currentMaxEvents() const;
  void growEventsIfFull(int returned);

  // Connections (engine/io.cpp).
  void listenerReady();
  enum class AcceptResult { Accepted, Again, Retry, OutOfFds, Failed };
  AcceptResult acceptOne();
  AcceptResult shedWithIdleFd();
  void adopt(int fd, const sockaddr_in& peer);
  void connReady(Conn& conn, std::uint32_t events);
  void readFrom(Conn& conn);
  void writeTo(Conn& conn);
  void afterIo(Conn& conn, bool readData);
  bool overOutCap(const Conn& conn) const;
  void resumeBelowLowWater(Conn& conn);
  void compactOut(Conn& conn) const;
  void closeConn(Conn& conn);
  std::uint32_t wantedMask(const Conn& conn) const;
  std::uint32_t listenerMask() const;
  void registerConn(Conn& conn);
  void setBlocking(int fd, bool blocking) const;
  void applySocketOptions(int fd) const;
  void reopenIdleFd();
  void keepPayload(const char* bytes, ssize_t count);

  // Handler seed000 (engine/seed000.cpp): seed article 000's server, bugs included.
  void seedListenerReady();
  void seedConnReady(Conn& conn, std::uint32_t events);
  void seedRead(Conn& conn);
  void seedWrite(Conn& conn);
  void seedRegister(Conn& conn);
  void seedCloseThenDelete(Conn& conn);
  [[noreturn]] void seedExit(Call call, int fd, int err);
  void recordCrash(SeedFault fault, int fd, Call call, std::int64_t bytes, int err);
  bool seed() const { return knobs_.handler != Handler::Echo; }
  bool seedCharBuffers() const { return knobs_.handler == Handler::Seed000; }

  // Samples and diagnoses (engine/observe.cpp).
  void sampleBeforeWait();
  void sampleAll();
  void sampleConn(Conn& conn, bool readyListEmpty, bool candidate, bool judge = true);
  void sampleListener(bool readyListEmpty, bool judge = true);
  void noteWakeupResult(int returned, bool progress);
  void countIdleReports(int returned);
  int busiestFd() const;
  void publishSockets();
  void recordDiagnosis(EventKind kind, int fd, std::uint8_t op, std::int64_t a, std::int64_t b);

  TraceWriter& writer_;
  PayloadStore& payloads_;  // the bytes of each connection read, beside the trace
  CommandQueue& commands_;
  EngineShared& shared_;
  EngineOptions options_;
  Knobs knobs_;
  KernelSeam seam_;

  int epfd_ = -1;
  int controlFd_ = -1;
  int listenFd_ = -1;
  int idleFd_ = -1;
  int port_ = 0;
  std::uint32_t listenerInterest_ = 0;
  bool lastAcceptEagain_ = true;
  SocketView listenerView_;
  std::int64_t listenerStrandedReported_ = 0;
  bool listenerTouched_ = true;  // reported or accepted from since the last sample
  std::unordered_map<int, std::unique_ptr<Conn>> conns_;
  std::uint32_t nextSerial_ = 16;  // serials below 16 are reserved for the listener & control
  std::vector<epoll_event> events_;
  std::vector<char> readBuffer_;
  int grownMaxEvents_ = kGrowInitialEvents;

  // Gate state.
  EngineMode mode_ = EngineMode::Running;
  int stepBudget_ = 0;
  bool passedWait_ = false;
  bool stopping_ = false;
  bool gateOpen_ = true;  // setup and teardown run without pausing
  bool inGate_ = false;
  int paceMs_ = 0;
  std::int64_t lastPausedSampleNs_ = 0;
  bool needRegistration_ = false;
  bool idleFdChanged_ = false;
  bool workersChanged_ = false;
  bool listenerRegistered_ = false;  // in the engine's own epoll set (not while workers accept)
  WorkerPool workers_;
  EngineFdTable fdTable_;

  // Per-wakeup bookkeeping for diagnoses.
  bool progress_ = false;
  std::uint64_t idleRun_ = 0;
  std::unordered_map<int, std::uint64_t> idleReports_;  // fd -> reports in this idle run
  std::int64_t idleRunStartNs_ = 0;
  std::int64_t lastBusyReportNs_ = 0;
  bool socketsDirty_ = true;
};

}  // namespace eps
