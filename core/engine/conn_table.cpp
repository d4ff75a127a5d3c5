#include "core/engine/conn_table.hpp"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/engine/engine_bug.hpp"

namespace eps {
namespace {
constexpr std::size_t kReadBufferSize = 65536;
}  // namespace

ConnTable::ConnTable(KernelSeam& seam, PayloadStore& payloads, const Knobs& knobs)
    : seam_(seam), payloads_(payloads), knobs_(knobs), readBuffer_(kReadBufferSize) {}

void ConnTable::setKnobs(const Knobs& knobs) {
  engineThread_.check();
  knobs_ = knobs;
}

Conn* ConnTable::find(int fd, std::uint32_t serial) {
  engineThread_.check();
  const auto found = conns_.find(fd);
  if (found == conns_.end() || found->second->serial != serial) return nullptr;
  return found->second.get();
}

std::uint32_t ConnTable::listenerMask() const {
  if (seed()) return EPOLLIN | EPOLLET;  // event.events = EPOLLIN|EPOLLET;
  return EPOLLIN | (knobs_.listenTrigger == Trigger::Edge ? EPOLLET : 0u);
}

std::uint32_t ConnTable::wantedMask(const Conn& conn) const {
  // Seed 000 flips between reading and writing, edge-triggered, whatever the knobs say.
  if (seed()) return (conn.flipWriting ? EPOLLOUT : EPOLLIN) | EPOLLET;
  std::uint32_t mask = 0;
  switch (knobs_.write) {
    case WritePolicy::Direct:
      // Register EPOLLOUT only while output is pending: an idle socket is always writable,
      // so in LT a permanent EPOLLOUT reports on every call (EPOLL-FACTS §2.4).
      mask = EPOLLIN | (conn.pendingOut() > 0 ? EPOLLOUT : 0u);
      break;
    case WritePolicy::Flip:
      mask = conn.flipWriting ? EPOLLOUT : EPOLLIN;
      break;
    case WritePolicy::Always:
      mask = EPOLLIN | EPOLLOUT;
      break;
  }
  // After read() returned 0 there is nothing more to read; keep EPOLLIN only to show what an
  // engine that never closes suffers (LT reports EPOLLIN|EPOLLRDHUP forever, §2.7).
  if (conn.peerEof && knobs_.closeOnEof) mask &= ~static_cast<std::uint32_t>(EPOLLIN);
  if (knobs_.rdhup) mask |= EPOLLRDHUP;
  // Back-pressure: over out-cap the engine stops asking to read, so what the peer sends waits
  // in the kernel's receive queue and then, once TCP's window closes, in the peer, instead of
  // in this process. EPOLLRDHUP goes too: LT would report a peer's FIN on every call while
  // nothing reads it; read() returns 0 for it once reading resumes.
  if (conn.readPaused) mask &= ~static_cast<std::uint32_t>(EPOLLIN | EPOLLRDHUP);
  if (knobs_.connTrigger == Trigger::Edge) mask |= EPOLLET;
  if (knobs_.oneshot) mask |= EPOLLONESHOT;
  return mask;
}

void ConnTable::adopt(int fd, const sockaddr_in& peer) {
  engineThread_.check();
  auto conn = std::make_unique<Conn>();
  conn->fd = fd;
  conn->serial = nextSerial_++;
  conn->peerPort = ntohs(peer.sin_port);
  conn->view.fd = fd;
  conn->view.peerPort = conn->peerPort;
  seam_.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
  applySocketOptions(fd);
  const std::uint32_t mask = wantedMask(*conn);
  if (!control(EPOLL_CTL_ADD, fd, mask, epollData(conn->serial, fd))) {
    // ENOMEM or ENOSPC (max_user_watches) are the kernel's to refuse: the client sees EOF.
    seam_.close(fd);
    return;
  }
  conn->interest = mask;
  conn->view.interest = mask;
  changed_ = true;
  conns_[fd] = std::move(conn);
}

void ConnTable::registerConn(Conn& conn) {
  engineThread_.check();
  const std::uint32_t wanted = wantedMask(conn);
  if (wanted == conn.interest && conn.armed && !conn.rearmRead) return;
  conn.rearmRead = false;
  if (!control(EPOLL_CTL_MOD, conn.fd, wanted, epollData(conn.serial, conn.fd))) return;
  conn.interest = wanted;
  conn.armed = true;
  conn.view.interest = wanted;
  conn.view.armed = true;
  changed_ = true;
}

// Switching a trigger live re-registers with EPOLL_CTL_MOD, which re-polls the socket
// ("Modify will reread available I/O", epoll(7)) and so rescues stranded connections.
void ConnTable::reregisterListener() {
  engineThread_.check();
  const std::uint32_t wanted = listenerMask();
  if (!listener_.registered || wanted == listener_.interest) return;
  if (!control(EPOLL_CTL_MOD, listener_.fd, wanted, epollData(kListenerSerial, listener_.fd))) {
    return;
  }
  listener_.interest = wanted;
  listener_.view.interest = wanted;
}

bool ConnTable::control(int op, int fd, std::uint32_t mask, std::uint64_t data) {
  if (!inEpollSet_) return true;
  if (seam_.epollCtl(epfd_, op, fd, mask, data) == 0) return true;
  abortIfImpossible(Call::EpollCtl, fd, errno);
  return false;
}

void ConnTable::closeConn(Conn& conn) {
  engineThread_.check();
  // Delete, then close: after close() the descriptor is gone and EPOLL_CTL_DEL fails with
  // EBADF (seed 000 had them the other way round).
  control(EPOLL_CTL_DEL, conn.fd, 0, epollData(conn.serial, conn.fd));
  seam_.close(conn.fd);
  conn.fd = -1;
  changed_ = true;
}

void ConnTable::closeAll() {
  engineThread_.check();
  for (auto& [fd, conn] : conns_) seam_.close(fd);
  conns_.clear();
}

void ConnTable::applySocketOptions(int fd) const {
  if (knobs_.rcvbuf > 0) seam_.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, knobs_.rcvbuf);
  if (knobs_.sndbuf > 0) seam_.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, knobs_.sndbuf);
  if (knobs_.sockets == SocketMode::Blocking) {
    // Bound the stall so the demonstration ends: the timed-out call returns EAGAIN, the same
    // errno a nonblocking socket gives, so a drain loop ends (EPOLL-FACTS §2.6).
    seam_.setsockoptTimeout(fd, SO_RCVTIMEO, knobs_.blockTimeoutMs);
    seam_.setsockoptTimeout(fd, SO_SNDTIMEO, knobs_.blockTimeoutMs);
  }
}

void ConnTable::setBlocking(int fd, bool blocking) const {
  const int flags = seam_.fcntl(fd, F_GETFL);
  if (flags < 0) return;
  seam_.fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK);
}

// What the peer sent, kept beside the read's event (never in it: events stay fixed-size).
// After the call, from the engine's own buffer: no extra system call, nothing peeked.
void ConnTable::keepPayload(const char* bytes, ssize_t count) {
  if (!seam_.recording()) return;
  payloads_.keep(seam_.lastSeq(), std::string_view(bytes, static_cast<std::size_t>(count)));
}

}  // namespace eps
