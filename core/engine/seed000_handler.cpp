#include "core/engine/seed000_handler.hpp"

// Kernel fact, tested here: with messages under 1024 bytes the write loop's restart-at-byte-0
// bug never fires. The seed writes only after EPOLLOUT, which TCP reports only when a third
// of the send buffer is free (sk_stream_is_writeable); no write of < 1024 bytes then came
// back partial (27 combinations of SO_SNDBUF, peer SO_RCVBUF and sizes 700-1023, ~1900
// writes). With string buffers, large messages reach it: partial write, duplicates. Its masks
// are fixed (listener EPOLLIN|EPOLLET; a connection flips between EPOLLIN|EPOLLET and
// EPOLLOUT|EPOLLET), it reads 1024 bytes at a time into a C string, and it exits on errors.
// Where the seed would corrupt memory, a Crash diagnosis says what the seed does there and
// the engine stays sound.
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/engine/engine_bug.hpp"

namespace eps {
namespace {

constexpr std::size_t kSeedBuffer = 1024;  // char buf[1024]

bool seedAcceptRetries(int err) {
  // The seed's test after its accept loop: anything else is ERR_EXIT("accept").
  return err == EAGAIN || err == ECONNABORTED || err == EPROTO || err == EINTR;
}

}  // namespace

bool Seed000Handler::listenerReady() {
  engineThread_.check();
  ListenerState& listener = table_.listener();
  listener.reported();
  bool progress = false;
  int fd = -1;
  int acceptErrno = 0;
  // do { connfd = accept4(...); if (connfd <= 0) break; ... } while (1);
  for (;;) {
    sockaddr_in peer{};
    fd = table_.seam().accept4(listener.fd, &peer, SOCK_NONBLOCK | SOCK_CLOEXEC);
    acceptErrno = errno;
    if (fd <= 0) break;  // the seed's test: 0 is a valid descriptor, but never ours here
    table_.adopt(fd, peer);
    progress = true;
  }
  listener.lastAcceptEagain = fd == -1 && acceptErrno == EAGAIN;
  // EMFILE is not in the seed's list: the server exits. It opened an idle fd at start for
  // exactly this case and never used it.
  if (fd == -1 && !seedAcceptRetries(acceptErrno)) errExit(Call::Accept4, listener.fd, acceptErrno);
  return progress;
}

bool Seed000Handler::connReady(Conn& conn, std::uint32_t events) {
  engineThread_.check();
  conn.touched = true;
  conn.strandedReported = 0;
  if (events & (EPOLLERR | EPOLLHUP)) {
    // fprintf(stderr, "epoll error"); close(fd); continue; — the bytes an RST followed are
    // lost, and the registration goes with the descriptor (no EPOLL_CTL_DEL).
    table_.seam().close(conn.fd);
    conn.fd = -1;
    table_.markChanged();
    return true;
  }
  if (events & EPOLLIN) return read(conn);
  if (events & EPOLLOUT) return write(conn);
  return false;
}

bool Seed000Handler::read(Conn& conn) {
  char* buf = table_.readBuffer();
  std::string strtemp;
  bool progress = false;
  ssize_t ret = 0;
  for (;;) {
    ret = table_.seam().read(conn.fd, buf, kSeedBuffer);
    if (ret <= 0) break;
    table_.keepPayload(buf, ret);
    progress = true;
    conn.lastReadEagain = false;
    // strtemp += string(buf): the bytes up to the first zero byte. A full read leaves no zero
    // inside the array, so string(buf) reads past its end; taken here as if a zero followed.
    // seed000-strings fixes this with append(buf, ret).
    const auto got = static_cast<std::size_t>(ret);
    const std::size_t length = table_.seedCharBuffers() ? ::strnlen(buf, got) : got;
    if (table_.seedCharBuffers() && length == kSeedBuffer) {
      recordCrash(SeedFault::ReadPastArray, conn.fd, Call::Read, ret, 0);
    }
    strtemp.append(buf, length);
    if (static_cast<std::size_t>(ret) < kSeedBuffer) break;  // "a short read means drained"
  }
  conn.out = strtemp;  // recievebuf[connfd] = strtemp.c_str();
  conn.outOffset = 0;
  if (ret == -1) {
    // EAGAIN after reading: `continue`, so what this pass read is never echoed (a message of
    // exactly 1024 or 2048 bytes gets no reply); the next message overwrites it.
    if (errno == EAGAIN) {
      conn.lastReadEagain = true;
      return progress;
    }
    abortIfImpossible(Call::Read, conn.fd, errno);
    errExit(Call::Read, conn.fd, errno);
  }
  if (ret == 0) {
    closeThenDelete(conn);
    return true;
  }
  conn.flipWriting = true;  // event.events = EPOLLOUT | EPOLLET; EPOLL_CTL_MOD
  reregister(conn);
  return progress;
}

bool Seed000Handler::write(Conn& conn) {
  if (table_.seedCharBuffers() && conn.out.size() >= kSeedBuffer) {
    // strcpy(buf, recievebuf[connfd].c_str()) into char buf[1024]: the compiled seed died
    // with SIGSEGV right here. Recorded as a crash; only this connection is closed.
    recordCrash(SeedFault::StackOverflow, conn.fd, Call::Write,
                static_cast<std::int64_t>(conn.out.size()) + 1, 0);
    table_.closeConn(conn);
    return true;
  }
  const std::string buf = conn.out;
  bool progress = false;
  ssize_t count = 0;
  for (;;) {
    // int totalcount = strlen(buf); int pos = 0; — inside the loop, so after a partial
    // write the next write starts again at byte 0: the client receives duplicates.
    const std::size_t totalcount = buf.size();
    const std::size_t pos = 0;
    count = table_.seam().write(conn.fd, buf.data() + pos, totalcount);
    if (count < 0) break;
    progress = true;
    if (static_cast<std::size_t>(count) >= totalcount) break;
    // A message larger than the send buffer never fits in one write: while the client reads,
    // this loop pumps duplicates for ever. Only a knob change (applied before the next
    // call) stops it here; the seed itself would not stop.
    if (!table_.seed()) return progress;
  }
  if (count == -1) {
    // Full send buffer: `continue`, still registered EPOLLOUT|EPOLLET; the next EPOLLOUT
    // edge copies the message again and restarts from its first byte.
    if (errno == EAGAIN) return progress;
    abortIfImpossible(Call::Write, conn.fd, errno);
    errExit(Call::Write, conn.fd, errno);
  }
  // write() of zero bytes returns 0: an empty message (one that began with a zero byte)
  // makes the seed take the "client close" branch.
  if (count == 0) {
    closeThenDelete(conn);
    return true;
  }
  conn.flipWriting = false;  // event.events = EPOLLIN | EPOLLET; EPOLL_CTL_MOD
  reregister(conn);
  return progress;
}

void Seed000Handler::reregister(Conn& conn) {
  const std::uint32_t wanted = table_.wantedMask(conn);
  if (table_.seam().epollCtl(table_.epfd(), EPOLL_CTL_MOD, conn.fd, wanted,
                             epollData(conn.serial, conn.fd)) == 0) {
    conn.interest = wanted;
    conn.view.interest = wanted;
    table_.markChanged();
  }
}

void Seed000Handler::closeThenDelete(Conn& conn) {
  // close(connfd); epoll_ctl(epollfd, EPOLL_CTL_DEL, connfd, &event); — in that order, so
  // the DEL fails with EBADF: close already removed the registration.
  table_.seam().close(conn.fd);
  table_.seam().epollCtl(table_.epfd(), EPOLL_CTL_DEL, conn.fd, 0, epollData(conn.serial, conn.fd));
  conn.fd = -1;
  table_.markChanged();
}

void Seed000Handler::errExit(Call call, int fd, int err) {
  recordCrash(SeedFault::Exit, fd, call, 0, err);
  // ERR_EXIT: the process ends. The engine stops serving; teardown closes every descriptor
  // as the exit would, and clients see their connections end.
  throw StopServing{};
}

void Seed000Handler::recordCrash(SeedFault fault, int fd, Call call, std::int64_t bytes, int err) {
  TraceEvent crash;
  crash.kind = EventKind::Crash;
  crash.op = static_cast<std::uint8_t>(fault);
  crash.fd = fd;
  crash.call = call;
  crash.a = bytes;
  crash.err = err;
  writer_.record(crash);
}

}  // namespace eps
