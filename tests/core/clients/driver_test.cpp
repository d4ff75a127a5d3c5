// The built-in clients against a tiny blocking echo server on 127.0.0.1 (the engine is not
// needed): real kernel, real loopback sockets, no mocks. Every wait is on a condition with
// a generous bound; nothing asserts on timing.
#include "core/clients/driver.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/trace/recorder.hpp"

namespace eps {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kBound{5000};

enum class ServerMode {
  Echo,       // writes back exactly what it read
  Duplicate,  // writes every chunk it read twice
  Corrupt,    // flips the first byte of every chunk it read
  Flood,      // answers the first chunk with copies of it, without end (seed 000's write loop)
};

// Ownership: one per test, on the test's thread; runs an acceptor thread and one blocking
// thread per connection, all stopped (shutdown of every socket) and joined in ~TestServer.
class TestServer {
 public:
  struct Counts {
    int accepted = 0;
    std::uint64_t read = 0;
    std::uint64_t written = 0;
    int zeroReads = 0;     // read() returned 0: the client shut down or closed
    int resets = 0;        // read() failed with ECONNRESET
    std::string received;  // the first kKeep bytes read, across connections
  };

  // bufferSize > 0: SO_RCVBUF and SO_SNDBUF on the listener (accepted sockets inherit them,
  // and setting them before listen() fixes the window: tcp(7)), so little fills the path.
  explicit TestServer(ServerMode mode = ServerMode::Echo, int bufferSize = 0) : mode_(mode) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (bufferSize > 0) {
      ::setsockopt(listener_, SOL_SOCKET, SO_RCVBUF, &bufferSize, sizeof bufferSize);
      ::setsockopt(listener_, SOL_SOCKET, SO_SNDBUF, &bufferSize, sizeof bufferSize);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    const bool ok = listener_ >= 0 &&
                    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
                    ::listen(listener_, 64) == 0 &&
                    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    EXPECT_TRUE(ok) << "test server setup failed: errno " << errno;
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::jthread([this] { acceptLoop(); });
  }

  ~TestServer() {
    // shutdown() wakes a thread blocked in accept/read/write on that socket.
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (const int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    workers_.clear();  // joins
    for (const int fd : fds_) ::close(fd);
    ::close(listener_);
  }

  std::uint16_t port() const { return port_; }

  bool waitFor(const std::function<bool(const Counts&)>& until, milliseconds bound = kBound) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, bound, [&] { return until(counts_); });
  }

  Counts counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
  }

 private:
  static constexpr std::size_t kKeep = 64 * 1024;

  void acceptLoop() {
    for (;;) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;  // the listener was shut down
      }
      std::lock_guard lock(mutex_);
      fds_.push_back(fd);
      ++counts_.accepted;
      workers_.emplace_back([this, fd] { serve(fd); });
      cv_.notify_all();
    }
  }

  void serve(int fd) {
    std::vector<char> buffer(16 * 1024);
    for (;;) {
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        noteEnd(n == 0 ? 0 : errno);
        // Answer the client's FIN with ours, as an echo server does when done.
        if (n == 0) ::shutdown(fd, SHUT_WR);
        return;
      }
      std::string chunk(buffer.data(), static_cast<std::size_t>(n));
      noteRead(chunk);
      if (mode_ == ServerMode::Flood) return flood(fd, chunk);
      if (!writeAll(fd, reply(std::move(chunk)))) return;
    }
  }

  std::string reply(std::string chunk) const {
    switch (mode_) {
      case ServerMode::Echo:
        return chunk;
      case ServerMode::Duplicate:
        return chunk + chunk;
      case ServerMode::Corrupt:
        chunk[0] = static_cast<char>(chunk[0] ^ 0x5A);
        return chunk;
      case ServerMode::Flood:
        return chunk;  // flood() answers instead
    }
    return chunk;
  }

  // As fast as the socket takes it, with no bookkeeping between writes, until the socket is
  // shut down (~TestServer) or the client goes.
  static void flood(int fd, const std::string& chunk) {
    std::string block;
    while (block.size() < 256 * 1024) block += chunk;
    for (;;) {
      const ssize_t n = ::send(fd, block.data(), block.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
    }
  }

  bool writeAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      done += static_cast<std::size_t>(n);
      std::lock_guard lock(mutex_);
      counts_.written += static_cast<std::uint64_t>(n);
      cv_.notify_all();
    }
    return true;
  }

  void noteRead(const std::string& chunk) {
    std::lock_guard lock(mutex_);
    counts_.read += chunk.size();
    const std::size_t room = kKeep - std::min(kKeep, counts_.received.size());
    counts_.received.append(chunk, 0, std::min(room, chunk.size()));
    cv_.notify_all();
  }

  void noteEnd(int err) {
    std::lock_guard lock(mutex_);
    if (err == 0) ++counts_.zeroReads;
    if (err == ECONNRESET) ++counts_.resets;
    cv_.notify_all();
  }

  const ServerMode mode_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  Counts counts_;
  std::vector<int> fds_;
  std::vector<std::jthread> workers_;  // declared after what they use
  std::jthread acceptor_;
};

