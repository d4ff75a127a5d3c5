// The event log's order: by start time, though events arrive as they complete. Unit tests of
// the merge, then a real engine and a built-in client: the log's times never run backwards,
// and a client's send is listed before the engine's read of those bytes.
#include "core/trace/start_order.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
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

// --- The compact store against the plain sorted list it replaces ---------------------------

using Entry = StartOrder::Entry;

// What StartOrder must list: every entry inserted and not dropped, sorted.
class Reference {
 public:
  void insert(const std::vector<Entry>& batch) {
    all_.insert(all_.end(), batch.begin(), batch.end());
    std::sort(all_.begin(), all_.end());
  }
  void dropBefore(std::uint64_t firstKept) {
    std::erase_if(all_, [&](const Entry& e) { return e.id < firstKept; });
  }
  const std::vector<Entry>& all() const { return all_; }
  std::size_t positionOf(const Entry& key) const {
    return static_cast<std::size_t>(std::lower_bound(all_.begin(), all_.end(), key) - all_.begin());
  }

 private:
  std::vector<Entry> all_;
};

// Every position read in order (the hint path) and out of order (the search path), every
// listed key found where it is, and keys next to them (absent) found where they would be.
void expectSame(const StartOrder& order, const Reference& ref, std::mt19937_64& random) {
  const std::vector<Entry>& all = ref.all();
  ASSERT_EQ(order.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(order.timeAt(i), all[i].tNs) << "position " << i;
    ASSERT_EQ(order.idAt(i), all[i].id) << "position " << i;
  }
  for (std::size_t n = 0; n < std::min<std::size_t>(all.size(), 2'000); ++n) {
    const std::size_t i = random() % all.size();
    ASSERT_EQ(order.idAt(i), all[i].id) << "position " << i << " read out of order";
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Entry& e = all[i];
    ASSERT_EQ(order.positionOf(e.tNs, e.id), ref.positionOf(e)) << "listed at " << i;
    // A nanosecond either side, held at the ends of int64 (ids wrap, as unsigned do).
    const std::int64_t before = e.tNs == INT64_MIN ? e.tNs : e.tNs - 1;
    const std::int64_t after = e.tNs == INT64_MAX ? e.tNs : e.tNs + 1;
    for (const Entry& near : {Entry{e.tNs, e.id + 1}, Entry{e.tNs, e.id - 1}, Entry{before, e.id},
                              Entry{after, e.id}}) {
      ASSERT_EQ(order.positionOf(near.tNs, near.id), ref.positionOf(near))
          << "(" << near.tNs << ", " << near.id << ") next to position " << i;
    }
  }
  ASSERT_EQ(order.positionOf(INT64_MIN, 0), 0u);
  ASSERT_EQ(order.positionOf(INT64_MAX, UINT64_MAX), ref.positionOf({INT64_MAX, UINT64_MAX}));
}

void insertBoth(StartOrder& order, Reference& ref, std::vector<Entry> batch) {
  ref.insert(batch);
  order.insert(batch);
  EXPECT_TRUE(batch.empty());
}

// Batches in completion order: most events begin after everything listed, a few (long
// waits) began up to three chunks' worth of time earlier; every batch shuffled.
TEST(StartOrder, RandomBatchesListExactlyWhatASortedListWould) {
  std::mt19937_64 random(7);
  StartOrder order;
  Reference ref;
  std::uint64_t nextId = 0;
  std::int64_t now = 1'000'000'000;
  for (int round = 0; round < 60; ++round) {
    std::vector<Entry> batch(1 + random() % 3'000);
    for (Entry& e : batch) {
      now += 1 + static_cast<std::int64_t>(random() % 1'000);
      const bool late = random() % 50 == 0;
      const auto back = static_cast<std::int64_t>(random() % 12'000'000);
      e = {late ? now - back : now, nextId++};
    }
    std::shuffle(batch.begin(), batch.end(), random);
    insertBoth(order, ref, std::move(batch));
    if (round % 10 == 9) {
      ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
    }
  }
  EXPECT_GT(order.size(), 5 * StartOrder::kChunkCap) << "the test must span many chunks";
}

// A chunk spans at most 2^32 ns (4.29 s) from its first entry: a late entry that lands
// inside a chunk's range but past that span splits the chunk.
TEST(StartOrder, StartsMoreThanFourSecondsApartShareNoChunkButStayInOrder) {
  std::mt19937_64 random(11);
  StartOrder order;
  Reference ref;
  constexpr std::int64_t kSecond = 1'000'000'000;
  insertBoth(order, ref, {{0, 0}, {1, 1}, {5 * kSecond, 2}, {20 * kSecond, 3}});
  insertBoth(order, ref, {{4'500'000'000, 4}, {4'294'967'295, 5}, {4'294'967'296, 6}});
  insertBoth(order, ref, {{-3 * kSecond, 7}, {INT64_MAX, 8}, {INT64_MIN, 9}});
  ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
  // Many entries across one long range, then late ones everywhere inside it.
  std::vector<Entry> batch;
  for (std::uint64_t i = 0; i < 10'000; ++i)
    batch.push_back({kSecond * 30 + static_cast<std::int64_t>(i) * 1'000'000, 100 + i});
  insertBoth(order, ref, batch);
  batch.clear();
  for (std::uint64_t i = 0; i < 3'000; ++i) {
    batch.push_back(
        {kSecond * 25 + static_cast<std::int64_t>(random() % (20 * kSecond)), 20'000 + i});
  }
  insertBoth(order, ref, batch);
  ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
}

// Ids are stored as int32 offsets: ids 2^40 apart (and near both ends of uint64) cannot
// share a chunk, whatever their starts.
TEST(StartOrder, IdsFarApartStayExact) {
  std::mt19937_64 random(13);
  StartOrder order;
  Reference ref;
  const std::uint64_t far[] = {0, std::uint64_t{1} << 40, UINT64_MAX - 5, std::uint64_t{1} << 31,
                               (std::uint64_t{1} << 31) - 1};
  for (int round = 0; round < 8; ++round) {
    std::vector<Entry> batch;
    for (std::uint64_t i = 0; i < 500; ++i) {
      const std::uint64_t base = far[random() % std::size(far)];
      batch.push_back({static_cast<std::int64_t>(random() % 1'000'000), base + round * 1'000 + i});
    }
    insertBoth(order, ref, batch);
  }
  ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
  ref.dropBefore(std::uint64_t{1} << 31);
  order.dropBefore(std::uint64_t{1} << 31);
  ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
}

// The retention cap drops ids scattered through the chunks (starts and ids disagree), then
// more batches arrive; dropping nothing new changes nothing.
TEST(StartOrder, DropBeforeCutsThroughTheMiddleOfChunks) {
  std::mt19937_64 random(17);
  StartOrder order;
  Reference ref;
  std::vector<Entry> batch;
  for (std::uint64_t id = 0; id < 40'000; ++id) {
    batch.push_back({static_cast<std::int64_t>(random() % 40'000'000), id});
  }
  insertBoth(order, ref, batch);
  for (const std::uint64_t firstKept :
       {std::uint64_t{3}, std::uint64_t{10'001}, std::uint64_t{10'001}, std::uint64_t{25'000}}) {
    ref.dropBefore(firstKept);
    order.dropBefore(firstKept);
    ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
    batch.clear();
    for (std::uint64_t i = 0; i < 1'000; ++i) {
      batch.push_back({static_cast<std::int64_t>(random() % 50'000'000), 100'000 + firstKept + i});
    }
    insertBoth(order, ref, batch);
  }
  ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
  // The retention cap moving one id at a time: each time exactly the lowest id listed goes.
  for (int step = 0; step < 3; ++step) {
    const auto lowest =
        std::min_element(ref.all().begin(), ref.all().end(),
                         [](const Entry& a, const Entry& b) { return a.id < b.id; });
    const std::uint64_t firstKept = lowest->id + 1;
    ref.dropBefore(firstKept);
    order.dropBefore(firstKept);
    ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
  }
  order.dropBefore(UINT64_MAX);
  EXPECT_TRUE(order.empty());
  EXPECT_EQ(order.positionOf(0, 0), 0u);
}

TEST(StartOrder, ClearForgetsEverythingAndStartsAgain) {
  std::mt19937_64 random(19);
  StartOrder order;
  std::vector<Entry> batch;
  for (std::uint64_t id = 0; id < 20'000; ++id)
    batch.push_back({static_cast<std::int64_t>(id * 7 % 20'000), id});
  order.insert(batch);
  const std::size_t full = order.memoryBytes();
  order.clear();
  EXPECT_TRUE(order.empty());
  EXPECT_EQ(order.size(), 0u);
  EXPECT_EQ(order.positionOf(5, 5), 0u);
  EXPECT_LT(order.memoryBytes(), full / 100) << "clear gives the memory back";
  Reference ref;
  insertBoth(order, ref, {{30, 3}, {10, 1}, {20, 2}});
  ASSERT_NO_FATAL_FAILURE(expectSame(order, ref, random));
}

// The point of the chunks: 8 bytes an entry (a plain {tNs, id} list costs 16, and up to
// twice that while its vector grows), with late entries merged in the middle.
TEST(StartOrder, AnEntryCostsAboutEightBytes) {
  std::mt19937_64 random(23);
  StartOrder order;
  std::int64_t now = 0;
  std::uint64_t nextId = 0;
  constexpr std::size_t kEntries = 1'000'000;
  std::vector<Entry> batch;
  while (nextId < kEntries) {
    for (int i = 0; i < 4'096; ++i) {
      now += 100 + static_cast<std::int64_t>(random() % 1'000);
      const bool late = random() % 100 == 0;
      batch.push_back(
          {late ? now - static_cast<std::int64_t>(random() % 200'000'000) : now, nextId++});
    }
    order.insert(batch);
  }
  const double perEntry =
      static_cast<double>(order.memoryBytes()) / static_cast<double>(order.size());
  EXPECT_LT(perEntry, 8.5) << "bytes per entry at " << order.size() << " entries";
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
