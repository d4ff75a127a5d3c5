// The echo server's handlers: accepting, reading, writing and closing, each written the way
// its knob says, the wrong ways on purpose and named as such.
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/engine/loop.hpp"

namespace eps {
namespace {
constexpr std::size_t kKeptOutCapacity = 64 << 10;  // an idle connection's output buffer
}  // namespace

std::uint32_t EngineLoop::listenerMask() const {
  if (seed()) return EPOLLIN | EPOLLET;  // event.events = EPOLLIN|EPOLLET;
  return EPOLLIN | (knobs_.listenTrigger == Trigger::Edge ? EPOLLET : 0u);
}

std::uint32_t EngineLoop::wantedMask(const Conn& conn) const {
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

void EngineLoop::listenerReady() {
  // A wakeup ends any stranding: if connections are stranded again afterwards, that is a new
  // diagnosis, even with the same count.
  listenerStrandedReported_ = 0;
  listenerTouched_ = true;
  for (;;) {
    const AcceptResult result = acceptOne();
    if (result == AcceptResult::Retry) continue;
    if (result != AcceptResult::Accepted || knobs_.accept == AcceptPolicy::Once) break;
  }
}

EngineLoop::AcceptResult EngineLoop::acceptOne() {
  const int flags = SOCK_CLOEXEC | (knobs_.sockets == SocketMode::Nonblocking ? SOCK_NONBLOCK : 0);
  sockaddr_in peer{};
  const int fd = seam_.accept4(listenFd_, &peer, flags);
  if (fd >= 0) {
    lastAcceptEagain_ = false;
    adopt(fd, peer);
    return AcceptResult::Accepted;
  }
  switch (errno) {
    case EAGAIN:
      lastAcceptEagain_ = true;
      return AcceptResult::Again;
    case EINTR:
    case ECONNABORTED:
    case EPROTO:
      return AcceptResult::Retry;
    // accept4 checks for a free descriptor before it looks at the queue, so at the limit it
    // returns EMFILE even when nothing is queued: an accept loop must stop here as well as
    // on EAGAIN (EPOLL-FACTS §2.9; libuv commit b3ab332).
    case EMFILE:
    case ENFILE:
      lastAcceptEagain_ = false;
      return knobs_.idleFd && idleFd_ >= 0 ? shedWithIdleFd() : AcceptResult::OutOfFds;
    default:
      lastAcceptEagain_ = false;
      return AcceptResult::Failed;
  }
}

// The idle-fd trick (muduo's Acceptor, libev): give back the spare descriptor, accept the
// connection, close it at once so the client sees a clean EOF instead of waiting forever,
// and take the spare again. Under ET the caller keeps looping until EAGAIN.
EngineLoop::AcceptResult EngineLoop::shedWithIdleFd() {
  seam_.close(idleFd_);
  idleFd_ = -1;
  sockaddr_in peer{};
  const int fd = seam_.accept4(listenFd_, &peer, SOCK_CLOEXEC | SOCK_NONBLOCK);
  const int acceptErrno = errno;
  if (fd >= 0) {
    seam_.close(fd);
    progress_ = true;
  }
  reopenIdleFd();
  if (fd >= 0) return AcceptResult::Accepted;
  if (acceptErrno == EAGAIN) lastAcceptEagain_ = true;
  return AcceptResult::Again;
}

void EngineLoop::reopenIdleFd() {
  idleFd_ = seam_.openat("/dev/null", O_RDONLY | O_CLOEXEC);
}

void EngineLoop::adopt(int fd, const sockaddr_in& peer) {
  progress_ = true;
  auto conn = std::make_unique<Conn>();
  conn->fd = fd;
  conn->serial = nextSerial_++;
  conn->peerPort = ntohs(peer.sin_port);
  conn->view.fd = fd;
  conn->view.peerPort = conn->peerPort;
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  applySocketOptions(fd);
  const std::uint32_t mask = wantedMask(*conn);
  if (seam_.epollCtl(epfd_, EPOLL_CTL_ADD, fd, mask, epollData(conn->serial, fd)) != 0) {
    seam_.close(fd);
    return;
  }
  conn->interest = mask;
  conn->view.interest = mask;
  socketsDirty_ = true;
  conns_[fd] = std::move(conn);
}

void EngineLoop::applySocketOptions(int fd) const {
  if (knobs_.rcvbuf > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &knobs_.rcvbuf, sizeof(int));
  if (knobs_.sndbuf > 0) ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &knobs_.sndbuf, sizeof(int));
  if (knobs_.sockets == SocketMode::Blocking) {
    // Bound the stall so the demonstration ends: the timed-out call returns EAGAIN, the same
    // errno a nonblocking socket gives, so a drain loop ends (EPOLL-FACTS §2.6).
    timeval timeout{knobs_.blockTimeoutMs / 1000, (knobs_.blockTimeoutMs % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  }
}

void EngineLoop::setBlocking(int fd, bool blocking) const {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return;
  ::fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK);
}

void EngineLoop::connReady(Conn& conn, std::uint32_t events) {
  conn.touched = true;
  conn.strandedReported = 0;  // a wakeup ends any stranding; a later one is a new diagnosis
  bool readData = false;
  // EPOLLERR/EPOLLHUP need a read too: after an RST the bytes that came before it are still
  // readable, then the read returns ECONNRESET (EPOLL-FACTS §2.7). Closing at once loses them.
  if (events & (EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
    const std::size_t before = conn.out.size();
    readFrom(conn);
    readData = conn.out.size() > before;
  }
  if (!conn.failed && (events & EPOLLOUT) && conn.pendingOut() > 0) writeTo(conn);
  afterIo(conn, readData);
}

void EngineLoop::readFrom(Conn& conn) {
  const auto chunk = static_cast<std::size_t>(knobs_.readChunk);
  for (;;) {
    // Checked before every read, so a drain loop stops at the cap too: "until EAGAIN" must
    // not mean "until the peer stops sending". The bytes left behind are not stranded: EPOLLIN
    // is dropped now and its return re-polls the socket (resumeBelowLowWater).
    if (overOutCap(conn)) {
      conn.readPaused = true;
      return;
    }
    const ssize_t n = seam_.read(conn.fd, readBuffer_.data(), chunk);
    if (n > 0) {
      keepPayload(readBuffer_.data(), n);
      conn.lastReadEagain = false;
      conn.out.append(readBuffer_.data(), static_cast<std::size_t>(n));
      progress_ = true;
      if (knobs_.read == ReadPolicy::Once) return;
      // Seed 000's heuristic: a short read "means" drained. Wrong at the urgent mark and when
      // a FIN follows the data (EPOLL-FACTS §2.11).
      if (knobs_.read == ReadPolicy::Short && static_cast<std::size_t>(n) < chunk) return;
      continue;
    }
    if (n == 0) {  // end of file: the peer shut down its sending side; not "all data received"
      if (!conn.peerEof) progress_ = true;
      conn.peerEof = true;
      conn.lastReadEagain = false;
      return;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {  // the receive queue is empty now: everything that arrived is read
      conn.lastReadEagain = true;
      return;
    }
    conn.failed = true;  // ECONNRESET and friends
    return;
  }
}

// What the peer sent, kept beside the read's event (never in it: events stay fixed-size).
// After the call, from the engine's own buffer: no extra system call, nothing peeked.
void EngineLoop::keepPayload(const char* bytes, ssize_t count) {
  payloads_.keep(seam_.lastSeq(), std::string_view(bytes, static_cast<std::size_t>(count)));
}

void EngineLoop::writeTo(Conn& conn) {
  while (conn.pendingOut() > 0) {
    const ssize_t n = seam_.write(conn.fd, conn.out.data() + conn.outOffset, conn.pendingOut());
    if (n > 0) {
      conn.outOffset += static_cast<std::size_t>(n);  // keep the offset across partial writes
      progress_ = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {  // the send buffer is full: wait for EPOLLOUT
      compactOut(conn);
      return;
    }
    conn.failed = true;  // EPIPE, ECONNRESET
    return;
  }
  conn.out.clear();
  conn.outOffset = 0;
  // An idle connection keeps no large buffer: 2,000 of them that each once echoed 1 MiB would
  // otherwise hold 2 GB of capacity.
  if (conn.out.capacity() > kKeptOutCapacity) std::string().swap(conn.out);
}

// Written bytes are dropped from the front once they outnumber the unsent ones, so `out` is at
// most about twice what is pending (each byte moved at most once on average); without this a
// peer that reads slowly but never quite catches up would grow it by everything ever echoed.
void EngineLoop::compactOut(Conn& conn) const {
  if (conn.outOffset == 0 || conn.outOffset < conn.pendingOut()) return;
  conn.out.erase(0, conn.outOffset);
  conn.outOffset = 0;
}

bool EngineLoop::overOutCap(const Conn& conn) const {
  return knobs_.outCap > 0 && conn.pendingOut() >= static_cast<std::size_t>(knobs_.outCap);
}

// Hysteresis: reading resumes only at or below half the cap, so a peer reading a little at a
// time does not make the engine MOD EPOLLIN in and out on every write.
void EngineLoop::resumeBelowLowWater(Conn& conn) {
  if (!conn.readPaused) return;
  const auto low = static_cast<std::size_t>(knobs_.outCap / kOutCapLowDivisor);
  if (knobs_.outCap > 0 && conn.pendingOut() > low) return;
  conn.readPaused = false;
  // Paused and resumed in one wakeup (the write took everything at once), EPOLLIN is still
  // registered and the mask will not change. Under ET the bytes left in the receive queue
  // would then never be reported again; an EPOLL_CTL_MOD re-polls the socket and reports
  // them (EPOLL-FACTS §2.2; tests/core/engine/backpressure_test.cpp checks it on this kernel).
  conn.rearmRead = knobs_.connTrigger == Trigger::Edge && (conn.interest & EPOLLIN) != 0;
}

void EngineLoop::afterIo(Conn& conn, bool readData) {
  if (conn.failed) return closeConn(conn);
  if (readData) {
    if (knobs_.write == WritePolicy::Flip) {
      conn.flipWriting = true;  // seed 000: MOD to EPOLLOUT after reading, write on the event
    } else {
      writeTo(conn);
      if (conn.failed) return closeConn(conn);
    }
  }
  resumeBelowLowWater(conn);
  if (knobs_.write == WritePolicy::Flip && conn.flipWriting && conn.pendingOut() == 0 &&
      !readData) {
    conn.flipWriting = false;  // all written: back to EPOLLIN
  }
  if (conn.peerEof && knobs_.closeOnEof && conn.pendingOut() == 0) return closeConn(conn);
  if (!knobs_.oneshot || knobs_.rearm || conn.rearmRead || wantedMask(conn) != conn.interest) {
    registerConn(conn);
  }
}

void EngineLoop::closeConn(Conn& conn) {
  // Delete, then close: after close() the descriptor is gone and EPOLL_CTL_DEL fails with
  // EBADF (seed 000 had them the other way round).
  seam_.epollCtl(epfd_, EPOLL_CTL_DEL, conn.fd, 0, epollData(conn.serial, conn.fd));
  seam_.close(conn.fd);
  progress_ = true;
  conn.fd = -1;
  socketsDirty_ = true;
}

}  // namespace eps
