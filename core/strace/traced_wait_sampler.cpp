#include "core/strace/traced_wait_sampler.hpp"

#include <poll.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/base/kernel_probe.hpp"
#include "core/inspect/proc_sockets.hpp"
#include "core/strace/import.hpp"

namespace eps {
namespace {

constexpr std::array<std::string_view, 7> kWaitCalls = {
    "epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll", "select", "pselect6"};

// strace's -ttt clock: the samples must sort among the calls it stamps.
std::int64_t realtimeNs() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

// Takes the leading token of `text` up to `stop`, and the separator with any spaces after it
// (strace pads the tid: "5787  1796515120.656173 epoll_wait(").
std::string_view token(std::string_view& text, char stop) {
  const std::size_t end = text.find(stop);
  if (end == std::string_view::npos) return {};
  const std::string_view word = text.substr(0, end);
  text.remove_prefix(end + 1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return word;
}

}  // namespace

std::optional<int> waitingTid(std::string_view partial) {
  // "TID TIMESTAMP NAME(ARGS..." as `strace -f -ttt` begins a call.
  const std::string_view tid = token(partial, ' ');
  const std::string_view time = token(partial, ' ');
  const std::string_view name = token(partial, '(');
  if (tid.empty() || time.empty() || name.empty()) return std::nullopt;
  if (!std::all_of(tid.begin(), tid.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
      tid.size() > 9) {
    return std::nullopt;
  }
  if (std::find(kWaitCalls.begin(), kWaitCalls.end(), name) == kWaitCalls.end())
    return std::nullopt;
  int value = 0;
  for (const char c : tid) value = value * 10 + (c - '0');
  return value;
}

std::optional<int> TracedWaitSampler::due(std::string_view partial, std::int64_t nowNs) const {
  const std::optional<int> tid = waitingTid(partial);
  if (!tid || nowNs - quietSinceNs_ < kSettleNs || nowNs - lastSampleNs_ < kSampleIntervalNs) {
    return std::nullopt;
  }
  return tid;
}

int TracedWaitSampler::timeoutMs(std::string_view partial, std::int64_t nowNs) const {
  if (!waitingTid(partial)) return -1;
  const std::int64_t at = std::max(quietSinceNs_ + kSettleNs, lastSampleNs_ + kSampleIntervalNs);
  return static_cast<int>(std::clamp<std::int64_t>((at - nowNs + 999'999) / 1'000'000, 0, 1000));
}

void TracedWaitSampler::maybeSample(std::string_view partial, std::int64_t nowNs, int outFd,
                              StraceImporter& importer) {
  const std::optional<int> tid = due(partial, nowNs);
  if (!tid) return;
  lastSampleNs_ = nowNs;
  const std::int64_t tNs = realtimeNs();
  samples_.clear();
  const ProcSockets sockets = listProcSockets(pid_);
  if (sockets.error != 0) {
    FdSample refused;
    refused.error = sockets.error;
    samples_.push_back(refused);
  }
  for (const ProcSocket& socket : sockets.sockets) {
    if (socket.tcp) samples_.push_back(sampler_.sample(socket.fd));
  }
  pollfd out{outFd, POLLIN, 0};
  if (::poll(&out, 1, 0) != 0) return;  // the wait may have returned: the levels are stale
  importer.noteSamples(pid_, *tid, tNs, samples_);
}

}  // namespace eps
