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

struct Tally {
  std::int64_t wakeups = 0, timeouts = 0, reads = 0, readsWithData = 0, bytesRead = 0;
  std::int64_t lastReadRet = 0, lastReadErrno = 0, writes = 0, bytesWritten = 0;
  std::int64_t partialWrites = 0, writeEagains = 0, lastWriteErrno = 0, epolloutReports = 0;
  std::int64_t accepts = 0, acceptEmfile = 0, lastAcceptErrno = 0, lastAcceptPeer = 0;
  std::int64_t mods = 0, closes = 0, busy = 0, blocked = 0, blockedMs = 0;
  std::int64_t rdhup = 0, hup = 0, err = 0, acceptEagain = 0;
  std::int64_t overreads = 0, crashes = 0, exits = 0, workerWakeups = 0;
};

void countCall(const TraceEvent& e, const FdRoles& roles, Tally& t) {
  const bool conn = roles.connections.count(e.fd) != 0;
  switch (e.call) {
    case Call::EpollWait:
      if (e.ret == 0) ++t.timeouts;
      break;
    case Call::Read:
      if (!conn) break;
      ++t.reads;
      t.lastReadRet = e.ret;
      t.lastReadErrno = e.err;
      if (e.ret > 0) ++t.readsWithData, t.bytesRead += e.ret;
      break;
    case Call::Write:
      if (!conn) break;
      ++t.writes;
      t.lastWriteErrno = e.err;
      if (e.ret > 0) t.bytesWritten += e.ret;
      if (e.ret > 0 && e.ret < e.a) ++t.partialWrites;
      if (e.ret < 0 && e.err == EAGAIN) ++t.writeEagains;
      break;
    case Call::Accept4:
      t.lastAcceptErrno = e.err;
      if (e.ret >= 0) ++t.accepts, t.lastAcceptPeer = e.a;
      if (e.ret < 0 && e.err == EMFILE) ++t.acceptEmfile;
      if (e.ret < 0 && e.err == EAGAIN) ++t.acceptEagain;
      break;
    case Call::EpollCtl:
      if (e.op == EPOLL_CTL_MOD) ++t.mods;
      break;
    case Call::Close:
      if (conn) ++t.closes;
      break;
    default:
      break;
  }
}

// A wakeup is an epoll_wait return that reported at least one socket: commands reaching the
// engine through its eventfd are plumbing, not a wakeup a lesson talks about.
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
      inWait[thread] = e.call == Call::EpollWait;
      counted[thread] = false;
      if (e.call == Call::Accept4 && e.ret >= 0) roles.connections.insert(static_cast<int>(e.ret));
      countCall(e, roles, t);
    } else if (e.kind == EventKind::Ready && inWait[thread]) {
      if (roles.control.count(e.fd) == 0 && !counted[thread]) {
        ++t.wakeups;
        if (thread > 0) ++t.workerWakeups;
        counted[thread] = true;
      }
      if (roles.connections.count(e.fd) == 0) continue;
      if (e.events & EPOLLOUT) ++t.epolloutReports;
      if (e.events & EPOLLRDHUP) ++t.rdhup;
      if (e.events & EPOLLHUP) ++t.hup;
      if (e.events & EPOLLERR) ++t.err;
    } else if (e.kind == EventKind::Busy) {
      ++t.busy;
    } else if (e.kind == EventKind::Blocked) {
      ++t.blocked;
      t.blockedMs = std::max<std::int64_t>(t.blockedMs, e.a / 1'000'000);
    } else if (e.kind == EventKind::Crash) {
      const auto fault = static_cast<SeedFault>(e.op);
      ++(fault == SeedFault::ReadPastArray   ? t.overreads
         : fault == SeedFault::StackOverflow ? t.crashes
                                             : t.exits);
    }
  }
  return t;
}

