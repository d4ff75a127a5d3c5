// A tiny epoll server and its client in one process, for the strace importer's tests to run
// under `strace -f -ttt -T -yy`: each mode produces one behaviour the importer must see.
//   et-once   ET, one read of 100 of 1000 bytes per wakeup: the rest is stranded
//   et-drain  ET, reads until EAGAIN: nothing stranded
//   lt-busy   LT, the peer shut down; read returns 0 and the socket is never closed: a busy loop
//   eintr     a SIGALRM interrupts epoll_wait: -1 EINTR
//   threads   two threads, each with its own epoll instance, serving at once (et-drain)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

constexpr int kWakeups = 30;

int check(int value, const char* what) {
  if (value < 0) {
    std::perror(what);
    std::exit(1);
  }
  return value;
}

struct Pair {
  int epfd = -1;
  int listener = -1;
  int client = -1;
  int conn = -1;
};

// A listener on 127.0.0.1, a connected blocking client, and the accepted connection
// registered with `mask`. The data registered is not the fd in `threads` mode (data ->
// fd mapping is what the importer must do).
Pair connectPair(std::uint32_t mask, bool dataIsFd) {
  Pair p;
  p.listener = check(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check(::bind(p.listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind");
  check(::listen(p.listener, 8), "listen");
  socklen_t length = sizeof addr;
  check(::getsockname(p.listener, reinterpret_cast<sockaddr*>(&addr), &length), "getsockname");
  p.epfd = check(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = static_cast<std::uint64_t>(p.listener);
  check(::epoll_ctl(p.epfd, EPOLL_CTL_ADD, p.listener, &ev), "epoll_ctl");
  p.client = check(::socket(AF_INET, SOCK_STREAM, 0), "socket");
  check(::connect(p.client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), "connect");
  epoll_event out[8];
  check(::epoll_wait(p.epfd, out, 8, 1000), "epoll_wait");
  p.conn = check(::accept4(p.listener, nullptr, nullptr, SOCK_NONBLOCK), "accept4");
  (void)::accept4(p.listener, nullptr, nullptr, SOCK_NONBLOCK);  // EAGAIN: drained
  ev.events = mask;
  ev.data.u64 = dataIsFd ? static_cast<std::uint64_t>(p.conn)
                         : (std::uint64_t{0xabc} << 32) | static_cast<std::uint64_t>(p.conn);
  check(::epoll_ctl(p.epfd, EPOLL_CTL_ADD, p.conn, &ev), "epoll_ctl");
  return p;
}

void closePair(Pair& p) {
  ::close(p.client);
  ::close(p.conn);
  ::close(p.listener);
  ::close(p.epfd);
}

void sendBytes(int fd, std::size_t count) {
  std::string bytes(count, 'x');
  check(static_cast<int>(::write(fd, bytes.data(), bytes.size())), "write");
}

// ET: one read of 100 per wakeup, three waits; the first returns the socket, the others time
// out with 900 bytes still there.
void etOnce() {
  Pair p = connectPair(EPOLLIN | EPOLLET, true);
  sendBytes(p.client, 1000);
  char buffer[100];
  for (int i = 0; i < 3; ++i) {
    epoll_event out[8];
    const int n = check(::epoll_wait(p.epfd, out, 8, 50), "epoll_wait");
    for (int k = 0; k < n; ++k) (void)::read(p.conn, buffer, sizeof buffer);
  }
  closePair(p);
}

void etDrain(bool dataIsFd, int rounds) {
  Pair p = connectPair(EPOLLIN | EPOLLET, dataIsFd);
  char buffer[100];
  for (int round = 0; round < rounds; ++round) {
    sendBytes(p.client, 1000);
    epoll_event out[8];
    const int n = check(::epoll_wait(p.epfd, out, 8, 50), "epoll_wait");
    for (int k = 0; k < n; ++k) {
      while (::read(p.conn, buffer, sizeof buffer) > 0) {
      }
    }
    ::usleep(2000);
  }
  epoll_event out[8];
  (void)::epoll_wait(p.epfd, out, 8, 20);
  closePair(p);
}

void ltBusy() {
  Pair p = connectPair(EPOLLIN, true);
  check(::shutdown(p.client, SHUT_WR), "shutdown");
  char buffer[100];
  for (int i = 0; i < kWakeups; ++i) {
    epoll_event out[8];
    const int n = check(::epoll_wait(p.epfd, out, 8, 50), "epoll_wait");
    for (int k = 0; k < n; ++k) (void)::read(p.conn, buffer, sizeof buffer);  // 0, kept open
  }
  closePair(p);
}

void onAlarm(int) {}

void eintr() {
  Pair p = connectPair(EPOLLIN | EPOLLET, true);
  struct sigaction action {};
  action.sa_handler = onAlarm;  // no SA_RESTART: epoll_wait fails with EINTR
  check(::sigaction(SIGALRM, &action, nullptr), "sigaction");
  itimerval timer{};
  timer.it_value.tv_usec = 100'000;
  check(::setitimer(ITIMER_REAL, &timer, nullptr), "setitimer");
  epoll_event out[8];
  const int n = ::epoll_wait(p.epfd, out, 8, 2000);
  if (n != -1 || errno != EINTR) std::fprintf(stderr, "expected EINTR, got %d\n", n);
  closePair(p);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "et-once") {
    etOnce();
  } else if (mode == "et-drain") {
    etDrain(true, 1);
  } else if (mode == "lt-busy") {
    ltBusy();
  } else if (mode == "eintr") {
    eintr();
  } else if (mode == "threads") {
    std::thread first([] { etDrain(false, 5); });
    std::thread second([] { etDrain(false, 5); });
    first.join();
    second.join();
  } else {
    std::fprintf(stderr, "usage: strace_subject et-once|et-drain|lt-busy|eintr|threads\n");
    return 2;
  }
  return 0;
}