std::vector<TraceEvent> clientEvents(Recorder& recorder, int id, EventKind kind) {
  std::vector<TraceEvent> all;
  recorder.drainInto(all);
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : all) {
    if (e.kind == kind && e.conn == static_cast<std::uint32_t>(id)) out.push_back(e);
  }
  return out;
}

std::vector<ClientOp> opsOf(const std::vector<TraceEvent>& events) {
  std::vector<ClientOp> ops;
  for (const TraceEvent& e : events) ops.push_back(static_cast<ClientOp>(e.op));
  return ops;
}

std::size_t countOp(const std::vector<TraceEvent>& events, ClientOp op) {
  return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [op](const auto& e) {
    return e.op == static_cast<std::uint8_t>(op);
  }));
}

// ---- the pattern ----------------------------------------------------------------------------

TEST(ClientDriverPattern, IncludesZeroBytesAndVariesWithIdAndPosition) {
  for (int id = 1; id <= 64; ++id) {
    int zeros = 0;
    for (std::uint64_t pos = 0; pos < 1024; ++pos) zeros += patternByte(id, pos) == 0 ? 1 : 0;
    EXPECT_GT(zeros, 0) << "client " << id << " sends no zero byte in its first 1024";
  }
  for (std::uint64_t pos = 1; pos < 100000; ++pos) {
    if (pos % 256 == 0) continue;  // across a block boundary a repeat is possible (1 in 256)
    ASSERT_NE(patternByte(1, pos), patternByte(1, pos - 1)) << "a one-byte shift would hide";
  }
  int blockShiftsCaught = 0;
  int sameAsOtherClient = 0;
  for (std::uint64_t pos = 256; pos < 256 * 64; ++pos) {
    blockShiftsCaught += patternByte(1, pos) != patternByte(1, pos - 256) ? 1 : 0;
    sameAsOtherClient += patternByte(1, pos) == patternByte(2, pos) ? 1 : 0;
  }
  EXPECT_GT(blockShiftsCaught, 256 * 60) << "a 256-byte shift must not look like the stream";
  EXPECT_LT(sameAsOtherClient, 256 * 4) << "two clients' streams must differ";
}

// ---- echo and checking ----------------------------------------------------------------------

TEST(ClientDriver, ConnectAndEcho100000BytesWithoutMismatch) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  EXPECT_EQ(id, 1);
  ASSERT_TRUE(clients.waitConnected(id, kBound)) << "lastErr " << clients.stats(id).lastErr;
  clients.send(id, 100000);
  ASSERT_TRUE(clients.waitEchoed(id, kBound)) << "echoed " << clients.stats(id).echoed;
  const ClientStats s = clients.stats(id);
  EXPECT_EQ(s.queued, 100000u);
  EXPECT_EQ(s.sent, 100000u);
  EXPECT_EQ(s.echoed, 100000u);
  EXPECT_EQ(s.mismatched, 0u);
  EXPECT_EQ(s.pending, 0u);
  EXPECT_EQ(s.outstanding(), 0u);
  EXPECT_NE(s.localPort, 0);
  EXPECT_GE(s.fd, 0);
  EXPECT_EQ(s.lastErr, 0);
  EXPECT_EQ(server.counts().read, 100000u);
}

