// Live tracing of any program: `epollscope --trace -- PROGRAM` and `--attach PID`.
//
// Design: Debian's strace does the tracing; we read what it writes. strace runs as our child,
// `strace -f -ttt -T -yy -qq -o /proc/self/fd/3 -p PID`, with descriptor 3 the write end of a
// pipe whose read end only we hold, so the pipe ends exactly when strace does. A reader thread
// polls the pipe, cuts it into lines, feeds them to a StraceImporter (the same mapping as an
// imported log: the same events and lanes) and hands the events onward in batches, one per
// chunk read, through a mutex-guarded queue.
//
// Both forms attach with -p, so strace never is the program's parent: for --trace we fork the
// program ourselves, hold it before exec until /proc/PID/status shows strace attached, and then
// release it. So the program's first call is traced, it is our child (its exit status is
// ours to read), its stdout is ours (our first line comes before anything it prints), and it
// inherits none of strace's descriptors. Lines before its execve (the wait for release) are
// dropped. Stopping: --trace ends the program (SIGTERM, SIGKILL after kStopBound) and strace
// follows it out; --attach sends strace SIGINT, on which it detaches and leaves the program
// running as it was. While the program sleeps in a wait, the reader samples its sockets
// (traced_wait_sampler.hpp): the trace gets their queues, and "stranded" is measured, not guessed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/strace/import.hpp"
#include "core/strace/live_spawn.hpp"
#include "core/strace/traced_wait_sampler.hpp"

namespace eps {

// What to trace: a program to start (--trace) or a running process (--attach).
struct LiveTraceTarget {
  std::vector<std::string> program;  // non-empty: --trace, the program and its arguments
  pid_t attachPid = 0;               // else --attach PID
  int programStdout = -1;            // --trace: the program's standard output (-1: ours)
};

// The trace could not start. One line naming the flag and what failed.
class LiveTraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Ownership: made, used and destroyed by one thread (the caller), which owns the strace child,
// the traced program (--trace) and the pipes. The reader thread alone reads the pipes and
// feeds the importer until strace's output ends; batches and the end pass to the caller under
// mutex_. The destructor stops the trace if stop() was not called.
class LiveTracer {
 public:
  // Starts strace on the target and waits until it has attached. Throws LiveTraceError.
  explicit LiveTracer(const LiveTraceTarget& target);
  ~LiveTracer();
  LiveTracer(const LiveTracer&) = delete;
  LiveTracer& operator=(const LiveTracer&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& commandLine() const { return commandLine_; }

  // --trace: lets the held program exec (call it after announcing the trace). Throws
  // LiveTraceError when the exec failed.
  void begin();
  // The batches mapped since the last call, in order.
  std::vector<StraceDelta> takeBatches();
  // True once strace has ended and its output has been read to the end.
  bool ended();
  // Waits at most `bound` for ended().
  bool waitEnded(std::chrono::milliseconds bound);
  // Ends the trace: --trace ends the program, --attach detaches from it. Returns once strace
  // has ended (bounded: SIGKILL after kStopBound) and the reader has finished.
  void stop();
  // After stop() or ended(): the events not yet taken, every lane label and thread, the
  // counts. Throws StraceImportError if strace's output was evidently not a trace.
  StraceImport finish();
  // --trace: "exited with 3", "killed by SIGTERM"; --attach: "left running" or "ended".
  std::string programFate() const { return fate_; }
  // Events that did not fit the queue between reader and caller (the caller fell behind).
  std::uint64_t droppedEvents();

  static constexpr std::chrono::milliseconds kAttachBound{10000};
  static constexpr std::chrono::milliseconds kStopBound{3000};

 private:
  void startStrace(const std::string& strace);
  void waitAttached(const std::string& flag);
  void read();
  void readOutput(std::string_view chunk, class StraceChunkLines& lines);
  void sampleWhileWaiting(const class StraceChunkLines& lines);
  void publish();
  void reapAll();
  std::string straceError();
  [[noreturn]] void abandon(const std::string& message);

  bool launched_ = false;  // --trace: the program is ours
  pid_t pid_ = -1;
  std::string commandLine_;
  HeldProgram held_;
  pid_t stracePid_ = -1;
  int outFd_ = -1;  // read ends of strace's output and stderr pipes (the reader's)
  int errFd_ = -1;
  std::string fate_;
  std::unique_ptr<StraceImporter> importer_;  // the reader's until it ended, then the caller's
  std::unique_ptr<TracedWaitSampler> waitSampler_;  // the reader's
  std::string prelude_;                       // --trace: output before the program's execve
  bool execSeen_ = false;

  std::mutex mutex_;
  std::condition_variable endedSignal_;
  std::deque<StraceDelta> queue_;  // guarded by mutex_
  std::size_t queuedEvents_ = 0;   // guarded by mutex_
  std::uint64_t dropped_ = 0;      // guarded by mutex_
  bool ended_ = false;             // guarded by mutex_
  std::string errText_;            // guarded by mutex_: strace's stderr, bounded
  std::string importError_;        // guarded by mutex_: the importer refused the output
  std::thread reader_;
  bool stopped_ = false;
};

}  // namespace eps
