// The collector's bounded log: the newest events kept in order, chunks recycled, never more
// memory than the window needs.
#include "core/trace/event_log.hpp"

#include <gtest/gtest.h>

namespace eps {
namespace {

void appendSeqs(EventLog& log, std::uint64_t from, std::uint64_t to) {
  TraceEvent event;
  for (std::uint64_t seq = from; seq <= to; ++seq) {
    event.seq = seq;
    log.append(event);
  }
}

TEST(EventLog, KeepsEverythingUnderItsBoundInOrder) {
  EventLog log(200'000);
  appendSeqs(log, 1, 150'000);
  EXPECT_EQ(log.size(), 150'000u);
  EXPECT_EQ(log.evicted(), 0u);
  std::uint64_t expected = 1;
  bool inOrder = true;
  log.forEach([&](const TraceEvent& e) { inOrder = inOrder && e.seq == expected++; });
  EXPECT_TRUE(inOrder);
  EXPECT_EQ(expected, 150'001u);
}

TEST(EventLog, KeepsTheNewestWindowAndCountsTheRest) {
  const std::size_t window = EventLog::kChunkEvents + 1000;  // not a whole number of chunks
  EventLog log(window);
  appendSeqs(log, 1, 5 * EventLog::kChunkEvents);
  EXPECT_EQ(log.size(), window);
  EXPECT_EQ(log.appended(), 5 * EventLog::kChunkEvents);
  EXPECT_EQ(log.evicted(), 5 * EventLog::kChunkEvents - window);
  const std::vector<TraceEvent> kept = log.takeAll();
  ASSERT_EQ(kept.size(), window);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    ASSERT_EQ(kept[i].seq, 5 * EventLog::kChunkEvents - window + 1 + i);
  }
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(log.evicted(), 5 * EventLog::kChunkEvents - window) << "the count survives takeAll";
}

TEST(EventLog, RecyclesChunksInsteadOfAllocating) {
  EventLog log(2 * EventLog::kChunkEvents);
  appendSeqs(log, 1, 4 * EventLog::kChunkEvents);
  const std::size_t afterFilling = log.chunksAllocated();
  EXPECT_LE(afterFilling, 3u) << "a window of two chunks needs at most one more";
  appendSeqs(log, 4 * EventLog::kChunkEvents + 1, 40 * EventLog::kChunkEvents);
  EXPECT_EQ(log.chunksAllocated(), afterFilling) << "a full log allocates nothing more";
  EXPECT_LE(log.bytesHeld(), 3 * EventLog::kChunkEvents * sizeof(TraceEvent));
}

TEST(EventLog, AWindowOfOneEvent) {
  EventLog log(1);
  appendSeqs(log, 1, 70'000);
  const std::vector<TraceEvent> kept = log.takeAll();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].seq, 70'000u);
}

}  // namespace
}  // namespace eps