TEST(ClientDriver, SendTextIsEchoedIncludingNul) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  const std::string text("hello\0world\n", 12);
  clients.sendText(id, text);  // queued before the handshake completes: sent once it does
  ASSERT_TRUE(clients.waitEchoed(id, kBound));
  EXPECT_EQ(clients.stats(id).echoed, 12u);
  EXPECT_EQ(clients.stats(id).mismatched, 0u);
  EXPECT_TRUE(server.waitFor([&](const auto& c) { return c.received == text; }));
}

TEST(ClientDriver, SeveralClientsGetSeparateIdsAndStreams) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const std::vector<int> ids{clients.connect(), clients.connect(), clients.connect()};
  EXPECT_EQ(ids, (std::vector<int>{1, 2, 3}));
  for (const int id : ids) clients.send(id, 50000);
  for (const int id : ids) {
    ASSERT_TRUE(clients.waitEchoed(id, kBound)) << "client " << id;
    EXPECT_EQ(clients.stats(id).mismatched, 0u) << "client " << id;
  }
  const auto all = clients.allStats();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_NE(all[0].localPort, all[1].localPort);
}

// A server that never stops writing (seed 000's duplicate loop in lesson 14) must not hold
// the driver in one read-until-EAGAIN loop: EAGAIN may never come, and then nothing it read
// would be published and no command applied. The driver reads a bounded amount per wakeup.
TEST(ClientDriver, AServerThatNeverStopsWritingStillLetsTheDriverPublishAndObey) {
  TestServer server(ServerMode::Flood);
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int flooded = clients.connect();
  clients.send(flooded, 100);
  ASSERT_TRUE(clients.waitStats(
      flooded, [](const ClientStats& s) { return s.mismatched > 1'000'000; }, kBound))
      << "what the flooded client read was never published";
  // A command queued while the flood goes on is applied: a second client connects.
  const int other = clients.connect();
  EXPECT_TRUE(clients.waitConnected(other, kBound)) << "the driver stopped obeying";
  const std::uint64_t before = clients.stats(flooded).mismatched;
  EXPECT_TRUE(clients.waitStats(
      flooded, [before](const ClientStats& s) { return s.mismatched > before; }, kBound));
}

TEST(ClientDriver, CorruptingServerShowsMismatches) {
  TestServer server(ServerMode::Corrupt);
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  clients.send(id, 20000);
  ASSERT_TRUE(clients.waitStats(
      id, [](const ClientStats& s) { return s.echoed + s.mismatched >= 20000; }, kBound));
  const ClientStats s = clients.stats(id);
  EXPECT_GT(s.mismatched, 0u);
  EXPECT_EQ(s.echoed + s.mismatched, 20000u);
  EXPECT_FALSE(clients.waitEchoed(id, milliseconds{1})) << "a corrupted echo is never complete";
}

TEST(ClientDriver, DuplicatingServerShowsExtraBytesAsMismatches) {
  TestServer server(ServerMode::Duplicate);
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  clients.send(id, 10000);
  ASSERT_TRUE(clients.waitStats(
      id, [](const ClientStats& s) { return s.echoed + s.mismatched >= 20000; }, kBound));
  const ClientStats s = clients.stats(id);
  EXPECT_GE(s.mismatched, 10000u) << "every byte beyond the stream, at least, is a mismatch";
  EXPECT_EQ(s.echoed + s.mismatched, 20000u);
}

