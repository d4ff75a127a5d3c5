#include "core/engine/sampler.hpp"

#include <chrono>
#include <condition_variable>
#include <future>

#include "core/base/kernel_probe.hpp"

namespace eps {
namespace {
constexpr auto kSampleEvery = std::chrono::nanoseconds(kSampleIntervalNs);
}

// Returns once the thread runs. This thread shares the engine's descriptor table, and a
// runtime may touch descriptors as a thread starts (UBSan's vptr probe opened a pipe, which
// is why the asan preset leaves that check out): the engine counts its free numbers
// (limit-fds) only after the start-up is over.
WaitSampler::WaitSampler(TraceWriter& writer, EngineShared& shared)
    : writer_(writer), shared_(shared) {
  std::promise<void> running;
  std::future<void> started = running.get_future();
  thread_ = std::jthread([this, &running](std::stop_token stop) {
    running.set_value();
    loop(stop);
  });
  started.wait();
}

WaitSampler::~WaitSampler() {
  thread_.request_stop();
  thread_.join();
}

void WaitSampler::loop(std::stop_token stop) {
  std::mutex sleepMutex;
  std::condition_variable_any sleeper;
  while (!stop.stop_requested()) {
    std::unique_lock lock(sleepMutex);
    sleeper.wait_for(lock, stop, kSampleEvery, [] { return false; });
    if (!stop.stop_requested()) sampleOnce();
  }
}

void WaitSampler::sampleOnce() {
  std::lock_guard waitLock(shared_.waitMutex);
  if (!shared_.engineWaiting) return;
  std::lock_guard lock(shared_.mutex);
  sampleReadyList();
  bool changed = false;
  for (SocketView& view : shared_.sockets) {
    TraceEvent sample;
    if (view.listener) {
      const ListenerLevels levels = probeListener(view.fd);
      if (levels.acceptQueue == view.recvQueue) continue;
      sample = probeSample(SampleOf::Listener, view.fd, levels.probes);
      view.sampledNs = monotonicNs();
      view.recvQueue = sample.a = levels.acceptQueue;
      view.sendQueue = sample.b = levels.backlogLimit;
    } else {
      const SocketLevels levels = probeSocket(view.fd);
      if (levels.recvQueue == view.recvQueue && levels.sendQueue == view.sendQueue) continue;
      sample = probeSample(SampleOf::Socket, view.fd, levels.probes);
      view.sampledNs = monotonicNs();
      view.recvQueue = sample.a = levels.recvQueue;
      view.sendQueue = sample.b = levels.sendQueue;
      view.unsent = sample.c = levels.unsent;
      if (view.stranded > 0) view.stranded = std::max<std::int64_t>(levels.recvQueue, 1);
    }
    // This thread's probes, not the engine thread's: recorded when they show a change.
    sample.flags = kEventSamplerThread;
    writer_.record(sample);
    changed = true;
  }
  if (changed) shared_.changed.notify_all();
}

// Once per sleep: the ready list the sleeping engine's wait emptied. A level-triggered socket
// reported by the last wait went back on the list, and the engine may have read it dry
// since; the sleeping epoll_wait re-polled it and dropped it, which no event of the engine
// says until the wait returns. (Called with waitMutex and mutex held.)
void WaitSampler::sampleReadyList() {
  if (shared_.epfd < 0 || shared_.waits == readyListSampledIn_) return;
  readyListSampledIn_ = shared_.waits;
  const PollLevel level = probeReadyList(shared_.epfd);
  TraceEvent sample = probeSample(SampleOf::ReadyList, shared_.epfd, level.probes);
  sample.events = level.revents;
  sample.flags = kEventSamplerThread;
  writer_.record(sample);
}

}  // namespace eps
