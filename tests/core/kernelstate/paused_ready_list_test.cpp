// The ready list rebuilt from the trace of a paused engine, against the real kernel: the
// paused engine looks at its ready list (a ReadyList sample) as it stops and while it waits,
// so the rebuilt list follows what the kernel does meanwhile, and what a stepped wakeup left.
#include <sys/epoll.h>

#include "core/kernelstate/replay.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

// The replayed state once `holds` is true of it (samples land in the trace as the paused
// engine takes them); the last state replayed otherwise.
KernelState replayUntil(EngineHarness& h, const std::function<bool(const KernelState&)>& holds) {
  KernelState state;
  waitUntil([&] {
    h.drain();
    state = replayTo(h.events(), h.events().size());
    return holds(state);
  }, 5000ms);
  return state;
}

// The engine's last ReadyList sample: did poll(epfd) find a wakeup due (-1: none taken).
int lastDue(const EngineHarness& h) {
  int due = -1;
  for (const TraceEvent& e : h.events()) {
    if (e.kind == EventKind::Sample && static_cast<SampleOf>(e.op) == SampleOf::ReadyList) {
      due = e.events != 0 ? 1 : 0;
    }
  }
  return due;
}

Knobs oneRead(Trigger trigger, ReadPolicy read) {
  Knobs knobs;
  knobs.connTrigger = trigger;
  knobs.read = read;
  knobs.readChunk = 3;
  return knobs;
}

// Bytes that arrive while the engine is paused put a level-triggered socket on the ready
// list, although no epoll_wait has run since: the kernel's callback appended it.
TEST(PausedReadyList, BytesArrivingWhilePausedPutALevelSocketOnTheList) {
  EngineHarness h(oneRead(Trigger::Level, ReadPolicy::Once));
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  client.send("0123456789");
  const KernelState state = replayUntil(h, [fd](const KernelState& s) {
    return s.socket(fd) != nullptr && s.socket(fd)->queues.recv == 10 && s.onReadyList(fd);
  });
  EXPECT_TRUE(state.onReadyList(fd)) << "10 bytes arrived on an LT socket while paused";
  EXPECT_EQ(lastDue(h), 1) << "poll(epfd) finds a wakeup due";
}

// A stepped wakeup in LT that reads part of the bytes: the report put the socket back on the
// list and poll(epfd) says so; a drained one leaves the list at that poll.
TEST(PausedReadyList, AStepInLevelModeLeavesAPartlyReadSocketOnTheListAndADrainedOneOff) {
  EngineHarness h(oneRead(Trigger::Level, ReadPolicy::Once), /*startPaused=*/true);
  RawClient client(h.port());
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  h.engine().stepWakeup();  // the accept
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  const int fd = h.waitAccepted(1).at(0);
  client.send("0123456789");
  h.engine().stepWakeup();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  KernelState state = replayUntil(h, [fd](const KernelState& s) {
    return s.socket(fd) != nullptr && s.socket(fd)->queues.recv == 7;
  });
  EXPECT_TRUE(state.onReadyList(fd)) << "LT, 7 bytes left: back on the list";
  EXPECT_EQ(lastDue(h), 1);
  h.setKnobs([](Knobs& k) { k.read = ReadPolicy::Drain; });
  h.engine().stepWakeup();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  state = replayUntil(h, [fd](const KernelState& s) {
    return s.socket(fd) != nullptr && s.socket(fd)->queues.recv == 0 && !s.onReadyList(fd);
  });
  EXPECT_FALSE(state.onReadyList(fd)) << "drained: poll(epfd) dropped the stale LT item";
  EXPECT_EQ(lastDue(h), 0);
}

// The same partial read in ET: the socket is off the list with bytes waiting.
TEST(PausedReadyList, AStepInEdgeModeLeavesAPartlyReadSocketOffTheList) {
  EngineHarness h(oneRead(Trigger::Edge, ReadPolicy::Once), /*startPaused=*/true);
  RawClient client(h.port());
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  h.engine().stepWakeup();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  const int fd = h.waitAccepted(1).at(0);
  client.send("0123456789");
  h.engine().stepWakeup();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  const KernelState state = replayUntil(h, [fd](const KernelState& s) {
    return s.socket(fd) != nullptr && s.socket(fd)->queues.recv == 7;
  });
  EXPECT_FALSE(state.onReadyList(fd)) << "ET: reported once, off the list";
  EXPECT_EQ(lastDue(h), 0) << "nothing due although 7 bytes wait";
}

// A command sent to a paused engine (a knob, a step) reaches it on its condition variable:
// it leaves the engine's control eventfd unwritten, so nothing of the engine's own is due on
// its ready list while it is paused, and the wakeup it lets go reports the sockets only.
TEST(PausedReadyList, CommandsToAPausedEngineLeaveNothingOfItsOwnDue) {
  EngineHarness h(oneRead(Trigger::Level, ReadPolicy::Once), /*startPaused=*/true);
  RawClient client(h.port());
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  h.engine().stepWakeup();  // the accept
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  h.waitAccepted(1);
  h.engine().setKnob(KnobId::ReadChunk, 5);
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  const std::size_t from = h.mark();
  // The next paused look at the ready list, 50 ms on at most.
  ASSERT_TRUE(waitUntil([&] {
    h.drain();
    for (std::size_t i = from; i < h.events().size(); ++i) {
      const TraceEvent& e = h.events()[i];
      if (e.kind == EventKind::Sample && static_cast<SampleOf>(e.op) == SampleOf::ReadyList) {
        return true;
      }
    }
    return false;
  }));
  EXPECT_EQ(lastDue(h), 0) << "a knob set while paused made the control eventfd due";
  client.send("0123456789");
  const std::size_t beforeStep = h.mark();
  h.engine().stepWakeup();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  h.drain();
  const std::vector<TraceEvent> waits = h.callsOf(Call::EpollWait, -1, beforeStep);
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0].ret, 1) << "the stepped wakeup reports the socket, not the eventfd";
}

}  // namespace
}  // namespace eps::testing
