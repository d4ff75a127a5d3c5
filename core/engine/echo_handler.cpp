#include "core/engine/echo_handler.hpp"

#include <sys/epoll.h>

#include <cerrno>

#include "core/engine/engine_bug.hpp"

namespace eps {
namespace {
constexpr std::size_t kKeptOutCapacity = 64 << 10;  // an idle connection's output buffer
}  // namespace

bool EchoHandler::listenerReady() {
  engineThread_.check();
  return acceptor_.listenerReady();
}

bool EchoHandler::connReady(Conn& conn, std::uint32_t events) {
  engineThread_.check();
  if (table_.knobs().oneshot) conn.armed = false;  // the kernel disarmed it when it reported
  conn.touched = true;
  conn.strandedReported = 0;  // a wakeup ends any stranding; a later one is a new diagnosis
  bool progress = false;
  bool readData = false;
  // EPOLLERR/EPOLLHUP need a read too: after an RST the bytes that came before it are still
  // readable, then the read returns ECONNRESET (EPOLL-FACTS §2.7). Closing at once loses them.
  if (events & (EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
    const std::size_t before = conn.out.size();
    progress = readFrom(conn);
    readData = conn.out.size() > before;
  }
  if (!conn.failed && (events & EPOLLOUT) && conn.pendingOut() > 0) {
    progress = writeTo(conn) || progress;
  }
  return afterIo(conn, readData) || progress;
}

bool EchoHandler::readFrom(Conn& conn) {
  const Knobs& knobs = table_.knobs();
  const auto chunk = static_cast<std::size_t>(knobs.readChunk);
  char* buffer = table_.readBuffer();
  bool progress = false;
  for (;;) {
    // Checked before every read, so a drain loop stops at the cap too: "until EAGAIN" must
    // not mean "until the peer stops sending". The bytes left behind are not stranded: EPOLLIN
    // is dropped now and its return re-polls the socket (resumeBelowLowWater).
    if (overOutCap(conn)) {
      conn.readPaused = true;
      return progress;
    }
    const ssize_t n = table_.seam().read(conn.fd, buffer, chunk);
    if (n > 0) {
      table_.keepPayload(buffer, n);
      conn.lastReadEagain = false;
      conn.out.append(buffer, static_cast<std::size_t>(n));
      progress = true;
      if (knobs.read == ReadPolicy::Once) return progress;
      // Seed 000's heuristic: a short read "means" drained. Wrong at the urgent mark and when
      // a FIN follows the data (EPOLL-FACTS §2.11).
      if (knobs.read == ReadPolicy::Short && static_cast<std::size_t>(n) < chunk) return progress;
      continue;
    }
    if (n == 0) {  // end of file: the peer shut down its sending side; not "all data received"
      if (!conn.peerEof) progress = true;
      conn.peerEof = true;
      conn.lastReadEagain = false;
      return progress;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {  // the receive queue is empty now: everything that arrived is read
      conn.lastReadEagain = true;
      return progress;
    }
    abortIfImpossible(Call::Read, conn.fd, errno);
    conn.failed = true;  // ECONNRESET, ETIMEDOUT: the peer's doing, shown in the trace
    return progress;
  }
}

bool EchoHandler::writeTo(Conn& conn) {
  bool progress = false;
  while (conn.pendingOut() > 0) {
    const ssize_t n =
        table_.seam().write(conn.fd, conn.out.data() + conn.outOffset, conn.pendingOut());
    if (n > 0) {
      conn.outOffset += static_cast<std::size_t>(n);  // keep the offset across partial writes
      progress = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {  // the send buffer is full: wait for EPOLLOUT
      compactOut(conn);
      return progress;
    }
    if (n < 0) abortIfImpossible(Call::Write, conn.fd, errno);
    conn.failed = true;  // EPIPE, ECONNRESET: the peer's doing, shown in the trace
    return progress;
  }
  conn.out.clear();
  conn.outOffset = 0;
  // An idle connection keeps no large buffer: 2,000 of them that each once echoed 1 MiB would
  // otherwise hold 2 GB of capacity.
  if (conn.out.capacity() > kKeptOutCapacity) std::string().swap(conn.out);
  return progress;
}

// Written bytes are dropped from the front once they outnumber the unsent ones, so `out` is at
// most about twice what is pending (each byte moved at most once on average); without this a
// peer that reads slowly but never quite catches up would grow it by everything ever echoed.
void EchoHandler::compactOut(Conn& conn) const {
  if (conn.outOffset == 0 || conn.outOffset < conn.pendingOut()) return;
  conn.out.erase(0, conn.outOffset);
  conn.outOffset = 0;
}

bool EchoHandler::overOutCap(const Conn& conn) const {
  const Knobs& knobs = table_.knobs();
  return knobs.outCap > 0 && conn.pendingOut() >= static_cast<std::size_t>(knobs.outCap);
}

// Hysteresis: reading resumes only at or below half the cap, so a peer reading a little at a
// time does not make the engine MOD EPOLLIN in and out on every write.
void EchoHandler::resumeBelowLowWater(Conn& conn) {
  engineThread_.check();
  if (!conn.readPaused) return;
  const Knobs& knobs = table_.knobs();
  const auto low = static_cast<std::size_t>(knobs.outCap / kOutCapLowDivisor);
  if (knobs.outCap > 0 && conn.pendingOut() > low) return;
  conn.readPaused = false;
  // Paused and resumed in one wakeup (the write took everything at once), EPOLLIN is still
  // registered and the mask will not change. Under ET the bytes left in the receive queue
  // would then never be reported again; an EPOLL_CTL_MOD re-polls the socket and reports
  // them (EPOLL-FACTS §2.2; tests/core/engine/backpressure_test.cpp checks it on this kernel).
  conn.rearmRead = knobs.connTrigger == Trigger::Edge && (conn.interest & EPOLLIN) != 0;
}

// Returns whether it wrote or closed something.
bool EchoHandler::afterIo(Conn& conn, bool readData) {
  const Knobs& knobs = table_.knobs();
  bool progress = false;
  if (conn.failed) {
    table_.closeConn(conn);
    return true;
  }
  if (readData) {
    if (knobs.write == WritePolicy::Flip) {
      conn.flipWriting = true;  // seed 000: MOD to EPOLLOUT after reading, write on the event
    } else {
      progress = writeTo(conn);
      if (conn.failed) {
        table_.closeConn(conn);
        return true;
      }
    }
  }
  resumeBelowLowWater(conn);
  if (knobs.write == WritePolicy::Flip && conn.flipWriting && conn.pendingOut() == 0 && !readData) {
    conn.flipWriting = false;  // all written: back to EPOLLIN
  }
  if (conn.peerEof && knobs.closeOnEof && conn.pendingOut() == 0) {
    table_.closeConn(conn);
    return true;
  }
  if (!knobs.oneshot || knobs.rearm || conn.rearmRead || table_.wantedMask(conn) != conn.interest) {
    table_.registerConn(conn);
  }
  return progress;
}

}  // namespace eps
