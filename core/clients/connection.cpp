#include "core/clients/connection.hpp"

#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <utility>

namespace eps {

ClientConnection::ClientConnection(int id, TraceWriter& writer, const ClientOptions& options)
    : writer_(writer), options_(options) {
  stats_.id = id;
}

// ---- recording ------------------------------------------------------------------------

void ClientConnection::record(ClientOp op, std::int64_t a, std::int64_t ret, int err,
                              std::int64_t b, std::int64_t c) {
  recordStarted(0, op, a, ret, err, b, c);
}

// tNs = when the action began, before its system call: the engine reacts while a send is
// still returning (loopback delivers inside the call), so a stamp taken afterwards would put
// the client's send after the engine's read of those very bytes. 0: now (an observation).
void ClientConnection::recordStarted(std::int64_t startNs, ClientOp op, std::int64_t a,
                                     std::int64_t ret, int err, std::int64_t b, std::int64_t c) {
  TraceEvent event;
  event.tNs = startNs;
  event.kind = EventKind::ClientAction;
  event.conn = static_cast<std::uint32_t>(stats_.id);
  event.fd = stats_.fd;
  event.op = static_cast<std::uint8_t>(op);
  event.a = a;
  event.b = b;
  event.c = c;
  event.ret = ret;
  event.err = err;
  writer_.record(event);
}

void ClientConnection::recordData(std::int64_t bytes, std::int64_t mismatched) {
  TraceEvent event;
  event.kind = EventKind::ClientData;
  event.conn = static_cast<std::uint32_t>(stats_.id);
  event.fd = stats_.fd;
  event.a = bytes;
  event.b = mismatched;
  event.c = static_cast<std::int64_t>(stats_.echoed);
  writer_.record(event);
}

void ClientConnection::recordError(int err) {
  stats_.lastErr = err;
  record(ClientOp::Error, 0, -1, err);
}

// An action on a client that is gone fails as the kernel would fail it on a closed fd.
bool ClientConnection::usable() {
  if (state_ != State::Closed && state_ != State::Idle) return true;
  recordError(EBADF);
  return false;
}

// Sending after shutdownWrite (or after the kernel refused a send for good) fails with
// EPIPE, which is what send() itself would return.
bool ClientConnection::writable() {
  if (!usable()) return false;
  if (!stats_.writeShut && !shutdownPending_ && !writeFailed_) return true;
  recordError(EPIPE);
  trickle_.reset();  // a trickle would repeat the same error every tick
  return false;
}

// ---- connecting -----------------------------------------------------------------------

void ClientConnection::open(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    failConnect(errno);
    return;
  }
  fd_.reset(fd);
  stats_.fd = fd;
  applySocketOptions();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::int64_t startNs = monotonicNs();
  const int ret = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  const int err = ret < 0 ? errno : 0;
  // The local port is bound by connect() itself; it names the engine's accepted socket.
  stats_.localPort = localPort();
  recordStarted(startNs, ClientOp::Connect, 0, ret, err, stats_.localPort);
  // EINPROGRESS is the normal answer even on loopback, where the handshake has in fact
  // already completed (EPOLL-FACTS §2.12, §3 rule 3): wait for EPOLLOUT either way.
  if (ret == 0) {
    onConnected();
  } else if (err == EINPROGRESS || err == EINTR) {
    state_ = State::Connecting;
  } else {
    failConnect(err);
  }
}

// Buffer sizes must be set before connect() to take effect on the window (tcp(7),
// EPOLL-FACTS §3 rule 5); TCP_NODELAY avoids the Nagle stalls of §2.12.
void ClientConnection::applySocketOptions() {
  if (options_.rcvbuf > 0) setOption(SOL_SOCKET, SO_RCVBUF, options_.rcvbuf);
  if (options_.sndbuf > 0) setOption(SOL_SOCKET, SO_SNDBUF, options_.sndbuf);
  setOption(IPPROTO_TCP, TCP_NODELAY, options_.nodelay ? 1 : 0);
}

void ClientConnection::setOption(int level, int name, int value) {
  if (::setsockopt(fd_.get(), level, name, &value, sizeof value) < 0) recordError(errno);
}

std::uint16_t ClientConnection::localPort() const {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len) < 0) return 0;
  return ntohs(addr.sin_port);
}

// SO_ERROR is read on our own client socket, never on the engine's: reading it clears the
// pending error (EPOLL-FACTS §2.7), which is exactly what we want here and nowhere else.
void ClientConnection::finishConnect() {
  int soerr = 0;
  socklen_t len = sizeof soerr;
  if (::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &soerr, &len) < 0) soerr = errno;
  if (soerr != 0) {
    failConnect(soerr);
    return;
  }
  onConnected();
}

void ClientConnection::onConnected() {
  state_ = State::Connected;
  stats_.connected = true;
  stats_.localPort = localPort();
  record(ClientOp::Connected, 0, 0, 0, stats_.localPort);
  // Sends queued while the handshake was pending go out now.
  if (const FlushResult result = flush(); result.err != 0) recordError(result.err);
  maybeShutdown();
}

