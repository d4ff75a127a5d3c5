// Ctrl-C and SIGTERM end the modes that are not an event loop (an strace import, a headless
// lesson), promptly, with a message, the shell's 128 + signal status, and nothing written.
#include <fcntl.h>
#include <poll.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "tests/app/cli/cli_run.hpp"

namespace {

using namespace std::chrono_literals;

// Ownership: one child epollscope, owned by the test; killed and reaped on destruction.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    const std::string errPath = ::testing::TempDir() + "interrupt_err_" +
                                std::to_string(::getpid()) + ".txt";
    errPath_ = errPath;
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) ::dup2(err, 2);
      std::vector<char*> argv{const_cast<char*>(EPOLLSCOPE_BINARY)};
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(EPOLLSCOPE_BINARY, argv.data());
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

  // Reads stdout until a line starting with `prefix` arrived; false at the end of output or
  // when nothing came for 10 s.
  bool waitLine(const std::string& prefix) {
    std::string line;
    char c = 0;
    pollfd ready{stdout_, POLLIN, 0};
    while (::poll(&ready, 1, 10000) == 1 && ::read(stdout_, &c, 1) == 1) {
      if (c != '\n') {
        line += c;
        continue;
      }
      if (line.rfind(prefix, 0) == 0) return true;
      line.clear();
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

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds bound = 10000ms) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// /dev/zero is an endless log: one overlong line. Before, only SIGKILL ended the import.
TEST(Interrupt, SigintEndsAnEndlessImportWith130AndWritesNothing) {
  const std::string trace = ::testing::TempDir() + "interrupt_import.json";
  std::remove(trace.c_str());
  Child child({"--headless", "--open", "/dev/zero", "--trace-out", trace});
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(waitFor([&] { return child.bytesRead() > (16 << 20); }))
      << "the import is reading /dev/zero";
  ::kill(child.pid(), SIGINT);
  EXPECT_EQ(child.waitExit(10000ms), 130) << child.err();
  EXPECT_NE(child.err().find("interrupted by SIGINT"), std::string::npos) << child.err();
  EXPECT_FALSE(exists(trace)) << "an interrupted import writes nothing";
}

// A lesson that waits a minute: SIGTERM ends it within the test's bound, not the wait's.
TEST(Interrupt, SigtermEndsAHeadlessLessonWith143AndWritesNothing) {
  const std::string lesson = eps::test::writeTempFile("interrupt_lesson.toml", R"(id = "long"
title = { en = "A long wait", zh = "A long wait" }
summary = { en = "Waits.", zh = "Waits." }

[[step]]
title = { en = "Wait", zh = "Wait" }
text = { en = "A minute.", zh = "A minute." }
do = ["connect 1", "wait 60000"]
check = ["accepts == 1"]
)");
  const std::string session = ::testing::TempDir() + "interrupt_lesson.eps";
  std::remove(session.c_str());
  Child child({"--headless", "--lesson", lesson, "--save-session", session});
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(child.waitLine("lesson long")) << child.err();
  ::kill(child.pid(), SIGTERM);
  EXPECT_EQ(child.waitExit(10000ms), 143) << child.err();
  EXPECT_NE(child.err().find("interrupted by SIGTERM"), std::string::npos) << child.err();
  EXPECT_FALSE(exists(session)) << "an interrupted lesson writes nothing";
}

}  // namespace
