// An owning file descriptor for the client driver's own fds (client sockets, its epoll
// instance, its eventfd). Move-only; closes on destruction.
#pragma once

#include <unistd.h>

#include <utility>

namespace eps {

// Ownership: whoever holds it (the client driver or one of its connections); no thread
// affinity of its own, used by one thread at a time.
class ClientFd {
 public:
  ClientFd() = default;
  explicit ClientFd(int fd) : fd_(fd) {}
  ~ClientFd() { reset(); }
  ClientFd(ClientFd&& other) noexcept : fd_(other.release()) {}
  ClientFd& operator=(ClientFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  ClientFd(const ClientFd&) = delete;
  ClientFd& operator=(const ClientFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }

  // Closes the current fd (if any) and returns close()'s result; adopts `fd`.
  // close() is never retried on EINTR: on Linux the fd is released either way (close(2)).
  int reset(int fd = -1) {
    int ret = 0;
    if (fd_ >= 0) ret = ::close(fd_);
    fd_ = fd;
    return ret;
  }

 private:
  int fd_ = -1;
};

}  // namespace eps
