// One event forward: what each kind of event tells about the kernel's state. Each step costs
// O(log n) in the number of sockets (plus the diagnoses in force, a handful), so stepping the
// cursor forward is cheap whatever the trace's length.
#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>

#include "core/kernelstate/kernel_state.hpp"

namespace eps {
namespace {

// A Call that failed changed nothing in the kernel's tables.
bool succeeded(const TraceEvent& e) { return e.ret >= 0; }

void closeFd(KernelState& s, int fd) {
  s.sockets.erase(fd);
  s.epolls.erase(fd);
  for (auto& [epfd, instance] : s.epolls) {
    instance.interest.erase(fd);
    std::erase_if(instance.ready, [fd](const ReadyEntry& r) { return r.fd == fd; });
  }
}

void applyCtl(KernelState& s, const TraceEvent& e) {
  if (!succeeded(e)) return;
  EpollInstance& instance = s.epolls[static_cast<int>(e.a)];
  instance.epfd = static_cast<int>(e.a);
  if (e.op == EPOLL_CTL_DEL) {
    instance.interest.erase(e.fd);
    return;
  }
  // ADD and MOD both set the mask and arm the registration ("Modify will reread", epoll(7)).
  instance.interest[e.fd] = {e.fd, e.events, true};
  if (auto socket = s.sockets.find(e.fd); socket != s.sockets.end()) {
    socket->second.wokenSinceReport = true;
  }
}

void applyWait(KernelState& s, const TraceEvent& e) {
  const int epfd = e.call == Call::EpollWait ? e.fd : -1;
  EpollInstance& instance = s.epolls[epfd];
  instance.epfd = epfd;
  instance.ready.clear();
  instance.lastWaitNs = e.tNs;
  s.waitingOn[e.thread] = epfd;
}

void applyReady(KernelState& s, const TraceEvent& e) {
  const auto on = s.waitingOn.find(e.thread);
  if (on == s.waitingOn.end()) return;
  EpollInstance& instance = s.epolls[on->second];
  bool edge = false;
  if (auto entry = instance.interest.find(e.fd); entry != instance.interest.end()) {
    edge = (entry->second.mask & EPOLLET) != 0;
    // The kernel disarms a ONESHOT registration when it reports it.
    if (entry->second.mask & EPOLLONESHOT) entry->second.armed = false;
  }
  if (auto socket = s.sockets.find(e.fd); socket != s.sockets.end()) {
    socket->second.wokenSinceReport = false;
  }
  instance.ready.push_back({e.fd, e.events, edge});
}

void applyData(KernelState& s, const TraceEvent& e) {
  const std::int64_t moved = bytesMoved(e);
  // Only sockets the trace opened (an import's reads of files are no socket's).
  const auto found = s.sockets.find(e.fd);
  if (found == s.sockets.end()) return;
  SocketState& socket = found->second;
  socket.lastIoNs = e.tNs;
  if (e.call == Call::Read) {
    socket.recvExpected = std::max<std::int64_t>(0, socket.recvExpected - moved);
    socket.held += moved;
    socket.lastReadEagain = e.ret < 0 && e.err == EAGAIN;
    if (e.ret == 0 && e.err == 0) socket.peerEof = true;
  } else {
    socket.held = std::max<std::int64_t>(0, socket.held - moved);
  }
}

// Is `socket` readable for `entry` by a level sample taken after the engine's last read, write
// or accept on it and after the instance's last wait? A listener by its accept queue.
bool freshlyReadable(const SocketState& socket, const InterestEntry& entry,
                     const EpollInstance& instance) {
  const QueueLevels& q = socket.queues;
  if (!q.known || q.sampledNs < socket.lastIoNs || q.sampledNs < instance.lastWaitNs) return false;
  if (socket.listener) return (entry.mask & EPOLLIN) != 0 && q.recv > 0;
  return (q.level & (entry.mask | EPOLLERR | EPOLLHUP) & ~(EPOLLET | EPOLLONESHOT)) != 0;
}

// A poll of the epoll fd found a wakeup due. Which socket, poll(epfd) cannot say; but an armed
// level-triggered registration whose socket is readable is on the kernel's ready list (a
// wakeup appended it, or a report put it back: EPOLL-FACTS §1), so each one fresh samples show
// readable is put on the rebuilt list. An edge-triggered one may be readable and off the list
// (stranded): it is put there only if it was woken since it was last reported (bytes
// arrived while the engine was paused).
void addDueLevels(KernelState& s, EpollInstance& instance) {
  for (const auto& [registered, entry] : instance.interest) {
    const int fd = registered;  // a structured binding cannot be captured in C++20 (clang)
    const SocketState* socket = s.socket(fd);
    if (!entry.armed || socket == nullptr || !freshlyReadable(*socket, entry, instance)) continue;
    const bool edge = (entry.mask & EPOLLET) != 0;
    if (edge && !socket->wokenSinceReport) continue;
    const bool listed = std::any_of(instance.ready.begin(), instance.ready.end(),
                                    [fd](const ReadyEntry& r) { return r.fd == fd; });
    if (!listed) instance.ready.push_back({fd, socket->queues.level & entry.mask, edge});
  }
}

void applySample(KernelState& s, const TraceEvent& e) {
  const auto of = static_cast<SampleOf>(e.op);
  if (of == SampleOf::ReadyList) {
    EpollInstance& instance = s.epolls[e.fd];
    instance.epfd = e.fd;
    instance.dueSampleNs = e.tNs;
    instance.wakeupDue = e.events != 0;
    // poll(epfd) saw nothing due: the kernel's ready list is empty now, whatever the last wait
    // returned (an edge-triggered entry leaves it once reported).
    if (!instance.wakeupDue) instance.ready.clear();
    else addDueLevels(s, instance);
    return;
  }
  SocketState& socket = s.sockets[e.fd];
  socket.fd = e.fd;
  socket.listener = socket.listener || of == SampleOf::Listener;
  if (of == SampleOf::Socket && e.a > socket.recvExpected) socket.wokenSinceReport = true;
  if (of == SampleOf::Socket) socket.recvExpected = e.a;
  socket.queues = {true, e.a, e.b, of == SampleOf::Socket ? e.c : 0, e.events, e.tNs};
  // Bytes that arrive on a stranded socket are stranded too: the count follows the queue, as
  // the engine's wait sampler updates its view without a new diagnosis.
  if (of != SampleOf::Socket) return;
  for (DiagnosisState& d : s.diagnoses) {
    if (d.kind == EventKind::Stranded && d.fd == e.fd && !d.connections && d.count > 0) {
      d.count = std::max<std::int64_t>(e.a, 1);
    }
  }
}

// A call ends the diagnoses it answers: a stranded socket read (or closed) at last, a busy
// run that found something to do.
void endDiagnoses(KernelState& s, const TraceEvent& e) {
  const bool useful = (bytesMoved(e) > 0) || (e.call == Call::Accept4 && e.ret >= 0);
  std::erase_if(s.diagnoses, [&](const DiagnosisState& d) {
    if (d.untilNs >= 0) return false;
    if (d.kind == EventKind::Busy) return useful;
    return d.fd == e.fd && e.call != Call::EpollWait && e.call != Call::EpollCtl;
  });
}

// The thread's wait has returned and it moved on: an edge-triggered entry left the ready list
// when it was reported, a level-triggered one was put back on it (ep_send_events in
// fs/eventpoll.c; EPOLL-FACTS §2.1, §2.2), where it stays until a poll of the epoll fd finds
// nothing due. So after an ET wakeup the socket is off the list, bytes left or not.
void settleDelivered(KernelState& s, const TraceEvent& e) {
  const auto on = s.waitingOn.find(e.thread);
  if (on == s.waitingOn.end()) return;
  const auto instance = s.epolls.find(on->second);
  if (instance == s.epolls.end()) return;
  std::erase_if(instance->second.ready, [](const ReadyEntry& r) { return r.edge; });
}

void applyCall(KernelState& s, const TraceEvent& e) {
  if (e.call != Call::EpollWait) settleDelivered(s, e);
  if (e.actor == Actor::Engine) {
    EnginePosition& at = s.positions[e.thread];
    at = {e.thread, e.call, e.op, e.fd, e.ret, e.tNs, e.durNs, false};
    endDiagnoses(s, e);
  }
  switch (e.call) {
    case Call::EpollCreate1:
      if (succeeded(e)) s.epolls[static_cast<int>(e.ret)].epfd = static_cast<int>(e.ret);
      break;
    case Call::Socket:
      if (succeeded(e)) s.sockets[static_cast<int>(e.ret)].fd = static_cast<int>(e.ret);
      break;
    case Call::Accept4:
      if (succeeded(e)) {
        closeFd(s, static_cast<int>(e.ret));  // a reused number is a new socket
        SocketState& accepted = s.sockets[static_cast<int>(e.ret)];
        accepted.fd = static_cast<int>(e.ret);
        accepted.peerPort = static_cast<int>(e.a);
        s.sockets[e.fd].fd = e.fd;
        s.sockets[e.fd].listener = true;
      }
      if (auto listener = s.sockets.find(e.fd); listener != s.sockets.end()) {
        listener->second.lastIoNs = e.tNs;
      }
      break;
    case Call::Listen:
      if (succeeded(e)) {
        s.sockets[e.fd] = SocketState{};
        s.sockets[e.fd].fd = e.fd;
        s.sockets[e.fd].listener = true;
      }
      break;
    case Call::EpollCtl: applyCtl(s, e); break;
    case Call::Read:
    case Call::Write: applyData(s, e); break;
    case Call::Close:
      if (succeeded(e)) closeFd(s, e.fd);
      break;
    default:
      if (isReadinessWait(e.call)) applyWait(s, e);
      break;
  }
}

void applyDiagnosis(KernelState& s, const TraceEvent& e, std::size_t index) {
  DiagnosisState d;
  d.kind = e.kind;
  d.fd = e.fd;
  d.count = e.a;
  d.connections = e.kind == EventKind::Stranded &&
                  static_cast<StrandedWhat>(e.op) == StrandedWhat::Connections;
  d.inferred = (e.flags & kEventInferred) != 0;
  d.sinceNs = e.tNs;
  d.untilNs = e.durNs > 0 ? e.tNs + e.durNs : -1;
  d.index = index;
  // A newer diagnosis of the same kind on the same fd replaces the older one.
  std::erase_if(s.diagnoses,
                [&](const DiagnosisState& old) { return old.kind == d.kind && old.fd == d.fd; });
  s.diagnoses.push_back(d);
  // The engine diagnoses stranding right before it calls epoll_wait: it is asleep from here.
  if (e.kind == EventKind::Stranded && e.actor == Actor::Engine) {
    if (auto at = s.positions.find(e.thread); at != s.positions.end()) at->second.asleepAfter = true;
  }
}

}  // namespace

void applyEvent(KernelState& state, const TraceEvent& event, std::size_t index) {
  state.applied = index + 1;
  state.tNs = std::max(state.tNs, event.tNs);
  // Diagnoses with a known end end when time passes it.
  std::erase_if(state.diagnoses, [&](const DiagnosisState& d) {
    return d.untilNs >= 0 && event.tNs > d.untilNs;
  });
  switch (event.kind) {
    case EventKind::Call: applyCall(state, event); break;
    case EventKind::Ready: applyReady(state, event); break;
    case EventKind::Sample: applySample(state, event); break;
    case EventKind::Stranded:
    case EventKind::Busy:
    case EventKind::Blocked:
    case EventKind::Crash:
    case EventKind::Herd: applyDiagnosis(state, event, index); break;
    default: break;
  }
}

KernelState replayTo(std::span<const TraceEvent> events, std::size_t count) {
  KernelState state;
  count = std::min(count, events.size());
  for (std::size_t i = 0; i < count; ++i) applyEvent(state, events[i], i);
  return state;
}

}  // namespace eps
