// LT re-reports a partial read; ET strands the rest until the next wakeup (EPOLL-FACTS §2.1,
// §2.2). Real kernel, real loopback sockets.
#include "tests/core/engine/engine_fixture.hpp"

#include <sys/epoll.h>

#include <cerrno>

namespace eps::testing {
namespace {

Knobs readOnce100(Trigger trigger) {
  Knobs knobs;
  knobs.connTrigger = trigger;
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 100;
  return knobs;
}

TEST(EngineRead, LevelTriggeredReportsAPartialReadUntilTheDataIsGone) {
  EngineHarness h(readOnce100(Trigger::Level));
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(200ms));
  const std::size_t from = h.mark();
  client.sendPattern(4096);
  ASSERT_TRUE(h.waitIdle(300ms));
  EXPECT_EQ(h.countReady(fd, from), 41u) << "40 reads of 100 bytes and one of 96";
  const auto reads = h.callsOf(Call::Read, fd, from);
  ASSERT_EQ(reads.size(), 41u);
  EXPECT_EQ(reads.back().ret, 96);
  EXPECT_EQ(h.recvQueue(fd), 0);
  EXPECT_EQ(client.receive(4096).size(), 4096u) << "every byte echoed";
  EXPECT_TRUE(h.ofKind(EventKind::Stranded, from).empty());
}

TEST(EngineRead, EdgeTriggeredStrandsTheRestOfAPartialRead) {
  EngineHarness h(readOnce100(Trigger::Edge));
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(200ms));
  std::size_t from = h.mark();
  client.sendPattern(4096);
  ASSERT_TRUE(h.waitIdle(300ms));
  EXPECT_EQ(h.countReady(fd, from), 1u) << "one wakeup, then epoll_wait sleeps";
  EXPECT_EQ(h.countCalls(Call::Read, fd, from), 1u);
  ASSERT_TRUE(waitUntil([&] { return h.recvQueue(fd) == 3996; }));
  const auto stranded = h.ofKind(EventKind::Stranded, from);
  ASSERT_FALSE(stranded.empty()) << "a stranded diagnosis is recorded before the engine sleeps";
  EXPECT_EQ(stranded.back().fd, fd);
  EXPECT_EQ(stranded.back().a, 3996);
  // The last call before the diagnosis is the read; the engine then sleeps in epoll_wait.
  EXPECT_EQ(h.engine().status().pendingCall, Call::EpollWait);
  EXPECT_EQ(client.receive(100), std::string(100, 'A'));

  // One more byte: exactly one wakeup, and the read returns the OLD bytes 100..199.
  from = h.mark();
  client.send("!");
  ASSERT_TRUE(h.waitIdle(300ms));
  EXPECT_EQ(h.countReady(fd, from), 1u);
  ASSERT_EQ(h.countCalls(Call::Read, fd, from), 1u);
  EXPECT_EQ(h.callsOf(Call::Read, fd, from)[0].ret, 100);
  EXPECT_EQ(client.receive(100), std::string(100, 'B')) << "old data first: nothing lost";
  ASSERT_TRUE(waitUntil([&] { return h.recvQueue(fd) == 3897; }));
  ASSERT_FALSE(h.ofKind(EventKind::Stranded, from).empty());
  EXPECT_EQ(h.ofKind(EventKind::Stranded, from).back().a, 3897);

  // Switching to LT re-registers with EPOLL_CTL_MOD; the MOD re-polls and the wakeups return.
  from = h.mark();
  h.setKnobs([](Knobs& k) {
    k.connTrigger = Trigger::Level;
    k.read = ReadPolicy::Drain;
  });
  ASSERT_TRUE(h.waitIdle(300ms));
  const auto mods = h.callsOf(Call::EpollCtl, fd, from);
  ASSERT_FALSE(mods.empty());
  EXPECT_EQ(mods[0].op, EPOLL_CTL_MOD);
  EXPECT_EQ(mods[0].events & EPOLLET, 0u);
  EXPECT_GE(h.countReady(fd, from), 1u);
  const auto reads = h.callsOf(Call::Read, fd, from);
  ASSERT_FALSE(reads.empty());
  EXPECT_EQ(reads.back().ret, -1);
  EXPECT_EQ(reads.back().err, EAGAIN) << "drained until EAGAIN";
  EXPECT_EQ(h.recvQueue(fd), 0);
  EXPECT_EQ(client.receive(3897).size(), 3897u) << "every byte echoed in the end";
}

TEST(EngineRead, AnEdgeTriggeredModOfTheSameMaskAlsoBringsTheWakeupBack) {
  EngineHarness h(readOnce100(Trigger::Edge));
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  client.sendPattern(400);
  ASSERT_TRUE(h.waitIdle(300ms));
  ASSERT_TRUE(waitUntil([&] { return h.recvQueue(fd) == 300; }));
  const std::size_t from = h.mark();
  // Toggle rdhup on: a MOD that keeps EPOLLET. It re-polls, so one more report arrives.
  h.setKnobs([](Knobs& k) { k.rdhup = true; });
  ASSERT_TRUE(h.waitIdle(300ms));
  EXPECT_EQ(h.countReady(fd, from), 1u);
  EXPECT_EQ(h.countCalls(Call::Read, fd, from), 1u);
  EXPECT_EQ(h.recvQueue(fd), 200);
}

TEST(EngineRead, DrainingUntilEagainNeverStrands) {
  Knobs knobs = readOnce100(Trigger::Edge);
  knobs.read = ReadPolicy::Drain;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  const std::size_t from = h.mark();
  client.sendPattern(4096);
  ASSERT_TRUE(h.waitIdle(300ms));
  EXPECT_EQ(h.countReady(fd, from), 1u);
  const auto reads = h.callsOf(Call::Read, fd, from);
  ASSERT_EQ(reads.size(), 42u) << "41 reads with data, then EAGAIN";
  EXPECT_EQ(reads.back().err, EAGAIN);
  EXPECT_TRUE(h.ofKind(EventKind::Stranded, from).empty());
  EXPECT_EQ(client.receive(4096).size(), 4096u);
}

}  // namespace
}  // namespace eps::testing
