// Samples and diagnoses: what the kernel holds that the engine does not see, read without
// disturbing it (kernel_probe.hpp), and what that means: stranded data, busy loops.
#include "core/engine/observer.hpp"

#include <poll.h>

#include <algorithm>

#include "core/base/kernel_probe.hpp"

namespace eps {
namespace {
constexpr std::int64_t kBusyReportEveryNs = 250'000'000;  // then one update per 250 ms
constexpr std::uint32_t kReadableLevel = EPOLLIN | EPOLLPRI | EPOLLRDHUP;

bool sameLevels(const SocketView& view, const SocketLevels& levels) {
  return view.recvQueue == levels.recvQueue && view.sendQueue == levels.sendQueue &&
         view.unsent == levels.unsent;
}
}  // namespace

// Each probe is a system call on the engine's hottest path, so a socket is sampled right
// before epoll_wait only where the sample can tell something: a socket whose bytes (or
// connections) may be stranded, which the diagnosis must judge now, every time. A socket the
// engine merely used is sampled again once kSampleIntervalNs has passed since its last look;
// while the engine sleeps the wait sampler (engine/sampler.hpp) looks for it. So an echo at
// full speed pays no probe per message, and a paced or stepped lesson, whose calls are far
// apart, still shows every queue change.
void Observer::sampleBeforeWait() {
  engineThread_.check();
  if (!observing_) return;
  nowNs_ = table_.seam().lastEndNs();  // no clock read: the last call just returned
  const Knobs& knobs = table_.knobs();
  ListenerState& listener = table_.listener();
  const bool listenerCandidate = knobs.listenTrigger == Trigger::Edge && !listener.lastAcceptEagain;
  bool anyCandidate = listenerCandidate;
  for (const auto& [fd, conn] : table_.conns()) anyCandidate = anyCandidate || candidate(*conn);
  // One poll on the epoll fd tells whether a wakeup is already due; only then can a
  // candidate's waiting bytes be called stranded. Skipped when nothing could be stranded.
  const bool readyListEmpty = anyCandidate && !sampleReadyList();
  // The accept queue changes only when the listener is reported (a connection arrived) or the
  // engine accepts; while it sleeps the wait sampler watches.
  const bool listenerWanted = listener.touched || listener.view.recvQueue != 0;
  if (listenerCandidate || (listenerWanted && due(listener.view))) {
    sampleListener(readyListEmpty);
    listener.touched = false;
  } else {
    endStranding(listener.view, listener.strandedReported);
  }
  for (auto& [fd, conn] : table_.conns()) {
    const bool strandable = candidate(*conn);
    if (strandable || (conn->touched && due(conn->view))) {
      sampleConn(*conn, readyListEmpty, strandable);
    } else {
      if (conn->touched) noteEngineState(*conn);
      endStranding(conn->view, conn->strandedReported);
    }
  }
  if (table_.changed()) publishSockets();
}

// ET (or a fired ONESHOT), reading, and the last read did not end in EAGAIN: bytes may be
// left behind with no wakeup coming (EPOLL-FACTS §2.1).
bool Observer::candidate(const Conn& conn) const {
  const bool edgeOrDisarmed = table_.knobs().connTrigger == Trigger::Edge || !conn.armed;
  return edgeOrDisarmed && !conn.lastReadEagain && !conn.peerEof && (conn.interest & EPOLLIN) != 0;
}

// A socket that is no candidate is stranded by definition no more: said without a probe.
void Observer::endStranding(SocketView& view, std::int64_t& reported) {
  if (view.stranded != 0) table_.markChanged();
  view.stranded = 0;
  reported = 0;
}

bool Observer::due(const SocketView& view) const {
  return nowNs_ - view.sampledNs >= kSampleIntervalNs;
}

// The ready-list poll is a call too: recorded as its own sample (on the epoll_wait lane).
bool Observer::sampleReadyList() {
  const PollLevel level = probeReadyList(table_.epfd());
  TraceEvent sample = probeSample(SampleOf::ReadyList, table_.epfd(), level.probes);
  sample.events = level.revents;
  writer_.record(sample);
  return (level.revents & POLLIN) != 0;
}

// While paused: the queues, each connection's level and the ready list, not the diagnosis.
// Stranded means "the engine is going to sleep with this waiting"; a paused engine is not
// going anywhere, so its diagnosis stands as it was. The kernel goes on meanwhile: bytes that
// arrive put a socket on the ready list, and a level-triggered socket drained before the pause
// leaves it at the next poll. The level, then the ready list, so a reader of the trace can tell
// which socket is due (core/kernelstate/apply.cpp).
void Observer::sampleAll() {
  engineThread_.check();
  if (!observing_) return;
  nowNs_ = monotonicNs();
  sampleListener(false, false);
  for (auto& [fd, conn] : table_.conns()) sampleConn(*conn, false, true, false);
  sampleReadyList();
}

void Observer::sampleListener(bool readyListEmpty, bool judge) {
  ListenerState& listener = table_.listener();
  SocketView& view = listener.view;
  const ListenerLevels levels = probeListener(listener.fd);
  // Recorded every time, changed or not: the sample names the call it made (DESIGN
  // "Observing without disturbing"), so the trace keeps every call of the engine thread.
  TraceEvent sample = probeSample(SampleOf::Listener, listener.fd, levels.probes);
  sample.a = levels.acceptQueue;
  sample.b = levels.backlogLimit;
  writer_.record(sample);
  view.sampledNs = nowNs_;
  if (levels.acceptQueue != view.recvQueue || levels.backlogLimit != view.sendQueue) {
    view.recvQueue = levels.acceptQueue;
    view.sendQueue = levels.backlogLimit;
    table_.markChanged();
  }
  if (!judge) return;
  // An ET listener whose last accept did not end in EAGAIN, with connections queued and no
  // wakeup due: they wait until the next connection arrives (EPOLL-FACTS §2.3).
  const bool stranded = readyListEmpty && table_.knobs().listenTrigger == Trigger::Edge &&
                        !listener.lastAcceptEagain && levels.acceptQueue > 0;
  const std::int64_t count = stranded ? levels.acceptQueue : 0;
  if (view.stranded != count) table_.markChanged();
  view.stranded = count;
  // One diagnosis per stranding: recorded when it starts or its count changes (a wakeup in
  // between resets strandedReported, so the same count after it is a new one).
  if (count > 0 && count != listener.strandedReported) {
    recordDiagnosis(EventKind::Stranded, listener.fd,
                    static_cast<std::uint8_t>(StrandedWhat::Connections), count, 0);
  }
  listener.strandedReported = count;
}

void Observer::sampleConn(Conn& conn, bool readyListEmpty, bool strandable, bool judge) {
  conn.touched = false;
  const SocketLevels levels = probeSocket(conn.fd);
  const PollLevel poll = strandable ? probeLevel(conn.fd) : PollLevel{};
  const std::uint32_t level = poll.revents;
  // Recorded every time, changed or not: the sample names the calls it made.
  TraceEvent sample = probeSample(SampleOf::Socket, conn.fd, levels.probes | poll.probes);
  sample.conn = conn.serial;
  sample.a = levels.recvQueue;
  sample.b = levels.sendQueue;
  sample.c = levels.unsent;
  sample.events = level;
  writer_.record(sample);
  conn.view.sampledNs = nowNs_;
  if (!sameLevels(conn.view, levels)) {
    conn.view.recvQueue = levels.recvQueue;
    conn.view.sendQueue = levels.sendQueue;
    conn.view.unsent = levels.unsent;
    table_.markChanged();
  }
  noteEngineState(conn);
  if (!judge) return;
  // Stranded: ET (or a fired ONESHOT) ∧ readable by level — poll, not SIOCINQ alone, which
  // misses urgent data and a FIN (§2.11) ∧ the last read did not end in EAGAIN ∧ nothing is
  // on the ready list, so epoll_wait is going to sleep (DESIGN "Observing without disturbing").
  const bool stranded = strandable && readyListEmpty && (level & kReadableLevel) != 0;
  // A FIN or urgent byte with no counted bytes still strands the socket: count it as 1.
  const std::int64_t count = stranded ? std::max<std::int64_t>(levels.recvQueue, 1) : 0;
  if (conn.view.stranded != count) table_.markChanged();
  conn.view.stranded = count;
  if (count > 0 && count != conn.strandedReported) {
    recordDiagnosis(EventKind::Stranded, conn.fd, static_cast<std::uint8_t>(StrandedWhat::Bytes),
                    levels.recvQueue, level);
  }
  conn.strandedReported = count;
}

// What the engine itself knows of a connection needs no probe. Held bytes change without any
// queue changing (a drain read into the engine's buffer): the kernel view must still be
// republished, or it shows a stale figure.
void Observer::noteEngineState(Conn& conn) {
  SocketView& view = conn.view;
  if (view.heldBytes != conn.pendingOut() || view.peerEof != conn.peerEof ||
      view.lastReadEagain != conn.lastReadEagain || view.armed != conn.armed) {
    table_.markChanged();
  }
  view.heldBytes = conn.pendingOut();
  view.peerEof = conn.peerEof;
  view.lastReadEagain = conn.lastReadEagain;
  view.armed = conn.armed;
}

// Busy: wakeups that found nothing to do — LT with EPOLLOUT always registered on an idle
// socket (EPOLL-FACTS §2.4), LT on a half-closed socket never closed (§2.7), LT on EMFILE (§2.9).
void Observer::noteWakeupResult(std::span<const epoll_event> returned, int controlFd,
                                bool progress) {
  engineThread_.check();
  if (!observing_) return;
  if (progress || returned.empty()) {
    idleRun_ = 0;
    idleReports_.clear();
    return;
  }
  countIdleReports(returned, controlFd);
  const std::int64_t now = table_.seam().lastEndNs();  // epoll_wait just returned
  if (idleRun_++ == 0) idleRunStartNs_ = now;
  const bool first = idleRun_ == kBusyRun;
  const bool update = idleRun_ > kBusyRun && now - lastBusyReportNs_ >= kBusyReportEveryNs;
  if (!first && !update) return;
  lastBusyReportNs_ = now;
  const std::int64_t elapsed = std::max<std::int64_t>(now - idleRunStartNs_, 1);
  const auto perSecond =
      static_cast<std::int64_t>(static_cast<double>(idleRun_) * 1e9 / static_cast<double>(elapsed));
  recordDiagnosis(EventKind::Busy, busiestFd(), 0, static_cast<std::int64_t>(idleRun_), perSecond);
}

// Which sockets the idle wakeups of this run reported (the engine's own eventfd is no socket:
// a command that wakes it is not part of a busy loop).
void Observer::countIdleReports(std::span<const epoll_event> returned, int controlFd) {
  for (const epoll_event& event : returned) {
    const int fd = static_cast<int>(event.data.u64 & 0xffffffffu);
    if (fd != controlFd) ++idleReports_[fd];
  }
}

// The busy diagnosis names one socket: the one reported most in the run, i.e. the one that
// keeps waking the engine (the idle connection with EPOLLOUT always registered; the listener
// in the EMFILE loop). One diagnosis per run, not one per socket, so its rate stays the run's
// wakeups per second; with several sockets reported equally (two idle connections), the
// lowest fd stands for them all. The fd puts the label on that socket's lane.
int Observer::busiestFd() const {
  int busiest = -1;
  std::uint64_t most = 0;
  for (const auto& [fd, count] : idleReports_) {
    if (count > most || (count == most && fd < busiest)) {
      busiest = fd;
      most = count;
    }
  }
  return busiest;
}

void Observer::recordDiagnosis(EventKind kind, int fd, std::uint8_t op, std::int64_t a,
                               std::int64_t b) {
  TraceEvent diagnosis;
  diagnosis.kind = kind;
  diagnosis.fd = fd;
  diagnosis.op = op;
  diagnosis.a = a;
  diagnosis.events = kind == EventKind::Stranded ? static_cast<std::uint32_t>(b) : 0;
  diagnosis.b = kind == EventKind::Stranded ? 0 : b;
  writer_.record(diagnosis);
}

void Observer::publishSockets() {
  engineThread_.check();
  table_.published();
  std::lock_guard lock(shared_.mutex);
  adoptFresherSamples();
  shared_.sockets.clear();
  shared_.sockets.push_back(table_.listener().view);
  for (const auto& [fd, conn] : table_.conns()) {
    conn->view.heldBytes = conn->pendingOut();
    conn->view.peerEof = conn->peerEof;
    conn->view.lastReadEagain = conn->lastReadEagain;
    conn->view.armed = conn->armed;
    shared_.sockets.push_back(conn->view);
  }
  shared_.changed.notify_all();
}

// The wait sampler writes its samples straight into the published views; a socket this
// thread has not sampled since keeps them (shared_.mutex held). The index is a reused member,
// sorted by fd: no allocation once it has grown.
void Observer::adoptFresherSamples() {
  std::vector<std::pair<int, std::size_t>>& byFd = publishedByFd_;
  byFd.clear();
  for (std::size_t i = 0; i < shared_.sockets.size(); ++i)
    byFd.emplace_back(shared_.sockets[i].fd, i);
  std::sort(byFd.begin(), byFd.end());
  const auto adopt = [this, &byFd](SocketView& view) {
    const auto found =
        std::lower_bound(byFd.begin(), byFd.end(), std::pair{view.fd, std::size_t{0}});
    if (found == byFd.end() || found->first != view.fd) return;
    const SocketView& theirs = shared_.sockets[found->second];
    if (theirs.listener != view.listener || theirs.peerPort != view.peerPort ||
        theirs.sampledNs <= view.sampledNs) {
      return;
    }
    view.recvQueue = theirs.recvQueue;
    view.sendQueue = theirs.sendQueue;
    view.unsent = theirs.unsent;
    view.sampledNs = theirs.sampledNs;
  };
  adopt(table_.listener().view);
  for (auto& [fd, conn] : table_.conns()) adopt(conn->view);
}

// Every call publishes here, so no lock: the status cell is a sequence lock. A waiter on
// `changed` (Engine::waitPaused) hears the pause under the mutex, after the store.
void Observer::publishStatus(const PendingCall& call, bool inCall, EngineMode mode, int paceMs,
                             std::uint64_t callsMade, std::int64_t sinceNs) {
  engineThread_.check();
  status_.mode = inCall ? mode : EngineMode::Paused;
  status_.pendingCall = call.call;
  status_.pendingFd = call.fd;
  status_.pendingBytes = call.bytes;
  status_.inCall = inCall;
  status_.callSinceNs = sinceNs;
  status_.paceMs = paceMs;
  status_.callsMade = callsMade;
  status_.idleWakeups = idleRun_;
  shared_.status.store(status_);
  if (inCall) return;
  std::lock_guard lock(shared_.mutex);
  shared_.changed.notify_all();
}

void Observer::publishCallDone(std::uint64_t callsMade) {
  engineThread_.check();
  status_.inCall = false;
  status_.callsMade = callsMade;
  shared_.status.store(status_);
}

void Observer::publishMode(EngineMode mode) {
  engineThread_.check();
  status_.mode = mode;
  shared_.status.store(status_);
}

void Observer::publishKnobs(const Knobs& knobs) {
  engineThread_.check();
  std::lock_guard lock(shared_.mutex);
  shared_.knobs = knobs;
}

void Observer::publishEndpoints(int port, int epfd) {
  engineThread_.check();
  std::lock_guard lock(shared_.mutex);
  shared_.port = port;
  shared_.epfd = epfd;
}

void Observer::publishProcessWakeFd(int fd) {
  engineThread_.check();
  std::lock_guard lock(shared_.mutex);
  shared_.processWakeFd = fd;
}

void Observer::publishStopped() {
  engineThread_.check();
  status_.mode = EngineMode::Stopped;
  status_.inCall = false;
  shared_.status.store(status_);
  std::lock_guard lock(shared_.mutex);
  shared_.sockets.clear();
  shared_.changed.notify_all();
}

}  // namespace eps
