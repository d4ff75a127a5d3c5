// The trace's one record: a small fixed-size event. Every call the engine makes, every kernel
// sample, every knob change, client action and diagnosis is one of these.
#pragma once

#include <cstdint>

namespace eps {

// The system calls the engine records, named exactly as strace names them.
enum class Call : std::uint8_t {
  None,
  EpollCreate1,
  Eventfd2,
  Socket,
  Bind,
  Listen,
  EpollWait,
  EpollCtl,
  Accept4,
  Read,
  Write,
  Close,
  Shutdown,
  Openat,
  // The engine's setup and descriptor-table calls.
  Setsockopt,
  Fcntl,
  Getsockname,
  Prlimit64,  // glibc's getrlimit/setrlimit: strace names the system call prlimit64
  Unshare,
  CloseRange,
  // Readiness waits other than epoll's, met in imported logs (socketserver waits in poll):
  // a wait like epoll_wait, its ready descriptors as Ready records with epoll-like masks.
  Poll,
  Ppoll,
  Select,
  Pselect6,
};
inline constexpr int kCallCount = 24;

// A call that sleeps until descriptors are ready and returns them (Ready records follow it).
inline constexpr bool isReadinessWait(Call call) {
  return call == Call::EpollWait || call == Call::Poll || call == Call::Ppoll ||
         call == Call::Select || call == Call::Pselect6;
}

enum class EventKind : std::uint8_t {
  Call,          // a system call: see the field table below
  Ready,         // one entry of the array the preceding epoll_wait returned
  Sample,        // kernel state of one socket, read without disturbing it
  Config,        // a knob changed (applied between two calls)
  Control,       // run / pause / step / stop applied by the engine
  Step,          // a lesson step began
  ClientAction,  // a built-in client did something (connect, send, close, ...)
  ClientData,    // a built-in client received echoed bytes and checked them
  Stranded,      // diagnosis: data or connections waiting, no wakeup coming
  Busy,          // diagnosis: wakeups that found nothing to do
  Blocked,       // diagnosis: a blocking call stalled the loop
  Note,          // free-form marker (lesson text anchors, imports)
  Crash,         // diagnosis: handler seed000 reached a line that is undefined behaviour,
                 // crashes or exits the server (what the seed's code would have done)
  Herd,          // diagnosis (imports): several threads woken for one connection, all but one
                 // finding nothing to accept (the thundering herd)
};
inline constexpr int kEventKindCount = 14;

// Who produced the event. Workers (several engine threads) use Engine with `thread` > 0.
enum class Actor : std::uint8_t { Engine, Clients, Control };

enum class SampleOf : std::uint8_t {
  Socket,
  Listener,
  ReadyList,  // poll(epfd, POLLIN, 0): is a wakeup already due (fd = epfd, events = revents)
};

// The probe calls a sample made (a Sample event's `ret`), always in this order, so a reader
// can expand a sample into its system calls: ioctl(fd, SIOCINQ), ioctl(fd, SIOCOUTQ),
// ioctl(fd, SIOCOUTQNSD), getsockopt(fd, IPPROTO_TCP, TCP_INFO), poll([{fd}], 1, 0).
// Bit kProbeFailedShift + n: probe n returned -1 (its errno is not kept). 0: no call named
// (a session saved before samples named their calls). Samples flagged kEventSamplerThread
// name the wait sampler thread's calls, not the engine thread's.
inline constexpr std::int64_t kProbeSiocinq = 1;
inline constexpr std::int64_t kProbeSiocoutq = 2;
inline constexpr std::int64_t kProbeSiocoutqnsd = 4;
inline constexpr std::int64_t kProbeTcpInfo = 8;
inline constexpr std::int64_t kProbePoll = 16;
inline constexpr int kProbeCount = 5;
inline constexpr int kProbeFailedShift = 8;
enum class ControlOp : std::uint8_t { Run, Pause, StepCall, StepWakeup, Stop, Pace };
// Why the engine paused (a Control/Pause event's `a`).
enum class PauseWhy : std::uint8_t {
  Asked,     // a pause button, a lesson's `pause`, a test
  BusyLoop,  // a lesson step ended with the engine spinning; the window paused it there
};
enum class StrandedWhat : std::uint8_t { Bytes, Connections };
// A Note's op. ClosedOnExec: an imported execve closed fd (opened with O_CLOEXEC or marked
// FD_CLOEXEC), which ends its lane; the log has no close call for it.
// Action: a script's action is about to be applied (a = its ordinal in the script, b = its
// step), so two runs of one script line up action by action (core/compare/paired_run.hpp).
enum class NoteOp : std::uint8_t { Plain, ClosedOnExec, Action };
// What seed 000's code does at the point a Crash diagnosis marks (EPOLL-FACTS §5).
enum class SeedFault : std::uint8_t {
  ReadPastArray,  // string(buf) after a full 1024-byte read: no NUL inside buf[1024]
  StackOverflow,  // strcpy of >= 1024 bytes into char buf[1024]: the seed died with SIGSEGV
  Exit,           // ERR_EXIT: the whole server exits (accept EMFILE, read or write errors)
};

// Calls read from a log keep the exact system call in `op` when it is a sibling of the one the
// engine records (recvfrom is a Read, epoll_pwait an EpollWait): see callNameOf().
enum class CallVariant : std::uint8_t {
  Same,
  Recvfrom,
  Recvmsg,
  Readv,
  Sendto,
  Sendmsg,
  Writev,
  Sendfile,
  Accept,
  EpollPwait,
  EpollPwait2,
  EpollCreate,
  // The rest of the data-moving calls, by the family whose bytes they move (a Read moves bytes
  // in from its fd, a Write out to it). splice, tee and copy_file_range move bytes between two
  // fds: a Read of the socket they take from, else a Write to the fd they fill (b: other fd).
  Pread64,
  Preadv,
  Recv,
  Recvmmsg,  // ret: messages; c: bytes (the msg_len values), -1 when strace did not show them
  Pwrite64,
  Pwritev,
  Send,
  Sendmmsg,  // ret: messages; c: bytes as for Recvmmsg
  Splice,
  Tee,
  CopyFileRange,
};
inline constexpr int kCallVariantCount = static_cast<int>(CallVariant::CopyFileRange) + 1;

// TraceEvent::flags bits.
inline constexpr std::uint8_t kEventImported = 1;  // read from a log (strace), not recorded
// A diagnosis guessed from the calls alone (an import has no kernel samples), not observed.
inline constexpr std::uint8_t kEventInferred = 2;
// A sample taken by the engine's wait sampler thread (engine/sampler.hpp), not by the engine
// thread: its probe calls are that thread's, not the engine thread's.
inline constexpr std::uint8_t kEventSamplerThread = 4;
enum class ClientOp : std::uint8_t {
  Connect,      // nonblocking connect issued; ret/err of connect()
  Connected,    // the handshake completed (EPOLLOUT on the client socket)
  Send,         // pattern bytes queued and handed to the kernel
  SendText,     // literal text queued
  SendUrgent,   // one byte sent with MSG_OOB (TCP urgent data)
  Trickle,      // a trickle started: a=bytes per tick, c=period ms
  StopReading,  // the client stopped reading its socket
  ResumeReading,
  ShutdownWrite,  // shutdown(SHUT_WR): the engine will read 0
  Close,
  Reset,  // SO_LINGER {1,0} + close: the engine sees RST
  Eof,    // the client read 0: the engine closed or shut down
  Error,  // a client socket call failed: err
};

// Field use per kind (unused fields stay 0, fd -1):
//   Call/EpollWait    fd=epfd  a=maxevents  b=timeout ms  ret=n ready
//   Call (imported)   op=CallVariant for Read, Write, Accept4, EpollWait, EpollCreate1;
//                     conn=lane label id (see LaneTracker::setLabels); Accept4: c=label of ret
//   Call/EpollCtl     fd=target  op=EPOLL_CTL_*  events=mask  a=epfd
//   Call/Accept4      fd=listener  ret=new fd  a=peer port  b=flags
//   Call/Read,Write   fd  a=bytes asked  ret  (bytes moved: bytesMoved(), below)
//   Call/Poll,Ppoll,Select,Pselect6  fd=-1  a=fds watched (nfds)  b=timeout ms (-1: none)
//                     ret=n ready; Ready records follow as for epoll_wait
//   Call/Shutdown     fd  b=how          Call/Openat  ret=fd
//   Call/Setsockopt   fd  a=level  b=option  c=value (int options; ms for SO_*TIMEO)
//   Call/Fcntl        fd  b=command  a=argument (flags for F_SETFL, lowest fd for F_DUPFD*)
//   Call/Getsockname  fd  a=port found
//   Call/Prlimit64    a=resource  b=1 set, 0 get  c=soft limit set, or read (-1: infinity)
//   Call/Unshare      b=flags (CLONE_FILES)
//   Call/CloseRange   fd=first  a=last  b=flags
//   Ready             fd  events  a=index in the returned array  conn=connection serial
//   Sample/Socket     fd  a=receive queue (SIOCINQ)  b=send queue (SIOCOUTQ)  c=unsent
//   (SIOCOUTQNSD)
//                     events=level (poll revents)
//   Sample/Listener   fd  a=accept queue  b=backlog limit
//   Sample/ReadyList  fd=epfd  events=poll revents
//   Sample (every)    ret=the probe calls made (kProbe* bits, above)
//   Config            op=KnobId  a=new value  b=old value  c=1 changed by the engine itself
//                     refused: ret=-1 err (EINVAL a bad value; EOPNOTSUPP a knob that needs
//                     poller=epoll under poll: events=1+its KnobId, see knobNeedsEpoll)
//   Control           op=ControlOp  a=argument (pace ms; PauseWhy for a pause)
//   Step              a=step index
//   ClientAction      conn=client id  fd=client fd  op=ClientOp  a=bytes  b=local port  ret  err
//                     tNs=when the action began (before its connect/send/shutdown/close), so
//                     it sorts before the engine's reaction to it
//   ClientData        conn=client id  a=bytes received  b=bytes mismatched  c=total echoed
//   Stranded          fd  op=StrandedWhat  a=count (bytes or connections)
//                     inferred: a=0 (unknown)  b=the last read/accept's result
//   Busy              fd=the socket reported most in the idle run (-1: none, or inferred)
//                     a=idle wakeups in this run  b=idle wakeups per second
//                     inferred: durNs=the run's span
//   Blocked           fd  call  a=blocked ns
//   Note              op=NoteOp  ClosedOnExec: fd (imported)  Action: a=ordinal  b=step
//   Herd              fd=listener  a=threads that found nothing (EAGAIN)
//                     c=the winner's accepted fd
//                     thread=the thread that accepted; always inferred
//   Crash             fd  op=SeedFault  call=where  a=bytes involved  err=errno (Exit)
struct TraceEvent {
  std::int64_t tNs = 0;    // CLOCK_MONOTONIC, when the call began / the thing happened
  std::int64_t durNs = 0;  // how long the call took (0 for instants)
  std::uint64_t seq = 0;   // global order across all producers
  std::int64_t ret = 0;
  std::int64_t a = 0;
  std::int64_t b = 0;
  std::int64_t c = 0;
  std::int32_t fd = -1;
  std::int32_t err = 0;      // errno when ret == -1, else 0
  std::uint32_t events = 0;  // epoll event mask
  std::uint32_t conn = 0;    // engine connection serial, or client id on client lanes
  EventKind kind = EventKind::Note;
  Call call = Call::None;
  std::uint8_t op = 0;
  Actor actor = Actor::Engine;
  std::uint8_t thread = 0;  // engine worker index (0 = the engine thread); imports: per tid
  std::uint8_t flags = 0;   // kEventImported, kEventInferred
};

static_assert(sizeof(TraceEvent) <= 96, "trace events must stay small");

// The bytes a Read or Write event moved: its result, except for recvmmsg/sendmmsg whose
// result counts messages (their bytes are in `c`, -1 when unknown: counted as 0).
inline std::int64_t bytesMoved(const TraceEvent& event) {
  if (event.kind != EventKind::Call || (event.call != Call::Read && event.call != Call::Write) ||
      event.ret <= 0) {
    return 0;
  }
  const auto variant = static_cast<CallVariant>(event.op);
  if (variant == CallVariant::Recvmmsg || variant == CallVariant::Sendmmsg) {
    return event.c > 0 ? event.c : 0;
  }
  return event.ret;
}

}  // namespace eps
