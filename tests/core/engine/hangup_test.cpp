// Peer shutdown, close and reset: which bits, which errno (EPOLL-FACTS §2.7).
#include "tests/core/engine/engine_fixture.hpp"

#include <sys/epoll.h>

#include <cerrno>

namespace eps::testing {
namespace {

Knobs rdhupDrain() {
  Knobs knobs;
  knobs.rdhup = true;
  return knobs;
}

std::uint32_t eventsFor(EngineHarness& h, int fd, std::size_t from) {
  std::uint32_t all = 0;
  for (std::size_t i = from; i < h.events().size(); ++i) {
    const TraceEvent& e = h.events()[i];
    if (e.kind == EventKind::Ready && e.fd == fd) all |= e.events;
  }
  return all;
}

TEST(EngineHangup, HalfCloseReadsZeroWhichIsEndOfFileNotAllDataReceived) {
  EngineHarness h(rdhupDrain());
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  // Paused while the bytes and the FIN arrive (on loopback both are queued before the
  // client's calls return): a running engine could wake between the two, read the bytes, and
  // find the FIN with its next read, before any report could carry EPOLLRDHUP.
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  const std::size_t from = h.mark();
  client.send("bye");
  client.shutdownWrite();
  h.engine().run();
  EXPECT_EQ(client.receive(3), "bye") << "a half-closed client can still receive its echo";
  ASSERT_TRUE(client.waitEof(5000ms)) << "the engine closes after read() returned 0";
  ASSERT_TRUE(h.waitIdle(100ms));
  const std::uint32_t seen = eventsFor(h, fd, from);
  EXPECT_TRUE(seen & EPOLLRDHUP);
  EXPECT_FALSE(seen & EPOLLHUP) << "a FIN alone raises no EPOLLHUP";
  const auto reads = h.callsOf(Call::Read, fd, from);
  ASSERT_GE(reads.size(), 2u);
  EXPECT_EQ(reads[0].ret, 3);
  EXPECT_EQ(reads.back().ret, 0);
  const auto ctl = h.callsOf(Call::EpollCtl, fd, from);
  ASSERT_FALSE(ctl.empty());
  EXPECT_EQ(ctl.back().op, EPOLL_CTL_DEL) << "delete, then close";
  EXPECT_EQ(h.countCalls(Call::Close, fd, from), 1u);
}

TEST(EngineHangup, ResetLeavesEarlierBytesReadableThenEconnreset) {
  Knobs knobs = rdhupDrain();
  EngineHarness h(knobs, /*startPaused=*/true);
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  RawClient client(h.port());
  h.engine().run();
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  client.send("bye");
  client.reset();
  const std::size_t from = h.mark();
  h.engine().run();
  ASSERT_TRUE(h.waitIdle(100ms));
  const std::uint32_t seen = eventsFor(h, fd, from);
  EXPECT_TRUE(seen & EPOLLERR);
  EXPECT_TRUE(seen & EPOLLHUP);
  const auto reads = h.callsOf(Call::Read, fd, from);
  ASSERT_GE(reads.size(), 2u);
  EXPECT_EQ(reads[0].ret, 3) << "the bytes sent before the RST are still readable";
  EXPECT_EQ(reads[1].ret, -1);
  EXPECT_EQ(reads[1].err, ECONNRESET);
  EXPECT_EQ(h.countCalls(Call::Close, fd, from), 1u);
}

TEST(EngineHangup, LevelTriggeredSpinsOnAHalfClosedSocketThatIsNeverClosed) {
  Knobs knobs = rdhupDrain();
  knobs.closeOnEof = false;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  const std::size_t from = h.mark();
  client.shutdownWrite();
  EXPECT_FALSE(h.waitIdle(100ms, 500ms)) << "LT reports EPOLLIN|EPOLLRDHUP on every call";
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  h.drain();
  EXPECT_GE(h.countReady(fd, from, EPOLLRDHUP), 100u);
  EXPECT_FALSE(h.ofKind(EventKind::Busy, from).empty()) << "busy diagnosed";
  EXPECT_EQ(h.countCalls(Call::Close, fd, from), 0u);
}

}  // namespace
}  // namespace eps::testing
