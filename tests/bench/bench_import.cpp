// What importing an strace log costs: lines per second through importStraceFile on a large
// log made of real `strace -f -ttt -T -yy` lines (an ET echo server and its client thread,
// unfinished/resumed pairs, EAGAIN, calls the trace does not keep), and the process's peak
// memory (VmHWM) afterwards. The capped run keeps 100 k events: its peak shows memory follows
// the events kept, not the file's size.
// Run: build/release/tests/bench_import [--benchmark_filter=...]   (EPOLLSCOPE_BENCH_LINES=N)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/strace/import.hpp"

namespace {

constexpr const char* kConn = "9<TCP:[127.0.0.1:44377->127.0.0.1:42052]>";
constexpr const char* kPeer = "8<TCP:[127.0.0.1:42052->127.0.0.1:44377]>";
constexpr const char* kEpoll = "3<anon_inode:[eventpoll]>";
constexpr const char* kData = "{events=EPOLLIN, data={u32=9, u64=68719476745}}";
constexpr const char* kBytes = "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"...";

std::size_t linesWanted() {
  const char* env = std::getenv("EPOLLSCOPE_BENCH_LINES");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 2'000'000;
}

// One wakeup of the engine, ten lines, starting at `us` microseconds past the epoch second.
void writeBlock(std::ofstream& out, std::uint64_t& us) {
  char ts[32];
  const auto stamp = [&]() {
    us += 7;
    std::snprintf(ts, sizeof ts, "%llu.%06llu", 1795380656ULL + us / 1'000'000,
                  static_cast<unsigned long long>(us % 1'000'000));
    return ts;
  };
  out << "10642 " << stamp() << " epoll_wait(" << kEpoll << ",  <unfinished ...>\n";
  out << "10644 " << stamp() << " write(" << kPeer << ", " << kBytes
      << ", 4096) = 4096 <0.000030>\n";
  out << "10642 " << stamp() << " <... epoll_wait resumed>[" << kData
      << "], 64, -1) = 1 <0.000201>\n";
  out << "10642 " << stamp() << " read(" << kConn << ", " << kBytes << ", 100) = 100 <0.000013>\n";
  out << "10642 " << stamp() << " ioctl(" << kConn << ", FIONREAD, [3996]) = 0 <0.000010>\n";
  out << "10642 " << stamp() << " poll([{fd=" << kConn
      << ", events=POLLIN}], 1, 0) = 1 ([{fd=9, revents=POLLIN}]) <0.000009>\n";
  out << "10642 " << stamp() << " read(" << kConn
      << ", 0x7f7feee39a80, 100) = -1 EAGAIN (Resource temporarily unavailable) <0.000011>\n";
  out << "10642 " << stamp() << " write(" << kConn << ", " << kBytes << ", 100) = 100 <0.000020>\n";
  out << "10644 " << stamp() << " futex(0x7f7fee639990, FUTEX_WAKE_PRIVATE, 1) = 0 <0.000008>\n";
  out << "10642 " << stamp() << " epoll_ctl(" << kEpoll << ", EPOLL_CTL_MOD, " << kConn
      << ", {events=EPOLLIN|EPOLLET, data={u32=9, u64=68719476745}}) = 0 <0.000010>\n";
}

// The log, written once per process (streamed to the file: it never sits in memory).
const std::string& bigLog() {
  static const std::string path = [] {
    const std::string file = (std::filesystem::temp_directory_path() /
                              ("epollscope_bench_import_" + std::to_string(getpid()) + ".log"))
                                 .string();
    std::ofstream out(file, std::ios::binary);
    std::uint64_t us = 0;
    for (std::size_t lines = 0; lines < linesWanted(); lines += 10) writeBlock(out, us);
    std::atexit([] { std::filesystem::remove(bigLog()); });
    return file;
  }();
  return path;
}

// Peak resident set of this process so far, in kB.
long peakKb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

void BM_ImportStraceLog(benchmark::State& state) {
  const std::string& path = bigLog();
  const auto bytes = static_cast<double>(std::filesystem::file_size(path));
  eps::StraceImportOptions options;
  options.maxEvents = static_cast<std::size_t>(state.range(0));
  std::uint64_t lines = 0;
  std::size_t kept = 0;
  for (auto _ : state) {
    const eps::StraceImport log = eps::importStraceFile(path, options);
    lines += log.stats.lines;
    kept = log.events.size();
    benchmark::DoNotOptimize(kept);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(lines));
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
  state.counters["MB/s"] = benchmark::Counter(bytes * static_cast<double>(state.iterations()) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.counters["file_MB"] = bytes / 1e6;
  state.counters["events_kept"] = static_cast<double>(kept);
  state.counters["VmHWM_MB"] = static_cast<double>(peakKb()) / 1024.0;
}
// Capped first: VmHWM only grows, so the small-memory run must come before the big one.
BENCHMARK(BM_ImportStraceLog)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_ImportStraceLog)->Arg(4'000'000)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