void ClientConnection::failConnect(int err) {
  recordError(err);
  fd_.reset();
  stats_.fd = -1;
  stats_.closed = true;
  state_ = State::Closed;
  output_.clear();
  echo_.clear();
  trickle_.reset();
}

// ---- sending --------------------------------------------------------------------------

void ClientConnection::sendPattern(std::size_t bytes, ClientOp op) {
  if (!writable()) return;
  std::string data(bytes, '\0');
  for (std::size_t i = 0; i < bytes; ++i) {
    data[i] = static_cast<char>(patternByte(stats_.id, stats_.queued + i));
  }
  queue(std::move(data), op);
}

void ClientConnection::sendText(std::string text) {
  if (!writable()) return;
  queue(std::move(text), ClientOp::SendText);
}

// Recorded with a = bytes queued by the action, ret = bytes the flush that followed handed
// to the kernel (earlier pending bytes included), c = bytes still waiting in user space.
void ClientConnection::queue(std::string bytes, ClientOp op) {
  const auto size = static_cast<std::int64_t>(bytes.size());
  stats_.queued += bytes.size();
  echo_.expect(bytes);
  output_.push(std::move(bytes), false);
  const std::int64_t startNs = monotonicNs();
  const FlushResult result = flush();
  recordStarted(startNs, op, size, result.handed, 0, 0, static_cast<std::int64_t>(output_.bytes()));
  if (result.err != 0) recordError(result.err);
}

// The urgent byte is not expected back: the engine does not read OOB data inline, and a
// read never crosses the urgent mark (EPOLL-FACTS §2.11), so the echo skips it.
void ClientConnection::sendUrgent(char byte) {
  if (!writable()) return;
  output_.push(std::string(1, byte), true);
  const std::int64_t startNs = monotonicNs();
  const FlushResult result = flush();
  recordStarted(startNs, ClientOp::SendUrgent, 1, result.handed, 0, 0,
                static_cast<std::int64_t>(output_.bytes()));
  if (result.err != 0) recordError(result.err);
}

// Writes until EAGAIN; what is left waits for EPOLLOUT (registered only while it waits,
// so a writable socket never spins the loop: EPOLL-FACTS §2.4).
ClientConnection::FlushResult ClientConnection::flush() {
  FlushResult result;
  while (state_ == State::Connected && !writeFailed_ && !output_.empty()) {
    OutputQueue::Chunk& chunk = output_.front();
    const int flags = MSG_NOSIGNAL | (chunk.urgent ? MSG_OOB : 0);
    const ssize_t n = ::send(fd_.get(), chunk.data.data() + chunk.offset,
                             chunk.data.size() - chunk.offset, flags);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      result.err = errno;
      writeFailed_ = true;
      stats_.brokenBy = result.err;
      if (result.err == ECONNRESET) stats_.resetByPeer = true;
      output_.clear();  // can never be delivered now
      break;
    }
    const auto sent = static_cast<std::size_t>(n);
    (chunk.urgent ? stats_.urgentSent : stats_.sent) += sent;
    result.handed += n;
    output_.consume(sent);
  }
  return result;
}

void ClientConnection::onWritable() {
  if (const FlushResult result = flush(); result.err != 0) recordError(result.err);
  maybeShutdown();
}

// ---- actions --------------------------------------------------------------------------

void ClientConnection::setReading(bool on) {
  const ClientOp op = on ? ClientOp::ResumeReading : ClientOp::StopReading;
  if (!usable()) return;
  stats_.reading = on;
  record(op);
}

// The FIN goes out behind every byte already queued: flush first, shut down once the
// output has drained (maybe later, from EPOLLOUT). The client keeps reading its echo.
void ClientConnection::shutdownWrite() {
  if (!usable()) return;
  if (stats_.writeShut || shutdownPending_) return;
  shutdownPending_ = true;
  if (const FlushResult result = flush(); result.err != 0) recordError(result.err);
  maybeShutdown();
}

void ClientConnection::maybeShutdown() {
  if (!shutdownPending_ || state_ != State::Connected || !output_.empty()) return;
  shutdownPending_ = false;
  const std::int64_t startNs = monotonicNs();
  const int ret = ::shutdown(fd_.get(), SHUT_WR);
  const int err = ret < 0 ? errno : 0;
  if (ret == 0) stats_.writeShut = true;
  recordStarted(startNs, ClientOp::ShutdownWrite, 0, ret, err);
  if (ret < 0) recordError(err);
}

// close() with unread data in the receive queue sends an RST instead of a FIN
// (EPOLL-FACTS §2.7, row 6): real behaviour, shown as it is. Reset forces the RST with
// SO_LINGER {1, 0}. Either way the fd leaves our epoll set as it closes.
void ClientConnection::close(ClientOp op) {
  if (!usable()) return;
  const std::int64_t startNs = monotonicNs();
  int lingerErr = 0;
  if (op == ClientOp::Reset) {
    const linger hard{1, 0};
    if (::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard) < 0) lingerErr = errno;
  }
  const auto unsent = static_cast<std::int64_t>(output_.bytes());
  const int ret = fd_.reset();
  const int err = ret < 0 ? errno : 0;
  recordStarted(startNs, op, unsent, ret, err);
  if (lingerErr != 0) recordError(lingerErr);  // after the action it belongs to
  if (ret < 0) recordError(err);
  stats_.fd = -1;
  stats_.closed = true;
  state_ = State::Closed;
  registered_ = 0;
  output_.clear();
  echo_.clear();
  trickle_.reset();
}

