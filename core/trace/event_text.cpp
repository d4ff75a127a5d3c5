#include "core/trace/event_text.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/base/knobs.hpp"
#include "core/base/names.hpp"
#include "core/base/option_names.hpp"
#include "core/base/payload_text.hpp"
#include "core/trace/payload_store.hpp"

namespace eps {
namespace {

std::string result(const TraceEvent& e) {
  if (e.ret < 0 && e.err != 0) return " = -1 " + errnoName(e.err);
  return " = " + std::to_string(e.ret);
}

// The engine's setup and descriptor-table calls, as strace prints them (shortened).
std::string setupCallLine(const TraceEvent& e, const std::string& name, const std::string& fd) {
  switch (e.call) {
    case Call::Setsockopt: {
      const bool timeout = e.b == SO_RCVTIMEO || e.b == SO_SNDTIMEO;
      return name + "(" + fd + ", " + (e.a == SOL_SOCKET ? "SOL_SOCKET" : "IPPROTO_TCP") + ", " +
             sockoptName(e.a, e.b) + ", " + std::to_string(e.c) + (timeout ? " ms" : "") + ")" +
             result(e);
    }
    case Call::Fcntl: {
      std::string arg;
      if (e.b == F_SETFL) arg = ", " + fcntlFlagsName(e.a);
      if (e.b == F_DUPFD || e.b == F_DUPFD_CLOEXEC) arg = ", " + std::to_string(e.a);
      const std::string shown =
          e.b == F_GETFL && e.ret >= 0 ? " = " + fcntlFlagsName(e.ret) : result(e);
      return name + "(" + fd + ", " + fcntlCommandName(e.b) + arg + ")" + shown;
    }
    case Call::Getsockname:
      return name + "(" + fd + ")" + result(e) +
             (e.ret == 0 ? " (127.0.0.1:" + std::to_string(e.a) + ")" : "");
    case Call::Prlimit64:
      return name + "(0, " + rlimitName(e.a) +
             (e.b != 0 ? ", " + std::to_string(e.c) + ", NULL)" : ", NULL)") + result(e) +
             (e.b == 0 && e.ret == 0 ? " (soft limit " + std::to_string(e.c) + ")" : "");
    case Call::Unshare:
      return name + "(" + unshareFlagsName(e.b) + ")" + result(e);
    case Call::CloseRange:
      return name + "(" + fd + ", " + std::to_string(e.a) + ", 0)" + result(e);
    default:
      return name + "(" + fd + ")" + result(e);
  }
}

std::string callLine(const TraceEvent& e) {
  const std::string name(callNameOf(e));
  const std::string fd = std::to_string(e.fd);
  switch (e.call) {
    case Call::EpollWait:
      return name + "(" + fd + ", " + std::to_string(e.a) + ", " + std::to_string(e.b) + ")" +
             result(e);
    case Call::Poll:  // fds watched, timeout: the descriptors are in the Ready records
    case Call::Ppoll:
    case Call::Select:
    case Call::Pselect6:
      return name + "(" + std::to_string(e.a) + " fds, " + std::to_string(e.b) + ")" + result(e);
    case Call::EpollCtl:
      return name + "(" + std::to_string(e.a) + ", " + std::string(epollOpName(e.op)) + ", " + fd +
             (e.op == EPOLL_CTL_DEL ? "" : ", " + epollMaskName(e.events)) + ")" + result(e);
    case Call::Accept4:
      return name + "(" + fd + ")" + result(e) +
             (e.ret >= 0 ? " (peer :" + std::to_string(e.a) + ")" : "");
    case Call::Read:
    case Call::Write:
      return name + "(" + fd + ", " + std::to_string(e.a) + ")" + result(e);
    case Call::Shutdown:
      return name + "(" + fd + ", " + (e.b == SHUT_WR ? "SHUT_WR" : std::to_string(e.b)) + ")" +
             result(e);
    case Call::Listen:
      return name + "(" + fd + ", " + std::to_string(e.a) + ")" + result(e);
    case Call::Bind:
      return name + "(" + fd + ", 127.0.0.1:" + std::to_string(e.a) + ")" + result(e);
    case Call::Openat:
      return name + "(\"/dev/null\")" + result(e);
    case Call::EpollCreate1:
    case Call::Eventfd2:
    case Call::Socket:
      return name + "()" + result(e);
    case Call::Setsockopt:
    case Call::Fcntl:
    case Call::Getsockname:
    case Call::Prlimit64:
    case Call::Unshare:
    case Call::CloseRange:
      return setupCallLine(e, name, fd);
    default:
      return name + "(" + fd + ")" + result(e);
  }
}

// A sample and, in brackets, the probe calls it made (each a real system call).
std::string sampleLine(const TraceEvent& e) {
  std::string line;
  switch (static_cast<SampleOf>(e.op)) {
    case SampleOf::Listener:
      line = "sample listener fd " + std::to_string(e.fd) + ": accept queue " +
             std::to_string(e.a) + " of " + std::to_string(e.b);
      break;
    case SampleOf::ReadyList:
      line = "sample ready list (epoll fd " + std::to_string(e.fd) + "): " +
             ((e.events & EPOLLIN) != 0 ? "a wakeup is due" : "empty, epoll_wait will sleep");
      break;
    default:
      line = "sample fd " + std::to_string(e.fd) + ": receive queue " + std::to_string(e.a) +
             ", send queue " + std::to_string(e.b);
      break;
  }
  const std::string probes = probeCallsText(e);
  if (!probes.empty()) line += " [" + probes + "]";
  if ((e.flags & kEventSamplerThread) != 0) line += " (wait sampler)";
  return line;
}

std::string strandedLine(const TraceEvent& e) {
  if (e.flags & kEventInferred) {
    // An import has no kernel samples: what is known is the last result before the sleep.
    const bool conns = e.op == static_cast<std::uint8_t>(StrandedWhat::Connections);
    return "possibly stranded fd " + std::to_string(e.fd) +
           " (inferred from the calls): the last " +
           (conns ? "accept returned fd " : "read returned ") + std::to_string(e.b) +
           (conns ? "" : " bytes") + ", not EAGAIN, before epoll_wait";
  }
  // A traced program's stranding is measured by epollscope's sample of its socket, not seen
  // by the program itself: said, so it is never mistaken for an inference or the engine's.
  const std::string source = (e.flags & kEventImported) ? " (measured from a sample)" : "";
  if (e.op == static_cast<std::uint8_t>(StrandedWhat::Connections)) {
    return "stranded fd " + std::to_string(e.fd) + ": " + std::to_string(e.a) +
           " connections waiting, no wakeup coming" + source;
  }
  std::string what = std::to_string(e.a) + " bytes waiting";
  if (e.a == 0 && (e.events & EPOLLRDHUP)) what = "end of file waiting";
  if (e.a == 0 && (e.events & EPOLLPRI)) what = "urgent data waiting";
  return "stranded fd " + std::to_string(e.fd) + ": " + what + ", no wakeup coming" + source;
}

std::string configLine(const TraceEvent& e) {
  const auto id = static_cast<KnobId>(e.op);
  std::string line = "config " + std::string(knobInfo(id).name) + "=" + knobNumberText(id, e.a);
  if (e.c == 1) line += " (grown by the engine)";
  if (e.ret != 0 && e.err == EOPNOTSUPP && e.events > 0 && e.events <= kKnobCount) {
    line += " (refused: " + needsEpollText(static_cast<KnobId>(e.events - 1)) + ")";
  } else if (e.ret != 0) {
    line += " (refused: " + errnoName(e.err) + ")";
  }
  return line;
}

std::string clientLine(const TraceEvent& e) {
  std::string line = "client " + std::to_string(e.conn) + " " +
                     std::string(clientOpName(static_cast<ClientOp>(e.op)));
  if (e.a != 0) line += " " + std::to_string(e.a) + " bytes";
  if (e.err != 0) line += " " + errnoName(e.err);
  return line;
}

// Seed 000's faults, as its source would meet them (EPOLL-FACTS §5).
std::string crashLine(const TraceEvent& e) {
  const std::string fd = std::to_string(e.fd);
  switch (static_cast<SeedFault>(e.op)) {
    case SeedFault::ReadPastArray:
      return "seed000: string(buf) on fd " + fd + " reads past char buf[1024] (no NUL after a " +
             std::to_string(e.a) + "-byte read)";
    case SeedFault::StackOverflow:
      return "crash: seed000 strcpy()s " + std::to_string(e.a) +
             " bytes into char buf[1024] for fd " + fd + ": stack smashed, SIGSEGV";
    case SeedFault::Exit:
      return "exit: seed000 calls ERR_EXIT after " + std::string(callName(e.call)) +
             " failed with " + errnoName(e.err) + ": the server is gone";
  }
  return "crash";
}

std::string crashExplanation(const TraceEvent& e) {
  switch (static_cast<SeedFault>(e.op)) {
    case SeedFault::ReadPastArray:
      return "A full read leaves no zero byte in the array, so string(buf) reads on past its "
             "end: undefined behaviour (AddressSanitizer: stack-buffer-overflow). Use "
             "append(buf, n).";
    case SeedFault::StackOverflow:
      return "The compiled seed died with SIGSEGV here: a remote client can crash it. "
             "epollscope records the crash and closes only this connection.";
    case SeedFault::Exit:
      return "The seed treats this error as fatal and exits, dropping every client. On EMFILE "
             "the idle-fd trick sheds the connection instead.";
  }
  return "";
}

}  // namespace

std::string eventLine(const TraceEvent& e) {
  switch (e.kind) {
    case EventKind::Call:
      return callLine(e);
    case EventKind::Ready:
      return "ready fd " + std::to_string(e.fd) + " " + epollMaskName(e.events);
    case EventKind::Sample:
      return sampleLine(e);
    case EventKind::Config:
      return configLine(e);
    case EventKind::Control: {
      std::string line = "engine " + std::string(controlOpName(static_cast<ControlOp>(e.op)));
      if (static_cast<ControlOp>(e.op) == ControlOp::Pace)
        line += " " + std::to_string(e.a) + " ms";
      if (static_cast<ControlOp>(e.op) == ControlOp::Pause &&
          e.a == static_cast<std::int64_t>(PauseWhy::BusyLoop)) {
        line += " (the step ended in a busy loop)";
      }
      return line;
    }
    case EventKind::Step:
      return "lesson step " + std::to_string(e.a + 1);
    case EventKind::ClientAction:
      return clientLine(e);
    case EventKind::ClientData:
      return "client " + std::to_string(e.conn) + " got " + std::to_string(e.a) + " bytes" +
             (e.b > 0 ? " (" + std::to_string(e.b) + " wrong)" : "");
    case EventKind::Stranded:
      return strandedLine(e);
    case EventKind::Busy:
      return "busy" + (e.fd >= 0 ? " fd " + std::to_string(e.fd) : std::string()) + ": " +
             std::to_string(e.a) + " wakeups found nothing to do (" + std::to_string(e.b) + "/s)" +
             ((e.flags & kEventInferred) ? " (inferred)" : "");
    case EventKind::Blocked:
      return "blocked: " + std::string(callName(e.call)) + "(" + std::to_string(e.fd) +
             ") stalled the loop for " + std::to_string(e.a / 1'000'000) + " ms";
    case EventKind::Note:
      if (static_cast<NoteOp>(e.op) == NoteOp::ClosedOnExec) {
        return "execve closed fd " + std::to_string(e.fd) + " (close-on-exec)";
      }
      if (static_cast<NoteOp>(e.op) == NoteOp::Action) {
        return "script action " + std::to_string(e.a + 1) + " (step " + std::to_string(e.b + 1) +
               ")";
      }
      return "note";
    case EventKind::Crash:
      return crashLine(e);
    case EventKind::Herd:
      return "herd on listener fd " + std::to_string(e.fd) + ": " + std::to_string(e.a) +
             (e.a == 1 ? " other thread" : " other threads") +
             " woken for one connection found nothing to accept (inferred)";
  }
  return "?";
}

std::string eventPayloadText(const TraceEvent& e, const PayloadStore* payloads) {
  if (payloads == nullptr || e.kind != EventKind::Call || e.call != Call::Read || e.ret <= 0) {
    return "";
  }
  const auto bytes = payloads->find(e.seq);
  return bytes ? quotedPayload(*bytes, e.ret) : "";
}

std::string eventLine(const TraceEvent& e, const PayloadStore* payloads) {
  std::string line = eventLine(e);
  const std::string data = eventPayloadText(e, payloads);
  if (!data.empty()) line += " " + data;
  return line;
}

bool waitReturnedAtOnce(const TraceEvent& e) {
  if (e.kind != EventKind::Call || !isReadinessWait(e.call) || e.ret < 0) return false;
  return (e.ret > 0 || e.b == 0) && e.durNs < kWaitReturnedAtOnceNs;
}

std::string eventDurationText(const TraceEvent& e) {
  if (e.kind == EventKind::Call && e.durNs > 0) return "took " + durationText(e.durNs);
  if (e.kind == EventKind::Busy && e.durNs > 0) return "over " + durationText(e.durNs);
  if (e.kind == EventKind::Blocked && e.a > 0) return "stalled " + durationText(e.a);
  return "";
}

std::string eventExplanation(const TraceEvent& e) {
  if (e.kind == EventKind::Stranded) {
    return "Edge-triggered: the kernel reported this socket once; until something new "
           "arrives epoll_wait will not report what is already there.";
  }
  if (e.kind == EventKind::Busy) {
    return "Level-triggered epoll reports a ready socket on every call, so a loop that does "
           "nothing with it spins.";
  }
  if (e.kind == EventKind::Blocked) {
    return "A blocking socket call waits for its peer; meanwhile no other client is served.";
  }
  if (e.kind == EventKind::Crash) return crashExplanation(e);
  if (e.kind != EventKind::Call) return "";
  if (e.ret < 0 && e.err == EAGAIN) {
    if (e.call == Call::Read) {
      return "EAGAIN: the receive queue is empty now; everything that has arrived is read.";
    }
    if (e.call == Call::Write) return "EAGAIN: the send buffer is full; wait for EPOLLOUT.";
    if (e.call == Call::Accept4) return "EAGAIN: no connection is waiting in the backlog.";
  }
  if (e.ret < 0 && e.err == EMFILE) {
    return "EMFILE: the process is out of descriptors; the connection stays in the backlog.";
  }
  if (e.ret < 0 && e.err == ECONNRESET) return "ECONNRESET: the peer reset the connection.";
  if (e.call == Call::Read && e.ret == 0) {
    return "0 is end of file: the peer shut down its sending side. Not \"all data received\".";
  }
  // bytesMoved: recvmmsg's result counts messages, not bytes.
  if (e.call == Call::Read && bytesMoved(e) > 0 && bytesMoved(e) < e.a) {
    return "A short read: fewer bytes than asked were waiting at that moment.";
  }
  if (e.call == Call::EpollCtl && e.op == EPOLL_CTL_MOD) {
    return "EPOLL_CTL_MOD re-polls the socket: data already waiting is reported again.";
  }
  if (isReadinessWait(e.call) && e.ret == 0) return "Timed out: nothing was ready.";
  return "";
}

}  // namespace eps
