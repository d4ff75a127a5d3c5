// Handler seed000: the echo server of seed article 000, line by line, so its bugs happen on
// the real kernel and the clients' integrity counters catch them (EPOLL-FACTS §5). Handler
// seed000-strings is the same code with its first fix: std::string instead of char buf[1024]
// (no truncation at a zero byte, no read past the array, no stack overflow).
//
// Kernel fact, tested here: with messages under 1024 bytes the write loop's restart-at-byte-0
// bug never fires. The seed writes only after EPOLLOUT, which TCP reports only when a third
// of the send buffer is free (sk_stream_is_writeable); no write of < 1024 bytes then came
// back partial (27 combinations of SO_SNDBUF, peer SO_RCVBUF and sizes 700-1023, ~1900
// writes). With string buffers, large messages reach it: partial write, duplicates. Its masks
// are fixed (listener EPOLLIN|EPOLLET; a connection flips between EPOLLIN|EPOLLET and
// EPOLLOUT|EPOLLET), it reads 1024 bytes at a time into a C string, and it exits on errors.
// Where the seed would corrupt memory, a Crash diagnosis says what the seed does there and
// the engine stays sound.
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/engine/loop.hpp"

namespace eps {
namespace {

constexpr std::size_t kSeedBuffer = 1024;  // char buf[1024]

bool seedAcceptRetries(int err) {
  // The seed's test after its accept loop: anything else is ERR_EXIT("accept").
  return err == EAGAIN || err == ECONNABORTED || err == EPROTO || err == EINTR;
}

}  // namespace

void EngineLoop::seedListenerReady() {
  listenerStrandedReported_ = 0;
  listenerTouched_ = true;
  int fd = -1;
  int acceptErrno = 0;
  // do { connfd = accept4(...); if (connfd <= 0) break; ... } while (1);
  for (;;) {
    sockaddr_in peer{};
    fd = seam_.accept4(listenFd_, &peer, SOCK_NONBLOCK | SOCK_CLOEXEC);
    acceptErrno = errno;
    if (fd <= 0) break;  // the seed's test: 0 is a valid descriptor, but never ours here
    adopt(fd, peer);
  }
  lastAcceptEagain_ = fd == -1 && acceptErrno == EAGAIN;
  // EMFILE is not in the seed's list: the server exits. It opened an idle fd at start for
  // exactly this case and never used it.
  if (fd == -1 && !seedAcceptRetries(acceptErrno)) seedExit(Call::Accept4, listenFd_, acceptErrno);
}

void EngineLoop::seedConnReady(Conn& conn, std::uint32_t events) {
  conn.touched = true;
  conn.strandedReported = 0;
  if (events & (EPOLLERR | EPOLLHUP)) {
    // fprintf(stderr, "epoll error"); close(fd); continue; — the bytes an RST followed are
    // lost, and the registration goes with the descriptor (no EPOLL_CTL_DEL).
    seam_.close(conn.fd);
    conn.fd = -1;
    progress_ = true;
    socketsDirty_ = true;
    return;
  }
  if (events & EPOLLIN) return seedRead(conn);
  if (events & EPOLLOUT) seedWrite(conn);
}

void EngineLoop::seedRead(Conn& conn) {
  char* buf = readBuffer_.data();
  std::string strtemp;
  ssize_t ret = 0;
  for (;;) {
    ret = seam_.read(conn.fd, buf, kSeedBuffer);
    if (ret <= 0) break;
    keepPayload(buf, ret);
    progress_ = true;
    conn.lastReadEagain = false;
    // strtemp += string(buf): the bytes up to the first zero byte. A full read leaves no zero
    // inside the array, so string(buf) reads past its end; taken here as if a zero followed.
    // seed000-strings fixes this with append(buf, ret).
    const auto got = static_cast<std::size_t>(ret);
    const std::size_t length = seedCharBuffers() ? ::strnlen(buf, got) : got;
    if (seedCharBuffers() && length == kSeedBuffer) {
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
      return;
    }
    seedExit(Call::Read, conn.fd, errno);
  }
  if (ret == 0) return seedCloseThenDelete(conn);
  conn.flipWriting = true;  // event.events = EPOLLOUT | EPOLLET; EPOLL_CTL_MOD
  seedRegister(conn);
}

void EngineLoop::seedWrite(Conn& conn) {
  if (seedCharBuffers() && conn.out.size() >= kSeedBuffer) {
    // strcpy(buf, recievebuf[connfd].c_str()) into char buf[1024]: the compiled seed died
    // with SIGSEGV right here. Recorded as a crash; only this connection is closed.
    recordCrash(SeedFault::StackOverflow, conn.fd, Call::Write,
                static_cast<std::int64_t>(conn.out.size()) + 1, 0);
    return closeConn(conn);
  }
  const std::string buf = conn.out;
  ssize_t count = 0;
  for (;;) {
    // int totalcount = strlen(buf); int pos = 0; — inside the loop, so after a partial
    // write the next write starts again at byte 0: the client receives duplicates.
    const std::size_t totalcount = buf.size();
    const std::size_t pos = 0;
    count = seam_.write(conn.fd, buf.data() + pos, totalcount);
    if (count < 0) break;
    progress_ = true;
    if (static_cast<std::size_t>(count) >= totalcount) break;
    // A message larger than the send buffer never fits in one write: while the client reads,
    // this loop pumps duplicates for ever. Only a knob change (applied before the next
    // call) stops it here; the seed itself would not stop.
    if (!seed()) return;
  }
  if (count == -1) {
    // Full send buffer: `continue`, still registered EPOLLOUT|EPOLLET; the next EPOLLOUT
    // edge copies the message again and restarts from its first byte.
    if (errno == EAGAIN) return;
    seedExit(Call::Write, conn.fd, errno);
  }
  // write() of zero bytes returns 0: an empty message (one that began with a zero byte)
  // makes the seed take the "client close" branch.
  if (count == 0) return seedCloseThenDelete(conn);
  conn.flipWriting = false;  // event.events = EPOLLIN | EPOLLET; EPOLL_CTL_MOD
  seedRegister(conn);
}

void EngineLoop::seedRegister(Conn& conn) {
  const std::uint32_t wanted = wantedMask(conn);
  if (seam_.epollCtl(epfd_, EPOLL_CTL_MOD, conn.fd, wanted, epollData(conn.serial, conn.fd)) == 0) {
    conn.interest = wanted;
    conn.view.interest = wanted;
    socketsDirty_ = true;
  }
}

void EngineLoop::seedCloseThenDelete(Conn& conn) {
  // close(connfd); epoll_ctl(epollfd, EPOLL_CTL_DEL, connfd, &event); — in that order, so
  // the DEL fails with EBADF: close already removed the registration.
  seam_.close(conn.fd);
  seam_.epollCtl(epfd_, EPOLL_CTL_DEL, conn.fd, 0, epollData(conn.serial, conn.fd));
  conn.fd = -1;
  progress_ = true;
  socketsDirty_ = true;
}

void EngineLoop::seedExit(Call call, int fd, int err) {
  recordCrash(SeedFault::Exit, fd, call, 0, err);
  // ERR_EXIT: the process ends. The engine stops serving; teardown closes every descriptor
  // as the exit would, and clients see their connections end.
  throw StopRequested{};
}

void EngineLoop::recordCrash(SeedFault fault, int fd, Call call, std::int64_t bytes, int err) {
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