std::int64_t kernelCounter(const StepWindow& w, std::string_view name) {
  std::int64_t total = 0;
  for (const SocketView& s : w.sockets) {
    if (name == "stranded_bytes" && !s.listener) total += s.stranded;
    if (name == "stranded_connections" && s.listener) total += s.stranded;
    if (name == "backlog" && s.listener) total += s.recvQueue;
    if (name == "recv_queue" && !s.listener) total += std::max<std::int64_t>(s.recvQueue, 0);
  }
  return total;
}

std::int64_t clientCounter(const StepWindow& w, std::string_view name) {
  std::int64_t total = 0;
  for (const ClientStats& c : w.clients) {
    if (name == "sent_bytes") total += static_cast<std::int64_t>(c.sent);
    if (name == "echoed_bytes") total += static_cast<std::int64_t>(c.echoed);
    if (name == "corrupted_bytes") total += static_cast<std::int64_t>(c.mismatched);
    if (name == "lost_bytes") total += static_cast<std::int64_t>(c.mismatched + c.outstanding());
    if (name == "client_eof") total += c.eof ? 1 : 0;
  }
  if (!w.clients.empty()) {
    const ClientStats& newest = w.clients.back();
    if (name == "newest_echoed_bytes") total = static_cast<std::int64_t>(newest.echoed);
    if (name == "newest_lost_bytes") {
      total = static_cast<std::int64_t>(newest.mismatched + newest.outstanding());
    }
  }
  return total;
}

std::int64_t acceptedClient(const StepWindow& w, std::int64_t peerPort) {
  for (std::size_t i = 0; i < w.clients.size(); ++i) {
    if (w.clients[i].localPort == peerPort) return static_cast<std::int64_t>(i) + 1;
  }
  return 0;
}

}  // namespace

std::int64_t stepCounter(const StepWindow& w, std::string_view name) {
  if (name == "stranded_bytes" || name == "stranded_connections" || name == "backlog" ||
      name == "recv_queue") {
    return kernelCounter(w, name);
  }
  if (name == "sent_bytes" || name == "echoed_bytes" || name == "corrupted_bytes" ||
      name == "lost_bytes" || name == "client_eof" || name == "newest_echoed_bytes" ||
      name == "newest_lost_bytes") {
    return clientCounter(w, name);
  }
  const Tally t = tally(w);
  if (name == "wakeups_per_s") {
    const double seconds =
        static_cast<double>(std::max<std::int64_t>(w.endNs - w.startNs, 1)) / 1e9;
    return static_cast<std::int64_t>(static_cast<double>(t.wakeups) / seconds);
  }
  if (name == "accepted_client") return acceptedClient(w, t.lastAcceptPeer);
  const std::pair<std::string_view, std::int64_t> values[] = {
      {"wakeups", t.wakeups},
      {"timeouts", t.timeouts},
      {"reads", t.reads},
      {"reads_with_data", t.readsWithData},
      {"bytes_read", t.bytesRead},
      {"last_read_ret", t.lastReadRet},
      {"last_read_errno", t.lastReadErrno},
      {"writes", t.writes},
      {"bytes_written", t.bytesWritten},
      {"partial_writes", t.partialWrites},
      {"write_eagains", t.writeEagains},
      {"last_write_errno", t.lastWriteErrno},
      {"epollout_reports", t.epolloutReports},
      {"accepts", t.accepts},
      {"accept_emfile", t.acceptEmfile},
      {"accept_eagains", t.acceptEagain},
      {"overreads", t.overreads},
      {"worker_wakeups", t.workerWakeups},
      {"crashes", t.crashes},
      {"exits", t.exits},
      {"last_accept_errno", t.lastAcceptErrno},
      {"epoll_ctl_mods", t.mods},
      {"closes", t.closes},
      {"busy", t.busy},
      {"blocked", t.blocked},
      {"blocked_ms", t.blockedMs},
      {"rdhup_reports", t.rdhup},
      {"hup_reports", t.hup},
      {"err_reports", t.err},
  };
  for (const auto& [counter, value] : values) {
    if (counter == name) return value;
  }
  return 0;
}

}  // namespace eps
