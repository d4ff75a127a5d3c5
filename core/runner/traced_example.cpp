#include "core/runner/traced_example.hpp"

#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "core/base/interrupt.hpp"

namespace eps {
namespace {

std::int64_t clockNs(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// "listening on 127.0.0.1:PORT" (assets/examples/example_server.h): the port, or 0.
std::uint16_t portOfLine(std::string_view line) {
  constexpr std::string_view kPrefix = "listening on 127.0.0.1:";
  if (line.substr(0, kPrefix.size()) != kPrefix) return 0;
  line.remove_prefix(kPrefix.size());
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), port);
  if (ec != std::errc{} || end != line.data() + line.size() || port == 0 || port > 65535) return 0;
  return static_cast<std::uint16_t>(port);
}

}  // namespace

std::string bundledExamplePath(std::string_view name) {
  return std::string(EPOLLSCOPE_EXAMPLES_DIR) + "/" + std::string(name);
}

TracedExample::TracedExample(std::string_view name, const std::vector<std::string>& labels)
    : name_(name), labelBase_(labels.empty() ? 0 : labels.size() - 1) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error("example " + name_ + ": pipe2: " + std::strerror(errno));
  }
  stdout_.reset(out[0]);
  UniqueFd writeEnd(out[1]);
  LiveTraceTarget target;
  target.program = {bundledExamplePath(name), "--port", "0"};
  target.programStdout = writeEnd.get();
  realtimeAhead_ = clockNs(CLOCK_REALTIME) - clockNs(CLOCK_MONOTONIC);
  try {
    tracer_ = std::make_unique<LiveTracer>(target);
    tracer_->begin();
  } catch (const LiveTraceError& error) {
    throw std::runtime_error("example " + name_ + ": " + error.what());
  }
  writeEnd.reset();  // the example holds the only write end: its end is our end of file
  port_ = readPort(stdout_.get());
}

TracedExample::~TracedExample() {
  if (!stopped_ && tracer_) tracer_->stop();
}

std::string TracedExample::describe() const {
  return name_ + " --port " + std::to_string(port_) + " (PID " + std::to_string(tracer_->pid()) +
         ")";
}

// The example's first line, within kPortBoundMs (a child that cannot start says so on
// stderr and exits: end of file here).
std::uint16_t TracedExample::readPort(int fd) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kPortBoundMs);
  while (line.find('\n') == std::string::npos && line.size() < 256) {
    throwIfInterrupted();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw std::runtime_error("example " + name_ + ": no 'listening on' line within " +
                               std::to_string(kPortBoundMs) + " ms");
    }
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(std::min<long long>(left.count(), 100))) <= 0) continue;
    char chunk[128];
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got <= 0) {
      if (got < 0 && errno == EINTR) continue;
      throw std::runtime_error("example " + name_ + " ended before it listened (" +
                               tracer_->programFate() + ")");
    }
    line.append(chunk, static_cast<std::size_t>(got));
  }
  const std::uint16_t port = portOfLine(line.substr(0, line.find('\n')));
  if (port == 0) {
    throw std::runtime_error("example " + name_ +
                             ": expected 'listening on 127.0.0.1:PORT', got '" +
                             line.substr(0, line.find('\n')) + "'");
  }
  return port;
}

void TracedExample::adoptLabels(std::size_t first, std::vector<std::string>& fresh,
                                std::vector<std::string>& labels) const {
  if (labels.empty()) labels.emplace_back();  // [0]: no label
  for (std::size_t k = 0; k < fresh.size(); ++k) {
    const std::size_t index = first + k;
    if (index == 0) continue;  // the importer's own empty label
    const std::size_t at = labelBase_ + index;
    if (labels.size() <= at) labels.resize(at + 1);
    labels[at] = std::move(fresh[k]);
  }
}

// The importer's events on the lesson's clock and label numbers.
std::size_t TracedExample::adopt(std::vector<TraceEvent>& events, std::vector<TraceEvent>& out) {
  std::size_t calls = 0;
  const auto shifted = [this](std::uint32_t label) {
    return label == 0 ? 0U : static_cast<std::uint32_t>(labelBase_ + label);
  };
  for (TraceEvent& event : events) {
    event.tNs -= realtimeAhead_;
    event.conn = shifted(event.conn);
    if (event.kind == EventKind::Call && event.call == Call::Accept4) {
      event.c = shifted(static_cast<std::uint32_t>(event.c));
    }
    if (event.kind == EventKind::Call) ++calls;
    out.push_back(event);
  }
  return calls;
}

std::size_t TracedExample::take(std::vector<TraceEvent>& out, std::vector<std::string>& labels) {
  if (stopped_) return 0;
  std::size_t calls = 0;
  for (StraceDelta& batch : tracer_->takeBatches()) {
    adoptLabels(batch.firstLabel, batch.newLabels, labels);
    calls += adopt(batch.events, out);
  }
  return calls;
}

std::size_t TracedExample::stop(std::vector<TraceEvent>& out, std::vector<std::string>& labels) {
  if (stopped_) return 0;
  tracer_->stop();
  std::size_t calls = take(out, labels);
  stopped_ = true;
  try {
    StraceImport rest = tracer_->finish();
    adoptLabels(0, rest.labels, labels);
    calls += adopt(rest.events, out);
  } catch (const StraceImportError&) {
    // strace's output ended early (the example was killed mid-line): what was mapped stays.
  }
  return calls;
}

}  // namespace eps