TEST(ClientDriver, UrgentByteIsSentButNotExpectedInTheEcho) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  clients.sendText(id, "hello");
  clients.sendUrgent(id, '!');
  clients.sendText(id, "world");
  ASSERT_TRUE(clients.waitEchoed(id, kBound));
  const ClientStats s = clients.stats(id);
  EXPECT_EQ(s.urgentSent, 1u);
  EXPECT_EQ(s.echoed, 10u);
  EXPECT_EQ(s.mismatched, 0u);
  // A read never crosses the urgent mark and skips the OOB byte (EPOLL-FACTS §2.11).
  EXPECT_EQ(server.counts().received, "helloworld");
  EXPECT_EQ(countOp(clientEvents(recorder, id, EventKind::ClientAction), ClientOp::SendUrgent), 1u);
}

TEST(ClientDriver, SmallSocketBuffersKeepOutputInUserSpaceUntilWritable) {
  TestServer server;
  Recorder recorder;
  ClientOptions options;
  options.sndbuf = 4096;
  options.rcvbuf = 4096;
  options.quickAck = true;
  ClientDriver clients(recorder, server.port(), options);
  const int id = clients.connect();
  ASSERT_TRUE(clients.waitConnected(id, kBound));
  clients.send(id, 1000000);
  ASSERT_TRUE(clients.waitEchoed(id, kBound)) << "echoed " << clients.stats(id).echoed;
  EXPECT_EQ(clients.stats(id).mismatched, 0u);
  EXPECT_EQ(clients.stats(id).lastErr, 0);
  const auto sends = clientEvents(recorder, id, EventKind::ClientAction);
  const auto send = std::find_if(sends.begin(), sends.end(), [](const auto& e) {
    return e.op == static_cast<std::uint8_t>(ClientOp::Send);
  });
  ASSERT_NE(send, sends.end());
  EXPECT_EQ(send->a, 1000000);
  EXPECT_GT(send->c, 0) << "an 8 KiB send buffer cannot take 1 MB in one send()";
}

// ---- reading on and off ---------------------------------------------------------------------

TEST(ClientDriver, StopReadingHoldsTheEchoUntilResume) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  clients.stopReading(id);
  clients.send(id, 1000000);
  // The server has written plenty back: it sits in the client's receive queue, unread.
  ASSERT_TRUE(server.waitFor([](const auto& c) { return c.written >= 65536; }));
  // The driver publishes its stats after the iteration that sent: wait for them.
  ASSERT_TRUE(clients.waitStats(
      id, [](const ClientStats& c) { return c.sent >= 65536; }, kBound));
  ClientStats s = clients.stats(id);
  EXPECT_FALSE(s.reading);
  EXPECT_EQ(s.echoed, 0u) << "a client that stopped reading must not receive";
  EXPECT_LT(s.echoed, s.sent);
  clients.resumeReading(id);
  ASSERT_TRUE(clients.waitEchoed(id, kBound)) << "echoed " << clients.stats(id).echoed;
  s = clients.stats(id);
  EXPECT_EQ(s.echoed, 1000000u);
  EXPECT_EQ(s.mismatched, 0u);

  const auto actions = clientEvents(recorder, id, EventKind::ClientAction);
  EXPECT_EQ(countOp(actions, ClientOp::StopReading), 1u);
  EXPECT_EQ(countOp(actions, ClientOp::ResumeReading), 1u);
}

// ---- ending a connection --------------------------------------------------------------------

TEST(ClientDriver, ShutdownWriteSendsFinAndKeepsReadingTheEcho) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  clients.sendText(id, "bye");
  clients.shutdownWrite(id);
  ASSERT_TRUE(server.waitFor([](const auto& c) { return c.zeroReads == 1; }))
      << "the server must read 0 after the client's SHUT_WR";
  EXPECT_EQ(server.counts().read, 3u);
  // The server answers with its own FIN after echoing: the client gets the echo, then EOF.
  ASSERT_TRUE(clients.waitEof(id, kBound));
  const ClientStats s = clients.stats(id);
  EXPECT_TRUE(s.writeShut);
  EXPECT_TRUE(s.eof);
  EXPECT_EQ(s.echoed, 3u);
  const auto ops = opsOf(clientEvents(recorder, id, EventKind::ClientAction));
  const auto shut = std::find(ops.begin(), ops.end(), ClientOp::ShutdownWrite);
  const auto eof = std::find(ops.begin(), ops.end(), ClientOp::Eof);
  ASSERT_NE(shut, ops.end());
  ASSERT_NE(eof, ops.end());
  EXPECT_LT(shut, eof);
}

