// The one seam between the engine and the kernel. Every epoll, socket and descriptor call the
// engine thread makes goes through here and is recorded as it is made, with its result or
// errno, so the trace's calls equal what `strace -f` sees of the engine thread, call for call.
// `::read(` anywhere else in the engine is a bug. The one other place the engine thread enters
// the kernel is the Observer's probes (base/kernel_probe.hpp): read-only, recorded as samples
// that name each probe call they made, so the trace still holds every call.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <span>

#include "core/base/trace_event.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

// The call about to be made, for the gate and for "paused before read(7, 100)".
struct PendingCall {
  Call call = Call::None;
  int fd = -1;
  std::int64_t bytes = 0;
};

// Decides when a call may run (run / pause / step / pace) and hears each result.
// Ownership: implemented by the engine's Gate (engine/gate.hpp) and, always open, by each
// worker; called on the thread that owns the seam only.
class CallGate {
 public:
  virtual ~CallGate() = default;
  // May block, may throw to stop. Returns the call's start (CLOCK_MONOTONIC ns), read once,
  // when the gate lets the call go.
  virtual std::int64_t beforeCall(const PendingCall& call) = 0;
  virtual void afterCall(const TraceEvent& recorded) = 0;
};

// Lets every call through at once: each worker's gate, and engine classes made one by one in
// tests. Stateless; any thread.
class OpenGate final : public CallGate {
 public:
  std::int64_t beforeCall(const PendingCall&) override { return monotonicNs(); }
  void afterCall(const TraceEvent&) override {}
};

// poll(2)'s bits as the epoll bits they equal (POLLIN is EPOLLIN, POLLRDHUP is EPOLLRDHUP, ...),
// both ways. POLLNVAL, "not an open descriptor", has no epoll twin: it maps to EPOLLERR.
std::uint32_t epollBitsOfPoll(short revents);
short pollBitsOfEpoll(std::uint32_t mask);

// Ownership: owned by the EventLoop (each worker has its own); used on its owner's thread
// only. errno is preserved across the recording, so callers test errno exactly as after the
// raw call.
class KernelSeam {
 public:
  KernelSeam(TraceWriter& writer, CallGate& gate) : writer_(writer), gate_(gate) {}

  int epollCreate1(int flags);
  int eventfd(unsigned initval, int flags);
  int socket(int domain, int type, int protocol);
  int bind(int fd, const sockaddr_in& address);
  int listen(int fd, int backlog);
  // Records the call, then one Ready event per returned entry (conn = data.u64 >> 32).
  int epollWait(int epfd, epoll_event* events, int maxEvents, int timeoutMs);
  int epollCtl(int epfd, int op, int fd, std::uint32_t events, std::uint64_t data);
  // poll(2) on `fds` (no timeout: -1), recorded as Call::Poll (fd -1, a = nfds, b = timeout),
  // then one Ready record per entry with revents, its mask as EPOLL bits (epollBitsOfPoll) and
  // conn = data[i] >> 32: `data` holds each entry's epoll-style data word.
  int poll(std::span<pollfd> fds, std::span<const std::uint64_t> data, int timeoutMs);
  int accept4(int fd, sockaddr_in* peer, int flags);
  ssize_t read(int fd, void* buffer, std::size_t count);
  ssize_t write(int fd, const void* buffer, std::size_t count);
  int close(int fd);
  int shutdown(int fd, int how);
  int openat(const char* path, int flags);

  // Setup and descriptor-table calls: recorded and gated like every call, so "step one call"
  // steps through them too (an accept4, then its setsockopt(TCP_NODELAY)). Those made while
  // the gate applies a command (a knob's fd limit) pass it: the gate is not re-entered.
  int setsockopt(int fd, int level, int name, int value);
  // SO_RCVTIMEO / SO_SNDTIMEO, which take a timeval.
  int setsockoptTimeout(int fd, int name, int timeoutMs);
  int fcntl(int fd, int command, long argument = 0);
  int getsockname(int fd, sockaddr_in* address);
  // RLIMIT_* read (`set` null) or set: glibc's getrlimit and setrlimit are this call.
  int prlimit(int resource, const rlimit* set, rlimit* old);
  int unshare(int flags);
  int closeRange(unsigned first, unsigned last);

  std::uint64_t callsMade() const { return callsMade_; }
  // Off: calls are made and counted but not recorded (EngineOptions::untraced).
  void setRecording(bool on) { recording_ = on; }
  bool recording() const { return recording_; }
  // The sequence number of the last call recorded: keys what the caller keeps beside it
  // (the bytes a read returned, see PayloadStore).
  std::uint64_t lastSeq() const { return lastSeq_; }
  // When the last call returned: "now" for a caller between two calls, without a clock read.
  std::int64_t lastEndNs() const { return lastEndNs_; }

 private:
  // Runs the gate, times `syscall`, lets `finish` add what only the result tells (the peer
  // of an accept), records the event, keeps errno.
  template <typename Result, typename Syscall, typename Finish = void (*)(TraceEvent&)>
  Result recorded(
      TraceEvent event, std::int64_t bytes, Syscall&& syscall,
      Finish&& finish = [](TraceEvent&) {});

  TraceWriter& writer_;
  CallGate& gate_;
  std::uint64_t callsMade_ = 0;
  std::uint64_t lastSeq_ = 0;
  std::int64_t lastEndNs_ = 0;
  bool recording_ = true;
};

}  // namespace eps
