// The engine's own descriptor table, and the descriptor limit it emulates there.
//
// Why: lesson 11 (EMFILE) needs an engine with no free descriptor. RLIMIT_NOFILE is per
// process, so lowering it starved every other thread too: the window could not rebuild its
// font atlas, save a session or list the tours while the lesson ran. Instead the engine
// thread calls unshare(CLONE_FILES) as the first thing it does after creating its command
// eventfd: from then on it has a descriptor table of its own (a copy, whose inherited
// entries it closes at once, stdio excepted). Threads it creates afterwards (the worker
// pool, the wait sampler) share that table; the rest of the process keeps the old one.
//
// The `fd limit` knob still means "the engine behaves as if RLIMIT_NOFILE were N": a new
// descriptor takes the lowest free number and fails with EMFILE once that number would be
// >= N. That is emulated by occupying every free number from N up to the real soft limit − 1
// with placeholders (duplicates of one harmless descriptor), so the lowest free number is
// below N or there is none. Every call this takes — unshare, close_range, prlimit64, each
// fcntl(F_DUPFD_CLOEXEC) that makes a placeholder — goes through the seam and is recorded:
// the trace shows what the engine thread really does, and the strace fidelity test compares
// every call. The placeholders sit on the epoll fd's lane (their source), one call each: a
// limit of N under a soft limit S is S − N calls, made once when the knob changes.
//
// The command eventfd is the one descriptor in both tables: it is created before the
// unshare, so the UI thread, the clients and the lesson runner (old table) and the workers
// (engine's table) all wake the engine by writing the same number. The engine closes its
// copy in teardown; the Engine facade closes the old table's copy after joining the thread.
// When the engine thread exits, its table — every descriptor in it — is released.
//
// Sanitizer builds: UBSan's vptr check probes memory through a fresh pipe (two descriptors)
// on whichever thread makes an uncached check. On an engine thread that pipe took numbers in
// the middle of a fill and left a hole when closed (the next accept4 succeeded where EMFILE
// was due), and failed once the table was full (a false "invalid vptr"). The asan preset is
// therefore built with -fno-sanitize=vptr; nothing in the engine's table opens descriptors
// behind its back.
#pragma once

#include <utility>
#include <vector>

namespace eps {

class KernelSeam;

// Ownership: owned by the EventLoop; every method runs on the engine thread (after
// makeOwn, any thread it created later shares the same table).
class EngineFdTable {
 public:
  explicit EngineFdTable(KernelSeam& seam) : seam_(seam) {}

  // unshare(CLONE_FILES), then closes every inherited descriptor except stdio (sanitizers
  // report through fd 2) and `keep`. Copies left in this table would keep other threads'
  // sockets and pipes open: a client's close would send no FIN, a reset no RST.
  // Returns 0, or the errno when the kernel refused (the engine then shares the process's
  // table and the limit cannot be emulated).
  int makeOwn(int keep);
  bool own() const { return own_; }

  // The limit that leaves exactly `more` descriptor numbers free below it in this table:
  // the (more+1)-th free number.
  int limitAllowing(int more);

  // Emulates RLIMIT_NOFILE = `limit` (0: no limit) with duplicates of `source`.
  // Returns 0 or the errno.
  int setLimit(int limit, int source);
  int limit() const { return limit_; }
  // After the engine closed `fd`: a number at or above the limit must not become free.
  void refill(int fd, int source);
  void release();

 private:
  int softLimit();
  bool placeholder(int fd) const;
  void closeRange(unsigned first, unsigned last);

  KernelSeam& seam_;
  bool own_ = false;
  int ownError_ = 0;
  int limit_ = 0;
  std::vector<std::pair<int, int>> placeholders_;  // runs [first, last] of numbers held
};

}  // namespace eps
