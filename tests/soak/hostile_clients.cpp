#include "tests/soak/hostile_clients.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

namespace eps::soak {
namespace {

constexpr std::size_t kBlock = 64 << 10;

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

void setNonblocking(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

// A nonblocking socket with a connect started; -1 if the socket could not be made.
int startConnect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  const sockaddr_in address = loopback(port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 &&
      errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool waitFor(int fd, short events, std::chrono::milliseconds bound) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, static_cast<int>(bound.count())) == 1 && (p.revents & events) != 0;
}

}  // namespace

void patternBytes(std::size_t from, char* out, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<char>((from + i) % 251);
}

void garbageBytes(std::size_t from, char* out, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t x = (from + i) * 0x9E3779B97F4A7C15ull;  // splitmix64's finaliser
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    out[i] = static_cast<char>(x ^ (x >> 31));
  }
}

int connectLoopback(int port, std::chrono::milliseconds bound) {
  const int fd = startConnect(port);
  if (fd < 0) return -1;
  int error = 0;
  socklen_t length = sizeof error;
  if (!waitFor(fd, POLLOUT, bound) ||
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    ::close(fd);
    return -1;
  }
  setNonblocking(fd, false);
  return fd;
}

bool ping(int fd, std::chrono::milliseconds bound) {
  char byte = 'p';
  if (::send(fd, &byte, 1, MSG_NOSIGNAL) != 1) return false;
  if (!waitFor(fd, POLLIN, bound)) return false;
  return ::recv(fd, &byte, 1, MSG_DONTWAIT) == 1 && byte == 'p';
}

ProbeAnswer probe(int port, std::chrono::milliseconds bound, int* kept) {
  *kept = -1;
  const int fd = connectLoopback(port, bound);
  if (fd < 0) return ProbeAnswer::Silent;
  char byte = 'q';
  ProbeAnswer answer = ProbeAnswer::Silent;
  if (::send(fd, &byte, 1, MSG_NOSIGNAL) != 1) {
    answer = ProbeAnswer::Eof;  // already reset by the server: told no
  } else if (waitFor(fd, POLLIN, bound)) {
    const ssize_t n = ::recv(fd, &byte, 1, MSG_DONTWAIT);
    answer = n == 1 ? ProbeAnswer::Echo : ProbeAnswer::Eof;  // 0 or ECONNRESET: told no
  }
  if (answer == ProbeAnswer::Echo) {
    *kept = fd;
  } else {
    ::close(fd);
  }
  return answer;
}

EchoResult echoExchange(int fd, std::size_t total, const StreamBytes& bytes, Clock::time_point end,
                        double perSecond) {
  setNonblocking(fd, true);
  EchoResult result;
  std::vector<char> out(kBlock), expected(kBlock), in(kBlock);
  std::size_t outLength = 0, outPos = 0;
  const auto start = Clock::now();
  const auto allowed = [&] {
    if (perSecond <= 0) return total;
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return std::min(total, static_cast<std::size_t>(perSecond * seconds) + kBlock);
  };
  while (result.verified < total && Clock::now() < end) {
    const bool sending = result.sent < allowed();
    pollfd p{fd, static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    if (sending && (p.revents & POLLOUT)) {
      if (outPos == outLength) {
        outLength = std::min(kBlock, total - result.sent);
        outPos = 0;
        bytes(result.sent, out.data(), outLength);
      }
      const ssize_t n = ::send(fd, out.data() + outPos, outLength - outPos, MSG_NOSIGNAL);
      if (n > 0) {
        outPos += static_cast<std::size_t>(n);
        result.sent += static_cast<std::size_t>(n);
      } else if (errno != EAGAIN && errno != EINTR) {
        break;
      }
    }
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    const ssize_t n = ::recv(fd, in.data(), in.size(), 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) break;
    if (n < 0) continue;
    const auto got = static_cast<std::size_t>(n);
    bytes(result.verified, expected.data(), got);
    const auto [a, b] = std::mismatch(in.begin(), in.begin() + n, expected.begin());
    result.verified += static_cast<std::size_t>(a - in.begin());
    if (a != in.begin() + n) {
      result.mismatch = true;
      return result;
    }
  }
  result.mismatch = result.verified < total;
  return result;
}

void sendNeverRead(int fd, std::size_t total, std::atomic<std::size_t>& sent) {
  std::vector<char> block(kBlock);
  std::size_t done = 0;
  while (done < total) {
    const std::size_t count = std::min(kBlock, total - done);
    patternBytes(done, block.data(), count);
    const ssize_t n = ::send(fd, block.data(), count, MSG_NOSIGNAL);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
    sent = done;
  }
}

void slowloris(const std::vector<int>& fds, std::chrono::milliseconds period,
               const std::atomic<bool>& stop) {
  while (!stop) {
    for (const int fd : fds) {
      const char byte = 'S';
      ::send(fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    std::this_thread::sleep_for(period);  // the attack is the pace itself
  }
}

void rstStorm(int port, int count, const std::atomic<bool>& stop, std::atomic<int>& done) {
  const std::string hello(100, 'r');
  for (int i = 0; i < count && !stop; ++i) {
    const int fd = connectLoopback(port, std::chrono::milliseconds(1000));
    if (fd < 0) continue;
    ::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    const linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(fd);
    ++done;
  }
}

std::vector<int> flood(int port, int count) {
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    const int fd = startConnect(port);
    if (fd >= 0) fds.push_back(fd);
  }
  return fds;
}

void closeAll(std::vector<int>& fds) {
  for (const int fd : fds) ::close(fd);
  fds.clear();
}

}  // namespace eps::soak
