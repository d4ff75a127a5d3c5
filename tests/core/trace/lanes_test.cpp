// Lanes are the timeline's rows and the export's tracks: one per socket lifetime, one
// epoll_wait lane per engine thread, one per client, one for control.
#include "core/trace/lanes.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>

#include <cerrno>

namespace eps {
namespace {

// Builds events in sequence order, 1 µs apart, as the recorder would hand them out.
class Events {
 public:
  TraceEvent call(Call which, int fd, std::int64_t ret, std::int64_t a = 0, std::int64_t b = 0) {
    TraceEvent event = next(EventKind::Call);
    event.call = which;
    event.fd = fd;
    event.ret = ret;
    event.a = a;
    event.b = b;
    event.durNs = 500;
    return event;
  }
  TraceEvent of(EventKind kind, int fd = -1, std::uint8_t op = 0) {
    TraceEvent event = next(kind);
    event.fd = fd;
    event.op = op;
    return event;
  }
  TraceEvent client(ClientOp op, std::uint32_t id, int fd, std::int64_t localPort = 0) {
    TraceEvent event = next(EventKind::ClientAction);
    event.actor = Actor::Clients;
    event.op = static_cast<std::uint8_t>(op);
    event.conn = id;
    event.fd = fd;
    event.b = localPort;
    return event;
  }

 private:
  TraceEvent next(EventKind kind) {
    TraceEvent event;
    event.kind = kind;
    event.seq = ++seq_;
    event.tNs = 1'000'000 + static_cast<std::int64_t>(seq_) * 1000;
    return event;
  }
  std::uint64_t seq_ = 0;
};

TEST(Lanes, EngineStartupGivesEpollControlAndListenerLanes) {
  Events ev;
  LaneTracker tracker;
  const auto epoll = tracker.assign(ev.call(Call::EpollCreate1, -1, 4));
  const auto control = tracker.assign(ev.call(Call::Eventfd2, -1, 5));
  const auto sock = tracker.assign(ev.call(Call::Socket, -1, 3));
  EXPECT_EQ(tracker.assign(ev.call(Call::Bind, 3, 0)), sock);
  EXPECT_EQ(tracker.lanes()[sock].kind, LaneKind::Other);
  EXPECT_EQ(tracker.assign(ev.call(Call::Listen, 3, 0)), sock);
  EXPECT_EQ(tracker.assign(ev.call(Call::EpollCtl, 3, 0, 4)), sock);
  EXPECT_EQ(tracker.assign(ev.call(Call::EpollCtl, 5, 0, 4)), control);
  EXPECT_EQ(tracker.assign(ev.call(Call::EpollWait, 4, 1, 64, 1000)), epoll);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Ready, 3)), epoll);

  const auto& lanes = tracker.lanes();
  ASSERT_EQ(lanes.size(), 3u);
  EXPECT_EQ(lanes[epoll].kind, LaneKind::EpollWait);
  EXPECT_EQ(lanes[epoll].name, "epoll_wait");
  EXPECT_EQ(lanes[epoll].fd, 4);
  EXPECT_EQ(lanes[control].kind, LaneKind::Control);
  EXPECT_EQ(lanes[control].name, "control (eventfd 5)");
  EXPECT_EQ(tracker.controlLane(), control);
  EXPECT_EQ(lanes[sock].kind, LaneKind::Listener);
  EXPECT_EQ(lanes[sock].name, "listener fd 3");
  for (const LaneInfo& lane : lanes) EXPECT_EQ(lane.endNs, -1) << lane.name;
  // Knob changes, control and diagnoses without an fd (an import's inferred busy run) go to
  // the control lane.
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Config)), control);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Control)), control);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Busy)), control);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Step)), control);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Note)), control);
}

