// What every baseline echo server of the benchmark shares: its command line (`--port N`,
// `--busy`, `--wakeups-out FILE`), a nonblocking listening socket on 127.0.0.1 and the
// `listening on 127.0.0.1:PORT` first line of stdout that epollscope's CLI contract promises
// (the runner reads the port from it). Header-only: each server is one small executable and
// the libevent and libuv servers are compiled as C++ too. Benchmark-only code.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace echo_bench {

struct ServerArgs {
  int port = 0;             // 0: the kernel picks
  bool busy = false;        // bare server only: LT with EPOLLOUT always registered
  std::string wakeupsOut;   // bare server only: where the busy figure goes (else stdout)
};

// Bigger than any client count the benchmark opens, so no connection waits in a full backlog.
constexpr int kListenBacklog = 1024;
// One read's buffer: the size epollscope's --read-chunk 65536 uses.
constexpr std::size_t kReadChunk = 65536;
// Output a connection may hold unsent before the server stops reading it: a client that
// sends without reading must not make the server's memory grow without bound.
constexpr std::size_t kMaxPendingOutput = 1 << 20;

[[noreturn]] inline void die(const char* where, const char* what) {
  std::fprintf(stderr, "%s: %s\n", where, what);
  std::exit(2);
}

[[noreturn]] inline void dieErrno(const char* where) { die(where, std::strerror(errno)); }

// Parses the flags; `allowBusy` is false for the servers that have no busy mode.
inline ServerArgs parseServerArgs(int argc, char** argv, bool allowBusy) {
  ServerArgs args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    const bool hasValue = i + 1 < argc;
    if (flag == "--port" && hasValue) {
      char* end = nullptr;
      const long port = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || port < 0 || port > 65535) die(argv[0], "--port wants 0..65535");
      args.port = static_cast<int>(port);
    } else if (flag == "--busy" && allowBusy) {
      args.busy = true;
    } else if (flag == "--wakeups-out" && allowBusy && hasValue) {
      args.wakeupsOut = argv[++i];
    } else {
      std::fprintf(stderr, "%s: unknown or incomplete flag '%s'\nusage: %s --port N%s\n",
                   argv[0], argv[i], argv[0], allowBusy ? " [--busy] [--wakeups-out FILE]" : "");
      std::exit(2);
    }
  }
  return args;
}

// A nonblocking TCP socket listening on 127.0.0.1:port (loopback only, as epollscope).
inline int listenLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) dieErrno("socket");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) dieErrno("bind");
  if (::listen(fd, kListenBacklog) != 0) dieErrno("listen");
  return fd;
}

// A write to a connection the client already reset must be an EPIPE result, not a death.
inline void ignoreSigpipe() { std::signal(SIGPIPE, SIG_IGN); }

// epollscope's engine sets TCP_NODELAY on every connection it accepts; so does each baseline,
// so no server's small echoes wait for Nagle.
inline void setNoDelay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Prints the contract's first stdout line, flushed so a runner reading the pipe sees it now.
inline void announceListening(int listenFd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(listenFd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    dieErrno("getsockname");
  }
  std::printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  std::fflush(stdout);
}

}  // namespace echo_bench
