// The kernel state rebuilt from a trace against the engine's own view of the real kernel
// (Engine::sockets()) at the end of a settled run: queues, held bytes, ONESHOT arming,
// stranding; and the replay's checkpoints against a plain replay from the start.
#include <sys/epoll.h>

#include <random>

#include "core/kernelstate/replay.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

// Every connection the engine shows, as the replay of its trace rebuilds it; "" when they
// agree, else the first difference.
std::string compareWithEngine(const KernelState& state, const std::vector<SocketView>& views) {
  for (const SocketView& view : views) {
    const std::string at = "fd " + std::to_string(view.fd) + ": ";
    const SocketState* socket = state.socket(view.fd);
    if (socket == nullptr) return at + "missing";
    if (view.listener) continue;  // the listener is sampled only when something is queued
    if (!socket->queues.known) return at + "queues unknown";
    if (socket->queues.recv != view.recvQueue) {
      return at + "recv " + std::to_string(socket->queues.recv) + " vs " +
             std::to_string(view.recvQueue);
    }
    if (socket->queues.send != view.sendQueue) return at + "send queue differs";
    if (socket->held != static_cast<std::int64_t>(view.heldBytes)) return at + "held differs";
    const InterestEntry* interest = state.interestOf(view.fd);
    if (interest == nullptr || interest->mask != view.interest) return at + "interest differs";
    if (interest->armed != view.armed) return at + "armed differs";
    const DiagnosisState* stranded = state.strandedAt(view.fd);
    if ((stranded ? stranded->count : 0) != view.stranded) return at + "stranded differs";
  }
  return "";
}

// Waits until the trace's replay matches the engine's view (samples land in the trace as the
// view changes; the wait sampler may take one more look).
std::string settle(EngineHarness& h, KernelState& state) {
  std::string difference;
  waitUntil([&] {
    h.drain();
    state = replayTo(h.events(), h.events().size());
    difference = compareWithEngine(state, h.engine().sockets());
    return difference.empty();
  });
  return difference;
}

TEST(KernelReplay, EdgeTriggeredOneReadLeavesTheStrandedBytesTheEngineSees) {
  Knobs knobs;
  knobs.connTrigger = Trigger::Edge;
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 3;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  client.send("0123456789");
  ASSERT_EQ(client.receive(3), "012");
  ASSERT_TRUE(waitUntil([&] {
    const SocketView* view = h.socket(fd);
    return view != nullptr && view->stranded == 7;
  }));
  KernelState state;
  EXPECT_EQ(settle(h, state), "");
  ASSERT_NE(state.socket(fd), nullptr);
  EXPECT_EQ(state.socket(fd)->queues.recv, 7);
  EXPECT_FALSE(state.onReadyList(fd)) << "the last wait did not return it: asleep";
  const InterestEntry* interest = state.interestOf(fd);
  ASSERT_NE(interest, nullptr);
  EXPECT_TRUE(interest->mask & EPOLLET);
  ASSERT_NE(state.strandedAt(fd), nullptr);
  EXPECT_EQ(state.strandedAt(fd)->count, 7);
  ASSERT_TRUE(state.positions.contains(0));
  EXPECT_EQ(positionText(state.positions.at(0), state.tNs), "asleep in epoll_wait (stranded)");
}

// LT puts a reported socket back on the ready list; the engine then reads it dry and sleeps,
// and its sleeping epoll_wait dropped the stale item. The wait sampler's look at the ready list
// says so, though no event of the engine does until the wait returns.
TEST(KernelReplay, ALevelSocketReadDryIsOffTheListWhileTheEngineSleeps) {
  Knobs knobs;
  knobs.read = ReadPolicy::Drain;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  client.send("0123456789");
  ASSERT_EQ(client.receive(10), "0123456789");
  ASSERT_TRUE(h.waitIdle(100ms));
  KernelState state;
  EXPECT_TRUE(waitUntil([&] {
    h.drain();
    state = replayTo(h.events(), h.events().size());
    return state.socket(fd) != nullptr && !state.onReadyList(fd);
  })) << "the LT entry of the last report stays on the rebuilt list";
  EXPECT_FALSE(state.onReadyList(fd));
}

