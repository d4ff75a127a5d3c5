#include "core/trace/event_text.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/base/knobs.hpp"
#include "core/base/names.hpp"
#include "core/base/option_names.hpp"
#include "core/base/payload_text.hpp"
#include "core/base/phrases.hpp"
#include "core/trace/payload_store.hpp"

namespace eps {
namespace {

long long ll(std::int64_t v) {
  return static_cast<long long>(v);
}

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
std::string sampleLine(const TraceEvent& e, Phrases say) {
  std::string line;
  switch (static_cast<SampleOf>(e.op)) {
    case SampleOf::Listener:
      line =
          phrase(say, "sample listener fd %d: accept queue %lld of %lld", e.fd, ll(e.a), ll(e.b));
      break;
    case SampleOf::ReadyList:
      line =
          (e.events & EPOLLIN) != 0
              ? phrase(say, "sample ready list (epoll fd %d): a wakeup is due", e.fd)
              : phrase(say, "sample ready list (epoll fd %d): empty, epoll_wait will sleep", e.fd);
      break;
    default:
      line =
          phrase(say, "sample fd %d: receive queue %lld, send queue %lld", e.fd, ll(e.a), ll(e.b));
      break;
  }
  const std::string probes = probeCallsText(e);
  if (!probes.empty()) line += " [" + probes + "]";
  if ((e.flags & kEventSamplerThread) != 0) line += words(say, " (wait sampler)");
  return line;
}

std::string strandedLine(const TraceEvent& e, Phrases say) {
  if (e.flags & kEventInferred) {
    // An import has no kernel samples: what is known is the last result before the sleep.
    const bool conns = e.op == static_cast<std::uint8_t>(StrandedWhat::Connections);
    return conns ? phrase(say,
                          "possibly stranded fd %d (inferred from the calls): the last accept "
                          "returned fd %lld, not EAGAIN, before epoll_wait",
                          e.fd, ll(e.b))
                 : phrase(say,
                          "possibly stranded fd %d (inferred from the calls): the last read "
                          "returned %lld bytes, not EAGAIN, before epoll_wait",
                          e.fd, ll(e.b));
  }
  // A traced program's stranding is measured by epollscope's sample of its socket, not seen
  // by the program itself: said, so it is never mistaken for an inference or the engine's.
  const std::string source =
      (e.flags & kEventImported) ? words(say, " (measured from a sample)") : "";
  if (e.op == static_cast<std::uint8_t>(StrandedWhat::Connections)) {
    return phrase(say, "stranded fd %d: %lld connections waiting, no wakeup coming", e.fd,
                  ll(e.a)) +
           source;
  }
  if (e.a == 0 && (e.events & EPOLLRDHUP)) {
    return phrase(say, "stranded fd %d: end of file waiting, no wakeup coming", e.fd) + source;
  }
  if (e.a == 0 && (e.events & EPOLLPRI)) {
    return phrase(say, "stranded fd %d: urgent data waiting, no wakeup coming", e.fd) + source;
  }
  return phrase(say, "stranded fd %d: %lld bytes waiting, no wakeup coming", e.fd, ll(e.a)) +
         source;
}

std::string configLine(const TraceEvent& e, Phrases say) {
  const auto id = static_cast<KnobId>(e.op);
  std::string line = "config " + std::string(knobInfo(id).name) + "=" + knobNumberText(id, e.a);
  if (e.c == 1) line += words(say, " (grown by the engine)");
  if (e.ret != 0 && e.err == EOPNOTSUPP && e.events > 0 && e.events <= kKnobCount) {
    line +=
        phrase(say, " (refused: %s)", needsEpollText(static_cast<KnobId>(e.events - 1)).c_str());
  } else if (e.ret != 0) {
    line += phrase(say, " (refused: %s)", errnoName(e.err).c_str());
  }
  return line;
}

std::string clientLine(const TraceEvent& e, Phrases say) {
  std::string line = phrase(say, "client %u %s", static_cast<unsigned>(e.conn),
                            std::string(clientOpName(static_cast<ClientOp>(e.op))).c_str());
  if (e.a != 0) line += phrase(say, " %lld bytes", ll(e.a));
  if (e.err != 0) line += " " + errnoName(e.err);
  return line;
}

// Seed 000's faults, as its source would meet them (EPOLL-FACTS §5).
std::string crashLine(const TraceEvent& e, Phrases say) {
  switch (static_cast<SeedFault>(e.op)) {
    case SeedFault::ReadPastArray:
      return phrase(say,
                    "seed000: string(buf) on fd %d reads past char buf[1024] (no NUL after a "
                    "%lld-byte read)",
                    e.fd, ll(e.a));
    case SeedFault::StackOverflow:
      return phrase(say,
                    "crash: seed000 strcpy()s %lld bytes into char buf[1024] for fd %d: stack "
                    "smashed, SIGSEGV",
                    ll(e.a), e.fd);
    case SeedFault::Exit:
      return phrase(say, "exit: seed000 calls ERR_EXIT after %s failed with %s: the server is gone",
                    std::string(callName(e.call)).c_str(), errnoName(e.err).c_str());
  }
  return "crash";
}

const char* crashExplanation(const TraceEvent& e) {
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

std::string controlLine(const TraceEvent& e, Phrases say) {
  const auto op = static_cast<ControlOp>(e.op);
  std::string line = phrase(say, "engine %s", std::string(controlOpName(op)).c_str());
  if (op == ControlOp::Pace) line += " " + std::to_string(e.a) + " ms";
  if (op == ControlOp::Pause && e.a == static_cast<std::int64_t>(PauseWhy::BusyLoop)) {
    line += words(say, " (the step ended in a busy loop)");
  }
  return line;
}

std::string busyLine(const TraceEvent& e, Phrases say) {
  std::string line =
      e.fd >= 0 ? phrase(say, "busy fd %d: %lld wakeups found nothing to do (%lld/s)", e.fd,
                         ll(e.a), ll(e.b))
                : phrase(say, "busy: %lld wakeups found nothing to do (%lld/s)", ll(e.a), ll(e.b));
  if ((e.flags & kEventInferred) != 0) line += words(say, " (inferred)");
  return line;
}

std::string lineOf(const TraceEvent& e, Phrases say) {
  switch (e.kind) {
    case EventKind::Call:
      return callLine(e);
    case EventKind::Ready:
      return phrase(say, "ready fd %d %s", e.fd, epollMaskName(e.events).c_str());
    case EventKind::Sample:
      return sampleLine(e, say);
    case EventKind::Config:
      return configLine(e, say);
    case EventKind::Control:
      return controlLine(e, say);
    case EventKind::Step:
      return phrase(say, "lesson step %lld", ll(e.a + 1));
    case EventKind::ClientAction:
      return clientLine(e, say);
    case EventKind::ClientData:
      return phrase(say, "client %u got %lld bytes", static_cast<unsigned>(e.conn), ll(e.a)) +
             (e.b > 0 ? phrase(say, " (%lld wrong)", ll(e.b)) : "");
    case EventKind::Stranded:
      return strandedLine(e, say);
    case EventKind::Busy:
      return busyLine(e, say);
    case EventKind::Blocked:
      return phrase(say, "blocked: %s(%d) stalled the loop for %lld ms",
                    std::string(callName(e.call)).c_str(), e.fd, ll(e.a / 1'000'000));
    case EventKind::Note:
      if (static_cast<NoteOp>(e.op) == NoteOp::ClosedOnExec) {
        return phrase(say, "execve closed fd %d (close-on-exec)", e.fd);
      }
      if (static_cast<NoteOp>(e.op) == NoteOp::Action) {
        return "script action " + std::to_string(e.a + 1) + " (step " + std::to_string(e.b + 1) +
               ")";
      }
      return "note";
    case EventKind::Crash:
      return crashLine(e, say);
    case EventKind::Herd:
      return e.a == 1 ? phrase(say,
                               "herd on listener fd %d: %lld other thread woken for one "
                               "connection found nothing to accept (inferred)",
                               e.fd, ll(e.a))
                      : phrase(say,
                               "herd on listener fd %d: %lld other threads woken for one "
                               "connection found nothing to accept (inferred)",
                               e.fd, ll(e.a));
  }
  return "?";
}

}  // namespace

std::string eventLine(const TraceEvent& e) {
  return lineOf(e, nullptr);
}

std::string eventPayloadText(const TraceEvent& e, const PayloadStore* payloads) {
  if (payloads == nullptr || e.kind != EventKind::Call || e.call != Call::Read || e.ret <= 0) {
    return "";
  }
  const auto bytes = payloads->find(e.seq);
  return bytes ? quotedPayload(*bytes, e.ret) : "";
}

std::string eventLine(const TraceEvent& e, const PayloadStore* payloads, Phrases say) {
  std::string line = lineOf(e, say);
  const std::string data = eventPayloadText(e, payloads);
  if (!data.empty()) line += " " + data;
  return line;
}

bool waitReturnedAtOnce(const TraceEvent& e) {
  if (e.kind != EventKind::Call || !isReadinessWait(e.call) || e.ret < 0) return false;
  return (e.ret > 0 || e.b == 0) && e.durNs < kWaitReturnedAtOnceNs;
}

std::string eventDurationText(const TraceEvent& e, Phrases say) {
  if (e.kind == EventKind::Call && e.durNs > 0) {
    return phrase(say, "took %s", durationText(e.durNs).c_str());
  }
  if (e.kind == EventKind::Busy && e.durNs > 0) {
    return phrase(say, "over %s", durationText(e.durNs).c_str());
  }
  if (e.kind == EventKind::Blocked && e.a > 0) {
    return phrase(say, "stalled %s", durationText(e.a).c_str());
  }
  return "";
}

namespace {

const char* explanationOf(const TraceEvent& e) {
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

}  // namespace

std::string eventExplanation(const TraceEvent& e, Phrases say) {
  const char* english = explanationOf(e);
  return *english == '\0' ? std::string() : words(say, english);
}

}  // namespace eps
