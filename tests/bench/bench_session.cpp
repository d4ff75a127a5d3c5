// What saving and opening a session costs: events per second through saveSessionFile and
// readSession for a trace of 1 M events shaped like an engine's (an ET echo wakeup: epoll_wait,
// ready, reads up to EAGAIN, a write, a sample), and the file's bytes per event.
// Run: build/release/tests/bench_session   (EPOLLSCOPE_BENCH_EVENTS=N for another size)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/formats/session_file.hpp"

namespace {

std::size_t eventsWanted() {
  const char* env = std::getenv("EPOLLSCOPE_BENCH_EVENTS");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 1'000'000;
}

eps::TraceEvent call(eps::Call which, int fd, std::int64_t ret, std::int64_t asked) {
  eps::TraceEvent event;
  event.kind = eps::EventKind::Call;
  event.call = which;
  event.fd = fd;
  event.ret = ret;
  event.a = asked;
  event.durNs = 1800;
  return event;
}

// One wakeup of an echo server on one of 64 connections: six events.
void appendWakeup(std::vector<eps::TraceEvent>& out, std::uint64_t& seq, std::int64_t& t) {
  const int fd = 5 + static_cast<int>(seq % 64);
  eps::TraceEvent ready;
  ready.kind = eps::EventKind::Ready;
  ready.fd = fd;
  ready.events = 1;
  ready.conn = static_cast<std::uint32_t>(fd);
  eps::TraceEvent eagain = call(eps::Call::Read, fd, -1, 4096);
  eagain.err = 11;
  eps::TraceEvent sample;
  sample.kind = eps::EventKind::Sample;
  sample.fd = fd;
  sample.a = 0;
  sample.b = 100;
  for (eps::TraceEvent event :
       {call(eps::Call::EpollWait, 3, 1, 64), ready, call(eps::Call::Read, fd, 100, 4096), eagain,
        call(eps::Call::Write, fd, 100, 100), sample}) {
    event.seq = ++seq;
    t += 2345;
    event.tNs = 1'000'000'000'000 + t;
    out.push_back(event);
  }
}

const eps::SessionData& bigSession() {
  static const eps::SessionData data = [] {
    eps::SessionData made;
    made.writers = {{"engine", eps::Actor::Engine, 0, 4242},
                    {"clients", eps::Actor::Clients, 0, 4243}};
    made.knobs = eps::describeKnobs(eps::Knobs{});
    made.source = "engine";
    std::uint64_t seq = 0;
    std::int64_t t = 0;
    made.events.reserve(eventsWanted() + 6);
    while (made.events.size() < eventsWanted()) appendWakeup(made.events, seq, t);
    return made;
  }();
  return data;
}

std::string sessionPath() {
  return (std::filesystem::temp_directory_path() /
          ("epollscope_bench_session_" + std::to_string(getpid()) + ".eps"))
      .string();
}

void report(benchmark::State& state, std::size_t events, const std::string& path) {
  const double bytes = static_cast<double>(std::filesystem::file_size(path));
  state.SetItemsProcessed(static_cast<std::int64_t>(events * state.iterations()));
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events * state.iterations()),
                                                  benchmark::Counter::kIsRate);
  state.counters["bytes/event"] = bytes / static_cast<double>(events);
  state.counters["file_MB"] = bytes / 1e6;
}

void BM_SaveSession(benchmark::State& state) {
  const eps::SessionData& data = bigSession();
  const std::string path = sessionPath();
  for (auto _ : state) eps::saveSessionFile(path, data);
  report(state, data.events.size(), path);
  std::filesystem::remove(path);
}
BENCHMARK(BM_SaveSession)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_LoadSession(benchmark::State& state) {
  const eps::SessionData& data = bigSession();
  const std::string path = sessionPath();
  eps::saveSessionFile(path, data);
  std::size_t read = 0;
  for (auto _ : state) {
    const eps::SessionData loaded = eps::readSession(path);
    read = loaded.events.size();
    benchmark::DoNotOptimize(read);
  }
  if (read != data.events.size()) state.SkipWithError("the session did not read back whole");
  report(state, data.events.size(), path);
  std::filesystem::remove(path);
}
BENCHMARK(BM_LoadSession)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