TEST(KernelReplay, AOneshotWakeupDisarmsTheRegistrationUntilAMod) {
  Knobs knobs;
  knobs.oneshot = true;
  knobs.rearm = false;
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 3;
  EngineHarness h(knobs);
  RawClient client(h.port());
  const int fd = h.waitAccepted(1).at(0);
  ASSERT_TRUE(h.waitIdle(100ms));
  h.drain();
  const std::size_t before = h.events().size();
  ASSERT_TRUE(replayTo(h.events(), before).interestOf(fd)->armed) << "armed before any wakeup";
  client.send("0123456789");
  ASSERT_EQ(client.receive(3), "012");
  ASSERT_TRUE(waitUntil([&] { return h.socket(fd) != nullptr && !h.socket(fd)->armed; }));
  KernelState state;
  EXPECT_EQ(settle(h, state), "");
  ASSERT_NE(state.interestOf(fd), nullptr);
  EXPECT_TRUE(state.interestOf(fd)->mask & EPOLLONESHOT);
  EXPECT_FALSE(state.interestOf(fd)->armed) << "the wakeup that reported it disarmed it";
  // Just before the Ready record that reported fd, it was still armed.
  const auto& events = h.events();
  std::size_t ready = before;
  while (ready < events.size() &&
         !(events[ready].kind == EventKind::Ready && events[ready].fd == fd)) {
    ++ready;
  }
  ASSERT_LT(ready, events.size());
  EXPECT_TRUE(replayTo(events, ready).interestOf(fd)->armed);
  EXPECT_FALSE(replayTo(events, ready + 1).interestOf(fd)->armed);
  // Fired: bytes that arrive now wake nobody, and join the stranded ones.
  ASSERT_NE(state.strandedAt(fd), nullptr);
  EXPECT_EQ(state.strandedAt(fd)->count, 7);
  client.send("abcde");
  ASSERT_TRUE(waitUntil([&] { return h.socket(fd) != nullptr && h.socket(fd)->stranded == 12; }));
  EXPECT_EQ(settle(h, state), "");
  ASSERT_NE(state.strandedAt(fd), nullptr);
  EXPECT_EQ(state.strandedAt(fd)->count, 12);
}

// An echo long enough for several checkpoints: every seek, in any order, equals the plain
// replay from the start; back then forward gives the same state; a step forward costs one
// event.
TEST(KernelReplay, SeeksInAnyOrderEqualAReplayFromTheStart) {
  EngineHarness h(Knobs{});
  RawClient client(h.port());
  h.waitAccepted(1);
  const std::string message(50, 'x');
  for (int i = 0; i < 6000 && h.drain().size() < 3 * KernelReplay::kCheckpointEvery; ++i) {
    client.send(message);
    ASSERT_EQ(client.receive(message.size()), message);
  }
  ASSERT_TRUE(h.waitIdle(100ms));
  const std::vector<TraceEvent> events = h.drain();
  ASSERT_GT(events.size(), 2 * KernelReplay::kCheckpointEvery);
  KernelReplay replay;
  replay.append(events);
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, events.size());
  for (int i = 0; i < 40; ++i) {
    const std::size_t at = pick(random);
    EXPECT_EQ(replay.seek(at), replayTo(events, at)) << "at " << at;
  }
  const std::size_t far = events.size() - 10;
  const KernelState forward = replay.seek(far);
  replay.seek(far / 3);
  EXPECT_EQ(replay.seek(far), forward) << "back then forward";
  const std::size_t work = replay.eventsApplied();
  replay.seek(far + 1);
  EXPECT_EQ(replay.eventsApplied(), work + 1) << "one step forward applies one event";
  // A step back restarts from the checkpoint below: at most kCheckpointEvery events.
  replay.seek(far);
  EXPECT_LE(replay.eventsApplied() - (work + 1), KernelReplay::kCheckpointEvery);
}

TEST(KernelReplay, CountAtTimeAndCallStepsFollowTheTrace) {
  std::vector<TraceEvent> events(4);
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].kind = EventKind::Call;
    events[i].call = Call::Read;
    events[i].fd = 5;
    events[i].tNs = 100 * static_cast<std::int64_t>(i + 1);
  }
  events[2].kind = EventKind::Sample;
  KernelReplay replay;
  replay.append(events);
  EXPECT_EQ(replay.countAt(50), 0u);
  EXPECT_EQ(replay.countAt(250), 2u);
  EXPECT_EQ(replay.countAt(1000), 4u);
  EXPECT_EQ(replay.nextCall(1), 3u) << "a sample is no call";
  EXPECT_EQ(replay.previousCall(3), 1u);
  EXPECT_EQ(replay.previousCall(0), KernelReplay::npos);
  EXPECT_EQ(replay.nextCall(KernelReplay::npos), 0u);
}

}  // namespace
}  // namespace eps::testing
