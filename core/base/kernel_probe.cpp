#include "core/base/kernel_probe.hpp"

#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace eps {
namespace {
// Notes probe `bit` as made, and as failed when it returned -1.
void noteProbe(std::int64_t& probes, std::int64_t bit, bool failed) {
  probes |= bit;
  if (failed) probes |= bit << kProbeFailedShift;
}

std::int64_t ioctlCount(int fd, unsigned long request, std::int64_t bit, std::int64_t& probes) {
  int value = 0;
  const bool failed = ::ioctl(fd, request, &value) != 0;
  noteProbe(probes, bit, failed);
  return failed ? -1 : value;
}

PollLevel pollOnce(int fd, short events) {
  pollfd entry{fd, events, 0};
  PollLevel level;
  const int n = ::poll(&entry, 1, 0);
  noteProbe(level.probes, kProbePoll, n < 0);
  if (n > 0) level.revents = static_cast<std::uint32_t>(static_cast<unsigned short>(entry.revents));
  return level;
}
}  // namespace

SocketLevels probeSocket(int fd) {
  SocketLevels levels;
  levels.recvQueue = ioctlCount(fd, SIOCINQ, kProbeSiocinq, levels.probes);
  levels.sendQueue = ioctlCount(fd, SIOCOUTQ, kProbeSiocoutq, levels.probes);
  // Unsent bytes can only exist while something is queued: skip the call otherwise.
  levels.unsent =
      levels.sendQueue > 0 ? ioctlCount(fd, SIOCOUTQNSD, kProbeSiocoutqnsd, levels.probes) : 0;
  return levels;
}

ListenerLevels probeListener(int fd) {
  // <linux/tcp.h>'s struct: glibc's lacks the newer fields (EPOLL-FACTS §4).
  tcp_info info{};
  socklen_t length = sizeof info;
  ListenerLevels levels;
  const bool failed = ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0;
  noteProbe(levels.probes, kProbeTcpInfo, failed);
  if (!failed) {
    levels.acceptQueue = info.tcpi_unacked;
    levels.backlogLimit = info.tcpi_sacked;
  }
  return levels;
}

PollLevel probeLevel(int fd) {
  return pollOnce(fd, POLLIN | POLLPRI | POLLRDHUP | POLLOUT);
}

PollLevel probeReadyList(int epfd) {
  return pollOnce(epfd, POLLIN);
}

}  // namespace eps
