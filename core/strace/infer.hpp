// Diagnoses an strace import can only infer: a log has the calls and their results but no
// kernel samples, so "stranded" and "busy" are guessed from what the program did between two
// epoll_waits of one thread. Every event made here carries kEventInferred.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/base/trace_event.hpp"

namespace eps {

struct StraceImportStats;

// Ownership: one per import, owned by the mapper, used by the importing thread. The mapper
// reports each thread's calls in that thread's order; the handling of a wakeup is everything
// a thread does between an epoll_wait that returned events and its next epoll_wait.
//
// - possibly stranded: an fd registered with EPOLLET whose last read in the handling returned
//   data (> 0: not EAGAIN, not 0, not an error) when the thread goes back to epoll_wait: ET
//   will not report what is already there, so the rest may wait for the next arrival. The
//   same for an ET listener whose last accept returned a connection. An EPOLL_CTL_MOD of the
//   fd in between re-arms it (the kernel polls it again), which clears the suspicion.
// - busy: a run of level-triggered wakeups (some returned fd registered without EPOLLET)
//   whose handling moved nothing (no read, write or accept with a result > 0), e.g. EPOLLOUT
//   kept registered, or EOF read and the socket never closed. Runs of at least `busyRunMin`.
// - herd: several threads woken for one connection (each with the listener in its own epoll
//   instance, or sharing one without EPOLLEXCLUSIVE): one accepts it, the others' first accept
//   of their handling returns EAGAIN. A loser counts when the winner accepted after the
//   loser's wait began (the connection it was woken for); reported once per connection, when
//   the listener's next connection is accepted or the log ends.
// An fd number within its descriptor table. A process from fork has a table of its own, and
// so has a thread after unshare(CLONE_FILES) (epollscope's own engine thread does that): the
// same number in two tables is two descriptors, and registrations must not be mixed up.
using FdKey = std::int64_t;
inline FdKey fdKey(int table, int fd) {
  return fd < 0 ? fd : (std::int64_t{table} << 32) | static_cast<std::uint32_t>(fd);
}
inline int fdOfKey(FdKey key) {
  return key < 0 ? static_cast<int>(key) : static_cast<int>(key & 0xffffffff);
}

class ImportInference {
 public:
  explicit ImportInference(std::uint64_t busyRunMin) : busyRunMin_(busyRunMin) {}

  // A registration changed: ADD/MOD (mask) or DEL/close (forget).
  void onRegister(FdKey fd, std::uint32_t mask);
  void onForget(FdKey fd);
  bool edgeTriggered(FdKey fd) const;

  // Before `thread`'s epoll_wait starting at tNs is recorded: ends the previous handling,
  // appending its possibly-stranded diagnoses to `out` (so they precede the wait).
  void beforeWait(std::uint8_t thread, std::int64_t tNs, std::vector<TraceEvent>& out,
                  StraceImportStats& stats);
  // After the wait that started at tNs: it returned `ready` events, `levelTriggered` if any of
  // them is registered without EPOLLET.
  void afterWait(std::uint8_t thread, std::int64_t tNs, std::int64_t ready, bool levelTriggered,
                 std::vector<TraceEvent>& out, StraceImportStats& stats);
  // A read (or accept: `accept` true) on fd, with its result; `label` names the fd's lane.
  void onInput(std::uint8_t thread, FdKey fd, std::uint32_t label, std::int64_t ret, bool accept);
  void onOutput(std::uint8_t thread, std::int64_t ret);
  // An accept on listener `fd` at tNs (after onInput): feeds the herd inference.
  void onAccept(std::uint8_t thread, FdKey fd, std::uint32_t label, std::int64_t tNs,
                std::int64_t ret, int err, std::vector<TraceEvent>& out, StraceImportStats& stats);
  // End of the log: busy runs still going are reported.
  void finish(std::vector<TraceEvent>& out, StraceImportStats& stats);

  // A live trace sampled `fd` while `thread` slept in a wait, before the wait's line came:
  // true when the fd is one this thread's handling may have stranded (ET, last read or accept
  // returned > 0). Its suspicion is settled by the sample either way (stranded measured, or
  // nothing waiting), so beforeWait() infers nothing for it.
  bool settleBySample(std::uint8_t thread, FdKey fd);

 private:
  struct LastInput {
    FdKey fd = -1;
    std::uint32_t label = 0;
    std::int64_t ret = 0;
    bool accept = false;
  };
  struct ThreadState {
    bool handling = false;  // between a wait that returned events and the next wait
    bool levelTriggered = false;
    bool productive = false;        // the handling moved bytes or connections
    std::vector<LastInput> inputs;  // last input per fd during this handling
    std::int64_t wakeNs = 0;        // start of the wait that began this handling
    std::uint64_t idleRun = 0;
    std::int64_t idleRunStartNs = 0;
    std::int64_t idleRunEndNs = 0;
    std::vector<FdKey> acceptedOn;  // listeners accepted on in this handling (first accept)
  };
  // The last connection accepted on a listener, and the threads woken for it in vain.
  struct HerdWatch {
    std::int64_t acceptNs = 0;
    std::int64_t acceptedFd = -1;
    std::uint8_t winner = 0;
    std::uint32_t label = 0;
    std::int64_t losers = 0;
  };

  ThreadState& state(std::uint8_t thread);
  void endHandling(std::uint8_t thread, ThreadState& state, std::int64_t endNs,
                   std::vector<TraceEvent>& out, StraceImportStats& stats);
  void endRun(std::uint8_t thread, ThreadState& state, std::vector<TraceEvent>& out,
              StraceImportStats& stats);
  void reportHerd(FdKey fd, const HerdWatch& herd, std::vector<TraceEvent>& out,
                  StraceImportStats& stats);

  std::uint64_t busyRunMin_;
  std::unordered_map<FdKey, std::uint32_t> masks_;  // fd -> registered mask (any epfd)
  std::vector<ThreadState> threads_;                // index: thread
  std::unordered_map<FdKey, HerdWatch> herds_;      // listener -> its last connection
};

}  // namespace eps
