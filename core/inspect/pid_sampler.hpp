// Samples ANOTHER process's sockets the way the engine samples its own (kernel_probe.hpp):
// pidfd_open(pid) once, then per fd pidfd_getfd(pidfd, fd, 0) gives this process a duplicate
// of the program's socket (the same open file description, so the same queues), a few
// harmless probes are made on it and the duplicate is closed at once. Harmless means:
// SIOCINQ/SIOCOUTQ on a TCP stream, TCP_INFO on a listener, getsockopt of SO_DOMAIN,
// SO_PROTOCOL and SO_ACCEPTCONN to tell them apart. Never a read (it would take the
// program's bytes) and never SO_ERROR (it clears the program's pending error, EPOLL-FACTS
// §2.7). The kernel refuses pidfd_getfd without ptrace rights over the target (EPERM), for a
// process that is gone (ESRCH) and for a fd the program does not have open (EBADF).
// The duplicate is held for a few system calls only: should the program close its fd in
// that window, the socket lives on until the duplicate closes, microseconds later.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/base/kernel_probe.hpp"
#include "core/base/unique_fd.hpp"

namespace eps {

enum class SampledKind : std::uint8_t {
  Refused,      // the kernel would not hand the fd over: FdSample::error says why
  NotSocket,    // a file, pipe, epoll instance...
  OtherSocket,  // a socket, but not TCP (UNIX, UDP): kind only, no probes
  Listener,     // a listening TCP socket: FdSample::backlog
  Connected,    // any other TCP socket (connected, connecting, closing): FdSample::queues
};
std::string_view toString(SampledKind kind);

struct FdSample {
  int fd = -1;
  SampledKind kind = SampledKind::Refused;
  int error = 0;           // Refused: the errno (EPERM, ESRCH, EBADF, ENOSYS...)
  SocketLevels queues;     // Connected: receive and send queue
  ListenerLevels backlog;  // Listener: accept queue and its limit
};

// Ownership: owns the pidfd of one process for its lifetime, which names that process and no
// later one with a reused pid; a duplicate of the target's fd lives only inside sample().
// Thread: no affinity; one thread at a time.
class PidSampler {
 public:
  explicit PidSampler(pid_t pid);

  // errno of pidfd_open when it refused (ESRCH: no such process), else 0; every sample of
  // a refused sampler is Refused with this errno.
  int error() const { return error_; }

  FdSample sample(int fd) const;
  std::vector<FdSample> sample(std::span<const int> fds) const;

 private:
  UniqueFd pidfd_;
  int error_ = 0;
};

}  // namespace eps
