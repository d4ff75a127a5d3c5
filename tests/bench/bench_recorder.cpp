// What recording costs the engine: one event into a lock-free ring, and the collector's merge.
// Run: build/release/tests/bench_recorder
#include <benchmark/benchmark.h>

#include <thread>

#include "core/trace/recorder.hpp"

namespace {

void BM_RecordOneEvent(benchmark::State& state) {
  eps::Recorder recorder;
  eps::TraceWriter& writer = recorder.addWriter("bench", eps::Actor::Engine);
  std::vector<eps::TraceEvent> sink;
  sink.reserve(eps::Recorder::kDefaultRingCapacity);
  eps::TraceEvent event;
  event.kind = eps::EventKind::Call;
  event.call = eps::Call::Read;
  std::size_t n = 0;
  for (auto _ : state) {
    writer.record(event);
    if (++n % 4096 == 0) {  // keep the ring from filling: drain as the collector would
      state.PauseTiming();
      sink.clear();
      recorder.drainInto(sink);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordOneEvent);

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

}  // namespace
