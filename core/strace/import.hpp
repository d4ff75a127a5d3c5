// The strace importer: reads a log written by `strace -f -ttt -T -yy -o LOG` (or -tt, which
// may wrap past midnight) line by line and turns it into the trace a recorder would have
// made: epoll_wait with its Ready records, epoll_ctl, accept, reads and writes, close, ...,
// one epoll_wait lane per thread and epoll instance, socket lanes named from -yy decorations,
// and diagnoses inferred from the calls alone (marked kEventInferred). Memory grows with the
// events kept (at most maxEvents) and the lane labels (at most kImportMaxLabels of at most
// kImportMaxLabelBytes, core/base/input_limits.hpp), never with the file: a log of gigabytes
// streams through a fixed buffer.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/inspect/pid_sampler.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

struct StraceImportOptions {
  std::string source = "log";         // named in error messages: the file's path
  std::size_t maxEvents = 4'000'000;  // beyond this, events are counted as dropped
  std::size_t keepBadLines = 10;      // not-understood lines kept for display
  std::size_t sniffLines = 20;        // this many leading lines all unreadable: not strace
  std::uint64_t busyRunMin = 5;       // idle LT wakeups in a row reported as busy
  std::size_t maxLineBytes = std::size_t{1} << 20;  // longer lines are not understood
};

// How often the log made one call the trace keeps no record for, and how often it failed.
struct OtherCallCount {
  std::uint64_t count = 0;
  std::uint64_t failed = 0;
};
// The other calls' names kept apart; beyond, they are counted under kOtherNamesRest.
inline constexpr std::size_t kImportMaxOtherNames = 512;
inline constexpr std::string_view kOtherNamesRest = "(other names)";

struct StraceImportStats {
  std::uint64_t lines = 0;  // every line, empty ones included
  std::uint64_t emptyLines = 0;
  std::uint64_t notUnderstood = 0;  // non-empty lines the parser could not read
  std::uint64_t syscalls = 0;       // complete calls after joining unfinished/resumed halves
  std::uint64_t callsImported = 0;  // calls that became Call events
  std::uint64_t readyImported = 0;  // Ready records (entries of epoll_wait's array)
  std::uint64_t otherCalls = 0;     // calls the trace has no record for (mmap, futex, ...)
  std::map<std::string, OtherCallCount, std::less<>> otherByName;  // at most kImportMaxOtherNames
  bool usesIoUring = false;      // io_uring_setup/enter: the program's I/O is not visible to strace
  std::uint64_t readCalls = 0;   // Read events: read, recv*, pread64, readv, splice from a socket
  std::uint64_t writeCalls = 0;  // Write events: write, send*, pwrite64, sendfile, splice, tee
  std::uint64_t bytesIn = 0;     // the bytes the Read events moved
  std::uint64_t bytesOut = 0;    // the bytes the Write events moved
  std::uint64_t mmsgBytesUnknown = 0;  // recvmmsg/sendmmsg results whose msg_len strace left out
  std::uint64_t unfinished = 0;     // calls of interest that never got a result
  std::uint64_t signals = 0;        // "--- SIGALRM ... ---"
  std::uint64_t exits = 0;          // "+++ exited with 0 +++"
  std::uint64_t midnightWraps = 0;  // -tt logs: times of day that went back by ~24 h
  std::uint64_t strandedInferred = 0;

  // A live trace's samples (live_tracer.hpp): the sockets' queues read while a wait slept.
  std::uint64_t samples = 0;           // Sample events recorded
  std::uint64_t strandedMeasured = 0;  // stranded diagnoses measured from a sample
  // The bytes (or connections) the measured strandings found waiting.
  std::uint64_t strandedBytesMeasured = 0;
  int samplingRefused = 0;  // errno with which the kernel refused a sample (EPERM...), 0: none

  std::uint64_t busyRunsInferred = 0;
  std::uint64_t busyWakeupsInferred = 0;  // idle wakeups in the reported runs
  std::uint64_t herdsInferred = 0;        // connections that woke threads for nothing
  std::uint64_t droppedEvents = 0;        // beyond maxEvents
  std::uint64_t processes = 0;            // fd tables (fork, unshare): > 1, numbers collide
  std::uint64_t labelsDropped = 0;  // lane labels refused beyond kImportMaxLabels (input_limits)
  bool timestamps = true;                 // false: the log has none (no -t); times are synthetic
};

struct StraceBadLine {
  std::uint64_t number = 0;  // 1-based line number in the log
  std::string text;          // the line, cut to 200 bytes, through terminalText()
};

struct StraceImport {
  std::vector<TraceEvent> events;  // in recording order: a call once its result is known
  // Lane names imported events' `conn` indexes (LaneTracker::setLabels); [0] is empty.
  std::vector<std::string> labels;
  std::vector<Recorder::WriterInfo> threads;  // one per traced thread: its index and tid
  StraceImportStats stats;
  std::vector<StraceBadLine> badLines;  // the first few not-understood lines
};

// A log that cannot be imported: missing, unreadable, empty, binary, or not strace's. The
// message names the file and, where it applies, the line.
class StraceImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the importer mapped since the previous takeEvents(), for a live trace that hands
// events onward while strace still writes (core/strace/live_tracer.hpp).
struct StraceDelta {
  std::vector<TraceEvent> events;  // in recording order, moved out of the importer
  std::size_t firstLabel = 0;      // newLabels[i] is the lane label with index firstLabel + i
  std::vector<std::string> newLabels;
  std::vector<Recorder::WriterInfo> newThreads;
};

class StraceMapper;

// Ownership: one per log, used by one thread. feed() takes the log's lines in order (without
// their newline); finish() ends the log and hands back the result. Throws StraceImportError
// as soon as the log is evidently not an strace log.
class StraceImporter {
 public:
  explicit StraceImporter(StraceImportOptions options = {});
  ~StraceImporter();
  StraceImporter(const StraceImporter&) = delete;
  StraceImporter& operator=(const StraceImporter&) = delete;

  void feed(std::string_view line);
  // A line longer than options.maxLineBytes: counted, not parsed (`head` is its beginning).
  void feedOverlong(std::string_view head);
  // The events, lane labels and threads mapped since the last take. Events taken are no
  // longer the importer's: options.maxEvents bounds those held between two takes, and
  // finish() returns only the rest (with every label and thread).
  StraceDelta takeEvents();
  const StraceImportStats& stats() const;
  // A live trace sampled process `pid`'s sockets at `tNs` (strace's clock, -ttt) while its
  // thread `tid` slept in a wait: Sample events, and the stranded diagnoses they measure.
  void noteSamples(int pid, int tid, std::int64_t tNs, std::span<const FdSample> samples);
  StraceImport finish();

 private:
  void notUnderstood(std::string_view line, const char* why);
  void sniff(std::string_view line, bool understood);

  StraceImportOptions options_;
  std::unique_ptr<StraceMapper> mapper_;
  std::uint64_t understood_ = 0;    // lines the parser read
  std::uint64_t nonEmptySeen_ = 0;  // non-empty lines so far (for the sniff)
  std::uint64_t firstBadNumber_ = 0;
  std::size_t labelsTaken_ = 0;   // takeEvents() handed out labels [0, labelsTaken_)
  std::size_t threadsTaken_ = 0;  // and threads [0, threadsTaken_)
};

// Streams the file at `path` through a StraceImporter. Throws StraceImportError.
StraceImport importStraceFile(const std::string& path, StraceImportOptions options = {});

}  // namespace eps
