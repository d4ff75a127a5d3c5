// Writes: LT with EPOLLOUT always registered is a busy loop (EPOLL-FACTS §2.4); flip is seed
// 000's MOD pair; ET partial writes wait for one EPOLLOUT after EAGAIN (§2.5).
#include <sys/epoll.h>

#include <cerrno>

#include "core/timeline/model.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

// Idle-connection wakeups per second with the given write policy, over ~0.5 s of running.
// A busy loop records millions of events a second, far more than a trace ring holds: they are
// counted as they are drained, every millisecond, or the ring would drop the diagnoses too.
double idleWakeupsPerSecond(WritePolicy write, std::size_t* busyDiagnoses) {
  Knobs knobs;
  knobs.write = write;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  h.waitIdle(100ms, 300ms);  // with `always` it never goes idle; the bound ends the wait
  h.mark();
  std::size_t ready = 0;
  *busyDiagnoses = 0;
  std::vector<TraceEvent> batch;
  const auto count = [&] {
    batch.clear();
    h.recorder().drainInto(batch);
    for (const TraceEvent& e : batch) {
      if (e.kind == EventKind::Ready && e.fd == fd) ++ready;
      if (e.kind == EventKind::Busy) ++*busyDiagnoses;
    }
  };
  const std::int64_t start = monotonicNs();
  waitUntil(
      [&] {
        count();
        return monotonicNs() - start > 500'000'000;
      },
      2000ms);
  h.engine().pause();
  h.engine().waitPaused(5000ms);
  const std::int64_t elapsed = monotonicNs() - start;
  count();
  return static_cast<double>(ready) * 1e9 / static_cast<double>(elapsed);
}

TEST(EngineWrite, LevelTriggeredEpolloutAlwaysRegisteredIsABusyLoop) {
  std::size_t busy = 0;
  const double rate = idleWakeupsPerSecond(WritePolicy::Always, &busy);
  EXPECT_GE(rate, 1000.0) << "an idle socket is always writable: LT reports it on every call";
  EXPECT_GE(busy, 1u) << "busy diagnosed";
}

// The busy diagnosis names the idle connection LT keeps reporting, so the timeline puts its
// label on that connection's lane (not on the engine's control lane).
TEST(EngineWrite, TheBusyDiagnosisNamesTheIdleConnectionAndLandsOnItsLane) {
  Knobs knobs;
  knobs.write = WritePolicy::Always;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(waitUntil([&] {
    h.drain();
    return !h.ofKind(EventKind::Busy).empty();
  })) << "an idle LT socket with EPOLLOUT registered must be diagnosed busy";
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  TimelineModel model;
  model.append(h.drain());
  std::size_t busy = 0;
  for (std::uint64_t id = model.firstRetainedId(); id < model.endId(); ++id) {
    if (model.event(id).kind != EventKind::Busy) continue;
    ++busy;
    EXPECT_EQ(model.event(id).fd, fd);
    const LaneInfo& lane = model.lanes()[model.laneOf(id)];
    EXPECT_EQ(lane.kind, LaneKind::Connection) << lane.name;
    EXPECT_EQ(lane.fd, fd) << lane.name;
  }
  EXPECT_GE(busy, 1u);
}

TEST(EngineWrite, DirectAndFlipDoNotSpinOnAnIdleConnection) {
  for (const WritePolicy write : {WritePolicy::Direct, WritePolicy::Flip}) {
    std::size_t busy = 0;
    const double rate = idleWakeupsPerSecond(write, &busy);
    EXPECT_LT(rate, 10.0);
    EXPECT_EQ(busy, 0u);
  }
}

TEST(EngineWrite, FlipEchoesEachMessageWithTheSeedsModPair) {
  Knobs knobs;
  knobs.connTrigger = Trigger::Edge;
  knobs.write = WritePolicy::Flip;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  for (const std::string message : {"first", "second message"}) {
    const std::size_t from = h.mark();
    client.send(message);
    EXPECT_EQ(client.receive(message.size()), message);
    ASSERT_TRUE(h.waitIdle(100ms));
    const auto mods = h.callsOf(Call::EpollCtl, fd, from);
    ASSERT_EQ(mods.size(), 2u);
    EXPECT_EQ(mods[0].op, EPOLL_CTL_MOD);
    EXPECT_EQ(mods[0].events, EPOLLOUT | EPOLLET) << "after reading: MOD to EPOLLOUT";
    EXPECT_EQ(mods[1].events, EPOLLIN | EPOLLET) << "after writing: back to EPOLLIN";
    const auto writes = h.callsOf(Call::Write, fd, from);
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_LT(writes[0].seq, mods[1].seq);
    EXPECT_GT(writes[0].seq, mods[0].seq);
  }
}

TEST(EngineWrite, EdgeTriggeredPartialWriteWaitsForOneEpolloutAfterEagain) {
  Knobs knobs;
  knobs.connTrigger = Trigger::Edge;
  knobs.sndbuf = 4096;
  EngineHarness h(knobs);
  RawClient client(h.port(), /*rcvbuf=*/4096);
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  std::size_t from = h.mark();
  // The client does not read: the echo fills its receive window and the engine's send buffer.
  client.sendPattern(60000);
  ASSERT_TRUE(h.waitIdle(300ms));  // ≥ 300 ms: outlasts the delayed-ACK edge (§2.5)
  const auto writes = h.callsOf(Call::Write, fd, from);
  ASSERT_FALSE(writes.empty());
  EXPECT_EQ(writes.back().ret, -1);
  EXPECT_EQ(writes.back().err, EAGAIN) << "the engine stopped on EAGAIN, holding the rest";
  bool partial = false;
  for (const TraceEvent& w : writes) partial |= w.ret > 0 && w.ret < w.a;
  EXPECT_TRUE(partial) << "a write accepted only part of what was asked";
  // Invariant (robust to the delayed ACK): every EPOLLOUT report follows an EAGAIN write,
  // with no other EPOLLOUT report in between — exactly one edge per EAGAIN.
  bool eagainSinceLastEdge = false;
  for (std::size_t i = from; i < h.events().size(); ++i) {
    const TraceEvent& e = h.events()[i];
    if (e.kind == EventKind::Call && e.call == Call::Write && e.fd == fd && e.err == EAGAIN) {
      eagainSinceLastEdge = true;
    }
    if (e.kind == EventKind::Ready && e.fd == fd && (e.events & EPOLLOUT)) {
      EXPECT_TRUE(eagainSinceLastEdge) << "an EPOLLOUT edge with no EAGAIN before it";
      eagainSinceLastEdge = false;
    }
  }
  EXPECT_GT(h.socket(fd)->heldBytes, 0u) << "the engine holds what it could not write";
  // The client reads again: EPOLLOUT edges come back and every byte arrives, in order.
  from = h.mark();
  const std::string echoed = client.receive(60000, 10000ms);
  ASSERT_EQ(echoed.size(), 60000u);
  for (std::size_t i = 0; i < echoed.size(); ++i) {
    ASSERT_EQ(echoed[i], static_cast<char>('A' + (i / 100) % 26)) << "byte " << i;
  }
  ASSERT_TRUE(h.waitIdle(100ms));
  EXPECT_GE(h.countReady(fd, from, EPOLLOUT), 1u);
}

}  // namespace
}  // namespace eps::testing
