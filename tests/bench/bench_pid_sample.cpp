// What one sample of another program's socket costs: PidSampler::sample on a connected TCP
// socket with 1000 bytes waiting (pidfd_getfd, three getsockopt to tell its kind, SIOCINQ,
// SIOCOUTQ, close), against the same probes on the socket itself (probeSocket), so the price of
// reaching into another process shows apart from the probes. The "other process" is this one:
// the kernel's path is the same for any pid this process may ptrace.
// Run: build/release/tests/bench_pid_sample
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "core/base/kernel_probe.hpp"
#include "core/base/unique_fd.hpp"
#include "core/inspect/pid_sampler.hpp"

namespace {

// A loopback connection whose accepted end holds `waiting` unread bytes.
struct LoopbackPair {
  eps::UniqueFd listener{::socket(AF_INET, SOCK_STREAM, 0)};
  eps::UniqueFd client{::socket(AF_INET, SOCK_STREAM, 0)};
  eps::UniqueFd accepted;

  explicit LoopbackPair(std::size_t waiting) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    auto* raw = reinterpret_cast<sockaddr*>(&addr);
    if (::bind(listener.get(), raw, sizeof addr) != 0 || ::listen(listener.get(), 1) != 0 ||
        ::getsockname(listener.get(), raw, &length) != 0 ||
        ::connect(client.get(), raw, sizeof addr) != 0) {
      std::abort();
    }
    accepted.reset(::accept(listener.get(), nullptr, nullptr));
    const std::string bytes(waiting, 'x');
    if (::send(client.get(), bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(waiting)) {
      std::abort();
    }
  }
};

void BM_ProbeOwnSocket(benchmark::State& state) {
  const LoopbackPair pair(1000);
  for (auto _ : state) benchmark::DoNotOptimize(eps::probeSocket(pair.accepted.get()));
}
BENCHMARK(BM_ProbeOwnSocket);

void BM_SampleThroughPidfd(benchmark::State& state) {
  const LoopbackPair pair(1000);
  const eps::PidSampler sampler(::getpid());
  if (sampler.sample(pair.accepted.get()).queues.recvQueue != 1000) {
    state.SkipWithError("the sample did not read the 1000 waiting bytes");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(sampler.sample(pair.accepted.get()));
}
BENCHMARK(BM_SampleThroughPidfd);

}  // namespace
