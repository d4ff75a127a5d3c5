// Where a long-running collector keeps the trace: preallocated chunks of events, filled in
// place straight from the rings (one copy per event, no allocation per event), keeping at
// most the NEWEST `maxEvents`: when full, the oldest events leave (counted), and a chunk
// whose events all left is recycled for the next ones instead of being freed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "core/base/trace_event.hpp"

namespace eps {

// Ownership: owned and used by one consumer thread (the headless collector, a test).
class EventLog {
 public:
  static constexpr std::size_t kChunkEvents = std::size_t{1} << 16;

  explicit EventLog(std::size_t maxEvents);

  // Appends a copy of `event`, evicting the oldest event when the log holds maxEvents.
  void append(const TraceEvent& event) {
    if (fill_ == kChunkEvents) nextChunk();
    new (&chunks_.back()[fill_++]) TraceEvent(event);
    ++appended_;
    if (++size_ > maxEvents_) evictOldest();
  }

  std::size_t size() const { return size_; }            // events held, <= maxEvents
  std::size_t maxEvents() const { return maxEvents_; }
  std::uint64_t appended() const { return appended_; }  // every event ever appended
  std::uint64_t evicted() const { return evicted_; }      // left to make room, ever
  std::size_t chunksAllocated() const { return chunksAllocated_; }  // ever, not held
  std::size_t bytesHeld() const { return (chunks_.size() + spare_.size()) * kChunkBytes; }

  // The held events, oldest first.
  template <typename Visit>
  void forEach(Visit&& visit) const {
    std::size_t begin = first_;
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      const std::size_t end = c + 1 == chunks_.size() ? fill_ : kChunkEvents;
      for (std::size_t i = begin; i < end; ++i) visit(chunks_[c][i]);
      begin = 0;
    }
  }
  // Moves the held events out, oldest first, releasing each chunk once copied (the peak is
  // the events plus one chunk, not twice the events). The log is empty afterwards.
  std::vector<TraceEvent> takeAll();

 private:
  static constexpr std::size_t kChunkBytes = kChunkEvents * sizeof(TraceEvent);
  struct FreeChunk {
    void operator()(TraceEvent* chunk) const;
  };
  using Chunk = std::unique_ptr<TraceEvent[], FreeChunk>;

  void nextChunk();
  void evictOldest();

  const std::size_t maxEvents_;
  std::deque<Chunk> chunks_;   // oldest first; the last one is being filled
  std::vector<Chunk> spare_;   // emptied chunks, reused before allocating
  std::size_t first_ = 0;      // first held event in chunks_.front()
  std::size_t fill_ = kChunkEvents;  // events written in chunks_.back()
  std::size_t size_ = 0;
  std::uint64_t appended_ = 0;
  std::uint64_t evicted_ = 0;
  std::size_t chunksAllocated_ = 0;
};

}  // namespace eps
