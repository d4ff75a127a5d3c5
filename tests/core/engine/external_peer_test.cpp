// A real external client in class: `nc` (or socat) as a child process connects to an
// in-process engine, types a line, and gets it back. The trace must name the connection by
// nc's own port (read independently from /proc), keep the typed bytes beside the read, and
// show them in the event text.
#include <algorithm>

#include "core/trace/event_text.hpp"
#include "core/trace/lanes.hpp"
#include "tests/core/engine/engine_fixture.hpp"
#include "tests/helpers/peer_process.hpp"

namespace eps::testing {
namespace {

const std::string kTyped = "hello from nc\n";

TEST(ExternalPeer, NcIsEchoedNamedByItsPortAndItsTextIsInTheEventLine) {
  EngineHarness harness(Knobs{});
  const auto command = peerCommand(harness.port());
  if (!command) GTEST_SKIP() << "neither nc nor socat is installed: no external peer to run";
  PeerProcess nc(*command);
  ASSERT_TRUE(nc.started()) << (*command)[0];
  ASSERT_TRUE(nc.type(kTyped));
  const std::string echo = nc.readEcho(kTyped.size(), 10000ms);
  ASSERT_EQ(echo, kTyped) << "every byte echoed, in order";
  const int ncPort = nc.localPortTo(harness.port());
  ASSERT_NE(ncPort, 0) << "nc's connection found in /proc/net/tcp";

  // nc -N shuts down its write side at end of input: the engine reads 0 and closes.
  nc.closeStdin();
  ASSERT_TRUE(nc.waitExit(10000ms).has_value()) << "nc ends once the engine closes";
  ASSERT_TRUE(harness.waitIdle(300ms));

  const auto& events = harness.drain();
  LaneTracker lanes;
  std::optional<std::uint32_t> ncLane;
  std::optional<TraceEvent> dataRead;
  for (const TraceEvent& e : events) {
    const std::uint32_t lane = lanes.assign(e);
    if (e.kind == EventKind::Call && e.call == Call::Accept4 && e.ret >= 0 && e.a == ncPort) {
      ncLane = lanes.openLaneOf(static_cast<int>(e.ret));
    }
    if (ncLane && lane == *ncLane && e.kind == EventKind::Call && e.call == Call::Read &&
        e.ret > 0) {
      dataRead = e;
    }
  }
  ASSERT_TRUE(ncLane.has_value()) << "accept4 returned nc's connection, peer :" << ncPort;
  const LaneInfo& info = lanes.lanes()[*ncLane];
  EXPECT_TRUE(info.external);
  EXPECT_EQ(info.peerPort, ncPort);
  const std::string label =
      "fd " + std::to_string(info.fd) + " \u2190 external :" + std::to_string(ncPort);
  EXPECT_EQ(info.name, label);

  ASSERT_TRUE(dataRead.has_value()) << "a read on nc's lane returned data";
  EXPECT_EQ(dataRead->ret, static_cast<std::int64_t>(kTyped.size()));
  const auto kept = harness.payloads().find(dataRead->seq);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(*kept, kTyped);
  EXPECT_EQ(eventLine(*dataRead, &harness.payloads()), "read(" + std::to_string(info.fd) + ", " +
                                                           std::to_string(dataRead->a) +
                                                           ") = 14 \"hello from nc\\n\"");
}

}  // namespace
}  // namespace eps::testing