TEST(Lanes, AcceptOpensAConnectionAndCloseEndsIt) {
  Events ev;
  LaneTracker tracker;
  tracker.assign(ev.call(Call::Socket, -1, 3));
  const auto listener = tracker.assign(ev.call(Call::Listen, 3, 0));
  // accept4 is made on the listener; the connection's lane starts there.
  EXPECT_EQ(tracker.assign(ev.call(Call::Accept4, 3, 7, 43210)), listener);
  const auto conn = tracker.openLaneOf(7);
  ASSERT_NE(conn, LaneTracker::kNoLane);
  EXPECT_EQ(tracker.lanes()[conn].kind, LaneKind::Connection);
  // No built-in client has port 43210: an external peer (nc), named by its port.
  EXPECT_EQ(tracker.lanes()[conn].name, "fd 7 \u2190 external :43210");
  EXPECT_TRUE(tracker.lanes()[conn].external);
  EXPECT_EQ(tracker.lanes()[conn].peerPort, 43210);
  // A failed accept4 (EAGAIN) stays on the listener and opens nothing.
  TraceEvent again = ev.call(Call::Accept4, 3, -1);
  again.err = EAGAIN;
  EXPECT_EQ(tracker.assign(again), listener);
  EXPECT_EQ(tracker.lanes().size(), 2u);

  EXPECT_EQ(tracker.assign(ev.call(Call::EpollCtl, 7, 0, 4)), conn);
  EXPECT_EQ(tracker.assign(ev.call(Call::Read, 7, 5, 4096)), conn);
  EXPECT_EQ(tracker.assign(ev.call(Call::Write, 7, 5, 5)), conn);
  EXPECT_EQ(tracker.assign(ev.call(Call::Shutdown, 7, 0, 0, 1)), conn);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Sample, 7)), conn);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Stranded, 7)), conn);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Blocked, 7)), conn);
  const TraceEvent close = ev.call(Call::Close, 7, 0);
  EXPECT_EQ(tracker.assign(close), conn);
  EXPECT_EQ(tracker.lanes()[conn].endNs, close.tNs + close.durNs);
  ASSERT_EQ(tracker.endedByLastEvent().size(), 1u);
  EXPECT_EQ(tracker.endedByLastEvent()[0], conn);
  EXPECT_EQ(tracker.openLaneOf(7), LaneTracker::kNoLane);

  // The kernel reuses the number: a new lifetime, a new lane.
  tracker.assign(ev.call(Call::Accept4, 3, 7, 43300));
  const auto reused = tracker.openLaneOf(7);
  EXPECT_NE(reused, conn);
  EXPECT_EQ(tracker.lanes()[reused].peerPort, 43300);
  EXPECT_EQ(tracker.lanes()[reused].endNs, -1);
  EXPECT_TRUE(tracker.endedByLastEvent().empty());
}

// A busy run names the socket that keeps waking the engine: its label belongs on that lane
// (the idle connection with EPOLLOUT registered; the listener in the EMFILE loop).
TEST(Lanes, ABusyDiagnosisLandsOnTheLaneOfTheSocketItNames) {
  Events ev;
  LaneTracker tracker;
  tracker.assign(ev.call(Call::Eventfd2, -1, 5));
  tracker.assign(ev.call(Call::Socket, -1, 3));
  const auto listener = tracker.assign(ev.call(Call::Listen, 3, 0));
  tracker.assign(ev.call(Call::Accept4, 3, 7, 43210));
  const auto conn = tracker.openLaneOf(7);
  ASSERT_NE(conn, LaneTracker::kNoLane);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Busy, 7)), conn);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Busy, 3)), listener);
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Busy, -1)), tracker.controlLane());
  // A socket closed since has no lane to mark; no ghost lane is opened for its number.
  tracker.assign(ev.call(Call::Close, 7, 0));
  const std::size_t lanes = tracker.lanes().size();
  EXPECT_EQ(tracker.assign(ev.of(EventKind::Busy, 7)), tracker.controlLane());
  EXPECT_EQ(tracker.lanes().size(), lanes);
}

TEST(Lanes, AFailedCloseStillFreesTheNumber) {
  Events ev;
  LaneTracker tracker;
  tracker.assign(ev.call(Call::Accept4, 3, 8, 40000));
  const auto conn = tracker.openLaneOf(8);
  TraceEvent close = ev.call(Call::Close, 8, -1);
  close.err = EINTR;
  EXPECT_EQ(tracker.assign(close), conn);
  EXPECT_NE(tracker.lanes()[conn].endNs, -1);
  EXPECT_EQ(tracker.openLaneOf(8), LaneTracker::kNoLane);
}

TEST(Lanes, ReusedNumberWithoutACloseEndsTheOldLane) {
  Events ev;
  LaneTracker tracker;
  tracker.assign(ev.call(Call::Accept4, 3, 7, 40000));
  const auto first = tracker.openLaneOf(7);
  const TraceEvent second = ev.call(Call::Accept4, 3, 7, 40001);
  tracker.assign(second);
  EXPECT_NE(tracker.openLaneOf(7), first);
  EXPECT_EQ(tracker.lanes()[first].endNs, second.tNs);
  ASSERT_EQ(tracker.endedByLastEvent().size(), 1u);
  EXPECT_EQ(tracker.endedByLastEvent()[0], first);
}

