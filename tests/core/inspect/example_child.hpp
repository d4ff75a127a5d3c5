// What the foreign-socket sampler's tests share: an example server (assets/examples) started
// as a child, loopback clients for it, and bounded waits on conditions.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "core/base/unique_fd.hpp"
#include "core/inspect/proc_sockets.hpp"
#include "tests/soak/server_process.hpp"

namespace eps::testing {

inline constexpr auto kBound = std::chrono::seconds(20);

// Polls `condition` until it holds or kBound passes; true when it held.
inline bool waitUntil(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kBound;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return condition();
}

inline soak::ServerProcess startExample(const char* binary) {
  return soak::ServerProcess(binary, {"--port", "0"}, 64, kBound);
}

// A blocking client connected to 127.0.0.1:port (invalid if connect failed).
inline UniqueFd connectTo(int port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) fd.reset();
  return fd;
}

// Reads from `fd` until `count` bytes came or kBound passed; the bytes read.
inline std::size_t readAtLeast(int fd, std::size_t count) {
  std::size_t got = 0;
  char buffer[4096];
  const auto deadline = std::chrono::steady_clock::now() + kBound;
  while (got < count && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 100};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

// The fd of the first socket of `pid` for which `want` holds, found through /proc.
inline std::optional<int> findSocket(pid_t pid,
                                     const std::function<bool(const ProcSocket&)>& want) {
  for (const ProcSocket& socket : listProcSockets(pid).sockets) {
    if (want(socket)) return socket.fd;
  }
  return std::nullopt;
}

// The fd of the server's first accepted TCP connection, once it has accepted one.
inline std::optional<int> waitForConnection(pid_t pid) {
  std::optional<int> fd;
  waitUntil([&] {
    fd = findSocket(pid, [](const ProcSocket& s) { return s.tcp && !s.listening; });
    return fd.has_value();
  });
  return fd;
}

// The state letter of /proc/PID/stat ('T' once SIGSTOP has taken effect), or '?'.
inline char processState(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  const std::string text((std::istreambuf_iterator<char>(stat)), {});
  const auto close = text.rfind(')');
  return close == std::string::npos || close + 2 >= text.size() ? '?' : text[close + 2];
}

}  // namespace eps::testing
