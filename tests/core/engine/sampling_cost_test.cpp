// What observing costs the engine: a socket it merely used is sampled at most once per
// kSampleIntervalNs on the engine thread, so an echo at full speed pays no probe per message;
// a socket whose bytes may be stranded is still judged before every epoll_wait. And the
// untraced run (the echo benchmark's baseline) records and probes nothing.
#include <map>

#include "core/base/kernel_probe.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

Knobs edgeTriggeredDrain() {
  Knobs knobs;
  knobs.connTrigger = Trigger::Edge;
  knobs.listenTrigger = Trigger::Edge;
  knobs.read = ReadPolicy::Drain;
  return knobs;
}

// Ping-pong of `messages` 64-byte messages on one connection, every byte checked.
void pingPong(int port, int messages) {
  RawClient client(port);
  for (int i = 0; i < messages; ++i) {
    std::string message(64, static_cast<char>('a' + i % 26));
    client.send(message);
    ASSERT_EQ(client.receive(message.size()), message) << "message " << i;
  }
}

bool byEngineThread(const TraceEvent& event) {
  return event.actor == Actor::Engine && event.thread == 0 &&
         (event.flags & kEventSamplerThread) == 0;
}

TEST(SamplingCost, AConnectionTheEngineUsedIsSampledAtMostOncePerInterval) {
  EngineHarness harness(edgeTriggeredDrain());
  constexpr int kMessages = 400;
  pingPong(harness.port(), kMessages);
  ASSERT_TRUE(harness.waitIdle(100ms));
  harness.drain();
  std::map<int, std::int64_t> lastSampleNs;
  std::size_t samples = 0;
  std::size_t reads = 0;
  for (const TraceEvent& event : harness.events()) {
    if (event.kind == EventKind::Call && event.call == Call::Read && event.ret > 0) ++reads;
    if (event.kind != EventKind::Sample || !byEngineThread(event)) continue;
    if (event.op != static_cast<std::uint8_t>(SampleOf::Socket)) continue;
    ++samples;
    const auto previous = lastSampleNs.find(event.fd);
    if (previous != lastSampleNs.end()) {
      // Read until EAGAIN under ET: never a stranding candidate, so never sampled early.
      EXPECT_GE(event.tNs - previous->second, kSampleIntervalNs)
          << "fd " << event.fd << " sampled twice within the interval";
    }
    lastSampleNs[event.fd] = event.tNs;
  }
  EXPECT_GE(reads, static_cast<std::size_t>(kMessages));
  EXPECT_LT(samples, reads) << "a probe per message";
}

// Read once under ET leaves bytes behind: the stranded diagnosis needs a fresh look before
// every epoll_wait, interval or not.
TEST(SamplingCost, AStrandingCandidateIsJudgedBeforeEveryWait) {
  Knobs knobs = edgeTriggeredDrain();
  knobs.read = ReadPolicy::Once;
  knobs.readChunk = 100;
  EngineHarness harness(knobs);
  RawClient client(harness.port());
  const int fd = harness.waitAccepted(1).front();
  const std::size_t from = harness.mark();
  client.sendPattern(1000);
  ASSERT_TRUE(waitUntil([&] {
    harness.drain();
    return !harness.ofKind(EventKind::Stranded, from).empty();
  })) << "the stranded bytes were not diagnosed";
  ASSERT_TRUE(harness.waitIdle(100ms));
  harness.drain();
  // Each epoll_wait after the read is preceded by a sample of the socket.
  bool sawRead = false;
  bool sampledSinceRead = false;
  for (std::size_t i = from; i < harness.events().size(); ++i) {
    const TraceEvent& event = harness.events()[i];
    if (!byEngineThread(event)) continue;
    if (event.kind == EventKind::Sample && event.fd == fd) sampledSinceRead = true;
    if (event.kind == EventKind::Call && event.call == Call::Read && event.fd == fd) {
      sawRead = true;
      sampledSinceRead = false;
    }
    if (event.kind == EventKind::Call && event.call == Call::EpollWait && sawRead) {
      EXPECT_TRUE(sampledSinceRead) << "epoll_wait at seq " << event.seq << " without a look";
    }
  }
  EXPECT_TRUE(sawRead);
}

TEST(SamplingCost, AnUntracedRunEchoesAndRecordsNoCallOrSample) {
  EngineOptions options;
  options.knobs = edgeTriggeredDrain();
  options.untraced = true;
  EngineHarness harness(options);
  pingPong(harness.port(), 50);
  ASSERT_TRUE(waitUntil([&] { return harness.engine().status().callsMade > 50; }));
  harness.drain();
  for (const TraceEvent& event : harness.events()) {
    EXPECT_NE(event.kind, EventKind::Call) << "call " << static_cast<int>(event.call);
    EXPECT_NE(event.kind, EventKind::Sample);
    EXPECT_NE(event.kind, EventKind::Ready);
  }
  EXPECT_EQ(harness.payloads().size(), 0u);
}

}  // namespace
}  // namespace eps::testing