TEST(Lanes, WorkersGetTheirOwnEpollWaitLane) {
  Events ev;
  LaneTracker tracker;
  const auto mainLane = tracker.assign(ev.call(Call::EpollCreate1, -1, 4));
  TraceEvent create = ev.call(Call::EpollCreate1, -1, 9);
  create.thread = 2;
  const auto worker = tracker.assign(create);
  TraceEvent wait = ev.call(Call::EpollWait, 9, 0, 16, 100);
  wait.thread = 2;
  EXPECT_EQ(tracker.assign(wait), worker);
  TraceEvent ready = ev.of(EventKind::Ready, 11);
  ready.thread = 2;
  EXPECT_EQ(tracker.assign(ready), worker);
  EXPECT_EQ(tracker.assign(ev.call(Call::EpollWait, 4, 0, 64, 100)), mainLane);
  EXPECT_NE(mainLane, worker);
  EXPECT_EQ(tracker.lanes()[worker].name, "epoll_wait (worker 2)");
  EXPECT_EQ(tracker.lanes()[worker].thread, 2);
  // Closing an epoll fd ends its lane; a new epoll instance gets a new one.
  tracker.assign(ev.call(Call::Close, 4, 0));
  EXPECT_NE(tracker.lanes()[mainLane].endNs, -1);
  EXPECT_NE(tracker.assign(ev.call(Call::EpollCreate1, -1, 4)), mainLane);
}

TEST(Lanes, MidRunTracesOpenLanesForUnknownFds) {
  Events ev;
  LaneTracker tracker;
  // No epoll_create1, eventfd2 or accept4 was seen: the lanes still come.
  const auto wait = tracker.assign(ev.call(Call::EpollWait, 4, 1, 64, -1));
  EXPECT_EQ(tracker.lanes()[wait].kind, LaneKind::EpollWait);
  const auto conn = tracker.assign(ev.call(Call::Read, 9, -1, 4096));
  EXPECT_EQ(tracker.lanes()[conn].kind, LaneKind::Connection);
  EXPECT_EQ(tracker.lanes()[conn].name, "fd 9");
  const auto listener =
      tracker.assign(ev.of(EventKind::Sample, 11, static_cast<std::uint8_t>(SampleOf::Listener)));
  EXPECT_EQ(tracker.lanes()[listener].kind, LaneKind::Listener);
  const auto other = tracker.assign(ev.call(Call::Bind, 12, 0));
  EXPECT_EQ(tracker.lanes()[other].kind, LaneKind::Other);
  // An fd-less Config opens an "engine" lane, which the first eventfd later adopts.
  const auto engine = tracker.assign(ev.of(EventKind::Config));
  EXPECT_EQ(tracker.lanes()[engine].name, "engine");
  EXPECT_EQ(tracker.assign(ev.call(Call::Eventfd2, -1, 6)), engine);
  EXPECT_EQ(tracker.lanes()[engine].name, "control (eventfd 6)");
  EXPECT_EQ(tracker.openLaneOf(6), engine);
  // Closing the epoll fd it adopted from epoll_wait ends that lane.
  tracker.assign(ev.call(Call::Close, 4, 0));
  EXPECT_NE(tracker.lanes()[wait].endNs, -1);
}

TEST(Lanes, OpenatGivesAnIdleFdLaneAndFdLaneFindsSockets) {
  Events ev;
  LaneTracker tracker;
  const auto idle = tracker.assign(ev.call(Call::Openat, -1, 10));
  EXPECT_EQ(tracker.lanes()[idle].kind, LaneKind::IdleFd);
  EXPECT_EQ(tracker.lanes()[idle].name, "idle fd 10");
  tracker.assign(ev.call(Call::Accept4, 3, 7, 40000));
  EXPECT_EQ(tracker.fdLane(ev.of(EventKind::Ready, 7)), tracker.openLaneOf(7));
  const auto fdless = tracker.fdLane(ev.of(EventKind::Ready, -1));
  EXPECT_EQ(fdless, tracker.controlLane());
  // Failed creations go to the control lane.
  TraceEvent failed = ev.call(Call::Openat, -1, -1);
  failed.err = EMFILE;
  EXPECT_EQ(tracker.assign(failed), tracker.controlLane());
}

TEST(Lanes, ClientsGetOneLaneEachWithTheirLocalPort) {
  Events ev;
  LaneTracker tracker;
  const auto c1 = tracker.assign(ev.client(ClientOp::Connect, 1, 20, 43210));
  const auto c2 = tracker.assign(ev.client(ClientOp::Connect, 2, 21, 43211));
  EXPECT_NE(c1, c2);
  TraceEvent data = ev.of(EventKind::ClientData);
  data.actor = Actor::Clients;
  data.conn = 1;
  EXPECT_EQ(tracker.assign(data), c1);
  EXPECT_EQ(tracker.assign(ev.client(ClientOp::Send, 1, 20)), c1);
  const LaneInfo& lane = tracker.lanes()[c1];
  EXPECT_EQ(lane.kind, LaneKind::Client);
  EXPECT_EQ(lane.name, "client 1");
  EXPECT_EQ(lane.client, 1u);
  EXPECT_EQ(lane.fd, 20);
  EXPECT_EQ(lane.localPort, 43210);
  EXPECT_EQ(lane.peerPort, 0);
  // Client fds share the process's numbers with the engine's but never its lanes.
  EXPECT_EQ(tracker.openLaneOf(20), LaneTracker::kNoLane);
  EXPECT_EQ(tracker.assign(ev.client(ClientOp::Close, 1, 20)), c1);
  EXPECT_NE(tracker.lanes()[c1].endNs, -1);
  EXPECT_EQ(tracker.lanes()[c2].endNs, -1);
}

