// What a timeline frame costs with a million events loaded: per lane, one fold over a
// 1600-px window, 1600 depth columns and the stranded spans, zoomed out (the whole trace) and
// zoomed in (1 ms in the middle); what append costs per event; and what the model holds per
// retained event at 1 M and 10 M events (BM_BytesPerEvent: its own accounting, memoryBytes(),
// and the growth of the process's resident memory).
// Run: build/release/tests/bench_timeline
//      build/release/tests/bench_timeline --benchmark_filter=BytesPerEvent
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <random>
#include <vector>

#include "core/timeline/model.hpp"

namespace {

using eps::Call;
using eps::EventKind;
using eps::TraceEvent;

constexpr std::size_t kEvents = 1'000'000;
constexpr int kListenFd = 3;
constexpr int kEpollFd = 4;
constexpr int kFirstConnFd = 7;
constexpr int kConns = 7;  // + epoll_wait, control and listener lanes: 10 lanes
constexpr int kWidthPx = 1'600;
constexpr float kMinPx = 3.0f;

// Builds events in sequence order; times advance ~1 µs per event like a busy echo server.
class Synth {
 public:
  TraceEvent make(EventKind kind, int fd, std::int64_t dur = 0) {
    TraceEvent event;
    event.kind = kind;
    event.fd = fd;
    event.seq = ++seq_;
    event.tNs = now_;
    event.durNs = dur;
    now_ += dur + 200 + static_cast<std::int64_t>(random_() % 800);
    return event;
  }
  TraceEvent call(Call which, int fd, std::int64_t ret, std::int64_t dur, int err = 0) {
    TraceEvent event = make(EventKind::Call, fd, dur);
    event.call = which;
    event.ret = ret;
    event.err = err;
    return event;
  }
  std::uint64_t next() { return random_(); }

