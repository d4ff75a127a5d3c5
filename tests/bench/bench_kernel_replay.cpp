// What the time cursor costs on a trace of 1 M events (an echo's cycle over 100 sockets:
// epoll_wait, its ready record, read, write, a sample): the first seek to the end (it takes
// every checkpoint), one step forward, one step back (from the checkpoint below), and a jump
// to a random event.
// Run: build/release/tests/bench_kernel_replay
#include <benchmark/benchmark.h>
#include <sys/epoll.h>

#include <random>
#include <vector>

#include "core/kernelstate/replay.hpp"

namespace {

using eps::Call;
using eps::EventKind;
using eps::KernelReplay;
using eps::TraceEvent;

constexpr std::size_t kEvents = 1'000'000;
constexpr int kSockets = 100;

TraceEvent call(Call what, int fd, std::int64_t ret) {
  TraceEvent e;
  e.kind = EventKind::Call;
  e.call = what;
  e.fd = fd;
  e.ret = ret;
  return e;
}

std::vector<TraceEvent> echoTrace() {
  std::vector<TraceEvent> events;
  const auto add = [&events](TraceEvent e) {
    e.tNs = static_cast<std::int64_t>(events.size()) * 1000;
    events.push_back(e);
  };
  add(call(Call::EpollCreate1, -1, 3));
  for (int fd = 10; fd < 10 + kSockets; ++fd) {
    add(call(Call::Accept4, 5, fd));
    TraceEvent ctl = call(Call::EpollCtl, fd, 0);
    ctl.a = 3;
    ctl.op = EPOLL_CTL_ADD;
    ctl.events = EPOLLIN | EPOLLET;
    add(ctl);
  }
  while (events.size() < kEvents) {
    const int fd = 10 + static_cast<int>(events.size() % kSockets);
    add(call(Call::EpollWait, 3, 1));
    TraceEvent ready;
    ready.kind = EventKind::Ready;
    ready.fd = fd;
    ready.events = EPOLLIN;
    add(ready);
    add(call(Call::Read, fd, 100));
    add(call(Call::Write, fd, 100));
    TraceEvent sample;
    sample.kind = EventKind::Sample;
    sample.fd = fd;
    sample.a = 7;
    add(sample);
  }
  return events;
}

const std::vector<TraceEvent>& trace() {
  static const std::vector<TraceEvent> events = echoTrace();
  return events;
}

void BM_FirstSeekToTheEnd(benchmark::State& state) {
  for (auto _ : state) {
    KernelReplay replay;
    replay.append(trace());
    benchmark::DoNotOptimize(replay.seek(trace().size()).applied);
  }
}
BENCHMARK(BM_FirstSeekToTheEnd)->Unit(benchmark::kMillisecond);

void BM_StepForward(benchmark::State& state) {
  KernelReplay replay;
  replay.append(trace());
  std::size_t at = trace().size() / 2;
  replay.seek(at);
  for (auto _ : state) {
    if (++at == trace().size()) at = replay.seek(trace().size() / 2).applied;
    benchmark::DoNotOptimize(replay.seek(at).applied);
  }
}
BENCHMARK(BM_StepForward);

void BM_StepBack(benchmark::State& state) {
  KernelReplay replay;
  replay.append(trace());
  std::size_t at = trace().size() / 2;
  replay.seek(at);
  for (auto _ : state) {
    if (--at == 0) at = trace().size() / 2;
    benchmark::DoNotOptimize(replay.seek(at).applied);
  }
}
BENCHMARK(BM_StepBack)->Unit(benchmark::kMicrosecond);

void BM_RandomJump(benchmark::State& state) {
  KernelReplay replay;
  replay.append(trace());
  replay.seek(trace().size());
  std::mt19937_64 random(42);
  for (auto _ : state) {
    benchmark::DoNotOptimize(replay.seek(random() % trace().size()).applied);
  }
}
BENCHMARK(BM_RandomJump)->Unit(benchmark::kMicrosecond);

}  // namespace
