// A server that keeps the CLI contract's first line as a child process: the real epollscope
// binary for the soak (started headless with a lowered RLIMIT_NOFILE, measured through /proc:
// its peak RSS is its own, not the test's, and ended with SIGTERM as a user would end it), and
// the example servers of assets/examples for the foreign-socket sampler's tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace eps::soak {

// Ownership: owned by the test thread; the child is killed and reaped on destruction if the
// test did not end it (an assertion failed on the way).
class ServerProcess {
 public:
  // Forks, lowers RLIMIT_NOFILE to `fdLimit` in the child, and execs `binary` with `args`;
  // waits (within `bound`) for the contract's first line "listening on 127.0.0.1:PORT".
  // Throws std::runtime_error naming what failed.
  ServerProcess(const std::string& binary, const std::vector<std::string>& args, int fdLimit,
                std::chrono::milliseconds bound);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // A "Name:   123 kB" field of /proc/PID/status in bytes (VmHWM: peak RSS), or -1.
  long statusBytes(const std::string& field) const;
  // CPU time (user + system) the child has used so far, in seconds, from /proc/PID/stat.
  double cpuSeconds() const;

  // Sends SIGTERM and waits up to `bound` for the exit; returns the exit status, or -1 if it
  // did not exit in time (then it is killed) or died from a signal.
  int terminate(std::chrono::milliseconds bound);

 private:
  pid_t pid_ = -1;
  int stdoutFd_ = -1;
  int port_ = 0;
};

}  // namespace eps::soak
