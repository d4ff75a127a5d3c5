// What recording costs the engine: one event into a lock-free ring, and the collector's merge.
// Run: build/release/tests/bench_recorder
#include <benchmark/benchmark.h>

#include <thread>

#include "core/trace/event_log.hpp"
#include "core/trace/recorder.hpp"

namespace {

eps::TraceEvent aRead() {
  eps::TraceEvent event;
  event.kind = eps::EventKind::Call;
  event.call = eps::Call::Read;
  return event;
}

// The clock alone (CLOCK_MONOTONIC through the vDSO): what any timestamp costs, and two of
// them per call (its start and its end) are what recording a call cannot do without.
void BM_ClockRead(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(eps::monotonicNs());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClockRead);

// Times `recordOne(writer)` per iteration; every 4096 events the ring is drained untimed, as
// the collector would, so it never fills.
template <typename RecordOne>
void recordLoop(benchmark::State& state, RecordOne&& recordOne) {
  eps::Recorder recorder;
  eps::TraceWriter& writer = recorder.addWriter("bench", eps::Actor::Engine);
  std::vector<eps::TraceEvent> sink;
  sink.reserve(eps::Recorder::kDefaultRingCapacity);
  std::size_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(recordOne(writer));
    if (++n % 4096 == 0) {
      state.PauseTiming();
      sink.clear();
      recorder.drainInto(sink);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// TraceWriter::record of an event without a timestamp (so the time is the recorder's own).
void BM_RecordOneEvent(benchmark::State& state) {
  const eps::TraceEvent event = aRead();
  recordLoop(state, [&event](eps::TraceWriter& writer) { return writer.record(event); });
}
BENCHMARK(BM_RecordOneEvent);

// An event the caller already stamped (the engine's calls: KernelSeam times each call
// itself), so record() takes no clock reading: the recorder's own cost.
void BM_RecordStampedEvent(benchmark::State& state) {
  eps::TraceEvent event = aRead();
  event.tNs = 1;
  recordLoop(state, [&event](eps::TraceWriter& writer) { return writer.record(event); });
}
BENCHMARK(BM_RecordStampedEvent);

// The pre-stamped event filled in place in the ring slot (reserve/commit): no event built
// on the stack and copied.
void BM_RecordInPlace(benchmark::State& state) {
  recordLoop(state, [](eps::TraceWriter& writer) {
    eps::TraceEvent* slot = writer.reserve();
    *slot = eps::TraceEvent{};
    slot->kind = eps::EventKind::Call;
    slot->call = eps::Call::Read;
    slot->tNs = 1;
    return writer.commit(*slot);
  });
}
BENCHMARK(BM_RecordInPlace);

void BM_DrainAndMergeTwoProducers(benchmark::State& state) {
  eps::Recorder recorder;
  eps::TraceWriter& a = recorder.addWriter("a", eps::Actor::Engine);
  eps::TraceWriter& b = recorder.addWriter("b", eps::Actor::Clients);
  std::vector<eps::TraceEvent> sink;
  const auto batch = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    for (std::size_t i = 0; i < batch / 2; ++i) {
      a.record({});
      b.record({});
    }
    sink.clear();
    state.ResumeTiming();
    recorder.drainInto(sink);
    benchmark::DoNotOptimize(sink.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}
BENCHMARK(BM_DrainAndMergeTwoProducers)->Arg(1024)->Arg(32768);

// The headless collector's drain: two producers' runs of 64 events interleaved (the engine
// and its sampler), merged into a bounded log of the newest 1 Mi events that is already full,
// so every drain also recycles chunks. Items = events drained.
void BM_DrainIntoBoundedLog(benchmark::State& state) {
  eps::Recorder recorder;
  eps::TraceWriter& a = recorder.addWriter("a", eps::Actor::Engine);
  eps::TraceWriter& b = recorder.addWriter("b", eps::Actor::Engine, 1);
  eps::EventLog log(std::size_t{1} << 20);
  const eps::TraceEvent event = aRead();
  const auto batch = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    for (std::size_t i = 0; i < batch; i += 128) {
      for (int k = 0; k < 64; ++k) a.record(event);
      for (int k = 0; k < 64; ++k) b.record(event);
    }
    state.ResumeTiming();
    benchmark::DoNotOptimize(recorder.drainInto(log));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
  state.counters["chunks"] = static_cast<double>(log.chunksAllocated());
}
BENCHMARK(BM_DrainIntoBoundedLog)->Arg(32768);

}  // namespace
