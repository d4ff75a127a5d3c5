// An X display of the test's own: Xvfb started with -displayfd, so the server itself picks a
// free display number and says which once it is listening. (xvfb-run guesses a number from
// lock files, which races with other test processes, and its own clean-up can fail and exit
// 5 in place of the program's status.)
//
// Ownership: one per test, used by the test's thread; the destructor ends the server.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace eps::test {

class XvfbDisplay {
 public:
  XvfbDisplay(int width, int height) { start(width, height); }
  ~XvfbDisplay() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  XvfbDisplay(const XvfbDisplay&) = delete;
  XvfbDisplay& operator=(const XvfbDisplay&) = delete;

  // ":N", or "" when the server did not start.
  const std::string& name() const { return name_; }

 private:
  void start(int width, int height) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::fcntl(fds[1], F_SETFD, 0);  // the server writes its number here, after exec
      const std::string fd = std::to_string(fds[1]);
      const std::string screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
      ::execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", screen.c_str(), "-nolisten",
               "tcp", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    char buffer[32] = {};
    std::size_t got = 0;
    while (got + 1 < sizeof buffer && std::memchr(buffer, '\n', got) == nullptr) {
      const ssize_t n = ::read(fds[0], buffer + got, sizeof buffer - 1 - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    ::close(fds[0]);
    if (std::memchr(buffer, '\n', got) != nullptr) {
      name_ = ":" + std::string(buffer, std::strcspn(buffer, "\n"));
    }
  }

  std::string name_;
  pid_t pid_ = -1;
};

}  // namespace eps::test
