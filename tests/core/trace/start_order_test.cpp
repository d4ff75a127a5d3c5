// The event log's order: by start time, though events arrive as they complete. Unit tests of
// the merge, then a real engine and a built-in client: the log's times never run backwards,
// and a client's send is listed before the engine's read of those bytes.
#include "core/trace/start_order.hpp"

#include <algorithm>
#include <sstream>

#include "core/clients/driver.hpp"
#include "core/formats/export.hpp"
#include "tests/core/engine/engine_fixture.hpp"

namespace eps::testing {
namespace {

std::vector<std::uint64_t> idsOf(const StartOrder& order) {
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < order.size(); ++i) ids.push_back(order.idAt(i));
  return ids;
}

TEST(StartOrder, BatchesMergeByStartWhateverOrderTheyArriveIn) {
  StartOrder order;
  std::vector<StartOrder::Entry> batch{{100, 1}, {200, 2}, {300, 3}};
  order.insert(batch);
  EXPECT_TRUE(batch.empty()) << "the batch is consumed";
  // Completion order: a read (id 4, began at 400), then the epoll_wait that slept since 150.
  batch = {{400, 4}, {150, 5}};
  order.insert(batch);
  EXPECT_EQ(idsOf(order), (std::vector<std::uint64_t>{1, 5, 2, 3, 4}));
  // Same start: the earlier id first.
  batch = {{400, 7}, {400, 6}};
  order.insert(batch);
  EXPECT_EQ(idsOf(order), (std::vector<std::uint64_t>{1, 5, 2, 3, 4, 6, 7}));
  for (std::size_t i = 1; i < order.size(); ++i) EXPECT_LE(order.timeAt(i - 1), order.timeAt(i));
}

TEST(StartOrder, DroppedIdsLeaveWhereverTheySit) {
  StartOrder order;
  std::vector<StartOrder::Entry> batch{{100, 10}, {200, 11}, {50, 12}, {300, 13}};
  order.insert(batch);
  ASSERT_EQ(idsOf(order), (std::vector<std::uint64_t>{12, 10, 11, 13}));
  // The retention cap drops ids 10 and 11: id 12, listed first (it began first), stays.
  order.dropBefore(12);
  EXPECT_EQ(idsOf(order), (std::vector<std::uint64_t>{12, 13}));
  order.dropBefore(12);  // nothing below 12 is listed: nothing to do
  EXPECT_EQ(order.size(), 2u);
  order.clear();
  EXPECT_TRUE(order.empty());
}

TEST(StartOrder, PositionOfFindsTheLineOrWhereItWouldBe) {
  StartOrder order;
  std::vector<StartOrder::Entry> batch{{100, 1}, {300, 3}, {300, 5}};
  order.insert(batch);
  EXPECT_EQ(order.positionOf(300, 3), 1u);
  EXPECT_EQ(order.positionOf(300, 5), 2u);
  EXPECT_EQ(order.positionOf(200, 2), 1u) << "filtered out: the next line";
  EXPECT_EQ(order.positionOf(300, 4), 2u);
  EXPECT_EQ(order.positionOf(900, 9), 3u);
}

TraceEvent callAt(std::uint64_t seq, std::int64_t tNs, Call call, std::uint8_t thread = 0) {
  TraceEvent e;
  e.kind = EventKind::Call;
  e.seq = seq;
  e.tNs = tNs;
  e.call = call;
  e.thread = thread;
  return e;
}

// The CSV export lists calls the same way: by start, ties in recording order (seq).
TEST(StartOrder, CsvRowsAreInTheOrderTheCallsBegan) {
  const std::vector<TraceEvent> events{
      callAt(1, 1'000, Call::EpollCreate1), callAt(2, 5'000, Call::Read),
      callAt(3, 2'000, Call::EpollWait),   // began before the read, slept, recorded after it
      callAt(4, 5'000, Call::Accept4, 1),  // a worker, same ns as the read
  };
  std::ostringstream out;
  writeCallsCsv(out, events, TraceMeta{});
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);  // header
  std::vector<std::string> seqs;
  while (std::getline(lines, line)) seqs.push_back(line.substr(0, line.find(',')));
  EXPECT_EQ(seqs, (std::vector<std::string>{"1", "3", "2", "4"}));
}

// The kind of pair that ran the log backwards: recorded later but begun earlier.
bool recordingOrderRunsBackwards(const std::vector<TraceEvent>& events) {
  for (std::size_t i = 1; i < events.size(); ++i) {
    if (events[i].tNs < events[i - 1].tNs) return true;
  }
  return false;
}

std::size_t positionIn(const std::vector<std::uint64_t>& order, std::size_t index) {
  return static_cast<std::size_t>(std::find(order.begin(), order.end(), index) - order.begin());
}

TEST(StartOrder, TheLogNeverRunsBackwardsAndAClientsSendComesBeforeTheEnginesRead) {
  EngineHarness h(Knobs{});
  ClientDriver clients(h.recorder(), static_cast<std::uint16_t>(h.port()));
  const int id = clients.connect();
  ASSERT_TRUE(clients.waitConnected(id, 5000ms));
  const int fd = h.waitAccepted(1).at(0);
  // The engine asleep in epoll_wait; the client records actions meanwhile: that epoll_wait
  // is recorded after them, though it began before.
  ASSERT_TRUE(h.waitIdle(100ms));
  clients.stopReading(id);
  clients.resumeReading(id);
  // Megabytes: the engine is woken by the first segments and reads while send() still runs.
  constexpr std::size_t kBytes = std::size_t{4} << 20;
  clients.send(id, kBytes);
  ASSERT_TRUE(clients.waitEchoed(id, 20000ms));
  ASSERT_TRUE(h.waitIdle(100ms));
  const std::vector<TraceEvent> events = h.drain();
  ASSERT_TRUE(recordingOrderRunsBackwards(events)) << "the scenario must hold such a pair";

  const std::vector<std::uint64_t> order = startOrderOf(events);
  ASSERT_EQ(order.size(), events.size());
  for (std::size_t i = 1; i < order.size(); ++i) {
    ASSERT_LE(events[order[i - 1]].tNs, events[order[i]].tNs) << "line " << i << " runs backwards";
  }
  const auto send = std::find_if(events.begin(), events.end(), [&](const TraceEvent& e) {
    return e.kind == EventKind::ClientAction && e.conn == static_cast<std::uint32_t>(id) &&
           static_cast<ClientOp>(e.op) == ClientOp::Send;
  });
  const auto read = std::find_if(events.begin(), events.end(), [&](const TraceEvent& e) {
    return e.kind == EventKind::Call && e.call == Call::Read && e.fd == fd && e.ret > 0;
  });
  ASSERT_NE(send, events.end());
  ASSERT_NE(read, events.end());
  EXPECT_LE(send->tNs, read->tNs) << "the send began before the engine could read its bytes";
  EXPECT_LT(positionIn(order, static_cast<std::size_t>(send - events.begin())),
            positionIn(order, static_cast<std::size_t>(read - events.begin())))
      << "the log lists the client's send before the engine's first read of those bytes";
}

}  // namespace
}  // namespace eps::testing
