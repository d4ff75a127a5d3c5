// An owning file descriptor: the client driver's sockets, epoll instance and eventfd, and the
// foreign-socket sampler's pidfds and duplicates. Move-only; closes on destruction.
#pragma once

#include <unistd.h>

#include <utility>

namespace eps {

// Ownership: whoever holds it (the client driver, one of its connections, a sample in
// progress); no thread affinity of its own, used by one thread at a time.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

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
