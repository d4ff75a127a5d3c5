// A program nobody here wrote, for the live-trace tests (CLI and window): a python3 epoll echo
// server on 127.0.0.1 that prints its port, a client of it, and whether this machine lets
// strace trace or attach at all. Header-only, shared by the test programs.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace eps::test {

// An epoll echo server: prints its port, echoes with os.read/os.write (the read and write
// calls the trace names), and with "once" exits after its first client closes.
inline const char* const kEchoServer = R"(import os, select, socket, sys
once = sys.argv[1:] == ['once']
srv = socket.socket()
srv.bind(('127.0.0.1', 0))
srv.listen(16)
srv.setblocking(False)
print(srv.getsockname()[1], flush=True)
ep = select.epoll()
ep.register(srv.fileno(), select.EPOLLIN)
conns = {}
while True:
    for fd, _ in ep.poll():
        if fd == srv.fileno():
            conn, _ = srv.accept()
            conn.setblocking(False)
            conns[conn.fileno()] = conn
            ep.register(conn.fileno(), select.EPOLLIN)
            continue
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            continue
        if not data:
            ep.unregister(fd)
            conns.pop(fd).close()
            if once:
                sys.exit(0)
            continue
        while data:
            data = data[os.write(fd, data):]
)";

// Why this machine cannot run the tests (no strace, ptrace refused), or nullopt.
inline std::optional<std::string> ptraceRefused(bool attach) {
  if (std::system("strace -qq -o /dev/null true >/dev/null 2>&1") != 0) {
    return "strace cannot trace a program here (missing, or ptrace refused)";
  }
  if (!attach) return std::nullopt;
  // timeout's 124: strace was still attached when it was interrupted.
  const int status = std::system(
      "sh -c 'sleep 5 & p=$!; timeout -s INT 1 strace -qq -o /dev/null -p $p >/dev/null 2>&1; "
      "r=$?; kill $p; exit $r'");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 124) {
    return "strace cannot attach to a running process here (yama ptrace_scope or seccomp)";
  }
  return std::nullopt;
}

// Ownership: one client socket of the test, closed on destruction.
struct EchoClient {
  int fd = -1;
  int localPort = 0;
  explicit EchoClient(int port) {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) return;
    sockaddr_in me{};
    socklen_t size = sizeof me;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&me), &size);
    localPort = ntohs(me.sin_port);
  }
  ~EchoClient() {
    if (fd >= 0) ::close(fd);
  }
  EchoClient(const EchoClient&) = delete;
  EchoClient& operator=(const EchoClient&) = delete;

  // Sends `text` and reads until as many bytes came back (or 20 s passed): the echo.
  std::string echo(const std::string& text) {
    if (::send(fd, text.data(), text.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(text.size())) {
      return "";
    }
    std::string got;
    char buffer[8192];
    pollfd ready{fd, POLLIN, 0};
    while (got.size() < text.size() && ::poll(&ready, 1, 20000) == 1) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
  }
};

}  // namespace eps::test
