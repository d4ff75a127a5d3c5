// The bytes of the engine's reads, kept beside the fixed-size trace events: bounded, oldest
// first out and counted, and shown the way strace quotes a buffer.
#include "core/trace/payload_store.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/base/payload_text.hpp"
#include "core/base/peer_names.hpp"
#include "core/trace/event_text.hpp"

namespace eps {
namespace {

TEST(PayloadStore, KeepsTheFirstBytesOfEachReadBySeq) {
  PayloadStore store;
  store.keep(7, "hello\n");
  store.keep(9, std::string(1000, 'a'));
  EXPECT_EQ(store.find(7), std::optional<std::string>("hello\n"));
  EXPECT_EQ(store.find(9)->size(), PayloadStore::kKeptPerRead);
  EXPECT_FALSE(store.find(8).has_value());
  store.keep(7, "other");
  EXPECT_EQ(store.find(7), std::optional<std::string>("hello\n")) << "one payload per event";
  EXPECT_EQ(store.size(), 2u);
}

TEST(PayloadStore, IsBoundedAndDropsTheOldestCountingThem) {
  const std::size_t entry = 100 + PayloadStore::kEntryOverhead;
  PayloadStore store(entry * 3);
  for (std::uint64_t seq = 1; seq <= 10; ++seq) store.keep(seq, std::string(100, 'x'));
  EXPECT_EQ(store.size(), 3u);
  EXPECT_LE(store.bytesHeld(), store.capacity());
  EXPECT_EQ(store.droppedOldest(), 7u);
  EXPECT_FALSE(store.find(7).has_value());
  EXPECT_TRUE(store.find(8).has_value());
  EXPECT_TRUE(store.find(10).has_value());
}

// Payloads of every size through a small store: its byte ring wraps many times, and every
// payload still held reads back exactly as kept.
TEST(PayloadStore, ReadsBackExactBytesAcrossManyWrapsOfItsRing) {
  PayloadStore store(1000);
  std::vector<std::string> kept;
  for (std::uint64_t seq = 1; seq <= 2000; ++seq) {
    std::string bytes(seq * 37 % 300, static_cast<char>('a' + seq % 26));
    if (!bytes.empty()) bytes[0] = static_cast<char>(seq);
    store.keep(seq, bytes);
    kept.push_back(bytes.substr(0, PayloadStore::kKeptPerRead));
  }
  EXPECT_LE(store.bytesHeld(), store.capacity());
  EXPECT_GT(store.size(), 0u);
  EXPECT_EQ(store.size() + store.droppedOldest(), 2000u) << "each payload held or counted";
  const auto entries = store.entries();
  ASSERT_EQ(entries.size(), store.size());
  EXPECT_EQ(entries.back().first, 2000u);
  for (const auto& [seq, bytes] : entries) {
    EXPECT_EQ(bytes, kept[seq - 1]) << "seq " << seq;
    EXPECT_EQ(store.find(seq), std::optional<std::string>(kept[seq - 1]));
  }
  EXPECT_FALSE(store.find(entries.front().first - 1).has_value()) << "evicted";
}

TEST(PayloadStore, FindsPayloadsKeptOutOfSeqOrderAndIgnoresSeqZero) {
  PayloadStore store;
  store.keep(0, "a dropped event's read");
  EXPECT_EQ(store.size(), 0u);
  store.keep(10, "ten");
  store.keep(5, "five");
  store.keep(20, "twenty");
  store.keep(5, "again");
  EXPECT_EQ(store.find(5), std::optional<std::string>("five"));
  EXPECT_EQ(store.find(10), std::optional<std::string>("ten"));
  EXPECT_EQ(store.find(20), std::optional<std::string>("twenty"));
  EXPECT_FALSE(store.find(7).has_value());
  EXPECT_EQ(store.size(), 3u);
}

TEST(PayloadStore, OneWriterAndOneReaderAtOnce) {
  // The engine thread keeps while the UI thread looks up: run under TSan to see the lock.
  PayloadStore store(64 * 1024);
  std::thread writer([&] {
    for (std::uint64_t seq = 1; seq <= 20000; ++seq) store.keep(seq, "abc");
  });
  std::size_t found = 0;
  for (std::uint64_t seq = 1; seq <= 20000; ++seq) found += store.find(seq).has_value();
  writer.join();
  EXPECT_LE(store.bytesHeld(), store.capacity());
  EXPECT_GT(store.droppedOldest(), 0u);
  (void)found;
}

TEST(PayloadText, QuotesLikeStrace) {
  EXPECT_EQ(quotedPayload("hello\n", 6), "\"hello\\n\"");
  EXPECT_EQ(quotedPayload(std::string("a\0b\"\\\t\r", 7), 7), "\"a\\0b\\\"\\\\\\t\\r\"");
  EXPECT_EQ(quotedPayload("\x01\xff\xe4", 3), "\"\\x01\\xff\\xe4\"");
  EXPECT_EQ(quotedPayload("abc", 300), "\"abc\"...") << "only a prefix was kept";
  EXPECT_EQ(escapedBytes("hi\n"), "hi\\n");
}

TEST(PayloadText, TheEventLineOfAReadShowsItsBytes) {
  PayloadStore store;
  TraceEvent read;
  read.kind = EventKind::Call;
  read.call = Call::Read;
  read.fd = 9;
  read.a = 4096;
  read.ret = 6;
  read.seq = 42;
  EXPECT_EQ(eventLine(read, &store), "read(9, 4096) = 6") << "nothing kept: the plain line";
  store.keep(42, "hello\n");
  EXPECT_EQ(eventLine(read, &store), "read(9, 4096) = 6 \"hello\\n\"");
  EXPECT_EQ(eventLine(read, nullptr), "read(9, 4096) = 6");
  TraceEvent write = read;
  write.call = Call::Write;
  EXPECT_EQ(eventLine(write, &store), "write(9, 4096) = 6") << "only reads carry bytes";
}

TEST(PeerNames, ExternalPeersAndTheBanner) {
  EXPECT_EQ(externalPeerName(43210), "external :43210");
  EXPECT_EQ(clientPeerName(2, 43210), "client 2 :43210");
  EXPECT_EQ(connectBanner(7000), "connect with: nc 127.0.0.1 7000");
}

}  // namespace
}  // namespace eps
