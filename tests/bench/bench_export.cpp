// How fast the Chrome Trace export streams: N events of a busy engine run (epoll_wait with
// its ready records, reads, writes, EAGAIN, accepts and closes, kernel samples) written to a
// stream that counts and discards the bytes, so only formatting is measured. Reports events/s
// (items) and bytes/s. Single-threaded, as the export is.
// Run: build/release/tests/bench_export
#include <benchmark/benchmark.h>
#include <sys/epoll.h>

#include <cerrno>
#include <ostream>
#include <streambuf>
#include <vector>

#include "core/formats/export.hpp"

namespace {

// Counts what is written and keeps none of it.
class CountingNullBuffer : public std::streambuf {
 public:
  std::int64_t bytes = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize count) override {
    bytes += count;
    return count;
  }
  int_type overflow(int_type ch) override {
    ++bytes;
    return traits_type::not_eof(ch);
  }
};

// A synthetic run of `count` events: 64 connections open at a time, each wakeup serving one of
// them (read, write the echo, read EAGAIN), every 16th connection replaced (close + accept),
// a queue sample every 8 wakeups.
std::vector<eps::TraceEvent> busyRun(std::size_t count) {
  std::vector<eps::TraceEvent> events;
  events.reserve(count + 16);
  std::int64_t t = 1'000'000'000;
  std::uint64_t seq = 0;
  const auto add = [&](eps::EventKind kind, eps::Call call, int fd, std::int64_t ret,
                       std::int64_t dur) -> eps::TraceEvent& {
    eps::TraceEvent& e = events.emplace_back();
    e.kind = kind;
    e.call = call;
    e.fd = fd;
    e.ret = ret;
    e.tNs = t;
    e.durNs = dur;
    e.seq = ++seq;
    t += dur + 150;
    return e;
  };
  add(eps::EventKind::Call, eps::Call::EpollCreate1, -1, 3, 2000);
  add(eps::EventKind::Call, eps::Call::Socket, -1, 4, 2000);
  add(eps::EventKind::Call, eps::Call::Listen, 4, 0, 1000).a = 128;
  constexpr int kOpen = 64;
  for (int i = 0; i < kOpen; ++i) add(eps::EventKind::Call, eps::Call::Accept4, 4, 10 + i, 900);
  for (std::size_t wakeup = 0; events.size() < count; ++wakeup) {
    const int fd = 10 + static_cast<int>(wakeup % kOpen);
    eps::TraceEvent& wait = add(eps::EventKind::Call, eps::Call::EpollWait, 3, 1, 40'000);
    wait.a = 64;
    wait.b = -1;
    add(eps::EventKind::Ready, eps::Call::None, fd, 0, 0).events = EPOLLIN;
    add(eps::EventKind::Call, eps::Call::Read, fd, 512, 1200).a = 4096;
    add(eps::EventKind::Call, eps::Call::Write, fd, 512, 1500).a = 512;
    eps::TraceEvent& again = add(eps::EventKind::Call, eps::Call::Read, fd, -1, 700);
    again.a = 4096;
    again.err = EAGAIN;
    if (wakeup % 8 == 0) {
      eps::TraceEvent& sample = add(eps::EventKind::Sample, eps::Call::None, fd, 0, 0);
      sample.a = 512;
      sample.b = 0;
    }
    if (wakeup % 16 == 15) {
      add(eps::EventKind::Call, eps::Call::Close, fd, 0, 3000);
      add(eps::EventKind::Call, eps::Call::Accept4, 4, fd, 900).a = 40000 + (wakeup % 20000);
    }
  }
  return events;
}

void BM_ChromeTraceExport(benchmark::State& state) {
  const auto events = busyRun(static_cast<std::size_t>(state.range(0)));
  eps::TraceMeta meta;
  meta.knobs = "bench";
  std::int64_t bytes = 0;
  for (auto _ : state) {
    CountingNullBuffer buffer;
    std::ostream out(&buffer);
    eps::writeChromeTrace(out, events, meta);
    bytes += buffer.bytes;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.SetBytesProcessed(bytes);
  state.counters["bytes_per_event"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations() * events.size());
}
BENCHMARK(BM_ChromeTraceExport)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_CallsCsvExport(benchmark::State& state) {
  const auto events = busyRun(static_cast<std::size_t>(state.range(0)));
  eps::TraceMeta meta;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    CountingNullBuffer buffer;
    std::ostream out(&buffer);
    eps::writeCallsCsv(out, events, meta);
    bytes += buffer.bytes;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_CallsCsvExport)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