TEST(ClientDriver, ResetMakesTheServersReadFailWithEconnreset) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  clients.sendText(id, "bye");
  ASSERT_TRUE(clients.waitEchoed(id, kBound));
  clients.reset(id);
  ASSERT_TRUE(server.waitFor([](const auto& c) { return c.resets == 1; }))
      << "SO_LINGER {1,0} + close must reach the server as an RST";
  EXPECT_EQ(server.counts().zeroReads, 0);
  ASSERT_TRUE(clients.waitStats(
      id, [](const ClientStats& s) { return s.closed; }, kBound));
  EXPECT_EQ(clients.stats(id).fd, -1);
  EXPECT_EQ(countOp(clientEvents(recorder, id, EventKind::ClientAction), ClientOp::Reset), 1u);
}

TEST(ClientDriver, CloseWithNothingUnreadSendsFin) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  clients.sendText(id, "x");
  ASSERT_TRUE(clients.waitEchoed(id, kBound));
  clients.close(id);
  ASSERT_TRUE(server.waitFor([](const auto& c) { return c.zeroReads == 1; }));
  EXPECT_EQ(server.counts().resets, 0);
  // Acting on a closed client fails as the kernel would on a closed fd.
  clients.send(id, 10);
  ASSERT_TRUE(clients.waitStats(
      id, [](const ClientStats& s) { return s.lastErr == EBADF; }, kBound));
  EXPECT_TRUE(clients.stats(id).closed);
}

TEST(ClientDriver, RefusedConnectIsRecordedAsError) {
  // A bound socket that does not listen: the SYN is answered by an RST.
  const int holder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::getsockname(holder, reinterpret_cast<sockaddr*>(&addr), &len), 0);

  Recorder recorder;
  ClientDriver clients(recorder, ntohs(addr.sin_port));
  const int id = clients.connect();
  EXPECT_FALSE(clients.waitConnected(id, kBound));
  const ClientStats s = clients.stats(id);
  EXPECT_TRUE(s.closed);
  EXPECT_EQ(s.lastErr, ECONNREFUSED);
  const auto actions = clientEvents(recorder, id, EventKind::ClientAction);
  const auto error = std::find_if(actions.begin(), actions.end(), [](const auto& e) {
    return e.op == static_cast<std::uint8_t>(ClientOp::Error);
  });
  ASSERT_NE(error, actions.end());
  EXPECT_EQ(error->err, ECONNREFUSED);
  ::close(holder);
}

// ---- trickle and settle ---------------------------------------------------------------------

TEST(ClientDriver, TrickleDeliversSeveralChunks) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  clients.trickle(id, 16, milliseconds{5});
  ASSERT_TRUE(server.waitFor([](const auto& c) { return c.read >= 16 * 5; }));
  clients.stopTrickle(id);
  ASSERT_TRUE(clients.waitSettled(kBound));
  ASSERT_TRUE(clients.waitEchoed(id, kBound));
  const ClientStats s = clients.stats(id);
  EXPECT_GE(s.queued, 16u * 5);
  EXPECT_EQ(s.queued % 16, 0u);
  EXPECT_EQ(s.mismatched, 0u);
  const auto actions = clientEvents(recorder, id, EventKind::ClientAction);
  EXPECT_GE(countOp(actions, ClientOp::Send), 5u);
  const auto start = std::find_if(actions.begin(), actions.end(), [](const auto& e) {
    return e.op == static_cast<std::uint8_t>(ClientOp::Trickle);
  });
  ASSERT_NE(start, actions.end());
  EXPECT_EQ(start->a, 16);
  EXPECT_EQ(start->c, 5);
}

