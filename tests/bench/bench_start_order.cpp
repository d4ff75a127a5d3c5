// What the event log's start order costs at 10 M entries: insert per entry (batches of 4096 in
// completion order, ~1 % of each batch begun up to 2 s earlier: long waits), the bytes an
// entry holds (its own accounting, memoryBytes(), and what the heap grew by), and the reads
// the window makes: positionOf (a selection finds its line), idAt at random (a jump) and in
// order (the clipped list, the search marks).
// Run: build/release/tests/bench_start_order
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/trace/start_order.hpp"

namespace {

using eps::StartOrder;
using Entry = StartOrder::Entry;

constexpr std::size_t kEntries = 10'000'000;
constexpr std::size_t kBatch = 4'096;
constexpr std::int64_t kLateNs = 2'000'000'000;

// Entries in completion order: ids count up, starts ~0.6 µs apart (a busy echo server), and
// one in a hundred began up to 2 s before it completed (about 3 M entries back).
std::vector<Entry> completionOrder() {
  std::mt19937_64 random(42);
  std::vector<Entry> entries(kEntries);
  std::int64_t now = 10'000'000'000;
  for (std::size_t id = 0; id < kEntries; ++id) {
    now += 200 + static_cast<std::int64_t>(random() % 800);
    const bool late = random() % 100 == 0;
    const auto back = late ? static_cast<std::int64_t>(random() % kLateNs) : 0;
    entries[id] = {now - back, id};
  }
  return entries;
}

void insertAll(StartOrder& order, const std::vector<Entry>& entries) {
  std::vector<Entry> batch;
  batch.reserve(kBatch);
  for (std::size_t from = 0; from < entries.size(); from += kBatch) {
    const std::size_t to = std::min(entries.size(), from + kBatch);
    batch.assign(entries.begin() + static_cast<std::ptrdiff_t>(from),
                 entries.begin() + static_cast<std::ptrdiff_t>(to));
    order.insert(batch);
  }
}

// Bytes the allocator holds from the system (its free lists included: what fragmentation
// costs shows here, not in memoryBytes()).
std::size_t heapBytes() {
  const struct mallinfo2 info = ::mallinfo2();
  return info.arena + info.hblkhd;
}

void BM_Insert10M(benchmark::State& state) {
  const std::vector<Entry> entries = completionOrder();
  for (auto _ : state) {
    const std::size_t before = heapBytes();
    StartOrder order;
    insertAll(order, entries);
    const auto n = static_cast<double>(order.size());
    state.counters["B_per_entry"] = static_cast<double>(order.memoryBytes()) / n;
    state.counters["heap_B_per_entry"] = static_cast<double>(heapBytes() - before) / n;
    state.PauseTiming();
    order.clear();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kEntries));
}
BENCHMARK(BM_Insert10M)->Iterations(1)->Unit(benchmark::kMillisecond);

// One filled order shared by the read benchmarks (built on first use, never freed).
const StartOrder& filled() {
  static const StartOrder* const order = [] {
    auto* built = new StartOrder;
    insertAll(*built, completionOrder());
    return built;
  }();
  return *order;
}

void BM_PositionOf(benchmark::State& state) {
  const StartOrder& order = filled();
  std::mt19937_64 random(7);
  std::size_t sum = 0;
  for (auto _ : state) {
    const std::size_t at = random() % order.size();
    sum += order.positionOf(order.timeAt(at), order.idAt(at));
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PositionOf);

void BM_IdAtRandom(benchmark::State& state) {
  const StartOrder& order = filled();
  std::mt19937_64 random(9);
  std::uint64_t sum = 0;
  for (auto _ : state) sum += order.idAt(random() % order.size());
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IdAtRandom);

void BM_IdAtInOrder(benchmark::State& state) {
  const StartOrder& order = filled();
  std::size_t at = 0;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    sum += order.idAt(at);
    if (++at == order.size()) at = 0;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IdAtInOrder);

}  // namespace
