// The bytes the engine read from its connections, kept beside the trace: a TraceEvent is a
// fixed-size record and stays one, so what a `read` returned lives here, keyed by the read
// event's sequence number. The event log shows it (`read(9, 256) = 6 "hello\n"`) and the
// trace export lists it, so the text a student types into `nc` is visible in class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eps {

// Ownership: owned by the Recorder (one store per trace), shared by pointer with whoever shows
// the trace. Thread-safety: every method may be called from any thread; one mutex guards the
// store. Writers: the engine thread, once per successful connection read (never per event).
// Readers: the UI thread (the log's visible rows and the selected event, once per frame) and
// the headless collector's thread (the export, after the engine stopped). The lock is held
// for a copy of at most kKeptPerRead bytes; uncontended it costs no system call, so the
// engine's traced calls (what the strace fidelity test compares) are unchanged.
//
// Memory is bounded: at most `capacityBytes` (payload plus a fixed per-entry overhead) are
// kept; the oldest payloads leave first and are counted, never silently. Both are allocated
// once: the bytes live in a ring of `capacityBytes` and each payload has one slot in a ring
// index (seq, position, length), so keeping a payload allocates nothing. Seqs arrive in
// increasing order (one engine thread), so find() is a binary search; a store fed out of
// order (a session's payloads, another thread) stays correct with a linear search.
class PayloadStore {
 public:
  static constexpr std::size_t kKeptPerRead = 256;           // bytes kept of each read
  static constexpr std::size_t kDefaultCapacity = 4u << 20;  // 4 MB
  // Accounted per payload whatever its size: bounds the index (capacity / kEntryOverhead).
  static constexpr std::size_t kEntryOverhead = 64;

  explicit PayloadStore(std::size_t capacityBytes = kDefaultCapacity);

  // Keeps the first kKeptPerRead bytes of `bytes` for the event with sequence `seq`; seq 0
  // (an event the recorder dropped) keeps nothing.
  void keep(std::uint64_t seq, std::string_view bytes);
  // The bytes kept for `seq` (possibly a prefix of what the read returned), or nullopt.
  std::optional<std::string> find(std::uint64_t seq) const;
  // Every payload held, oldest first (for a saved session).
  std::vector<std::pair<std::uint64_t, std::string>> entries() const;

  std::size_t size() const;             // payloads held
  std::size_t bytesHeld() const;        // accounted bytes, <= capacity
  std::uint64_t droppedOldest() const;  // payloads evicted by the cap
  std::size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    std::uint64_t seq;
    std::uint64_t position;  // in the byte ring, counted from its start, never wrapped
    std::uint64_t length;
  };
  // All mutex_ held.
  const Entry& at(std::size_t i) const { return index_[(first_ + i) % slots_]; }
  const Entry* findLocked(std::uint64_t seq) const;
  std::uint64_t placeLocked(std::size_t length);
  void evictOldestLocked();
  std::string bytesOf(const Entry& entry) const;

  const std::size_t capacity_;
  const std::size_t slots_;             // index entries: capacity_ / kEntryOverhead (+1)
  std::unique_ptr<char[]> arena_;       // capacity_ bytes, a ring
  std::unique_ptr<Entry[]> index_;      // a ring of slots_ entries, oldest at first_
  mutable std::mutex mutex_;
  std::size_t first_ = 0;
  std::size_t count_ = 0;
  std::uint64_t writePosition_ = 0;     // where the next payload's bytes go
  std::uint64_t highestSeq_ = 0;
  bool sorted_ = true;                  // seqs held are increasing
  std::size_t bytes_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace eps
