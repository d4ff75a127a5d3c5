#include "core/trace/event_log.hpp"

#include <new>
#include <stdexcept>

namespace eps {

// Chunks are raw storage: append() constructs each event in place, so a fresh chunk costs
// no initialisation pass (and its pages are touched only as it fills).
void EventLog::FreeChunk::operator()(TraceEvent* chunk) const {
  ::operator delete(chunk, std::align_val_t{64});
}

EventLog::EventLog(std::size_t maxEvents) : maxEvents_(maxEvents) {
  if (maxEvents == 0) throw std::invalid_argument("an event log must keep at least one event");
}

void EventLog::nextChunk() {
  if (!spare_.empty()) {
    chunks_.push_back(std::move(spare_.back()));
    spare_.pop_back();
  } else {
    chunks_.emplace_back(
        static_cast<TraceEvent*>(::operator new(kChunkBytes, std::align_val_t{64})));
    ++chunksAllocated_;
  }
  fill_ = 0;
}

void EventLog::evictOldest() {
  --size_;
  ++evicted_;
  if (++first_ < kChunkEvents) return;
  // TraceEvent is trivially destructible: a chunk is recycled without destroying events.
  spare_.push_back(std::move(chunks_.front()));
  chunks_.pop_front();
  first_ = 0;
}

std::vector<TraceEvent> EventLog::takeAll() {
  std::vector<TraceEvent> out;
  out.reserve(size_);
  spare_.clear();
  while (!chunks_.empty()) {
    const std::size_t end = chunks_.size() == 1 ? fill_ : kChunkEvents;
    out.insert(out.end(), chunks_.front().get() + first_, chunks_.front().get() + end);
    chunks_.pop_front();
    first_ = 0;
  }
  fill_ = kChunkEvents;
  size_ = 0;
  return out;
}

}  // namespace eps