 private:
  std::mt19937_64 random_{42};
  std::uint64_t seq_ = 0;
  std::int64_t now_ = 1'000'000'000;
};

void prologue(Synth& synth, std::vector<TraceEvent>& out) {
  out.push_back(synth.call(Call::EpollCreate1, -1, kEpollFd, 1'000));
  out.push_back(synth.call(Call::Eventfd2, -1, 5, 1'000));
  out.push_back(synth.call(Call::Socket, -1, kListenFd, 1'000));
  out.push_back(synth.call(Call::Listen, kListenFd, 0, 1'000));
  for (int i = 0; i < kConns; ++i) {
    out.push_back(synth.call(Call::Accept4, kListenFd, kFirstConnFd + i, 2'000));
  }
}

// One wakeup: a wait, a ready entry, a sample, reads until EAGAIN, an echo write; now and
// then a stranded diagnosis or a knob change.
void wakeup(Synth& synth, std::vector<TraceEvent>& out) {
  const int fd = kFirstConnFd + static_cast<int>(synth.next() % kConns);
  const auto blockedFor = static_cast<std::int64_t>(synth.next() % 50'000);
  out.push_back(synth.call(Call::EpollWait, kEpollFd, 1, blockedFor));
  TraceEvent ready = synth.make(EventKind::Ready, fd);
  out.push_back(ready);
  TraceEvent sample = synth.make(EventKind::Sample, fd);
  sample.a = static_cast<std::int64_t>(synth.next() % 65'536);
  out.push_back(sample);
  out.push_back(synth.call(Call::Read, fd, 512, 1'500));
  out.push_back(synth.call(Call::Read, fd, -1, 800, EAGAIN));
  out.push_back(synth.call(Call::Write, fd, 512, 2'000));
  const std::uint64_t roll = synth.next() % 100;
  if (roll == 0) {
    TraceEvent stranded = synth.make(EventKind::Stranded, fd);
    stranded.a = 100;
    out.push_back(stranded);
  } else if (roll == 1) {
    out.push_back(synth.make(EventKind::Config, -1));
  }
}

const std::vector<TraceEvent>& syntheticTrace() {
  // Built once per process: the benchmarks share it (a benchmark program, not UI code).
  static const std::vector<TraceEvent> trace = [] {
    Synth synth;
    std::vector<TraceEvent> events;
    events.reserve(kEvents + 16);
    prologue(synth, events);
    while (events.size() < kEvents) wakeup(synth, events);
    events.resize(kEvents);
    return events;
  }();
  return trace;
}

const eps::TimelineModel& loadedModel() {
  static const eps::TimelineModel model = [] {
    eps::TimelineModel loaded;
    loaded.append(syntheticTrace());
    return loaded;
  }();
  return model;
}

// One frame: every lane folded, its depth reduced per column, its stranded spans listed.
void frame(benchmark::State& state, std::int64_t t0, std::int64_t t1) {
  const eps::TimelineModel& model = loadedModel();
  const double nsPerPixel = static_cast<double>(t1 - t0) / kWidthPx;
  std::vector<eps::TimelineBlock> blocks;
  std::vector<eps::DepthColumn> depth;
  std::size_t drawn = 0;
  for (auto _ : state) {
    drawn = 0;
    for (const eps::LaneInfo& lane : model.lanes()) {
      model.fold(lane.id, t0, nsPerPixel, kWidthPx, kMinPx, blocks);
      model.depthColumns(lane.id, t0, nsPerPixel, kWidthPx, depth);
      const auto stranded = model.strandedSpans(lane.id, t0, t1);
      drawn += blocks.size() + stranded.size();
      benchmark::DoNotOptimize(depth.data());
    }
  }
  state.counters["lanes"] = static_cast<double>(model.lanes().size());
  state.counters["blocks"] = static_cast<double>(drawn);
}

void BM_FrameZoomedOut(benchmark::State& state) {
  const eps::TimelineModel& model = loadedModel();
  frame(state, model.firstNs(), model.lastNs());
}
BENCHMARK(BM_FrameZoomedOut)->Unit(benchmark::kMicrosecond);

void BM_FrameZoomedIn(benchmark::State& state) {
  const eps::TimelineModel& model = loadedModel();
  const std::int64_t middle = model.firstNs() + (model.lastNs() - model.firstNs()) / 2;
  frame(state, middle, middle + 1'000'000);
}
BENCHMARK(BM_FrameZoomedIn)->Unit(benchmark::kMicrosecond);

// A burst of a million reads inside one pixel column: one block, found by binary search.
void BM_FoldMillionInOnePixel(benchmark::State& state) {
  Synth synth;
  std::vector<TraceEvent> events;
  prologue(synth, events);
  const std::int64_t burst = events.back().tNs + 10'000;
  for (std::size_t i = 0; i < kEvents; ++i) {
    TraceEvent read = synth.call(Call::Read, kFirstConnFd, 64, 0);
    read.tNs = burst + static_cast<std::int64_t>(i / 2'000);  // 500 ns in all
    events.push_back(read);
  }
  eps::TimelineModel model;
  model.append(events);
  const std::uint32_t lane = model.laneOf(model.endId() - 1);
  std::vector<eps::TimelineBlock> blocks;
  for (auto _ : state) {
    model.fold(lane, burst - 800'000, 1'000.0, kWidthPx, kMinPx, blocks);
    benchmark::DoNotOptimize(blocks.data());
  }
  state.counters["blocks"] = static_cast<double>(blocks.size());
  state.counters["count"] = blocks.empty() ? 0.0 : static_cast<double>(blocks[0].count);
}
BENCHMARK(BM_FoldMillionInOnePixel)->Unit(benchmark::kMicrosecond);

// A fresh model swallowing the million events: the first fill, page faults included.
// Arg: the retention cap (below 1M, drops are included).
void BM_AppendFresh(benchmark::State& state) {
  const std::vector<TraceEvent>& trace = syntheticTrace();
  const auto cap = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    eps::TimelineModel model(cap);
    model.append(trace);
    benchmark::DoNotOptimize(model.endId());
    state.PauseTiming();
    {
      const eps::TimelineModel gone = std::move(model);  // free outside the timed region
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace.size()));
}
BENCHMARK(BM_AppendFresh)->Arg(2'000'000)->Arg(250'000)->Unit(benchmark::kMillisecond);

// A long-lived model taking batches as the UI drains them each frame: the running cost.
// Each batch is the trace's wakeups shifted past the previous batch. Arg: the cap (250K:
// every batch also pays for its drops; 2M: the store still grows).
void BM_AppendSteady(benchmark::State& state) {
  constexpr std::size_t kBatch = 100'000;
  const std::vector<TraceEvent>& trace = syntheticTrace();
  const std::int64_t span = trace.back().tNs - trace.front().tNs;
  eps::TimelineModel model(static_cast<std::size_t>(state.range(0)));
  model.append(trace);
  std::vector<TraceEvent> batch(trace.end() - static_cast<std::ptrdiff_t>(kBatch), trace.end());
  const std::int64_t batchSpan = batch.back().tNs - batch.front().tNs + 1'000;
  std::int64_t shift = span;
  for (auto _ : state) {
    state.PauseTiming();
    for (TraceEvent& event : batch) event.tNs += shift;
    shift = batchSpan;
    state.ResumeTiming();
    model.append(batch);
  }
  benchmark::DoNotOptimize(model.endId());
  state.counters["dropped"] = static_cast<double>(model.droppedByCap());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
}
BENCHMARK(BM_AppendSteady)->Arg(2'000'000)->Arg(250'000)->Unit(benchmark::kMillisecond);

// What the model holds per event, filled as the window's synthetic loader fills it: in chunks,
// never the whole trace outside the model. The cap is the event count: nothing is dropped.
std::size_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

void BM_BytesPerEvent(benchmark::State& state) {
  constexpr std::size_t kChunk = 65'536;
  const auto events = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    const std::size_t before = residentBytes();
    eps::TimelineModel model(events);
    Synth synth;
    std::vector<TraceEvent> chunk;
    prologue(synth, chunk);
    for (std::size_t appended = 0; appended < events; chunk.clear()) {
      while (chunk.size() < kChunk) wakeup(synth, chunk);
      chunk.resize(std::min(chunk.size(), events - appended));
      model.append(chunk);
      appended += chunk.size();
    }
    const auto n = static_cast<double>(model.endId() - model.firstRetainedId());
    state.counters["model_B_per_event"] = static_cast<double>(model.memoryBytes()) / n;
    state.counters["rss_B_per_event"] = static_cast<double>(residentBytes() - before) / n;
  }
}
BENCHMARK(BM_BytesPerEvent)
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
