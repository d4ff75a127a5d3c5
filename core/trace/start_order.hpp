// The order people read a trace in: by when each event began (TraceEvent::tNs), ties by id.
// Events are recorded when they complete, so a call that slept (an epoll_wait of 2 s) arrives
// after everything that happened meanwhile on other threads; listed by id, times would run
// backwards. StartOrder keeps ids sorted by start as batches arrive in completion order.
// No GUI header: the event log holds one, the tests drive it directly.
//
// Compact: the window lists every retained event (10 M and more), so an entry costs 8 bytes,
// not the 16 of a plain {tNs, id}. Entries sit in chunks of at most kChunkCap, each stored
// as offsets from its first entry: the start as a uint32 ns offset (a chunk spans < 4.29 s),
// the id as an int32 offset (ids within ±2^31 of the first). An entry that does not fit
// starts a new chunk. Only the last chunk keeps spare room (at most one chunk's worth).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/trace_event.hpp"

namespace eps {

// Ownership: a plain value, used by one thread (the event log's: the UI thread). Not safe to
// share even for reading: idAt/timeAt remember the last chunk they used (sequential reads,
// the log's and the timeline's loops over every line, cost O(1) each, not O(log chunks)).
class StartOrder {
 public:
  struct Entry {
    std::int64_t tNs = 0;
    std::uint64_t id = 0;
    friend bool operator<(const Entry& a, const Entry& b) {
      return a.tNs != b.tNs ? a.tNs < b.tNs : a.id < b.id;
    }
  };
  // Most entries a chunk holds: a merge into the middle rewrites one chunk (32 KiB), while
  // the chunk list (one header per chunk) stays a few thousand long at 10 M entries.
  static constexpr std::size_t kChunkCap = 4096;

  // Adds a batch (any order; sorted in place, then left empty). Most of a batch lands at the
  // tail, so the cost is the batch's own sort, an append, and a rewrite of only the chunks
  // the rest of it lands in (a late long call) — never a re-sort or a shift of the list.
  void insert(std::vector<Entry>& batch);
  // Forgets every id below `firstKept` (the timeline's retention cap dropped them). Those sit
  // near the front but not strictly at it (a long wait started before them): every chunk
  // knows its smallest id, so only chunks holding such ids are rewritten.
  void dropBefore(std::uint64_t firstKept);
  void clear();

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // By position, 0..size()-1: O(1) after the position before or after, else O(log chunks).
  std::uint64_t idAt(std::size_t position) const { return entryAt(position).id; }
  std::int64_t timeAt(std::size_t position) const { return entryAt(position).tNs; }
  // Where (tNs, id) is listed, or where it would be (the next entry) when it is not: how a
  // selection made elsewhere finds its line. O(log n).
  std::size_t positionOf(std::int64_t tNs, std::uint64_t id) const;
  // Bytes this order holds on the heap and in itself (chunk headers, entries, spare room).
  std::size_t memoryBytes() const;

 private:
  // One entry relative to its chunk's first entry.
  struct Packed {
    std::uint32_t dtNs = 0;
    std::int32_t dId = 0;
  };
  struct Chunk {
    std::int64_t baseNs = 0;   // the first entry's start: every offset is from it
    std::uint64_t baseId = 0;  // the first entry's id
    std::uint64_t minId = 0;   // the smallest id inside (dropBefore skips the chunk above it)
    std::size_t start = 0;     // entries in the chunks before this one: its first position
    std::vector<Packed> packed;

    Entry at(std::size_t i) const;
    Entry first() const { return {baseNs, baseId}; }
    bool fits(const Entry& entry) const;
    Packed offsetsOf(const Entry& entry) const;  // for an entry that fits
  };
  class Writer;

  Entry entryAt(std::size_t position) const;
  std::size_t chunkFor(const Entry& entry) const;
  void mergeInto(std::size_t chunk, std::span<const Entry> entries);
  static bool mergeInPlace(Chunk& chunk, std::span<const Entry> entries, bool isTail);
  void append(std::span<const Entry> entries);
  void renumberFrom(std::size_t chunk);

  std::vector<Chunk> chunks_;  // by first entry; none empty
  std::size_t size_ = 0;
  std::uint64_t lowestId_ = UINT64_MAX;  // the smallest id listed (UINT64_MAX: none)
  mutable std::size_t lastChunk_ = 0;    // the chunk idAt/timeAt used last (a hint only)
};

// Ids 0..events.size()-1 of `events` (in recording order) in start order: the order the
// event log lists them. For tests and tools that hold a whole trace at once.
std::vector<std::uint64_t> startOrderOf(std::span<const TraceEvent> events);

}  // namespace eps
