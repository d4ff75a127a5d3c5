// What the engine thread passes to poll(2) under poller=poll: every descriptor it watches
// (its command eventfd, the listener, each connection with its interest), rebuilt before every
// call, since poll keeps nothing in the kernel between calls. What that costs is the lesson
// (epoll's interest list is registered once; poll's whole set crosses on every call).
#pragma once

#include <poll.h>
#include <sys/epoll.h>

#include <cstdint>
#include <span>
#include <vector>

#include "core/engine/conn_table.hpp"

namespace eps {

// Ownership: owned by the EventLoop; used on the engine thread only. Its arrays are reused, so
// a steady set of connections allocates nothing per wait.
class PollSet {
 public:
  // The array for the next poll: the control eventfd, the listener (while the engine thread
  // accepts) and each connection with its interest as poll bits (EPOLLIN -> POLLIN, EPOLLOUT ->
  // POLLOUT, EPOLLRDHUP -> POLLRDHUP). A connection asking for nothing is passed too: poll
  // still reports its errors and hangups, as epoll does for an empty mask.
  void build(const ConnTable& table, int controlFd);
  std::span<pollfd> fds() { return fds_; }
  std::span<const std::uint64_t> data() const { return data_; }
  // The entries poll reported, as epoll_wait would have returned them (events as EPOLL bits,
  // the data word they are known by), into `out` (grown to fit); returns how many.
  int collect(std::vector<epoll_event>& out) const;

 private:
  void add(int fd, std::uint32_t interest, std::uint64_t data);

  std::vector<pollfd> fds_;
  std::vector<std::uint64_t> data_;  // epollData(serial, fd) of each entry, in fds_ order
};

}  // namespace eps
