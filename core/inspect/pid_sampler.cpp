#include "core/inspect/pid_sampler.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace eps {
namespace {
// Through syscall(): glibc 2.36 declares pidfd_open/pidfd_getfd only in <sys/pidfd.h> and
// older ones not at all; the numbers are the kernel's (Linux 5.3 and 5.6).
int pidfdOpen(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0U));
}
int pidfdGetfd(int pidfd, int fd) {
  return static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, fd, 0U));
}

// getsockopt of an int option, or -1 when the socket refuses it.
int intOption(int fd, int option) {
  int value = 0;
  socklen_t length = sizeof value;
  return ::getsockopt(fd, SOL_SOCKET, option, &value, &length) == 0 ? value : -1;
}

// What the duplicate `fd` is, from calls that only read its type.
SampledKind kindOf(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) return SampledKind::NotSocket;
  const int domain = intOption(fd, SO_DOMAIN);
  const bool inet = domain == AF_INET || domain == AF_INET6;
  if (!inet || intOption(fd, SO_PROTOCOL) != IPPROTO_TCP) return SampledKind::OtherSocket;
  return intOption(fd, SO_ACCEPTCONN) == 1 ? SampledKind::Listener : SampledKind::Connected;
}
}  // namespace

std::string_view toString(SampledKind kind) {
  switch (kind) {
    case SampledKind::Refused: return "refused";
    case SampledKind::NotSocket: return "not a socket";
    case SampledKind::OtherSocket: return "other socket";
    case SampledKind::Listener: return "listener";
    case SampledKind::Connected: return "connected";
  }
  return "?";
}

PidSampler::PidSampler(pid_t pid) : pidfd_(pidfdOpen(pid)) {
  if (!pidfd_.valid()) error_ = errno;
}

FdSample PidSampler::sample(int fd) const {
  FdSample result;
  result.fd = fd;
  if (!pidfd_.valid()) {
    result.error = error_;
    return result;
  }
  const UniqueFd duplicate(pidfdGetfd(pidfd_.get(), fd));
  if (!duplicate.valid()) {
    result.error = errno;
    return result;
  }
  result.kind = kindOf(duplicate.get());
  if (result.kind == SampledKind::Listener) result.backlog = probeListener(duplicate.get());
  if (result.kind == SampledKind::Connected) result.queues = probeSocket(duplicate.get());
  return result;  // the duplicate closes here: the program's socket is as it was
}

std::vector<FdSample> PidSampler::sample(std::span<const int> fds) const {
  std::vector<FdSample> samples;
  samples.reserve(fds.size());
  for (const int fd : fds) samples.push_back(sample(fd));
  return samples;
}

}  // namespace eps