void ClientConnection::startTrickle(std::size_t bytes, std::chrono::milliseconds period,
                                    Clock::time_point now) {
  if (!writable()) return;
  if (period.count() < 1) period = std::chrono::milliseconds{1};
  trickle_ = Trickle{bytes, period, now};  // the first chunk goes out right away
  record(ClientOp::Trickle, static_cast<std::int64_t>(bytes), 0, 0, 0, period.count());
}

// Recorded as a Trickle with a = 0: the trickle stopped.
void ClientConnection::stopTrickle() {
  if (!usable()) return;
  trickle_.reset();
  record(ClientOp::Trickle);
}

std::optional<ClientConnection::Clock::time_point> ClientConnection::trickleDue() const {
  if (!trickle_) return std::nullopt;
  return trickle_->due;
}

void ClientConnection::runTrickle(Clock::time_point now) {
  if (!trickle_ || now < trickle_->due) return;
  const std::size_t bytes = trickle_->bytes;
  trickle_->due += trickle_->period;
  if (trickle_->due <= now) trickle_->due = now + trickle_->period;  // no catch-up burst
  sendPattern(bytes, ClientOp::Send);
}

// ---- receiving ------------------------------------------------------------------------

void ClientConnection::onEvents(std::uint32_t events, std::span<char> buffer) {
  if (state_ == State::Connecting) {
    finishConnect();  // EPOLLOUT, or EPOLLERR|EPOLLHUP when refused
    return;
  }
  if (state_ != State::Connected) return;
  const std::uint32_t want = wantedEvents();
  if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0 && (want & EPOLLIN) != 0) {
    readAll(buffer);
  }
  if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0 && (want & EPOLLOUT) != 0) {
    onWritable();
  }
}

// Reads until EAGAIN, or kReadsPerWakeup buffers at most: a peer that never stops writing
// (seed 000's duplicate loop, lesson 14) may never let EAGAIN come, and then the loop could
// not publish what it read, apply a command or serve another client. Level-triggered, the
// driver hears of the rest at once.
void ClientConnection::readAll(std::span<char> buffer) {
  constexpr int kReadsPerWakeup = 16;
  for (int reads = 0; reads < kReadsPerWakeup; ++reads) {
    const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
    if (n > 0) {
      onData(buffer.first(static_cast<std::size_t>(n)));
      continue;
    }
    if (n == 0) {
      stats_.eof = true;
      record(ClientOp::Eof);
      return;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) onReadError(errno);
    return;
  }
}

void ClientConnection::onData(std::span<const char> data) {
  const EchoChecker::Result result = echo_.check(data);
  stats_.echoed += result.matched;
  stats_.mismatched += result.mismatched;
  recordData(static_cast<std::int64_t>(data.size()), static_cast<std::int64_t>(result.mismatched));
  // TCP_QUICKACK is not sticky: the kernel drops back to delayed ACKs, so it is re-armed
  // after every read (EPOLL-FACTS §3 rule 2).
  if (options_.quickAck) setOption(IPPROTO_TCP, TCP_QUICKACK, 1);
}

// ECONNRESET: the engine reset us (or closed with unread data, §2.7). Bytes received
// before the RST were read above; nothing more can arrive, and nothing queued can leave.
void ClientConnection::onReadError(int err) {
  readFailed_ = true;
  stats_.brokenBy = err;
  if (err == ECONNRESET) {
    stats_.resetByPeer = true;
    writeFailed_ = true;
    output_.clear();
  }
  recordError(err);
}

// ---- state ----------------------------------------------------------------------------

std::uint32_t ClientConnection::wantedEvents() const {
  if (state_ == State::Connecting) return EPOLLOUT;
  if (state_ != State::Connected) return 0;
  std::uint32_t mask = 0;
  if (stats_.reading && !stats_.eof && !readFailed_) mask |= EPOLLIN;
  if (!output_.empty() && !writeFailed_) mask |= EPOLLOUT;
  return mask;
}

bool ClientConnection::settled() const {
  if (state_ == State::Idle || state_ == State::Connecting) return false;
  if (state_ == State::Closed || writeFailed_) return true;
  if (!output_.empty()) return false;
  // SIOCOUTQNSD: bytes in the send queue not yet sent. On loopback a sent byte is already
  // in the peer's receive queue (EPOLL-FACTS §2.12), so 0 means "delivered".
  int unsent = 0;
  if (::ioctl(fd_.get(), SIOCOUTQNSD, &unsent) < 0) return true;
  return unsent == 0;
}

ClientStats ClientConnection::snapshot() const {
  ClientStats copy = stats_;
  copy.pending = output_.bytes();
  return copy;
}

}  // namespace eps
