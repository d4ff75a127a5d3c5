// An epollscope child process for the CLI tests that must act while it runs (send it a
// signal, talk to what it serves or traces): its stdout on a pipe read line by line, its
// stderr in a file, its exit status within a bound.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace eps::test {

using namespace std::chrono_literals;

// Ownership: one child process (epollscope, or `program`), owned by the test; killed and
// reaped on destruction.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args,
                 const std::string& program = EPOLLSCOPE_BINARY) {
    static int made = 0;  // children of one test program do not share a stderr file
    const std::string errPath = ::testing::TempDir() + "cli_child_err_" +
                                std::to_string(::getpid()) + "_" + std::to_string(++made) + ".txt";
    errPath_ = errPath;
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) ::dup2(err, 2);
      std::vector<char*> argv{const_cast<char*>(program.c_str())};
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = out[0];
  }
  ~Child() {
    if (stdout_ >= 0) ::close(stdout_);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }

  // The next line of stdout, without its newline; nullopt at the end of output or when
  // nothing came for `bound`.
  std::optional<std::string> readLine(std::chrono::milliseconds bound = 10000ms) {
    std::string line;
    char c = 0;
    pollfd ready{stdout_, POLLIN, 0};
    while (::poll(&ready, 1, static_cast<int>(bound.count())) == 1 &&
           ::read(stdout_, &c, 1) == 1) {
      if (c == '\n') return line;
      line += c;
    }
    return std::nullopt;
  }

  // Reads stdout until a line starting with `prefix` arrived; false at the end of output or
  // when nothing came for 10 s.
  bool waitLine(const std::string& prefix) {
    while (const std::optional<std::string> line = readLine()) {
      if (line->rfind(prefix, 0) == 0) return true;
    }
    return false;
  }

  // Bytes the child has read so far (/proc/PID/io rchar).
  long long bytesRead() const {
    std::ifstream io("/proc/" + std::to_string(pid_) + "/io");
    std::string key;
    long long value = 0;
    while (io >> key >> value) {
      if (key == "rchar:") return value;
    }
    return 0;
  }

  // The exit status, or -1 if the child had not exited within `bound`.
  int waitExit(std::chrono::milliseconds bound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }

  std::string err() const {
    std::ifstream in(errPath_);
    return {std::istreambuf_iterator<char>(in), {}};
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  bool reaped_ = false;
  std::string errPath_;
};

inline bool waitFor(const std::function<bool()>& condition,
                    std::chrono::milliseconds bound = 10000ms) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

}  // namespace eps::test
