// A bundled example program (assets/examples/, kBundledExamples in core/lessons/lesson.hpp)
// run under the live tracer for a lesson's `example NAME` action: started with `--port 0`,
// its port read from the first line it prints ("listening on 127.0.0.1:PORT"), and its calls
// handed to the lesson's trace as they are mapped. The lesson's trace is on CLOCK_MONOTONIC
// and strace stamps CLOCK_REALTIME, so times are moved by the difference of the two clocks;
// lane labels are numbered after those of the examples traced before it in the same lesson.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/base/unique_fd.hpp"
#include "core/strace/live_tracer.hpp"

namespace eps {

// The examples' folder, as the build placed them.
std::string bundledExamplePath(std::string_view name);

// Ownership: the lesson runner's; used by the thread that plays the lesson. Owns the tracer
// and through it strace and the example; destroying it ends both.
class TracedExample {
 public:
  // Starts NAME traced and waits (bounded) for its port. `labels` is the lesson's lane label
  // list so far ([0] empty); the example's labels follow them. Throws std::runtime_error.
  TracedExample(std::string_view name, const std::vector<std::string>& labels);
  ~TracedExample();
  TracedExample(const TracedExample&) = delete;
  TracedExample& operator=(const TracedExample&) = delete;

  std::uint16_t port() const { return port_; }
  // "et_one_read --port 0 (PID 1234)".
  std::string describe() const;
  // Appends the events mapped since the last call to `out` (times on CLOCK_MONOTONIC, labels
  // renumbered) and their new lane labels to `labels`; returns how many were calls.
  std::size_t take(std::vector<TraceEvent>& out, std::vector<std::string>& labels);
  // Ends the example and takes the rest as take() does.
  std::size_t stop(std::vector<TraceEvent>& out, std::vector<std::string>& labels);

  static constexpr int kPortBoundMs = 5000;

 private:
  std::size_t adopt(std::vector<TraceEvent>& events, std::vector<TraceEvent>& out);
  void adoptLabels(std::size_t first, std::vector<std::string>& fresh,
                   std::vector<std::string>& labels) const;
  std::uint16_t readPort(int fd);

  std::string name_;
  std::unique_ptr<LiveTracer> tracer_;
  UniqueFd stdout_;  // the read end of the example's standard output, held until it ends
  std::uint16_t port_ = 0;
  std::size_t labelBase_ = 0;       // the example's label i (i > 0) is the lesson's labelBase_ + i
  std::int64_t realtimeAhead_ = 0;  // CLOCK_REALTIME - CLOCK_MONOTONIC at the start
  bool stopped_ = false;
};

}  // namespace eps
