#include "core/strace/counters.hpp"

#include <sys/epoll.h>

#include <array>
#include <cerrno>
#include <set>

#include "core/trace/lanes.hpp"

namespace eps {
namespace {

constexpr std::array<CounterInfo, 29> kImportCounters = {{
    {"lines", "lines in the log"},
    {"calls", "system calls that became events (epoll, sockets, reads, writes, close...)"},
    {"threads", "threads (tids) seen"},
    {"epoll_instances", "distinct epoll fds waited on, registered into or created"},
    {"epoll_waits", "epoll_wait / epoll_pwait calls that returned (EINTR included)"},
    {"wakeups", "epoll_wait calls that returned at least one event"},
    {"timeouts", "epoll_wait calls that returned 0"},
    {"ready_entries", "events reported, summed over every epoll_wait"},
    {"ctl_adds", "EPOLL_CTL_ADD calls"},
    {"ctl_mods", "EPOLL_CTL_MOD calls"},
    {"ctl_dels", "EPOLL_CTL_DEL calls"},
    {"et_registrations", "ADD or MOD with EPOLLET in the mask"},
    {"lt_registrations", "ADD or MOD without EPOLLET"},
    {"epollout_registrations", "ADD or MOD with EPOLLOUT in the mask"},
    {"accepts", "accept / accept4 calls that returned a connection"},
    {"accept_eagains", "accept / accept4 calls that failed with EAGAIN"},
    {"reads", "read-like calls (read, recvfrom, recvmsg, readv)"},
    {"read_eagains", "read-like calls that failed with EAGAIN"},
    {"bytes_read", "bytes returned by read-like calls"},
    {"writes", "write-like calls (write, send*, writev, sendfile)"},
    {"write_eagains", "write-like calls that failed with EAGAIN"},
    {"partial_writes", "write-like calls that wrote fewer bytes than asked"},
    {"bytes_written", "bytes accepted by write-like calls"},
    {"closes", "close calls"},
    {"eintr", "calls that failed with EINTR"},
    {"inferred_stranding", "possible strandings inferred (ET, last read not EAGAIN)"},
    {"inferred_busy", "runs of LT wakeups that did nothing, inferred"},
    {"not_understood", "non-empty lines the importer could not read"},
    {"sockets", "socket lanes (listeners and connections)"},
}};

void countRegistration(const TraceEvent& e, std::map<std::string, std::int64_t, std::less<>>& n) {
  if (e.op == EPOLL_CTL_ADD) ++n["ctl_adds"];
  if (e.op == EPOLL_CTL_MOD) ++n["ctl_mods"];
  if (e.op == EPOLL_CTL_DEL) ++n["ctl_dels"];
  if (e.op != EPOLL_CTL_ADD && e.op != EPOLL_CTL_MOD) return;
  ++n[(e.events & EPOLLET) ? "et_registrations" : "lt_registrations"];
  if (e.events & EPOLLOUT) ++n["epollout_registrations"];
}

void countCall(const TraceEvent& e, std::map<std::string, std::int64_t, std::less<>>& n,
               std::set<std::int64_t>& epolls) {
  if (e.ret < 0 && e.err == EINTR) ++n["eintr"];
  switch (e.call) {
    case Call::EpollWait:
      epolls.insert(e.fd);
      ++n["epoll_waits"];
      if (e.ret < 0) break;
      ++n[e.ret > 0 ? "wakeups" : "timeouts"];
      n["ready_entries"] += e.ret;
      break;
    case Call::EpollCtl:
      epolls.insert(e.a);
      countRegistration(e, n);
      break;
    case Call::EpollCreate1:
      if (e.ret >= 0) epolls.insert(e.ret);
      break;
    case Call::Accept4:
      if (e.ret >= 0) ++n["accepts"];
      if (e.ret < 0 && e.err == EAGAIN) ++n["accept_eagains"];
      break;
    case Call::Read:
      ++n["reads"];
      if (e.ret > 0) n["bytes_read"] += e.ret;
      if (e.ret < 0 && e.err == EAGAIN) ++n["read_eagains"];
      break;
    case Call::Write:
      ++n["writes"];
      if (e.ret > 0) n["bytes_written"] += e.ret;
      if (e.ret >= 0 && e.ret < e.a) ++n["partial_writes"];  // a: 0 when unknown
      if (e.ret < 0 && e.err == EAGAIN) ++n["write_eagains"];
      break;
    case Call::Close:
      ++n["closes"];
      break;
    default:
      break;
  }
}

}  // namespace

std::span<const CounterInfo> importCounterTable() {
  return kImportCounters;
}

std::map<std::string, std::int64_t, std::less<>> countImport(const StraceImport& import) {
  std::map<std::string, std::int64_t, std::less<>> n;
  for (const CounterInfo& info : kImportCounters) n[std::string(info.name)] = 0;
  std::set<std::int64_t> epolls;
  LaneTracker lanes;
  lanes.setLabels(&import.labels);
  for (const TraceEvent& e : import.events) {
    lanes.assign(e);
    if (e.kind == EventKind::Call) countCall(e, n, epolls);
  }
  for (const LaneInfo& lane : lanes.lanes()) {
    if (lane.kind == LaneKind::Listener || lane.kind == LaneKind::Connection) ++n["sockets"];
  }
  n["epoll_instances"] = static_cast<std::int64_t>(epolls.size());
  n["lines"] = static_cast<std::int64_t>(import.stats.lines);
  n["calls"] = static_cast<std::int64_t>(import.stats.callsImported);
  n["threads"] = static_cast<std::int64_t>(import.threads.size());
  n["inferred_stranding"] = static_cast<std::int64_t>(import.stats.strandedInferred);
  n["inferred_busy"] = static_cast<std::int64_t>(import.stats.busyRunsInferred);
  n["not_understood"] = static_cast<std::int64_t>(import.stats.notUnderstood);
  return n;
}

}  // namespace eps
