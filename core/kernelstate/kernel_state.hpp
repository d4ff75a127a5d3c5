// The kernel's state at one instant of a trace, rebuilt from the trace's events alone (no
// engine, no replay of calls): epoll's interest lists, each socket's queues as the last sample
// saw them, the ready list the last wait returned, the bytes the engine holds, the diagnoses
// in force and where each engine thread is. Works for every trace the window shows: a lesson,
// free play, an strace import, a tour, a live trace, a saved session.
//
// applyEvent() moves a state one event forward, cheaply; KernelReplay (replay.hpp) keeps
// checkpoints so going back is cheap too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/base/phrases.hpp"
#include "core/base/trace_event.hpp"

namespace eps {

// One fd on an epoll instance's interest list.
struct InterestEntry {
  int fd = -1;
  std::uint32_t mask = 0;  // as registered: EPOLLET and EPOLLONESHOT included
  bool armed = true;       // false: a ONESHOT registration a wakeup reported (until a MOD)

  bool operator==(const InterestEntry&) const = default;
};

// One fd the last wait returned, and whether an edge (EPOLLET) or a level put it there.
struct ReadyEntry {
  int fd = -1;
  std::uint32_t events = 0;
  bool edge = false;

  bool operator==(const ReadyEntry&) const = default;
};

struct EpollInstance {
  int epfd = -1;  // -1: poll/select waits (no epoll instance)
  std::map<int, InterestEntry> interest;
  // What the last wait on it returned: an edge-triggered entry until its thread's next call
  // (reported, it is off the kernel's list), a level-triggered one until a poll of the epoll
  // fd (a ReadyList sample) finds nothing due. A sample that finds a wakeup due also adds the
  // level-triggered sockets its fresh level samples show readable (bytes that arrived while
  // the engine was paused put them there).
  std::vector<ReadyEntry> ready;
  std::int64_t lastWaitNs = -1;   // when that wait began (-1: none yet)
  // The last poll of the epoll fd (a ReadyList sample): is a wakeup due? -1: never sampled.
  std::int64_t dueSampleNs = -1;
  bool wakeupDue = false;

  bool operator==(const EpollInstance&) const = default;
};

// A socket's queues from its last Sample at or before the instant.
struct QueueLevels {
  bool known = false;          // false: no sample yet ("unknown")
  std::int64_t recv = 0;       // receive queue; a listener's accept queue
  std::int64_t send = 0;       // send queue; a listener's backlog limit
  std::int64_t unsent = 0;     // not yet sent (SIOCOUTQNSD)
  std::uint32_t level = 0;     // poll revents the sample saw (0 when it did not poll)
  std::int64_t sampledNs = 0;  // the sample's time

  bool operator==(const QueueLevels&) const = default;
};

struct SocketState {
  int fd = -1;
  bool listener = false;
  QueueLevels queues;
  std::int64_t held = 0;  // bytes the engine read from it and has not written back yet
  bool peerEof = false;   // a read returned 0
  bool lastReadEagain = false;  // the last read ended in EAGAIN: drained
  int peerPort = 0;             // accept4's peer port (0: not known)
  std::int64_t lastIoNs = -1;   // the engine's last read, write or accept on it (-1: none)
  // Bytes the receive queue should hold if nothing arrived: the last sample's, less the reads
  // since. A sample above it saw bytes arrive, and each arrival wakes the socket.
  std::int64_t recvExpected = 0;
  // The socket was woken (bytes arrived, or an ADD or MOD re-polled it) since a wait last
  // reported it: an edge-triggered registration is back on the ready list if it is readable.
  bool wokenSinceReport = false;

  bool operator==(const SocketState&) const = default;
};

// A diagnosis in force at the instant.
struct DiagnosisState {
  EventKind kind = EventKind::Stranded;
  int fd = -1;
  std::int64_t count = 0;  // stranded bytes or connections; busy: idle wakeups
  bool connections = false;
  bool inferred = false;
  std::int64_t sinceNs = 0;
  std::int64_t untilNs = -1;  // -1: until the next call on fd (or, busy, the next useful one)
  std::size_t index = 0;      // the diagnosis event's index in the trace

  bool operator==(const DiagnosisState&) const = default;
};

// Where one engine thread is: its last call at or before the instant.
struct EnginePosition {
  std::uint8_t thread = 0;
  Call call = Call::None;
  std::uint8_t op = 0;  // the call's variant (CallVariant), for its exact name
  int fd = -1;
  std::int64_t ret = 0;
  std::int64_t tNs = 0;
  std::int64_t durNs = 0;
  // The thread went to sleep in a wait the trace has not seen return: a stranded diagnosis
  // came after its last call (the engine diagnoses right before it calls epoll_wait).
  bool asleepAfter = false;

  bool operator==(const EnginePosition&) const = default;
};

struct KernelState {
  std::size_t applied = 0;  // events applied: the state after events [0, applied)
  std::int64_t tNs = 0;     // the last applied event's time
  std::map<int, EpollInstance> epolls;
  std::map<int, SocketState> sockets;
  std::vector<DiagnosisState> diagnoses;
  std::map<std::uint8_t, EnginePosition> positions;
  // Book-keeping of the step: the epoll instance each thread's last wait was on (its Ready
  // records follow it).
  std::map<std::uint8_t, int> waitingOn;

  bool operator==(const KernelState&) const = default;
  std::int64_t heldTotal() const;
  // The socket if the trace shows one at fd, else null.
  const SocketState* socket(int fd) const;
  // Is fd on some epoll instance's last ready list?
  bool onReadyList(int fd) const;
  // fd's interest entry on any epoll instance, or null.
  const InterestEntry* interestOf(int fd) const;
  // A stranded diagnosis in force for fd (null: none).
  const DiagnosisState* strandedAt(int fd) const;
};

// Moves `state` forward by `event`, the trace's event number `index` (== state.applied).
void applyEvent(KernelState& state, const TraceEvent& event, std::size_t index);

// The state after events [0, count) of `events`, replayed from the start (no checkpoints).
KernelState replayTo(std::span<const TraceEvent> events, std::size_t count);

// "in epoll_wait on 5", "handling fd 14: read", "asleep in epoll_wait (stranded)" for the
// thread at the instant `atNs`.
std::string positionText(const EnginePosition& position, std::int64_t atNs, Phrases say = nullptr);
// "stranded 4096 B on fd 7", "busy: 300 idle wakeups", ...
std::string diagnosisText(const DiagnosisState& diagnosis, Phrases say = nullptr);

}  // namespace eps
