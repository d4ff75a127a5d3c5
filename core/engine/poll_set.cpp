#include "core/engine/poll_set.hpp"

#include "core/engine/conn.hpp"
#include "core/engine/kernel_seam.hpp"

namespace eps {

void PollSet::build(const ConnTable& table, int controlFd) {
  fds_.clear();
  data_.clear();
  add(controlFd, EPOLLIN, epollData(kControlSerial, controlFd));
  const ListenerState& listener = table.listener();
  if (listener.registered) {
    add(listener.fd, listener.interest, epollData(kListenerSerial, listener.fd));
  }
  for (const auto& [fd, conn] : table.conns()) {
    add(fd, conn->interest, epollData(conn->serial, fd));
  }
}

void PollSet::add(int fd, std::uint32_t interest, std::uint64_t data) {
  fds_.push_back(pollfd{fd, pollBitsOfEpoll(interest), 0});
  data_.push_back(data);
}

int PollSet::collect(std::vector<epoll_event>& out) const {
  if (out.size() < fds_.size()) out.resize(fds_.size());
  int n = 0;
  for (std::size_t i = 0; i < fds_.size(); ++i) {
    if (fds_[i].revents == 0) continue;
    epoll_event& event = out[static_cast<std::size_t>(n++)];
    event.events = epollBitsOfPoll(fds_[i].revents);
    event.data.u64 = data_[i];
  }
  return n;
}

}  // namespace eps
