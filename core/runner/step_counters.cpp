#include "core/runner/step_counters.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <set>
#include <string>

namespace eps {
namespace {

// Which engine fds are connections, which is the listener and the control eventfd, from the
// calls that created them.
struct FdRoles {
  std::set<int> connections;
  int listener = -1;
  std::set<int> control;  // eventfds: the engine's command fd and the workers' stop fds
};

FdRoles rolesUpTo(std::span<const TraceEvent> events, std::size_t end) {
  FdRoles roles;
  for (std::size_t i = 0; i < end; ++i) {
    const TraceEvent& e = events[i];
    if (e.kind != EventKind::Call || e.actor != Actor::Engine) continue;
    if (e.call == Call::Eventfd2 && e.ret >= 0) roles.control.insert(static_cast<int>(e.ret));
    if (e.call == Call::Listen && e.ret == 0) roles.listener = e.fd;
    if (e.call == Call::Accept4 && e.ret >= 0) roles.connections.insert(static_cast<int>(e.ret));
  }
  return roles;
}

// The step's tally: every StepTally counter, and the port the last accept4 returned (for
// accepted_client).
struct Tally {
  LessonCounts n;
  std::int64_t lastAcceptPeer = 0;
};

void countRead(const TraceEvent& e, Tally& t) {
  using enum LessonCounter;
  ++t.n[Reads];
  t.n[LastReadRet] = e.ret;
  t.n[LastReadErrno] = e.err;
  if (e.ret > 0) ++t.n[ReadsWithData], t.n[BytesRead] += e.ret;
}

void countWrite(const TraceEvent& e, Tally& t) {
  using enum LessonCounter;
  ++t.n[Writes];
  t.n[LastWriteErrno] = e.err;
  if (e.ret > 0) t.n[BytesWritten] += e.ret;
  if (e.ret > 0 && e.ret < e.a) ++t.n[PartialWrites];
  if (e.ret < 0 && e.err == EAGAIN) ++t.n[WriteEagains];
}

void countCall(const TraceEvent& e, const FdRoles& roles, Tally& t) {
  using enum LessonCounter;
  const bool conn = roles.connections.count(e.fd) != 0;
  switch (e.call) {
    case Call::EpollWait:
    case Call::Poll:
    case Call::Ppoll:
      ++t.n[Waits];
      if (e.call != Call::EpollWait) t.n[FdsPassed] += e.a;  // a: nfds
      if (e.ret == 0) ++t.n[Timeouts];
      break;
    case Call::Read:
      if (conn) countRead(e, t);
      break;
    case Call::Write:
      if (conn) countWrite(e, t);
      break;
    case Call::Accept4:
      t.n[LastAcceptErrno] = e.err;
      if (e.ret >= 0) ++t.n[Accepts], t.lastAcceptPeer = e.a;
      if (e.ret < 0 && e.err == EMFILE) ++t.n[AcceptEmfile];
      if (e.ret < 0 && e.err == EAGAIN) ++t.n[AcceptEagains];
      break;
    case Call::EpollCtl:
      ++t.n[EpollCtls];
      if (e.op == EPOLL_CTL_MOD) ++t.n[EpollCtlMods];
      break;
    case Call::Close:
      if (conn) ++t.n[Closes];
      break;
    default:
      break;
  }
}

void countReady(const TraceEvent& e, const FdRoles& roles, Tally& t) {
  using enum LessonCounter;
  if (roles.connections.count(e.fd) == 0) return;
  if (e.events & EPOLLOUT) ++t.n[EpolloutReports];
  if (e.events & EPOLLRDHUP) ++t.n[RdhupReports];
  if (e.events & EPOLLHUP) ++t.n[HupReports];
  if (e.events & EPOLLERR) ++t.n[ErrReports];
}

void countDiagnosis(const TraceEvent& e, Tally& t) {
  using enum LessonCounter;
  if (e.kind == EventKind::Busy) {
    ++t.n[Busy];
  } else if (e.kind == EventKind::Blocked) {
    ++t.n[Blocked];
    t.n[BlockedMs] = std::max<std::int64_t>(t.n[BlockedMs], e.a / 1'000'000);
  } else if (e.kind == EventKind::Stranded && (e.flags & kEventImported) != 0 &&
             (e.flags & kEventInferred) == 0 &&
             static_cast<StrandedWhat>(e.op) == StrandedWhat::Bytes) {
    // A traced example's stranding, measured from a sample of its socket (one per stranding).
    t.n[MeasuredStrandedBytes] += e.a;
  } else if (e.kind == EventKind::Crash) {
    const auto fault = static_cast<SeedFault>(e.op);
    ++t.n[fault == SeedFault::ReadPastArray   ? Overreads
          : fault == SeedFault::StackOverflow ? Crashes
                                              : Exits];
  }
}

// A wakeup is an epoll_wait (or poll) return that reported at least one socket: commands reaching
// the engine through its eventfd are plumbing, not a wakeup a lesson talks about.
Tally tally(const StepWindow& w) {
  Tally t;
  FdRoles roles = rolesUpTo(w.all, w.begin);
  // Per engine thread (0: the engine, 1..4: workers): is its last call an epoll_wait, and was
  // that return counted as a wakeup yet.
  constexpr std::size_t kThreads = 8;
  std::array<bool, kThreads> inWait{}, counted{};
  for (std::size_t i = w.begin; i < w.all.size(); ++i) {
    const TraceEvent& e = w.all[i];
    if (e.actor != Actor::Engine && e.kind != EventKind::Stranded) continue;
    const std::size_t thread = std::min<std::size_t>(e.thread, kThreads - 1);
    if (e.kind == EventKind::Call) {
      if (e.call == Call::Eventfd2 && e.ret >= 0) roles.control.insert(static_cast<int>(e.ret));
      inWait[thread] = isReadinessWait(e.call);
      counted[thread] = false;
      if (e.call == Call::Accept4 && e.ret >= 0) roles.connections.insert(static_cast<int>(e.ret));
      countCall(e, roles, t);
    } else if (e.kind == EventKind::Ready && inWait[thread]) {
      if (roles.control.count(e.fd) == 0 && !counted[thread]) {
        ++t.n[LessonCounter::Wakeups];
        if (thread > 0) ++t.n[LessonCounter::WorkerWakeups];
        counted[thread] = true;
      }
      countReady(e, roles, t);
    } else {
      countDiagnosis(e, t);
    }
  }
  return t;
}

// Every StepTally counter: the tally, and the two worked out from it and the step window.
LessonCounts stepTally(const StepWindow& w) {
  Tally t = tally(w);
  const double seconds = static_cast<double>(std::max<std::int64_t>(w.endNs - w.startNs, 1)) / 1e9;
  t.n[LessonCounter::WakeupsPerS] =
      static_cast<std::int64_t>(static_cast<double>(t.n[LessonCounter::Wakeups]) / seconds);
  for (std::size_t i = 0; i < w.clients.size(); ++i) {
    if (w.clients[i].localPort == t.lastAcceptPeer) {
      t.n[LessonCounter::AcceptedClient] = static_cast<std::int64_t>(i) + 1;
    }
  }
  return t.n;
}

// ready_due: the engine's last ReadyList sample, if no engine call came after it (a call may
// have changed the list: a wait empties it, a read drains a socket). An engine asleep in
// epoll_wait has nothing due, or it would not be asleep.
std::int64_t readyDue(const StepWindow& w) {
  if (w.engineAsleep) return 0;
  for (std::size_t i = w.all.size(); i-- > 0;) {
    const TraceEvent& e = w.all[i];
    if (e.actor != Actor::Engine) continue;
    if (e.kind == EventKind::Call) return -1;
    if (e.kind == EventKind::Sample && static_cast<SampleOf>(e.op) == SampleOf::ReadyList) {
      return e.events != 0 ? 1 : 0;
    }
  }
  return -1;
}

// Every KernelNow counter, summed over the engine's sockets; ready_due from the trace.
LessonCounts kernelNow(const StepWindow& w) {
  using enum LessonCounter;
  LessonCounts n;
  n[ReadyDue] = readyDue(w);
  for (const SocketView& s : w.sockets) {
    if (s.listener) {
      n[StrandedConnections] += s.stranded;
      n[Backlog] += s.recvQueue;
    } else {
      n[StrandedBytes] += s.stranded;
      n[RecvQueue] += std::max<std::int64_t>(s.recvQueue, 0);
    }
  }
  return n;
}

std::int64_t lost(const ClientStats& c) {
  return static_cast<std::int64_t>(c.mismatched + c.outstanding());
}

// Every ClientsNow counter: totals over the lesson's clients, and its newest client's own.
LessonCounts clientsNow(const StepWindow& w) {
  using enum LessonCounter;
  LessonCounts n;
  for (const ClientStats& c : w.clients) {
    n[SentBytes] += static_cast<std::int64_t>(c.sent);
    n[EchoedBytes] += static_cast<std::int64_t>(c.echoed);
    n[CorruptedBytes] += static_cast<std::int64_t>(c.mismatched);
    n[LostBytes] += lost(c);
    n[ClientEof] += c.eof ? 1 : 0;
  }
  if (!w.clients.empty()) {
    n[NewestEchoedBytes] = static_cast<std::int64_t>(w.clients.back().echoed);
    n[NewestLostBytes] = lost(w.clients.back());
  }
  return n;
}

}  // namespace

std::int64_t stepCounter(const StepWindow& w, LessonCounter counter) {
  switch (counterInfo(counter).kind) {
    case CounterKind::KernelNow:
      return kernelNow(w)[counter];
    case CounterKind::ClientsNow:
      return clientsNow(w)[counter];
    case CounterKind::StepTally:
    case CounterKind::LogTally:  // no lesson counter is a log's
      break;
  }
  return stepTally(w)[counter];
}

LessonCounts stepCounters(const StepWindow& w) {
  const LessonCounts tallied = stepTally(w), kernel = kernelNow(w), clients = clientsNow(w);
  LessonCounts all;
  for (const CounterInfo& info : lessonCounters()) {
    const auto id = static_cast<LessonCounter>(info.id);
    all[id] = info.kind == CounterKind::KernelNow    ? kernel[id]
              : info.kind == CounterKind::ClientsNow ? clients[id]
                                                     : tallied[id];
  }
  return all;
}

std::optional<std::int64_t> stepCounter(const StepWindow& w, std::string_view name) {
  const std::optional<LessonCounter> counter = lessonCounterFromName(name);
  if (!counter) return std::nullopt;
  return stepCounter(w, *counter);
}

}  // namespace eps
