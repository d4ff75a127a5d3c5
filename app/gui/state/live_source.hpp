// A program traced live in the window (File -> Trace a program / Attach to a process, or
// `epollscope --trace -- PROGRAM` / `--attach PID`): the LiveTracer's batches become a
// ViewedTrace that grows, shown like an imported strace log (the same events and lanes, the
// import summary, exports and sessions).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "app/gui/state/viewed_trace.hpp"
#include "app/gui/text/ui_text.hpp"
#include "core/strace/live_tracer.hpp"

namespace eps::gui {

// Ownership: held by a FileMode; UI thread only. Owns the LiveTracer (and through it strace
// and, for --trace, the program); destroying it stops the trace: --trace ends the program,
// --attach detaches and leaves it running.
class LiveSource {
 public:
  // Starts strace on the target and waits until it has attached; throws LiveTraceError.
  explicit LiveSource(const LiveTraceTarget& target);
  // --trace: lets the held program run (after the trace was announced). Throws LiveTraceError.
  void begin() { tracer_->begin(); }

  const char* mode() const { return attach_ ? "attach" : "trace"; }
  pid_t pid() const { return tracer_->pid(); }
  const std::string& commandLine() const { return tracer_->commandLine(); }
  bool running() const { return running_; }
  // "tracing PID 12: python3 server.py" or "traced PID 12 (exited with 0)".
  std::string describe(Translator say = english) const;

  // Moves what was mapped since the last call into `viewed` (lane labels, threads, counts) and
  // the events to the end of `out`; when strace has ended, finishes. True when anything came.
  bool take(ViewedTrace& viewed, std::vector<TraceEvent>& out);
  // Ends the trace (as the destructor would) and takes the rest. "" or why the output was not
  // a trace.
  std::string stop(ViewedTrace& viewed, std::vector<TraceEvent>& out);

 private:
  void finish(ViewedTrace& viewed, std::vector<TraceEvent>& out);

  std::unique_ptr<LiveTracer> tracer_;
  bool attach_ = false;
  bool running_ = true;
  std::uint64_t events_ = 0;
  std::string error_;
};

// A ViewedTrace for the trace `source` is about to fill: named, empty.
ViewedTrace liveViewedTrace(const LiveSource& source);

}  // namespace eps::gui
