#include "core/engine/kernel_seam.hpp"

#include "core/engine/syscalls.hpp"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

namespace eps {

template <typename Result, typename Syscall, typename Finish>
Result KernelSeam::recorded(TraceEvent event, std::int64_t bytes, Syscall&& syscall,
                            Finish&& finish) {
  event.tNs = gate_.beforeCall(PendingCall{event.call, event.fd, bytes});
  event.kind = EventKind::Call;
  const Result result = syscall();
  const int savedErrno = errno;
  if (recording_) {  // untraced: no clock read either, it is the instrument's
    lastEndNs_ = monotonicNs();
    event.durNs = lastEndNs_ - event.tNs;
  }
  event.ret = static_cast<std::int64_t>(result);
  event.err = result < 0 ? savedErrno : 0;
  finish(event);
  ++callsMade_;
  if (recording_) {
    event.seq = writer_.record(event);
    lastSeq_ = event.seq;
  }
  gate_.afterCall(event);
  errno = savedErrno;
  return result;
}

namespace {
TraceEvent callEvent(Call call, int fd) {
  TraceEvent event;
  event.call = call;
  event.fd = fd;
  return event;
}
}  // namespace

int KernelSeam::epollCreate1(int flags) {
  return recorded<int>(callEvent(Call::EpollCreate1, -1), 0,
                       [&] { return sys::epollCreate1(flags); });
}

int KernelSeam::eventfd(unsigned initval, int flags) {
  return recorded<int>(callEvent(Call::Eventfd2, -1), 0,
                       [&] { return sys::eventFd(initval, flags); });
}

int KernelSeam::socket(int domain, int type, int protocol) {
  return recorded<int>(callEvent(Call::Socket, -1), 0,
                       [&] { return sys::socket(domain, type, protocol); });
}

int KernelSeam::bind(int fd, const sockaddr_in& address) {
  TraceEvent event = callEvent(Call::Bind, fd);
  event.a = ntohs(address.sin_port);
  return recorded<int>(event, 0, [&] {
    return sys::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  });
}

int KernelSeam::listen(int fd, int backlog) {
  TraceEvent event = callEvent(Call::Listen, fd);
  event.a = backlog;
  return recorded<int>(event, 0, [&] { return sys::listen(fd, backlog); });
}

int KernelSeam::epollWait(int epfd, epoll_event* events, int maxEvents, int timeoutMs) {
  TraceEvent event = callEvent(Call::EpollWait, epfd);
  event.a = maxEvents;
  event.b = timeoutMs;
  const int n = recorded<int>(event, maxEvents,
                              [&] { return sys::epollWait(epfd, events, maxEvents, timeoutMs); });
  for (int i = 0; recording_ && i < n; ++i) {
    TraceEvent ready;
    ready.kind = EventKind::Ready;
    ready.tNs = lastEndNs_;  // as epoll_wait returned the array: no clock read per entry
    ready.fd = static_cast<std::int32_t>(events[i].data.u64 & 0xffffffffu);
    ready.conn = static_cast<std::uint32_t>(events[i].data.u64 >> 32);
    ready.events = events[i].events;
    ready.a = i;
    writer_.record(ready);
  }
  return n;
}

namespace {
struct BitPair {
  short poll;
  std::uint32_t epoll;
};
constexpr BitPair kBitPairs[] = {
    {POLLIN, EPOLLIN},   {POLLPRI, EPOLLPRI},  {POLLOUT, EPOLLOUT},     {POLLERR, EPOLLERR},
    {POLLHUP, EPOLLHUP}, {POLLNVAL, EPOLLERR}, {POLLRDHUP, EPOLLRDHUP},
};
}  // namespace

std::uint32_t epollBitsOfPoll(short revents) {
  std::uint32_t mask = 0;
  for (const BitPair& pair : kBitPairs) {
    if ((revents & pair.poll) != 0) mask |= pair.epoll;
  }
  return mask;
}

short pollBitsOfEpoll(std::uint32_t mask) {
  short events = 0;
  for (const BitPair& pair : kBitPairs) {
    // Asked for, never reported only: POLLERR, POLLHUP and POLLNVAL come unasked.
    if ((mask & pair.epoll) != 0 && (pair.poll & (POLLERR | POLLHUP | POLLNVAL)) == 0) {
      events = static_cast<short>(events | pair.poll);
    }
  }
  return events;
}

int KernelSeam::poll(std::span<pollfd> fds, std::span<const std::uint64_t> data, int timeoutMs) {
  TraceEvent event = callEvent(sys::kPollIsPpoll ? Call::Ppoll : Call::Poll, -1);
  event.a = static_cast<std::int64_t>(fds.size());
  event.b = timeoutMs;
  const int n =
      recorded<int>(event, event.a, [&] { return sys::poll(fds.data(), fds.size(), timeoutMs); });
  std::int64_t index = 0;
  for (std::size_t i = 0; recording_ && n > 0 && i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    TraceEvent ready;
    ready.kind = EventKind::Ready;
    ready.tNs = lastEndNs_;  // as poll returned the array: no clock read per entry
    ready.fd = fds[i].fd;
    ready.conn = static_cast<std::uint32_t>(data[i] >> 32);
    ready.events = epollBitsOfPoll(fds[i].revents);
    ready.a = index++;  // as for epoll_wait: the index among the entries reported
    writer_.record(ready);
  }
  return n;
}

int KernelSeam::epollCtl(int epfd, int op, int fd, std::uint32_t mask, std::uint64_t data) {
  TraceEvent event = callEvent(Call::EpollCtl, fd);
  event.op = static_cast<std::uint8_t>(op);
  event.events = op == EPOLL_CTL_DEL ? 0 : mask;
  event.a = epfd;
  event.conn = static_cast<std::uint32_t>(data >> 32);
  return recorded<int>(event, 0, [&] {
    epoll_event ev{};
    ev.events = mask;
    ev.data.u64 = data;
    return sys::epollCtl(epfd, op, fd, op == EPOLL_CTL_DEL ? nullptr : &ev);
  });
}

int KernelSeam::accept4(int fd, sockaddr_in* peer, int flags) {
  TraceEvent event = callEvent(Call::Accept4, fd);
  event.b = flags;
  socklen_t length = sizeof(sockaddr_in);
  return recorded<int>(
      event, 0, [&] { return sys::accept4(fd, reinterpret_cast<sockaddr*>(peer), &length, flags); },
      [&](TraceEvent& done) {
        if (done.ret >= 0) done.a = ntohs(peer->sin_port);
      });
}

ssize_t KernelSeam::read(int fd, void* buffer, std::size_t count) {
  TraceEvent event = callEvent(Call::Read, fd);
  event.a = static_cast<std::int64_t>(count);
  return recorded<ssize_t>(event, event.a, [&] { return sys::read(fd, buffer, count); });
}

ssize_t KernelSeam::write(int fd, const void* buffer, std::size_t count) {
  TraceEvent event = callEvent(Call::Write, fd);
  event.a = static_cast<std::int64_t>(count);
  return recorded<ssize_t>(event, event.a, [&] { return sys::write(fd, buffer, count); });
}

int KernelSeam::close(int fd) {
  return recorded<int>(callEvent(Call::Close, fd), 0, [&] { return sys::close(fd); });
}

int KernelSeam::shutdown(int fd, int how) {
  TraceEvent event = callEvent(Call::Shutdown, fd);
  event.b = how;
  return recorded<int>(event, 0, [&] { return sys::shutdown(fd, how); });
}

int KernelSeam::openat(const char* path, int flags) {
  return recorded<int>(callEvent(Call::Openat, -1), 0,
                       [&] { return sys::openat(AT_FDCWD, path, flags); });
}

int KernelSeam::setsockopt(int fd, int level, int name, int value) {
  TraceEvent event = callEvent(Call::Setsockopt, fd);
  event.a = level;
  event.b = name;
  event.c = value;
  return recorded<int>(event, 0,
                       [&] { return sys::setsockopt(fd, level, name, &value, sizeof value); });
}

int KernelSeam::setsockoptTimeout(int fd, int name, int timeoutMs) {
  TraceEvent event = callEvent(Call::Setsockopt, fd);
  event.a = SOL_SOCKET;
  event.b = name;
  event.c = timeoutMs;
  const timeval timeout{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
  return recorded<int>(
      event, 0, [&] { return sys::setsockopt(fd, SOL_SOCKET, name, &timeout, sizeof timeout); });
}

int KernelSeam::fcntl(int fd, int command, long argument) {
  TraceEvent event = callEvent(Call::Fcntl, fd);
  event.b = command;
  event.a = argument;
  return recorded<int>(event, 0, [&] { return sys::fcntl(fd, command, argument); });
}

int KernelSeam::getsockname(int fd, sockaddr_in* address) {
  socklen_t length = sizeof(sockaddr_in);
  return recorded<int>(
      callEvent(Call::Getsockname, fd), 0,
      [&] { return sys::getsockname(fd, reinterpret_cast<sockaddr*>(address), &length); },
      [&](TraceEvent& done) {
        if (done.ret == 0) done.a = ntohs(address->sin_port);
      });
}

namespace {
std::int64_t limitValue(rlim_t value) {
  return value == RLIM_INFINITY ? -1 : static_cast<std::int64_t>(value);
}
}  // namespace

int KernelSeam::prlimit(int resource, const rlimit* set, rlimit* old) {
  TraceEvent event = callEvent(Call::Prlimit64, -1);
  event.a = resource;
  event.b = set != nullptr ? 1 : 0;
  if (set != nullptr) event.c = limitValue(set->rlim_cur);
  return recorded<int>(
      event, 0, [&] { return sys::prlimit(resource, set, old); },
      [&](TraceEvent& done) {
        if (set == nullptr && old != nullptr && done.ret == 0) done.c = limitValue(old->rlim_cur);
      });
}

int KernelSeam::unshare(int flags) {
  TraceEvent event = callEvent(Call::Unshare, -1);
  event.b = flags;
  return recorded<int>(event, 0, [&] { return sys::unshare(flags); });
}

int KernelSeam::closeRange(unsigned first, unsigned last) {
  TraceEvent event = callEvent(Call::CloseRange, static_cast<int>(first));
  event.a = last;
  return recorded<int>(event, 0, [&] { return sys::closeRange(first, last); });
}

}  // namespace eps
