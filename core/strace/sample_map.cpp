// A live trace's samples (live_tracer.hpp): what the kernel held in the traced program's
// sockets while one of its threads slept in a wait, as the Sample events the engine records of
// its own sockets, and the stranded diagnoses they measure. The importer alone can only infer
// "possibly stranded" from the calls (infer.hpp); a sample says how many bytes wait.
#include <algorithm>

#include "core/strace/mapper.hpp"

namespace eps {

void StraceMapper::mapSamples(int pid, int tid, std::int64_t tNs,
                              std::span<const FdSample> samples) {
  // The samples are of `pid`'s descriptor table: a waiting thread with another table (a
  // forked child) is judged by inference alone.
  const int table = tableOfPid_.try_emplace(pid, 0).first->second;
  if (tableOfPid_.try_emplace(tid, 0).first->second != table) return;
  const std::uint8_t thread = threadOf(tid);
  for (const FdSample& sample : samples) {
    if (sample.kind == SampledKind::Refused) {
      // The first refusal is kept for the summary; the diagnoses stay inferred.
      if (result_.stats.samplingRefused == 0) result_.stats.samplingRefused = sample.error;
      continue;
    }
    if (sample.kind == SampledKind::Listener || sample.kind == SampledKind::Connected) {
      mapSample(thread, fdKey(table, sample.fd), tNs, sample);
    }
  }
}

// One Sample event per change of an fd's levels: a program asleep for an hour is sampled
// every kSampleIntervalNs, and its trace must not grow with the hour.
void StraceMapper::mapSample(std::uint8_t thread, FdKey key, std::int64_t tNs,
                             const FdSample& sample) {
  const bool listener = sample.kind == SampledKind::Listener;
  TraceEvent event = probeSample(listener ? SampleOf::Listener : SampleOf::Socket, sample.fd,
                                 listener ? sample.backlog.probes : sample.queues.probes);
  event.flags = kEventImported | kEventSamplerThread;  // epollscope's probes, not the program's
  event.thread = thread;
  event.tNs = tNs;
  event.conn = fdLabel(key, {});
  if (listener) {
    event.a = sample.backlog.acceptQueue;
    event.b = sample.backlog.backlogLimit;
  } else {
    event.a = sample.queues.recvQueue;
    event.b = sample.queues.sendQueue;
    event.c = sample.queues.unsent;
  }
  const std::array<std::int64_t, 3> levels{event.a, event.b, event.c};
  const auto [last, fresh] = sampled_.try_emplace(key, levels);
  if (fresh || last->second != levels) {
    last->second = levels;
    emit(event);
    ++result_.stats.samples;
  }
  measureStranding(thread, key, event);
}

// Stranded, measured: the thread sleeps in a wait (the caller knows it), the fd is registered
// with EPOLLET and the handling's last read (accept) on it returned data, not EAGAIN, and the
// sample finds bytes (connections) still queued. ET reports an arrival, not a level: nothing
// will wake the wait for them (EPOLL-FACTS §2.1). An empty queue settles the suspicion too.
void StraceMapper::measureStranding(std::uint8_t thread, FdKey key, const TraceEvent& sample) {
  if (sample.a < 0) return;  // the probe failed: the suspicion stays for inference
  if (!inference_.settleBySample(thread, key) || sample.a == 0) return;
  const bool listener = sample.op == static_cast<std::uint8_t>(SampleOf::Listener);
  TraceEvent stranded;
  stranded.kind = EventKind::Stranded;
  stranded.flags = kEventImported;  // measured: not kEventInferred
  stranded.thread = thread;
  stranded.tNs = sample.tNs;
  stranded.fd = sample.fd;
  stranded.conn = sample.conn;
  stranded.op =
      static_cast<std::uint8_t>(listener ? StrandedWhat::Connections : StrandedWhat::Bytes);
  stranded.a = sample.a;
  emit(stranded);
  ++result_.stats.strandedMeasured;
  result_.stats.strandedBytesMeasured += static_cast<std::uint64_t>(sample.a);
}

}  // namespace eps
