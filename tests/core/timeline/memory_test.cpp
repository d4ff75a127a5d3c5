// What the timeline costs per retained event: at most 48 B for everything the model holds
// (the packed events and every lane's indexes), for a trace shaped like a busy engine, so ten
// million events fit in the window beside everything else under 600 MB.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/timeline/model.hpp"
#include "tests/core/timeline/timeline_checks.hpp"

namespace eps {
namespace {

using namespace timeline_test;

constexpr double kMaxBytesPerEvent = 48.0;
constexpr int kConns = 8;

// One wakeup: a wait, its ready entry, a read, the echo, the read that found EAGAIN and a
// queue sample, on one of kConns sockets; times advance by a few microseconds like the
// window's synthetic trace.
void wakeup(Trace& trace, std::uint64_t n, std::int64_t& t, std::vector<TraceEvent>& out) {
  const int fd = kConnFd + static_cast<int>(n % kConns);
  out.push_back(trace.wait(t += 500, 3'000 + static_cast<std::int64_t>(n % 7) * 400));
  TraceEvent ready = trace.of(EventKind::Ready, fd, t);
  ready.events = 1;
  out.push_back(ready);
  t += out[out.size() - 2].durNs;
  out.push_back(trace.read(fd, 100, t += 300, 900));
  out.push_back(trace.call(Call::Write, fd, 100, t += 1'000, 1'100));
  out.push_back(trace.read(fd, -1, t += 1'200, 700));
  out.push_back(trace.sample(fd, t += 200, static_cast<std::int64_t>((n * 37) % 4'096)));
}

TEST(TimelineMemory, ABusyEnginesEventCostsAtMost48Bytes) {
  Trace trace;
  std::vector<TraceEvent> events;
  for (int fd = kConnFd; fd < kConnFd + kConns; ++fd) {
    events.push_back(trace.call(Call::Accept4, kListenFd, fd, 100 + fd, 10));
  }
  TimelineModel model(10'000'000);
  model.append(trace.prologue());
  std::int64_t t = 10'000;
  for (std::uint64_t n = 0; model.endId() < 600'000; ++n) {
    wakeup(trace, n, t, events);
    if (events.size() < 60'000) continue;
    model.append(events);
    events.clear();
  }
  const auto retained = static_cast<double>(model.endId() - model.firstRetainedId());
  const double perEvent = static_cast<double>(model.memoryBytes()) / retained;
  EXPECT_LE(perEvent, kMaxBytesPerEvent) << model.memoryBytes() << " B for " << retained;
  RecordProperty("bytes_per_event", std::to_string(perEvent));
}

}  // namespace
}  // namespace eps