TEST(ClientDriver, WaitSettledAfterSend) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  EXPECT_TRUE(clients.waitSettled(kBound)) << "no client: settled at once";
  const int id = clients.connect();
  clients.send(id, 200000);
  ASSERT_TRUE(clients.waitSettled(kBound));
  const ClientStats s = clients.stats(id);
  EXPECT_TRUE(s.connected);
  EXPECT_EQ(s.queued, 200000u) << "the send queued before waitSettled was applied";
  EXPECT_EQ(s.sent, 200000u);
  EXPECT_EQ(s.pending, 0u);
  ASSERT_TRUE(clients.waitEchoed(id, kBound));
}

TEST(ClientDriver, WaitSettledFailsWhileThePathIsFullAndSucceedsOnceItDrains) {
  TestServer server(ServerMode::Echo, 4096);
  Recorder recorder;
  ClientOptions options;
  options.sndbuf = 4096;
  options.rcvbuf = 4096;
  ClientDriver clients(recorder, server.port(), options);
  const int id = clients.connect();
  clients.stopReading(id);
  clients.send(id, 1000000);  // far more than every buffer on the way holds
  EXPECT_FALSE(clients.waitSettled(milliseconds{300}))
      << "a client that cannot send its bytes is not settled";
  EXPECT_GT(clients.stats(id).pending, 0u);
  clients.resumeReading(id);
  ASSERT_TRUE(clients.waitSettled(kBound)) << "pending " << clients.stats(id).pending;
  ASSERT_TRUE(clients.waitEchoed(id, kBound));
  EXPECT_EQ(clients.stats(id).mismatched, 0u);
}

// ---- the trace ------------------------------------------------------------------------------

TEST(ClientDriver, RecordsActionsAndDataOnTheClientsLane) {
  TestServer server;
  Recorder recorder;
  ClientDriver clients(recorder, server.port());
  const int id = clients.connect();
  // Waiting first puts Connected before SendText (a send queued while the handshake is
  // pending is recorded when queued, and flushed once connected).
  ASSERT_TRUE(clients.waitConnected(id, kBound));
  clients.sendText(id, "hello");
  ASSERT_TRUE(clients.waitEchoed(id, kBound));
  clients.close(id);
  ASSERT_TRUE(clients.waitStats(
      id, [](const ClientStats& s) { return s.closed; }, kBound));
  const ClientStats s = clients.stats(id);

  std::vector<TraceEvent> all;
  recorder.drainInto(all);
  std::vector<TraceEvent> actions;
  std::int64_t dataBytes = 0;
  std::int64_t lastTotal = 0;
  for (const TraceEvent& e : all) {
    EXPECT_EQ(e.actor, Actor::Clients);
    EXPECT_EQ(e.conn, static_cast<std::uint32_t>(id));
    if (e.kind == EventKind::ClientAction) actions.push_back(e);
    if (e.kind == EventKind::ClientData) {
      dataBytes += e.a;
      EXPECT_EQ(e.b, 0) << "no mismatched byte";
      lastTotal = e.c;
    }
  }
  EXPECT_EQ(dataBytes, 5);
  EXPECT_EQ(lastTotal, 5);
  const std::vector<ClientOp> expected{ClientOp::Connect, ClientOp::Connected, ClientOp::SendText,
                                       ClientOp::Close};
  EXPECT_EQ(opsOf(actions), expected);
  ASSERT_EQ(actions.size(), expected.size());
  EXPECT_EQ(actions[0].b, s.localPort) << "Connect carries the local port";
  EXPECT_EQ(actions[1].b, s.localPort) << "Connected carries the local port";
  EXPECT_EQ(actions[2].a, 5);
  EXPECT_EQ(actions[3].ret, 0);
  EXPECT_GE(actions[0].fd, 0);

  const auto writers = recorder.writers();
  ASSERT_EQ(writers.size(), 1u);
  EXPECT_EQ(writers[0].name, "clients");
  EXPECT_GT(writers[0].tid, 0) << "the driver thread sets its kernel tid";
}

}  // namespace
}  // namespace eps
