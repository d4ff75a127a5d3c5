// The order people read a trace in: by when each event began (TraceEvent::tNs), ties by id.
// Events are recorded when they complete, so a call that slept (an epoll_wait of 2 s) arrives
// after everything that happened meanwhile on other threads; listed by id, times would run
// backwards. StartOrder keeps ids sorted by start as batches arrive in completion order.
// No GUI header: the event log holds one, the tests drive it directly.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/base/trace_event.hpp"

namespace eps {

// Ownership: a plain value, used by one thread (the event log's: the UI thread).
class StartOrder {
 public:
  struct Entry {
    std::int64_t tNs = 0;
    std::uint64_t id = 0;
    friend bool operator<(const Entry& a, const Entry& b) {
      return a.tNs != b.tNs ? a.tNs < b.tNs : a.id < b.id;
    }
  };

  // Adds a batch (any order; sorted in place, then left empty). Most of a batch lands at the
  // tail, so the cost is the batch's own sort plus a merge of the part of the list it
  // overlaps — only as far back as its earliest start, never a re-sort of the whole list.
  void insert(std::vector<Entry>& batch);
  // Forgets every id below `firstKept` (the timeline's retention cap dropped them). Those sit
  // near the front but not strictly at it (a long wait started before them), so this scans
  // the list — only when `firstKept` has moved past an id still listed.
  void dropBefore(std::uint64_t firstKept);
  void clear();

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::uint64_t idAt(std::size_t position) const { return entries_[position].id; }
  std::int64_t timeAt(std::size_t position) const { return entries_[position].tNs; }
  // Where (tNs, id) is listed, or where it would be (the next entry) when it is not: how a
  // selection made elsewhere finds its line. O(log n).
  std::size_t positionOf(std::int64_t tNs, std::uint64_t id) const;

 private:
  std::vector<Entry> entries_;
  std::uint64_t lowestId_ = UINT64_MAX;  // the smallest id listed (UINT64_MAX: none)
};

// Ids 0..events.size()-1 of `events` (in recording order) in start order: the order the
// event log lists them. For tests and tools that hold a whole trace at once.
std::vector<std::uint64_t> startOrderOf(std::span<const TraceEvent> events);

}  // namespace eps
