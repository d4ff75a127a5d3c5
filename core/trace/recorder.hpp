// The trace recorder: one lock-free ring per producing thread, a global sequence number, and
// a collector that merges the rings back into one ordered stream.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/trace/payload_store.hpp"
#include "core/trace/ring.hpp"

namespace eps {

// Nanoseconds on CLOCK_MONOTONIC (vDSO: no system call, so recording never shows in strace).
std::int64_t monotonicNs();

class Recorder;

// Ownership: created by the Recorder, used by exactly one producing thread at a time
// (the engine thread, the client driver thread, ...). Recording never blocks.
class TraceWriter {
 public:
  // Stamps seq (and tNs when it is 0) and publishes the event; returns the seq, which keys
  // side tables such as the payload store.
  std::uint64_t record(TraceEvent event);

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

  Recorder& owner_;
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

  // Moves every published event into `out`, merged in sequence order; returns the count.
  // Events are in order within a batch; an event whose producer had taken its sequence
  // number but not yet published it arrives in the next batch.
  std::size_t drainInto(std::vector<TraceEvent>& out);

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
  std::uint64_t nextSeq() { return seq_.fetch_add(1, std::memory_order_relaxed); }

  std::size_t ringCapacity_;
  std::atomic<std::uint64_t> seq_{1};
  mutable std::mutex writersMutex_;
  std::deque<std::unique_ptr<TraceWriter>> writers_;
  std::vector<TraceEvent> scratch_;  // consumer thread only
  std::shared_ptr<PayloadStore> payloads_ = std::make_shared<PayloadStore>();
};

}  // namespace eps
