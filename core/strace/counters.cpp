#include "core/strace/counters.hpp"

#include <sys/epoll.h>

#include <cerrno>
#include <set>

#include "core/trace/lanes.hpp"

namespace eps {
namespace {

void countRegistration(const TraceEvent& e, TourCounts& n) {
  using enum TourCounter;
  if (e.op == EPOLL_CTL_ADD) ++n[CtlAdds];
  if (e.op == EPOLL_CTL_MOD) ++n[CtlMods];
  if (e.op == EPOLL_CTL_DEL) ++n[CtlDels];
  if (e.op != EPOLL_CTL_ADD && e.op != EPOLL_CTL_MOD) return;
  ++n[(e.events & EPOLLET) ? EtRegistrations : LtRegistrations];
  if (e.events & EPOLLOUT) ++n[EpolloutRegistrations];
}

// `onFile`: the call's lane is a file's (a module, a library, a log): its reads, writes and
// close are not the event loop's I/O, so the I/O counters leave them out.
void countCall(const TraceEvent& e, bool onFile, TourCounts& n, std::set<std::int64_t>& epolls) {
  using enum TourCounter;
  if (e.ret < 0 && e.err == EINTR) ++n[Eintr];
  if (onFile && (e.call == Call::Read || e.call == Call::Write || e.call == Call::Close)) return;
  switch (e.call) {
    case Call::EpollWait:
      epolls.insert(e.fd);
      ++n[EpollWaits];
      if (e.ret < 0) break;
      ++n[e.ret > 0 ? Wakeups : Timeouts];
      n[ReadyEntries] += e.ret;
      break;
    case Call::Poll:  // waits too: their wakeups and timeouts count, they are no epoll_wait
    case Call::Ppoll:
    case Call::Select:
    case Call::Pselect6:
      if (e.ret < 0) break;
      ++n[e.ret > 0 ? Wakeups : Timeouts];
      n[ReadyEntries] += e.ret;
      break;
    case Call::EpollCtl:
      epolls.insert(e.a);
      countRegistration(e, n);
      break;
    case Call::EpollCreate1:
      if (e.ret >= 0) epolls.insert(e.ret);
      break;
    case Call::Accept4:
      if (e.ret >= 0) ++n[Accepts];
      if (e.ret < 0 && e.err == EAGAIN) ++n[AcceptEagains];
      break;
    case Call::Read:
      ++n[Reads];
      n[BytesRead] += bytesMoved(e);
      if (e.ret < 0 && e.err == EAGAIN) ++n[ReadEagains];
      break;
    case Call::Write:
      ++n[Writes];
      n[BytesWritten] += bytesMoved(e);
      // a: 0 when unknown; sendmmsg without its msg_len values says nothing of its bytes
      if (e.ret >= 0 && bytesMoved(e) < e.a &&
          (static_cast<CallVariant>(e.op) != CallVariant::Sendmmsg || e.c >= 0)) {
        ++n[PartialWrites];
      }
      if (e.ret < 0 && e.err == EAGAIN) ++n[WriteEagains];
      break;
    case Call::Close:
      ++n[Closes];
      break;
    default:
      break;
  }
}

// `sockets`: TCP and UDP (what the tours are about, the network), by the lane's decoration;
// a log without -yy has none, and its listener and connection lanes count.
bool countsAsSocket(const LaneInfo& lane) {
  if (lane.fdKind == FdKind::Unknown) {
    return lane.kind == LaneKind::Listener || lane.kind == LaneKind::Connection;
  }
  return lane.fdKind == FdKind::Tcp || lane.fdKind == FdKind::Udp;
}

// Every tour counter over the log: its events' tally, its lanes and the importer's stats.
TourCounts tally(const StraceImport& import) {
  using enum TourCounter;
  TourCounts n;
  std::set<std::int64_t> epolls;
  LaneTracker lanes;
  lanes.setLabels(&import.labels);
  for (const TraceEvent& e : import.events) {
    const std::uint32_t lane = lanes.assign(e);
    if (e.kind != EventKind::Call) continue;
    countCall(e, lanes.lanes()[lane].fdKind == FdKind::File, n, epolls);
  }
  for (const LaneInfo& lane : lanes.lanes()) n[Sockets] += countsAsSocket(lane);
  n[EpollInstances] = static_cast<std::int64_t>(epolls.size());
  n[Lines] = static_cast<std::int64_t>(import.stats.lines);
  n[Calls] = static_cast<std::int64_t>(import.stats.callsImported);
  n[Threads] = static_cast<std::int64_t>(import.threads.size());
  n[InferredStranding] = static_cast<std::int64_t>(import.stats.strandedInferred);
  n[InferredBusy] = static_cast<std::int64_t>(import.stats.busyRunsInferred);
  n[InferredHerds] = static_cast<std::int64_t>(import.stats.herdsInferred);
  n[NotUnderstood] = static_cast<std::int64_t>(import.stats.notUnderstood);
  return n;
}

}  // namespace

std::map<std::string, std::int64_t, std::less<>> countImport(const StraceImport& import) {
  const TourCounts counts = tally(import);
  std::map<std::string, std::int64_t, std::less<>> byName;
  for (const CounterInfo& info : tourCounters()) {
    byName[std::string(info.name)] = counts[static_cast<TourCounter>(info.id)];
  }
  return byName;
}

}  // namespace eps
