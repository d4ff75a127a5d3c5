// ET listener with one accept per wakeup strands connections; accept until EAGAIN does not
// (EPOLL-FACTS §2.3). EMFILE: LT spins, ET stalls, the idle-fd trick sheds (§2.9).
#include "tests/core/engine/engine_fixture.hpp"

#include <sys/resource.h>

#include <cerrno>
#include <memory>

namespace eps::testing {
namespace {

Knobs etListener(AcceptPolicy accept) {
  Knobs knobs;
  knobs.listenTrigger = Trigger::Edge;
  knobs.accept = accept;
  return knobs;
}

int listenerFd(EngineHarness& h) {
  for (const SocketView& view : h.engine().sockets()) {
    if (view.listener) return view.fd;
  }
  return -1;
}

std::int64_t acceptQueue(EngineHarness& h) {
  for (const SocketView& view : h.engine().sockets()) {
    if (view.listener) return view.recvQueue;
  }
  return -1;
}

TEST(EngineAccept, OneAcceptPerEdgeWakeupStrandsTheRestOfTheBacklog) {
  EngineHarness h(etListener(AcceptPolicy::Once), /*startPaused=*/true);
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(std::make_unique<RawClient>(h.port()));
  const std::size_t from = h.mark();
  h.engine().stepWakeup();  // epoll_wait reports the listener once; one accept4
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  h.engine().run();
  ASSERT_TRUE(h.waitIdle(300ms));
  const int lfd = listenerFd(h);
  EXPECT_EQ(h.countReady(lfd, from), 1u);
  EXPECT_EQ(h.countCalls(Call::Accept4, lfd, from), 1u);
  EXPECT_TRUE(waitUntil([&] { return acceptQueue(h) == 4; })) << "4 connections wait";
  const auto stranded = h.ofKind(EventKind::Stranded, from);
  ASSERT_FALSE(stranded.empty());
  EXPECT_EQ(stranded.back().a, 4);
  EXPECT_EQ(stranded.back().op, static_cast<std::uint8_t>(StrandedWhat::Connections));

  // A sixth connection re-triggers the listener, but accept4 takes the OLDEST: client 2.
  const std::size_t before6 = h.mark();
  clients.push_back(std::make_unique<RawClient>(h.port()));
  ASSERT_TRUE(h.waitIdle(300ms));
  const auto accepts = h.callsOf(Call::Accept4, lfd, before6);
  ASSERT_EQ(accepts.size(), 1u);
  EXPECT_EQ(accepts[0].a, clients[1]->localPort()) << "FIFO: the second client, not the sixth";
  EXPECT_TRUE(waitUntil([&] { return acceptQueue(h) == 4; })) << "the backlog never shrinks";
}

TEST(EngineAccept, AcceptUntilEagainTakesTheWholeBacklog) {
  EngineHarness h(etListener(AcceptPolicy::Drain), /*startPaused=*/true);
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(std::make_unique<RawClient>(h.port()));
  const std::size_t from = h.mark();
  h.engine().run();
  ASSERT_TRUE(h.waitIdle(300ms));
  const auto accepts = h.callsOf(Call::Accept4, listenerFd(h), from);
  ASSERT_EQ(accepts.size(), 6u);
  EXPECT_EQ(accepts.back().ret, -1);
  EXPECT_EQ(accepts.back().err, EAGAIN);
  EXPECT_TRUE(waitUntil([&] { return acceptQueue(h) == 0; }));
  EXPECT_TRUE(h.ofKind(EventKind::Stranded, from).empty());
}

// The engine's fd limit drops to what its own descriptor table holds, so its next accept4 has
// no descriptor to return; the test's client socket is in the process's table and unaffected.
struct EmfileRun {
  std::size_t wakeups = 0;
  std::size_t emfiles = 0;
  std::size_t busy = 0;
  std::size_t busyElsewhere = 0;  // busy diagnoses naming another socket than the listener
  std::int64_t backlog = -1;
  bool clientSawEof = false;
};

EmfileRun runOutOfDescriptors(const Knobs& knobs) {
  EngineHarness h(knobs, /*startPaused=*/true);
  EXPECT_TRUE(h.engine().waitPaused(5000ms));
  RawClient client(h.port());
  h.engine().allowMoreFds(0);
  EXPECT_TRUE(h.engine().waitApplied(5000ms));
  EmfileRun run;
  for (const TraceEvent& e : h.drain()) {
    if (e.kind == EventKind::Config && e.op == static_cast<std::uint8_t>(KnobId::FdLimit) &&
        e.ret != 0) {
      return run;  // the kernel refused the engine a table of its own: the caller skips
    }
  }
  const std::size_t from = h.mark();
  h.engine().run();
  h.waitIdle(300ms, 1500ms);  // LT never goes idle: it spins; the bound ends the wait
  h.engine().pause();
  h.engine().waitPaused(5000ms);
  h.drain();
  const int lfd = listenerFd(h);
  run.wakeups = h.countReady(lfd, from);
  for (const TraceEvent& e : h.callsOf(Call::Accept4, lfd, from)) {
    if (e.err == EMFILE) ++run.emfiles;
  }
  for (const TraceEvent& e : h.ofKind(EventKind::Busy, from)) {
    ++run.busy;
    if (e.fd != lfd) ++run.busyElsewhere;
  }
  run.backlog = acceptQueue(h);
  if (knobs.idleFd) run.clientSawEof = client.waitEof(5000ms);
  h.setKnobs([](Knobs& k) { k.fdLimit = 0; });
  return run;
}

EmfileRun runOutOfDescriptors(Trigger trigger, bool idleFd) {
  Knobs knobs;
  knobs.listenTrigger = trigger;
  knobs.idleFd = idleFd;
  return runOutOfDescriptors(knobs);
}

TEST(EngineEmfileTest, LevelTriggeredSpinsOnEmfile) {
  const EmfileRun run = runOutOfDescriptors(Trigger::Level, false);
  if (run.wakeups == 0) GTEST_SKIP() << "unshare(CLONE_FILES) refused on this machine";
  EXPECT_GE(run.emfiles, 1000u) << "LT reports the queued connection on every call";
  EXPECT_GE(run.busy, 1u) << "busy diagnosed";
  EXPECT_EQ(run.busyElsewhere, 0u) << "the listener is the socket that keeps waking the engine";
  EXPECT_EQ(run.backlog, 1);
}

TEST(EngineEmfileTest, EdgeTriggeredStallsOnEmfile) {
  const EmfileRun run = runOutOfDescriptors(Trigger::Edge, false);
  if (run.wakeups == 0) GTEST_SKIP() << "unshare(CLONE_FILES) refused on this machine";
  EXPECT_EQ(run.wakeups, 1u);
  EXPECT_EQ(run.emfiles, 1u);
  EXPECT_EQ(run.backlog, 1) << "the connection is stranded in the backlog";
}

TEST(EngineEmfileTest, TheIdleFdTrickAcceptsAndClosesTheConnection) {
  for (const Trigger trigger : {Trigger::Level, Trigger::Edge}) {
    const EmfileRun run = runOutOfDescriptors(trigger, true);
    if (run.wakeups == 0) GTEST_SKIP() << "unshare(CLONE_FILES) refused on this machine";
    EXPECT_EQ(run.wakeups, 1u);
    EXPECT_EQ(run.backlog, 0);
    EXPECT_TRUE(run.clientSawEof) << "the client is told (EOF) instead of waiting forever";
  }
}

// The default knobs are the correct server: at the descriptor limit it sheds the connection
// (the client sees EOF) instead of spinning on EMFILE; the spin is a lesson's explicit mistake.
TEST(EngineEmfileTest, TheDefaultKnobsShedAtTheDescriptorLimit) {
  const EmfileRun run = runOutOfDescriptors(Knobs{});
  if (run.wakeups == 0) GTEST_SKIP() << "unshare(CLONE_FILES) refused on this machine";
  EXPECT_LE(run.emfiles, 2u) << "no EMFILE loop with the default knobs";
  EXPECT_EQ(run.busy, 0u);
  EXPECT_EQ(run.backlog, 0);
  EXPECT_TRUE(run.clientSawEof) << "the client is told (EOF) instead of waiting forever";
}

}  // namespace
}  // namespace eps::testing
