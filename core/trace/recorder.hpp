// The trace recorder: one lock-free ring per producing thread, a global sequence number, and
// a collector that merges the rings back into one ordered stream.
//
// Sequence numbers are dense: a producer takes one only once its ring has room (a dropped
// event takes none), so the merge knows the next seq it must emit and, when no ring holds
// it yet, that a producer is between taking it and publishing it: the merge stops there,
// moves what the rings still hold aside (so no ring fills meanwhile) and the next drain
// continues from it, so drains never emit out of order.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/trace/event_log.hpp"
#include "core/trace/payload_store.hpp"
#include "core/trace/ring.hpp"

namespace eps {

// Nanoseconds on CLOCK_MONOTONIC (vDSO: no system call, so recording never shows in strace).
// Every producer stamps with this one clock: the event log lists events by start time across
// threads, so an interpolated clock (the TSC between readings) would misorder a sample and
// the call just before it; the fidelity test against strace catches that.
std::int64_t monotonicNs();

class Recorder;

// Ownership: created by the Recorder, used by exactly one producing thread at a time
// (the engine thread, the client driver thread, ...). Recording never blocks.
class TraceWriter {
 public:
  // Stamps seq (and tNs when it is 0) and publishes the event; returns the seq, which keys
  // side tables such as the payload store, or 0 when the ring was full and the event was
  // dropped (counted in Recorder::dropped(); no seq is taken, so none keys anything).
  std::uint64_t record(const TraceEvent& event) {
    TraceEvent* slot = ring_.reserve();
    if (slot == nullptr) return 0;
    *slot = event;
    return commit(*slot);
  }

  // The same in two steps, with no copy of the event: reserve() hands out the ring slot
  // (nullptr when the ring is full: the event is dropped and counted), the caller fills it
  // in place, and commit() stamps and publishes it exactly like record(). The seq is taken
  // at commit(), so a slot may be held across the system call it describes; one reserve()
  // at a time per writer, and the consumer sees nothing until commit().
  TraceEvent* reserve() { return ring_.reserve(); }
  std::uint64_t commit(TraceEvent& slot) {
    if (slot.tNs == 0) slot.tNs = monotonicNs();
    slot.actor = actor_;
    slot.thread = thread_;
    slot.seq = seq_.fetch_add(1, std::memory_order_relaxed);
    ring_.publish();
    return slot.seq;
  }

  const std::string& name() const { return name_; }
  Actor actor() const { return actor_; }
  std::uint8_t thread() const { return thread_; }
  // Kernel thread id of the producer, set by it on first use (for strace comparison).
  int tid() const { return tid_.load(std::memory_order_relaxed); }
  void setTid(int tid) { tid_.store(tid, std::memory_order_relaxed); }

 private:
  friend class Recorder;
  TraceWriter(Recorder& owner, std::string name, Actor actor, std::uint8_t thread,
              std::size_t capacity);

  std::atomic<std::uint64_t>& seq_;  // the recorder's global sequence
  std::string name_;
  Actor actor_;
  std::uint8_t thread_;
  std::atomic<int> tid_{0};
  TraceRing ring_;
};

// Ownership: outlives every writer it hands out. addWriter is thread-safe; drain is called by
// one consumer thread (the UI frame loop, the headless collector, or a test). It also owns the
// trace's payload store (bytes read, keyed by seq): the engine thread writes it, the consumer
// reads it; the store is shared so a view may keep it while the recorder is replaced.
class Recorder {
 public:
  static constexpr std::size_t kDefaultRingCapacity = std::size_t{1} << 16;

  explicit Recorder(std::size_t ringCapacity = kDefaultRingCapacity);

  TraceWriter& addWriter(std::string name, Actor actor, std::uint8_t thread = 0);

  // Moves every published event into `out`, merged in sequence order (one copy, a k-way
  // merge of the rings, no sort); returns the count. Batches follow each other in order:
  // events after a seq still being published wait for the next drain (see the top).
  std::size_t drainInto(std::vector<TraceEvent>& out);
  // The same into a bounded log that keeps the newest events (the headless collector).
  std::size_t drainInto(EventLog& out);

  // Events lost because a ring was full when its producer recorded.
  std::uint64_t dropped() const;

  struct WriterInfo {
    std::string name;
    Actor actor;
    std::uint8_t thread;
    int tid;
  };
  std::vector<WriterInfo> writers() const;

  PayloadStore& payloads() { return *payloads_; }
  const PayloadStore& payloads() const { return *payloads_; }
  std::shared_ptr<const PayloadStore> payloadsRef() const { return payloads_; }

 private:
  friend class TraceWriter;
  // One producer's part of a merge: first the events held back from earlier drains
  // (held_[writer]), then its ring's `count` published events; `next` is the first not
  // emitted, counted across both.
  struct Source {
    std::size_t writer;
    TraceRing* ring;
    std::size_t held;
    std::size_t count;
    std::size_t next;
  };
  const TraceEvent& front(const Source& source) const {
    return source.next < source.held ? held_[source.writer][source.next]
                                     : source.ring->at(source.next - source.held);
  }
  std::size_t gatherSources();  // writersMutex_ held; returns the events waiting
  template <typename Emit>
  std::size_t merge(Emit&& emit);  // writersMutex_ held
  std::size_t indexOfLowestSeq() const;
  bool inFlightGapExpired();
  void holdBack(Source& source);
  void finish(Source& source);

  std::size_t ringCapacity_;
  alignas(64) std::atomic<std::uint64_t> seq_{1};
  alignas(64) mutable std::mutex writersMutex_;
  std::deque<std::unique_ptr<TraceWriter>> writers_;
  // Consumer thread only: the merge's state between drains.
  std::vector<Source> sources_;
  // Events a drain could not emit yet (they follow a seq still being published), per writer:
  // moved out of the rings so a descheduled producer never makes the others' rings fill.
  std::vector<std::vector<TraceEvent>> held_;
  std::size_t heldTotal_ = 0;
  std::uint64_t nextSeq_ = 1;  // the seq the merge emits next
  std::uint64_t gapSeq_ = 0;   // a seq the merge waited for, and since when
  std::int64_t gapSinceNs_ = 0;
  std::shared_ptr<PayloadStore> payloads_ = std::make_shared<PayloadStore>();
};

}  // namespace eps
