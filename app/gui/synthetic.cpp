#include "app/gui/synthetic.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace eps::gui {
namespace {

constexpr int kEpfd = 3;
constexpr int kListener = 5;
constexpr int kFirstConn = 7;
constexpr int kConns = 8;
// Events generated before they go to the model: large enough that append's per-call cost is
// nothing, small enough (5 MB) not to show in the window's peak memory.
constexpr std::size_t kChunkEvents = 65'536;

TraceEvent call(Call c, int fd, std::int64_t t, std::int64_t dur, std::int64_t ret) {
  TraceEvent e;
  e.kind = EventKind::Call;
  e.call = c;
  e.fd = fd;
  e.tNs = t;
  e.durNs = dur;
  e.ret = ret;
  return e;
}

void prologue(std::vector<TraceEvent>& out, std::int64_t& t) {
  out.push_back(call(Call::EpollCreate1, -1, t, 1000, kEpfd));
  out.push_back(call(Call::Socket, -1, t += 2000, 1000, kListener));
  out.push_back(call(Call::Listen, kListener, t += 2000, 1000, 0));
  for (int i = 0; i < kConns; ++i) {
    TraceEvent accept = call(Call::Accept4, kListener, t += 2000, 1500, kFirstConn + i);
    accept.a = 40000 + i;
    out.push_back(accept);
  }
}

// One wakeup of the engine on one socket: six events.
void wakeup(std::uint64_t n, std::vector<TraceEvent>& out, std::int64_t& t) {
  const int fd = kFirstConn + static_cast<int>(n % kConns);
  TraceEvent wait =
      call(Call::EpollWait, kEpfd, t += 500, 3000 + static_cast<std::int64_t>(n % 7) * 400, 1);
  wait.a = 64;
  wait.b = -1;
  out.push_back(wait);
  TraceEvent ready;
  ready.kind = EventKind::Ready;
  ready.fd = fd;
  ready.events = EPOLLIN;
  ready.tNs = t;
  out.push_back(ready);
  t += wait.durNs;
  TraceEvent read = call(Call::Read, fd, t += 300, 900, 100);
  read.a = 100;
  out.push_back(read);
  TraceEvent write = call(Call::Write, fd, t += 1000, 1100, 100);
  write.a = 100;
  out.push_back(write);
  TraceEvent again = call(Call::Read, fd, t += 1200, 700, -1);
  again.err = EAGAIN;
  again.a = 100;
  out.push_back(again);
  TraceEvent sample;
  sample.kind = EventKind::Sample;
  sample.fd = fd;
  sample.tNs = t += 200;
  sample.a = static_cast<std::int64_t>((n * 37) % 4096);
  out.push_back(sample);
}

}  // namespace

std::int64_t appendSyntheticTrace(TimelineModel& model, std::size_t events, std::int64_t startNs) {
  std::vector<TraceEvent> chunk;
  chunk.reserve(kChunkEvents + 16);
  std::int64_t t = startNs;
  std::int64_t middleNs = 0;
  std::uint64_t seq = 0;
  prologue(chunk, t);
  for (std::uint64_t n = 0; seq < events; ++n) {
    if (chunk.size() < kChunkEvents) wakeup(n, chunk, t);
    const bool last = seq + chunk.size() >= events;
    if (!last && chunk.size() < kChunkEvents) continue;
    chunk.resize(std::min<std::size_t>(chunk.size(), events - seq));
    for (TraceEvent& event : chunk) {
      event.seq = ++seq;
      if (seq == events / 2 + 1) middleNs = event.tNs;
    }
    model.append(chunk);
    chunk.clear();
  }
  return middleNs;
}

}  // namespace eps::gui
