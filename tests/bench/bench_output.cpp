// What the one output writer costs against a plain std::ofstream, in the machine's temporary
// folder: a 20 KB file (the size of a --state-out frame) rewritten again and again, without
// fsync (as --state-out does) and with it (every other output); and 16 MB streamed (a large
// export: throughput). Reports bytes/s.
// Run: build/release/tests/bench_output
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/base/output_file.hpp"

namespace {

std::string benchPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("bench_output_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

void writeWith(benchmark::State& state, bool writer, bool durable) {
  const std::string chunk(4096, 'x');
  const auto bytes = static_cast<std::size_t>(state.range(0));
  const std::string path = benchPath(std::to_string(bytes));
  const auto fill = [&](std::ostream& out) {
    for (std::size_t done = 0; done < bytes; done += chunk.size()) out << chunk;
  };
  for (auto _ : state) {
    if (writer) {
      const std::string error = eps::writeOutputFile(path, fill, {.durable = durable});
      if (!error.empty()) state.SkipWithError(error.c_str());
    } else {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      fill(out);
    }
  }
  std::filesystem::remove(path);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
}

void BM_Ofstream(benchmark::State& state) {
  writeWith(state, false, false);
}
void BM_WriterNoFsync(benchmark::State& state) {
  writeWith(state, true, false);
}
void BM_WriterDurable(benchmark::State& state) {
  writeWith(state, true, true);
}

BENCHMARK(BM_Ofstream)->Arg(20 << 10)->Arg(16 << 20);
BENCHMARK(BM_WriterNoFsync)->Arg(20 << 10)->Arg(16 << 20);
BENCHMARK(BM_WriterDurable)->Arg(20 << 10)->Arg(16 << 20);

}  // namespace
