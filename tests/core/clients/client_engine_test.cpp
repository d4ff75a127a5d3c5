// The built-in clients against the real engine, where the two meet: a connection the engine
// resets, and actions on ids the driver never handed out (the window's Reset replaces it).
#include <algorithm>

#include "core/clients/driver.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

// The engine closes a connection whose bytes it never read: the kernel answers with an RST
// (tcp(7); EPOLL-FACTS §2.7), and the client's next read fails with ECONNRESET.
TEST(ClientsAgainstEngine, AConnectionTheEngineResetIsNotShownOpen) {
  EngineHarness h(Knobs{});
  ClientDriver clients(h.recorder(), static_cast<std::uint16_t>(h.port()));
  const int id = clients.connect();
  ASSERT_TRUE(clients.waitConnected(id, 5000ms));
  const int fd = h.waitAccepted(1).at(0);
  h.engine().pause();
  ASSERT_TRUE(h.engine().waitPaused(5000ms));
  clients.send(id, 100);
  ASSERT_TRUE(clients.waitSettled(5000ms));
  ASSERT_TRUE(waitUntil([&] { return h.recvQueue(fd) == 100; })) << "unread in the engine";
  h.engine().stop();  // the engine closes fd with 100 bytes unread
  ASSERT_TRUE(clients.waitStats(
      id, [](const ClientStats& s) { return s.resetByPeer || s.eof; }, 5000ms));
  const ClientStats s = clients.stats(id);
  EXPECT_TRUE(s.resetByPeer) << "closing with unread data sends an RST, not a FIN";
  EXPECT_EQ(s.brokenBy, ECONNRESET);
  EXPECT_EQ(clientStateText(s), "reset by peer");
  EXPECT_EQ(lostBytes(s), 100u) << "nothing sent can come back now";
}

TEST(ClientsAgainstEngine, AnotherFailureIsNamedByItsErrno) {
  ClientStats s;
  s.connected = true;
  s.sent = 10;
  EXPECT_EQ(clientStateText(s), "open");
  EXPECT_EQ(lostBytes(s), 0u) << "still open: the echo may yet come";
  s.brokenBy = EPIPE;
  EXPECT_EQ(clientStateText(s), "error EPIPE");
  EXPECT_EQ(lostBytes(s), 10u);
  s.closed = true;
  EXPECT_EQ(clientStateText(s), "closed");
}

// A caller holding an id of a driver replaced since: the action is refused without a trace
// (an EBADF would open a lane for a client that never existed here).
TEST(ClientsAgainstEngine, AnUnknownIdIsRefusedWithoutRecordingAnything) {
  EngineHarness h(Knobs{});
  ClientDriver clients(h.recorder(), static_cast<std::uint16_t>(h.port()));
  constexpr int kGhost = 7;
  clients.send(kGhost, 4096);
  clients.close(kGhost);
  const int id = clients.connect();  // a real one, queued after: it proves the ghost's ran
  ASSERT_TRUE(clients.waitConnected(id, 5000ms));
  ASSERT_TRUE(clients.waitSettled(5000ms));
  const std::vector<TraceEvent>& events = h.drain();
  const auto ghost = std::count_if(events.begin(), events.end(), [](const TraceEvent& e) {
    return e.actor == Actor::Clients && e.conn == static_cast<std::uint32_t>(kGhost);
  });
  EXPECT_EQ(ghost, 0) << "nothing recorded for an id the driver never handed out";
  const auto errors = std::count_if(events.begin(), events.end(), [](const TraceEvent& e) {
    return e.kind == EventKind::ClientAction && static_cast<ClientOp>(e.op) == ClientOp::Error;
  });
  EXPECT_EQ(errors, 0);
  const auto all = clients.allStats();
  ASSERT_EQ(all.size(), 1u) << "the ghost is not listed";
  EXPECT_EQ(all[0].id, id);
}

}  // namespace
}  // namespace eps::testing
