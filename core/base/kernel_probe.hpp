// Reads kernel state a program normally never sees, without disturbing it (EPOLL-FACTS §4):
// ioctl(SIOCINQ / SIOCOUTQ / SIOCOUTQNSD), getsockopt(TCP_INFO) and poll() with a zero
// timeout are all harmless. getsockopt(SO_ERROR) is NOT: it clears the pending error, so the
// engine's next read returns 0 instead of ECONNRESET (§2.7). Nothing here may call it.
// They are recorded as samples, not as calls: each sample names the probe calls it made
// (`probes`, the kProbe* bits of core/base/trace_event.hpp, in the order made), so the trace
// still shows every system call of the thread that probed, and a reader can expand a sample
// into its calls.
#pragma once

#include <cstdint>

#include "core/base/trace_event.hpp"

namespace eps {

struct SocketLevels {
  std::int64_t recvQueue = -1;  // bytes readable up to the urgent mark; excludes a FIN
  std::int64_t sendQueue = -1;  // bytes not yet acknowledged (in flight + unsent)
  std::int64_t unsent = -1;     // bytes not yet sent
  std::int64_t probes = 0;      // kProbe* bits: the calls made
};

struct ListenerLevels {
  std::int64_t acceptQueue = -1;   // TCP_INFO tcpi_unacked on a listener (tcp_get_info)
  std::int64_t backlogLimit = -1;  // tcpi_sacked on a listener
  std::int64_t probes = 0;         // kProbeTcpInfo, and its failure bit
};

// One zero-timeout poll: its revents, and the call made (kProbePoll, its failure bit).
struct PollLevel {
  std::uint32_t revents = 0;
  std::int64_t probes = 0;
};

// How often a socket is sampled when nothing but a fresh look is gained: by the engine
// thread while paused, by the wait sampler while it sleeps, and by the engine thread for a
// socket it just used (Observer::sampleBeforeWait). 20 views a second keep the kernel view
// and the timeline's queue depth live; a sample whose diagnosis depends on it is never
// delayed.
inline constexpr std::int64_t kSampleIntervalNs = 50'000'000;

SocketLevels probeSocket(int fd);
ListenerLevels probeListener(int fd);

// poll(fd, POLLIN|POLLPRI|POLLRDHUP|POLLOUT, 0): the socket's current level, as LT would
// see it. SIOCINQ alone misses urgent data and a pending FIN (§2.11); this does not.
PollLevel probeLevel(int fd);

// poll(epfd, POLLIN, 0): is anything on the epoll instance's ready list right now? It re-polls
// the items and drops stale ones exactly as epoll_wait would, and reports nothing itself.
PollLevel probeReadyList(int epfd);

// The Sample event of probes made on `fd`, naming the calls made (`probes`); the caller adds
// what they read.
inline TraceEvent probeSample(SampleOf of, int fd, std::int64_t probes) {
  TraceEvent sample;
  sample.kind = EventKind::Sample;
  sample.op = static_cast<std::uint8_t>(of);
  sample.fd = fd;
  sample.ret = probes;
  return sample;
}

}  // namespace eps
