// Back-pressure (knob out-cap): a client that sends and never reads cannot grow the engine.
// Over the cap the engine drops EPOLLIN with a recorded EPOLL_CTL_MOD; at half the cap it
// adds it back, and that MOD re-polls the socket, so bytes already queued are reported again
// even under ET (checked on this kernel first, by the KernelFact tests below).
#include <poll.h>
#include <sys/epoll.h>

#include <cerrno>
#include <thread>

#include "core/base/knobs.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

constexpr int kSmallBuffer = 64 << 10;  // kernel buffers small enough that the cap shows

char patternAt(std::size_t position) {
  return static_cast<char>(position % 251);  // 251: no alignment with any chunk size
}

// Sends `total` pattern bytes on a blocking socket; stops early if the socket is shut down.
void sendPattern(int fd, std::size_t total) {
  std::string block(64 << 10, '\0');
  std::size_t sent = 0;
  while (sent < total) {
    const std::size_t count = std::min(block.size(), total - sent);
    for (std::size_t i = 0; i < count; ++i) block[i] = patternAt(sent + i);
    const ssize_t n = ::send(fd, block.data(), count, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

// Reads until `total` bytes came back, a byte differs from the pattern, or `bound` passed;
// returns how many bytes matched, in order.
std::size_t receivePattern(int fd, std::size_t total, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  std::vector<char> buffer(64 << 10);
  std::size_t good = 0;
  while (good < total && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      break;
    }
    for (ssize_t i = 0; i < n; ++i, ++good) {
      if (buffer[static_cast<std::size_t>(i)] != patternAt(good)) return good;
    }
  }
  return good;
}

Knobs smallBuffers(Trigger trigger, int outCap) {
  Knobs knobs;
  knobs.connTrigger = trigger;
  knobs.outCap = outCap;
  knobs.rcvbuf = kSmallBuffer;
  knobs.sndbuf = kSmallBuffer;
  return knobs;
}

// Bytes the engine read from `fd` and has not written back, from the trace's results.
std::int64_t heldByTrace(const EngineHarness& h, int fd) {
  std::int64_t held = 0;
  for (const TraceEvent& e : h.callsOf(Call::Read, fd)) held += std::max<std::int64_t>(e.ret, 0);
  for (const TraceEvent& e : h.callsOf(Call::Write, fd)) held -= std::max<std::int64_t>(e.ret, 0);
  return held;
}

bool modDroppedEpollin(const EngineHarness& h, int fd) {
  for (const TraceEvent& e : h.callsOf(Call::EpollCtl, fd)) {
    if (e.op == EPOLL_CTL_MOD && e.ret == 0 && (e.events & EPOLLIN) == 0) return true;
  }
  return false;
}

// An engine with small buffers and a client that sends 8 MB, far more than every kernel buffer
// on the way, and reads nothing until the test reads for it.
struct NeverReadingClient {
  static constexpr std::size_t kTotal = 8 << 20;

  explicit NeverReadingClient(const Knobs& knobs) : h(knobs), client(h.port(), kSmallBuffer) {
    ::setsockopt(client.fd(), SOL_SOCKET, SO_SNDBUF, &kSmallBuffer, sizeof kSmallBuffer);
    fd = h.waitAccepted(1).at(0);
    sender = std::jthread([this] { sendPattern(client.fd(), kTotal); });
  }
  // Shut down first, so a sender blocked in send() returns and is joined (members are
  // destroyed after this body, the thread first) even when an assertion ended the test early.
  ~NeverReadingClient() { ::shutdown(client.fd(), SHUT_RDWR); }

  EngineHarness h;
  RawClient client;
  int fd = -1;
  std::jthread sender;
};

void neverReadingClientIsHeldAtTheCap(Trigger trigger) {
  constexpr int kCap = 256 << 10;
  const Knobs knobs = smallBuffers(trigger, kCap);
  NeverReadingClient run(knobs);
  EngineHarness& h = run.h;
  // The engine goes quiet once it stopped reading: the queues fill and the sender blocks.
  ASSERT_TRUE(h.waitIdle(300ms, 30000ms)) << "the engine never went idle";
  const SocketView* view = h.socket(run.fd);
  ASSERT_NE(view, nullptr);
  EXPECT_LE(heldByTrace(h, run.fd), kCap + knobs.readChunk)
      << "the engine holds no more than out-cap (plus one read) of unsent echo";
  EXPECT_EQ(static_cast<std::int64_t>(view->heldBytes), heldByTrace(h, run.fd));
  EXPECT_EQ(view->interest & EPOLLIN, 0u) << "EPOLLIN is dropped while over the cap";
  EXPECT_TRUE(modDroppedEpollin(h, run.fd)) << "dropping EPOLLIN is a recorded EPOLL_CTL_MOD";
  EXPECT_GT(view->recvQueue, 0) << "what the client sent waits in the kernel, not the engine";
  // The client reads at last: reading resumes and every byte comes back, in order.
  EXPECT_EQ(receivePattern(run.client.fd(), run.kTotal, 60000ms), run.kTotal);
}

TEST(EngineBackPressure, LevelTriggeredHoldsANeverReadingClientAtTheCap) {
  neverReadingClientIsHeldAtTheCap(Trigger::Level);
}

TEST(EngineBackPressure, EdgeTriggeredHoldsANeverReadingClientAtTheCap) {
  neverReadingClientIsHeldAtTheCap(Trigger::Edge);
}

// out-cap 0 is the mistake, kept for a lesson: the engine reads whatever arrives and holds it.
TEST(EngineBackPressure, WithoutACapANeverReadingClientGrowsTheEngine) {
  NeverReadingClient run(smallBuffers(Trigger::Level, 0));
  ASSERT_TRUE(run.h.waitIdle(300ms, 30000ms)) << "the engine never went idle";
  const SocketView* view = run.h.socket(run.fd);
  ASSERT_NE(view, nullptr);
  const std::int64_t held = heldByTrace(run.h, run.fd);
  EXPECT_GE(held, std::int64_t{4} << 20) << "no cap: the engine holds what it read";
  EXPECT_EQ(static_cast<std::int64_t>(view->heldBytes), held)
      << "the kernel view shows the bytes held now, not an earlier figure";
  EXPECT_EQ(receivePattern(run.client.fd(), run.kTotal, 60000ms), run.kTotal);
}

// The cap reached and left within one wakeup: read up to the cap, the write takes it all, so
// EPOLLIN never leaves the interest mask. Under ET the bytes still queued would never be
// reported again; the engine re-arms with an EPOLL_CTL_MOD, which re-polls.
TEST(EngineBackPressure, EdgeTriggeredReadingResumesWithTheBytesAlreadyQueued) {
  constexpr std::size_t kTotal = 64 << 10;  // fits the engine's receive queue at once
  Knobs knobs;
  knobs.connTrigger = Trigger::Edge;
  knobs.outCap = 4096;
  knobs.readChunk = 4096;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  const std::size_t from = h.mark();
  sendPattern(client.fd(), kTotal);
  EXPECT_EQ(receivePattern(client.fd(), kTotal, 10000ms), kTotal)
      << "bytes left in the receive queue at the cap were stranded";
  h.waitIdle(200ms);
  h.drain();
  std::size_t rearms = 0;
  for (const TraceEvent& e : h.callsOf(Call::EpollCtl, fd, from)) {
    if (e.op == EPOLL_CTL_MOD && (e.events & EPOLLIN) != 0) ++rearms;
  }
  EXPECT_GE(rearms, 1u) << "reading resumed with a recorded EPOLL_CTL_MOD";
}

TEST(EngineBackPressure, OutCapKnobDefaultsToOneMebibyteAndZeroTurnsItOff) {
  Knobs knobs;
  EXPECT_EQ(knobs.outCap, 1 << 20);
  EXPECT_EQ(knobValueText(knobs, KnobId::OutCap), "1048576");
  EXPECT_EQ(setKnob(knobs, KnobId::OutCap, "0"), std::nullopt);
  EXPECT_EQ(knobs.outCap, 0);
  EXPECT_EQ(setKnob(knobs, KnobId::OutCap, "-1"), "--out-cap: '-1' is out of range 0..1073741824");
  EXPECT_EQ(knobFromName("out-cap"), KnobId::OutCap);
}

// --- What the engine relies on, checked on this kernel with plain epoll -------------------

struct LoopbackPair {
  int listener = -1, client = -1, server = -1;
  LoopbackPair() {
    listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener, 4);
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address);
    server = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  }
  ~LoopbackPair() {
    for (const int fd : {listener, client, server}) {
      if (fd >= 0) ::close(fd);
    }
  }
};

