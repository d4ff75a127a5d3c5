#include "core/engine/kernel_probe.hpp"

#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace eps {
namespace {
std::int64_t ioctlCount(int fd, unsigned long request) {
  int value = 0;
  if (::ioctl(fd, request, &value) != 0) return -1;
  return value;
}
}  // namespace

SocketLevels probeSocket(int fd) {
  SocketLevels levels;
  levels.recvQueue = ioctlCount(fd, SIOCINQ);
  levels.sendQueue = ioctlCount(fd, SIOCOUTQ);
  // Unsent bytes can only exist while something is queued: skip the call otherwise.
  levels.unsent = levels.sendQueue > 0 ? ioctlCount(fd, SIOCOUTQNSD) : 0;
  return levels;
}

ListenerLevels probeListener(int fd) {
  // <linux/tcp.h>'s struct: glibc's lacks the newer fields (EPOLL-FACTS §4).
  tcp_info info{};
  socklen_t length = sizeof info;
  ListenerLevels levels;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) == 0) {
    levels.acceptQueue = info.tcpi_unacked;
    levels.backlogLimit = info.tcpi_sacked;
  }
  return levels;
}

std::uint32_t probeLevel(int fd) {
  pollfd entry{fd, POLLIN | POLLPRI | POLLRDHUP | POLLOUT, 0};
  if (::poll(&entry, 1, 0) < 0) return 0;
  return static_cast<std::uint32_t>(static_cast<unsigned short>(entry.revents));
}

bool probeReadyList(int epfd) {
  pollfd entry{epfd, POLLIN, 0};
  return ::poll(&entry, 1, 0) > 0 && (entry.revents & POLLIN) != 0;
}

}  // namespace eps
