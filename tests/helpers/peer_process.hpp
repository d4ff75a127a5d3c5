// A real external peer for the tests: `nc` (netcat-openbsd) or `socat` run as a child process
// with its stdin and stdout on pipes, the way a student types into a terminal. Header-only,
// shared by the core and app test programs.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace eps::testing {

// The first of `nc` / `socat` found in /usr/bin or /bin, with the arguments that connect to
// 127.0.0.1:port and shut down the write side when stdin ends (so the engine reads 0).
inline std::optional<std::vector<std::string>> peerCommand(int port) {
  const auto found = [](const char* name) -> std::optional<std::string> {
    for (const char* dir : {"/usr/bin/", "/bin/"}) {
      const std::string path = std::string(dir) + name;
      if (::access(path.c_str(), X_OK) == 0) return path;
    }
    return std::nullopt;
  };
  const std::string target = std::to_string(port);
  if (auto nc = found("nc")) return std::vector<std::string>{*nc, "-N", "127.0.0.1", target};
  if (auto socat = found("socat")) {
    return std::vector<std::string>{*socat, "-", "TCP:127.0.0.1:" + target};
  }
  return std::nullopt;
}

// Ownership: one child process, owned by the test; killed and reaped on destruction.
class PeerProcess {
 public:
  explicit PeerProcess(const std::vector<std::string>& argv) {
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    if (::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
  }
  ~PeerProcess() {
    closeStdin();
    if (stdout_ >= 0) ::close(stdout_);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  bool type(const std::string& text) {
    return ::write(stdin_, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  }
  void closeStdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }

  // What the peer printed (the echo), until `count` bytes came or `bound` passed.
  std::string readEcho(std::size_t count, std::chrono::milliseconds bound) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (got.size() < count) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{stdout_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[256];
      const ssize_t n = ::read(stdout_, buffer, sizeof buffer);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
  }

  // Exit status once the child ends within `bound`; nullopt if it is still running.
  std::optional<int> waitExit(std::chrono::milliseconds bound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      ::usleep(2000);
    }
    return std::nullopt;
  }

  // The local port of the child's TCP connection to `serverPort`: its socket inodes from
  // /proc/PID/fd, matched against /proc/net/tcp. An independent witness of the peer's port.
  int localPortTo(int serverPort) const {
    std::set<unsigned long> inodes;
    for (int fd = 0; fd < 64; ++fd) {
      char link[64] = {};
      const std::string path = "/proc/" + std::to_string(pid_) + "/fd/" + std::to_string(fd);
      const ssize_t n = ::readlink(path.c_str(), link, sizeof link - 1);
      unsigned long inode = 0;
      if (n > 0 && std::sscanf(link, "socket:[%lu]", &inode) == 1) inodes.insert(inode);
    }
    std::ifstream tcp("/proc/net/tcp");
    std::string line;
    std::getline(tcp, line);  // header
    while (std::getline(tcp, line)) {
      unsigned localAddr = 0, localPort = 0, remoteAddr = 0, remotePort = 0;
      unsigned long inode = 0;
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
      if (std::sscanf(line.c_str(), " %*d: %x:%x %x:%x %*x %*x:%*x %*x:%*x %*x %*u %*u %lu",
                      &localAddr, &localPort, &remoteAddr, &remotePort, &inode) != 5) {
        continue;
      }
      if (static_cast<int>(remotePort) == serverPort && inodes.contains(inode)) {
        return static_cast<int>(localPort);
      }
    }
    return 0;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  bool reaped_ = false;
};

}  // namespace eps::testing