int waitOnce(int epfd, epoll_event& event) { return ::epoll_wait(epfd, &event, 1, 0); }

// Over the cap the engine's mask loses EPOLLIN; bytes arriving then wake nothing. Adding
// EPOLLIN back with EPOLL_CTL_MOD reports them: MOD re-polls (ep_modify calls ep_item_poll).
TEST(KernelFact, EdgeTriggeredModAddingEpollinReportsBytesAlreadyQueued) {
  LoopbackPair pair;
  ASSERT_GE(pair.server, 0);
  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event event{EPOLLOUT | EPOLLET, {}};
  ASSERT_EQ(::epoll_ctl(epfd, EPOLL_CTL_ADD, pair.server, &event), 0);
  ASSERT_EQ(waitOnce(epfd, event), 1);  // ADD reports the socket writable once
  ASSERT_EQ(::send(pair.client, "queued", 6, 0), 6);
  ASSERT_TRUE(waitUntil([&] {
    pollfd p{pair.server, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
  }));
  EXPECT_EQ(waitOnce(epfd, event), 0) << "no EPOLLIN in the mask: the arrival reports nothing";
  event = {EPOLLIN | EPOLLOUT | EPOLLET, {}};
  ASSERT_EQ(::epoll_ctl(epfd, EPOLL_CTL_MOD, pair.server, &event), 0);
  ASSERT_EQ(waitOnce(epfd, event), 1) << "the MOD re-polled and found the queued bytes";
  EXPECT_NE(event.events & EPOLLIN, 0u);
  ::close(epfd);
}

// Paused and resumed within one wakeup the mask does not change; a MOD with the same mask
// still re-polls and reports the bytes a partial read left behind.
TEST(KernelFact, EdgeTriggeredModWithTheSameMaskReportsBytesLeftBehind) {
  LoopbackPair pair;
  ASSERT_GE(pair.server, 0);
  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event event{EPOLLIN | EPOLLET, {}};
  ASSERT_EQ(::epoll_ctl(epfd, EPOLL_CTL_ADD, pair.server, &event), 0);
  ASSERT_EQ(::send(pair.client, "0123456789", 10, 0), 10);
  ASSERT_TRUE(waitUntil([&] { return waitOnce(epfd, event) == 1; }));
  char byte = 0;
  ASSERT_EQ(::read(pair.server, &byte, 1), 1);  // a partial read: 9 bytes left behind
  EXPECT_EQ(waitOnce(epfd, event), 0) << "ET: bytes already there are not reported again";
  event = {EPOLLIN | EPOLLET, {}};
  ASSERT_EQ(::epoll_ctl(epfd, EPOLL_CTL_MOD, pair.server, &event), 0);
  EXPECT_EQ(waitOnce(epfd, event), 1) << "the MOD re-polled and found the 9 bytes";
  ::close(epfd);
}

}  // namespace
}  // namespace eps::testing