TEST(Lanes, ManyLiveFdsAndHugeNumbersStayCheap) {
  Events ev;
  LaneTracker tracker;
  constexpr int kFds = 500;
  for (int fd = 10; fd < 10 + kFds; ++fd) tracker.assign(ev.call(Call::Accept4, 3, fd, 30000 + fd));
  for (int round = 0; round < 200; ++round) {
    for (int fd = 10; fd < 10 + kFds; ++fd) {
      ASSERT_EQ(tracker.assign(ev.call(Call::Read, fd, 1, 1)), tracker.openLaneOf(fd));
    }
  }
  EXPECT_EQ(tracker.lanes().size(), static_cast<std::size_t>(kFds) + 1);  // + the listener
  const auto big = tracker.assign(ev.call(Call::Read, 1'000'000, 1, 1));
  EXPECT_EQ(tracker.openLaneOf(1'000'000), big);
  tracker.assign(ev.call(Call::Close, 1'000'000, 0));
  EXPECT_EQ(tracker.openLaneOf(1'000'000), LaneTracker::kNoLane);
}

TEST(Lanes, ABuiltInClientsConnectionIsNotExternalWhicheverIsRecordedFirst) {
  Events ev;
  LaneTracker tracker;
  tracker.assign(ev.call(Call::Socket, -1, 3));
  tracker.assign(ev.call(Call::Listen, 3, 0));
  // Client 1 records its Connect first; client 2's Connect comes after the engine's accept4
  // (the client thread records once connect() returns; the engine may accept before that).
  tracker.assign(ev.client(ClientOp::Connect, 1, 20, 43210));
  tracker.assign(ev.call(Call::Accept4, 3, 7, 43210));
  tracker.assign(ev.call(Call::Accept4, 3, 8, 43211));
  const LaneInfo& second = tracker.lanes()[tracker.openLaneOf(8)];
  EXPECT_TRUE(second.external) << "no client claims :43211 yet";
  tracker.assign(ev.client(ClientOp::Connect, 2, 21, 43211));
  tracker.assign(ev.call(Call::Accept4, 3, 9, 50000));  // nc
  const LaneInfo& first = tracker.lanes()[tracker.openLaneOf(7)];
  EXPECT_FALSE(first.external);
  EXPECT_EQ(first.name, "fd 7 \u2190 :43210");
  EXPECT_FALSE(tracker.lanes()[tracker.openLaneOf(8)].external);
  EXPECT_EQ(tracker.lanes()[tracker.openLaneOf(8)].name, "fd 8 \u2190 :43211");
  const LaneInfo& nc = tracker.lanes()[tracker.openLaneOf(9)];
  EXPECT_TRUE(nc.external);
  EXPECT_EQ(nc.name, "fd 9 \u2190 external :50000");
}

TEST(Lanes, AClosedClientsPortNoLongerClaimsNewConnections) {
  Events ev;
  LaneTracker tracker;
  tracker.assign(ev.call(Call::Socket, -1, 3));
  tracker.assign(ev.call(Call::Listen, 3, 0));
  tracker.assign(ev.client(ClientOp::Connect, 1, 20, 43210));
  tracker.assign(ev.call(Call::Accept4, 3, 7, 43210));
  tracker.assign(ev.client(ClientOp::Close, 1, 20));
  tracker.assign(ev.call(Call::Close, 7, 0));
  // The kernel hands the port to nc later: that connection is external.
  tracker.assign(ev.call(Call::Accept4, 3, 7, 43210));
  EXPECT_TRUE(tracker.lanes()[tracker.openLaneOf(7)].external);
}

TEST(Lanes, ImportedConnectionsAreNeverCalledExternal) {
  Events ev;
  LaneTracker tracker;
  TraceEvent listen = ev.call(Call::Listen, 3, 0);
  listen.flags = kEventImported;
  tracker.assign(listen);
  TraceEvent accept = ev.call(Call::Accept4, 3, 7, 43210);
  accept.flags = kEventImported;
  tracker.assign(accept);
  // strace sees one process: whether a peer was "built in" is unknowable from a log.
  EXPECT_FALSE(tracker.lanes()[tracker.openLaneOf(7)].external);
  EXPECT_EQ(tracker.lanes()[tracker.openLaneOf(7)].name, "fd 7 \u2190 :43210");
}

}  // namespace
}  // namespace eps
