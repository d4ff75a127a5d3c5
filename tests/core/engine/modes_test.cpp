// Blocking sockets under ET (EPOLL-FACTS §2.6), EPOLLONESHOT (§2.8), maxevents (§2.10), and
// stepping one call / one wakeup.
#include "tests/core/engine/engine_fixture.hpp"

#include <sys/epoll.h>

#include <cerrno>

namespace eps::testing {
namespace {

TEST(EngineModes, BlockingSocketsUnderEdgeTriggerStallEveryoneUntilTheTimeout) {
  Knobs knobs;
  knobs.connTrigger = Trigger::Edge;
  knobs.sockets = SocketMode::Blocking;
  knobs.blockTimeoutMs = 500;
  EngineHarness h(knobs);
  RawClient slow(h.port());
  RawClient other(h.port());
  const auto fds = h.waitAccepted(2);
  ASSERT_TRUE(h.waitIdle(100ms));
  const std::size_t from = h.mark();
  slow.send("23 bytes from client A.");
  // The drain read on A blocks (no EAGAIN on a blocking socket) while B's bytes wait.
  ASSERT_TRUE(waitUntil([&] {
    const EngineStatus s = h.engine().status();
    return s.inCall && s.pendingCall == Call::Read && s.pendingFd == fds[0];
  }));
  other.send("B!!!!");
  EXPECT_EQ(other.receive(5, 5000ms), "B!!!!") << "B is served only after A's read times out";
  ASSERT_TRUE(h.waitIdle(100ms, 5000ms));
  const auto readsA = h.callsOf(Call::Read, fds[0], from);
  ASSERT_GE(readsA.size(), 2u);
  EXPECT_EQ(readsA[1].err, EAGAIN) << "SO_RCVTIMEO expiry reads as EAGAIN";
  EXPECT_GE(readsA[1].durNs, 400'000'000) << "the read blocked for about the timeout";
  const auto readsB = h.callsOf(Call::Read, fds[1], from);
  ASSERT_FALSE(readsB.empty());
  EXPECT_GT(readsB[0].tNs, readsA[1].tNs + readsA[1].durNs - 1) << "B waited for A";
  const auto blocked = h.ofKind(EventKind::Blocked, from);
  ASSERT_FALSE(blocked.empty());
  EXPECT_EQ(blocked[0].fd, fds[0]);
  EXPECT_EQ(slow.receive(23), "23 bytes from client A.");
}

TEST(EngineModes, OneshotWithoutRearmGoesSilentAfterOneReport) {
  Knobs knobs;
  knobs.oneshot = true;
  knobs.rearm = false;
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 3;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  std::size_t from = h.mark();
  client.send("0123456789");
  ASSERT_TRUE(h.waitIdle(200ms));
  client.send("abcde");
  ASSERT_TRUE(h.waitIdle(200ms));
  EXPECT_EQ(h.countReady(fd, from), 1u) << "silent after one report, even in LT";
  EXPECT_TRUE(waitUntil([&] { return h.recvQueue(fd) == 12; }));
  EXPECT_FALSE(h.socket(fd)->armed);
  // Re-arming (any MOD) reports at once: the data is still there.
  from = h.mark();
  h.setKnobs([](Knobs& k) {
    k.rearm = true;
    k.read = ReadPolicy::Drain;
  });
  h.setKnobs([](Knobs& k) { k.rdhup = true; });  // forces a MOD of every connection
  ASSERT_TRUE(h.waitIdle(200ms));
  EXPECT_GE(h.countReady(fd, from), 1u);
  EXPECT_EQ(h.recvQueue(fd), 0);
  EXPECT_EQ(client.receive(15), "0123456789abcde");
}

TEST(EngineModes, OneshotWithRearmKeepsReporting) {
  Knobs knobs;
  knobs.oneshot = true;
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 3;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  const std::size_t from = h.mark();
  client.send("0123456789");
  ASSERT_TRUE(h.waitIdle(200ms));
  EXPECT_EQ(h.countReady(fd, from), 4u) << "3+3+3+1 bytes, re-armed with MOD each time";
  EXPECT_EQ(h.countCalls(Call::EpollCtl, fd, from), 4u);
  EXPECT_EQ(client.receive(10), "0123456789");
}

TEST(EngineModes, MaxEventsOneRotatesReadySocketsInLevelMode) {
  Knobs knobs;
  knobs.maxEvents = 1;
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 1;
  EngineHarness h(knobs, /*startPaused=*/true);
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  RawClient a(h.port()), b(h.port()), c(h.port());
  h.engine().run();
  const auto fds = h.waitAccepted(3);
  ASSERT_TRUE(h.waitIdle(100ms));
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  a.send("aaa");
  b.send("bbb");
  c.send("ccc");
  const std::size_t from = h.mark();
  h.engine().run();
  ASSERT_TRUE(h.waitIdle(200ms));
  std::vector<int> order;
  for (std::size_t i = from; i < h.events().size(); ++i) {
    const TraceEvent& e = h.events()[i];
    if (e.kind == EventKind::Ready && e.fd != fds[0] - 100) order.push_back(e.fd);
  }
  // Ready entries are the three connections in readiness order, repeated (round robin).
  std::vector<int> expected;
  for (int round = 0; round < 3; ++round) expected.insert(expected.end(), fds.begin(), fds.end());
  std::vector<int> connOrder;
  for (int fd : order) {
    if (fd == fds[0] || fd == fds[1] || fd == fds[2]) connOrder.push_back(fd);
  }
  EXPECT_EQ(connOrder, expected);
  for (const TraceEvent& wait : h.callsOf(Call::EpollWait, -1, from)) EXPECT_LE(wait.ret, 1);
}

TEST(EngineModes, GrowDoublesTheEventArrayAfterAFullReturn) {
  Knobs knobs;
  knobs.maxEvents = kGrowMaxEvents;
  EngineHarness h(knobs, /*startPaused=*/true);
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  RawClient a(h.port()), b(h.port()), c(h.port());
  h.engine().run();
  h.waitAccepted(3);
  ASSERT_TRUE(h.waitIdle(100ms));
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  a.send("x");
  b.send("y");
  c.send("z");
  h.engine().run();
  ASSERT_TRUE(h.waitIdle(200ms));
  // Somewhere a return filled the array; the call after it asks for twice as many.
  const auto waits = h.callsOf(Call::EpollWait);
  bool doubled = false;
  for (std::size_t i = 0; i + 1 < waits.size(); ++i) {
    if (waits[i].ret == waits[i].a) {
      EXPECT_EQ(waits[i + 1].a, std::min<std::int64_t>(2 * waits[i].a, kMaxMaxEvents));
      doubled = true;
    }
  }
  EXPECT_TRUE(doubled) << "three ready sockets fill an array that starts at " << kGrowInitialEvents;
  bool recorded = false;
  for (const TraceEvent& e : h.ofKind(EventKind::Config)) {
    recorded |= e.op == static_cast<std::uint8_t>(KnobId::MaxEvents) && e.c == 1;
  }
  EXPECT_TRUE(recorded) << "the growth is recorded as the engine's own config change";
  EXPECT_EQ(a.receive(1), "x");
  EXPECT_EQ(c.receive(1), "z");
}

TEST(EngineModes, StepCallExecutesExactlyOneCall) {
  Knobs knobs;
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 10;
  EngineHarness h(knobs, /*startPaused=*/true);
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  RawClient client(h.port());
  client.send("0123456789abcdefghij");
  std::uint64_t calls = h.engine().status().callsMade;
  for (int step = 0; step < 8; ++step) {
    const std::size_t from = h.mark();
    h.engine().stepCall();
    ASSERT_TRUE(h.engine().waitApplied(5000ms));
    ASSERT_TRUE(h.engine().waitPaused(5000ms));
    h.drain();
    std::size_t made = 0;
    for (std::size_t i = from; i < h.events().size(); ++i) {
      made += h.events()[i].kind == EventKind::Call;
    }
    EXPECT_EQ(made, 1u) << "step " << step;
    EXPECT_EQ(h.engine().status().callsMade, calls + 1);
    calls = h.engine().status().callsMade;
  }
}

TEST(EngineModes, StepWakeupRunsUntilTheNextEpollWait) {
  EngineHarness h(Knobs{}, /*startPaused=*/true);
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  RawClient client(h.port());
  const std::size_t from = h.mark();
  h.engine().stepWakeup();  // epoll_wait -> listener -> accept4 (x2, EAGAIN) + epoll_ctl ADD
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  h.drain();
  EXPECT_EQ(h.engine().status().pendingCall, Call::EpollWait) << "paused before the next wait";
  EXPECT_EQ(h.countCalls(Call::EpollWait, -1, from), 1u);
  EXPECT_EQ(h.countCalls(Call::Accept4, -1, from), 2u);
  EXPECT_EQ(h.countCalls(Call::EpollCtl, -1, from), 1u);
}

}  // namespace
}  // namespace eps::testing
