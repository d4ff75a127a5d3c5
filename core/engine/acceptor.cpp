#include "core/engine/acceptor.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/engine/engine_bug.hpp"

namespace eps {

bool Acceptor::listenerReady() {
  engineThread_.check();
  table_.listener().reported();
  bool progress = false;
  for (;;) {
    const Result result = acceptOne();
    if (result == Result::Retry) continue;
    const bool another = result == Result::Accepted || result == Result::Shed;
    progress = progress || another;
    if (!another || table_.knobs().accept == AcceptPolicy::Once) break;
  }
  return progress;
}

Acceptor::Result Acceptor::acceptOne() {
  const Knobs& knobs = table_.knobs();
  ListenerState& listener = table_.listener();
  const int flags = SOCK_CLOEXEC | (knobs.sockets == SocketMode::Nonblocking ? SOCK_NONBLOCK : 0);
  sockaddr_in peer{};
  const int fd = table_.seam().accept4(listener.fd, &peer, flags);
  if (fd >= 0) {
    listener.lastAcceptEagain = false;
    table_.adopt(fd, peer);
    return Result::Accepted;
  }
  switch (errno) {
    case EAGAIN:
      listener.lastAcceptEagain = true;
      return Result::Again;
    case EINTR:
    case ECONNABORTED:
    case EPROTO:
      return Result::Retry;
    // accept4 checks for a free descriptor before it looks at the queue, so at the limit it
    // returns EMFILE even when nothing is queued: an accept loop must stop here as well as
    // on EAGAIN (EPOLL-FACTS §2.9; libuv commit b3ab332).
    case EMFILE:
    case ENFILE:
      listener.lastAcceptEagain = false;
      return knobs.idleFd && idleFd_ >= 0 ? shedWithIdleFd() : Result::OutOfFds;
    default:
      abortIfImpossible(Call::Accept4, listener.fd, errno);
      listener.lastAcceptEagain = false;
      return Result::Failed;  // ENOBUFS, ENOMEM, EPERM: in the trace; the next wakeup retries
  }
}

// The idle-fd trick (muduo's Acceptor, libev): give back the spare descriptor, accept the
// connection, close it at once so the client sees a clean EOF instead of waiting forever,
// and take the spare again. Under ET the caller keeps looping until EAGAIN.
Acceptor::Result Acceptor::shedWithIdleFd() {
  KernelSeam& seam = table_.seam();
  ListenerState& listener = table_.listener();
  seam.close(idleFd_);
  idleFd_ = -1;
  sockaddr_in peer{};
  const int fd = seam.accept4(listener.fd, &peer, SOCK_CLOEXEC | SOCK_NONBLOCK);
  const int acceptErrno = errno;
  if (fd >= 0) seam.close(fd);
  reopenIdleFd();
  if (fd >= 0) return Result::Shed;
  if (acceptErrno == EAGAIN) listener.lastAcceptEagain = true;
  return Result::Again;
}

void Acceptor::reopenIdleFd() {
  idleFd_ = table_.seam().openat("/dev/null", O_RDONLY | O_CLOEXEC);
}

void Acceptor::matchIdleFdKnob() {
  engineThread_.check();
  const bool wanted = table_.knobs().idleFd;
  if (wanted && idleFd_ < 0) reopenIdleFd();
  if (!wanted && idleFd_ >= 0) {
    table_.seam().close(idleFd_);
    idleFd_ = -1;
  }
}

void Acceptor::close() {
  engineThread_.check();
  if (idleFd_ >= 0) table_.seam().close(idleFd_);
  idleFd_ = -1;
}

}  // namespace eps
