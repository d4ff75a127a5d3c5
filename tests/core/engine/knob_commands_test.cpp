// Knob changes travel as (knob, value): each is applied against the knobs in force when the
// engine takes it, so edits queued before the first is applied never revert each other.
#include <cerrno>

#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

std::vector<TraceEvent> configs(EngineHarness& h, std::size_t from) {
  h.drain();
  return h.ofKind(EventKind::Config, from);
}

std::uint8_t op(KnobId knob) {
  return static_cast<std::uint8_t>(knob);
}

TEST(EngineKnobCommands, TwoEditsQueuedWhilePausedBothTakeEffectInOrder) {
  EngineHarness h(Knobs{}, /*startPaused=*/true);
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  const std::size_t from = h.mark();
  h.engine().setKnob(KnobId::ReadChunk, 100);
  h.engine().setKnob(KnobId::ConnTrigger, static_cast<std::int64_t>(Trigger::Edge));
  const Knobs pending = h.engine().pendingKnobs();
  EXPECT_EQ(pending.readChunk, 100) << "what a panel shows while the edits wait";
  EXPECT_EQ(pending.connTrigger, Trigger::Edge);
  h.engine().run();
  ASSERT_TRUE(h.engine().waitApplied(5000ms));

  const Knobs applied = h.engine().knobs();
  EXPECT_EQ(applied.readChunk, 100);
  EXPECT_EQ(applied.connTrigger, Trigger::Edge);
  const auto changes = configs(h, from);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].op, op(KnobId::ReadChunk));
  EXPECT_EQ(changes[0].a, 100);
  EXPECT_EQ(changes[0].b, 4096);
  EXPECT_EQ(changes[1].op, op(KnobId::ConnTrigger));
  EXPECT_EQ(changes[1].a, static_cast<std::int64_t>(Trigger::Edge));
  EXPECT_EQ(h.engine().pendingKnobs(), applied);
}

// An engine inside a blocking read applies nothing until the call returns (block-timeout):
// the window in which two edits from a panel meet. The old panel copied the applied knobs,
// changed one field and sent the whole struct; the second copy still held the first knob's
// old value and put it back. One knob per command cannot.
struct BlockedEngine {
  BlockedEngine() : h(knobs()), client(h.port()) {
    h.waitAccepted(1);
    client.send("x");  // read 1 byte, then the next read blocks for block-timeout
    blocked = waitUntil([&] {
      const EngineStatus status = h.engine().status();
      return status.inCall && status.pendingCall == Call::Read;
    });
  }
  static Knobs knobs() {
    Knobs k;
    k.sockets = SocketMode::Blocking;
    k.blockTimeoutMs = 1500;
    return k;
  }
  EngineHarness h;
  RawClient client;
  bool blocked = false;
};

TEST(EngineKnobCommands, EditsQueuedBehindABlockedCallBothTakeEffect) {
  BlockedEngine e;
  ASSERT_TRUE(e.blocked) << "the engine blocks in read";
  const std::size_t from = e.h.mark();
  e.h.engine().setKnob(KnobId::ReadChunk, 100);
  e.h.engine().setKnob(KnobId::MaxEvents, 8);
  ASSERT_TRUE(e.h.engine().waitApplied(5000ms));
  EXPECT_EQ(e.h.engine().knobs().readChunk, 100);
  EXPECT_EQ(e.h.engine().knobs().maxEvents, 8);
  EXPECT_EQ(configs(e.h, from).size(), 2u);
}

TEST(EngineKnobCommands, AWholeStructFromAStaleCopyRevertsAnEditStillQueued) {
  BlockedEngine e;
  ASSERT_TRUE(e.blocked) << "the engine blocks in read";
  Knobs first = e.h.engine().knobs();  // the old panel: copy what is applied, change one
  first.readChunk = 100;
  e.h.engine().setKnobs(first);
  Knobs second = e.h.engine().knobs();  // still the applied knobs: readChunk 4096
  second.maxEvents = 8;
  e.h.engine().setKnobs(second);
  ASSERT_TRUE(e.h.engine().waitApplied(5000ms));
  EXPECT_EQ(e.h.engine().knobs().maxEvents, 8);
  EXPECT_EQ(e.h.engine().knobs().readChunk, 4096) << "the first edit was reverted";
}

TEST(EngineKnobCommands, AValueOutOfRangeIsRecordedAsRefused) {
  EngineHarness h(Knobs{});
  const std::size_t from = h.mark();
  h.engine().setKnob(KnobId::ReadChunk, 0);
  ASSERT_TRUE(h.engine().waitApplied(5000ms));
  const auto changes = configs(h, from);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].ret, -1);
  EXPECT_EQ(changes[0].err, EINVAL);
  EXPECT_EQ(h.engine().knobs().readChunk, 4096);
}

}  // namespace
}  // namespace eps::testing
