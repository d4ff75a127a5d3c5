#include "app/gui/synthetic.hpp"

#include <sys/epoll.h>

#include <cerrno>

namespace eps::gui {
namespace {

constexpr int kEpfd = 3;
constexpr int kListener = 5;
constexpr int kFirstConn = 7;
constexpr int kConns = 8;

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

}  // namespace

std::vector<TraceEvent> syntheticTrace(std::size_t events, std::int64_t startNs) {
  std::vector<TraceEvent> out;
  out.reserve(events + 16);
  std::int64_t t = startNs;
  prologue(out, t);
  for (std::uint64_t round = 0; out.size() < events; ++round) {
    const int fd = kFirstConn + static_cast<int>(round % kConns);
    TraceEvent wait = call(Call::EpollWait, kEpfd, t += 500,
                           3000 + static_cast<std::int64_t>(round % 7) * 400, 1);
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
    sample.a = static_cast<std::int64_t>((round * 37) % 4096);
    out.push_back(sample);
  }
  out.resize(events);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].seq = i + 1;
  return out;
}

}  // namespace eps::gui
