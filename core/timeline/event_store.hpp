// The timeline's retained events, packed. A TraceEvent is 80 B, mostly zeros and small
// numbers; stored as it is, ten million of them cost 800 MB. Here each event is a header (which
// fields differ from their default) and the fields that do, as LEB128 varints (signed ones
// zigzagged; the time and the sequence number as the difference from the previous event's),
// typically 12-16 B. Every value is kept exactly: a varint holds any 64-bit value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/trace/lanes.hpp"

namespace eps {

// One retained event and where the model put it.
struct StoredEvent {
  TraceEvent event;
  std::uint32_t lane = 0;                     // the lane LaneTracker assigned
  std::uint32_t mark = LaneTracker::kNoLane;  // Ready: its socket's lane
};

// Ownership: owned by TimelineModel::Impl, used on the model's (UI) thread only.
// Events live in pages of kPage; a page is a byte string and, per group of kGroup events, the
// offset where the group begins. Differences restart at each group, so reading event i decodes
// at most kGroup events. A full page is shrunk to fit; whole pages leave from the front.
class EventStore {
 public:
  static constexpr std::size_t kGroup = 16;
  static constexpr std::size_t kPage = 4096;

  void push(const StoredEvent& stored);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  StoredEvent at(std::size_t i) const;
  // Calls f with events [begin, end) in order, decoding each once.
  void forEach(std::size_t begin, std::size_t end,
               const std::function<void(const StoredEvent&)>& f) const;
  void popFront(std::size_t n);
  // Heap bytes held (capacities, not sizes).
  std::size_t memoryBytes() const;

 private:
  struct Page {
    std::vector<std::uint8_t> bytes;
    std::uint32_t groupOffset[kPage / kGroup] = {};
  };
  struct Cursor;

  std::deque<std::unique_ptr<Page>> pages_;
  std::size_t head_ = 0;  // index of the front event in pages_[0]
  std::size_t size_ = 0;
  // The last pushed event's time and sequence number: the next one is stored as a difference.
  std::int64_t lastNs_ = 0;
  std::uint64_t lastSeq_ = 0;
};

}  // namespace eps
