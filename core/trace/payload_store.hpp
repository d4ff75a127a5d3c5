// The bytes the engine read from its connections, kept beside the trace: a TraceEvent is a
// fixed-size record and stays one, so what a `read` returned lives here, keyed by the read
// event's sequence number. The event log shows it (`read(9, 256) = 6 "hello\n"`) and the
// trace export lists it, so the text a student types into `nc` is visible in class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
// kept; the oldest payloads leave first and are counted, never silently.
class PayloadStore {
 public:
  static constexpr std::size_t kKeptPerRead = 256;           // bytes kept of each read
  static constexpr std::size_t kDefaultCapacity = 4u << 20;  // 4 MB
  static constexpr std::size_t kEntryOverhead = 64;          // map node, queue slot, string

  explicit PayloadStore(std::size_t capacityBytes = kDefaultCapacity);

  // Keeps the first kKeptPerRead bytes of `bytes` for the event with sequence `seq`.
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
  void evictUntilFits(std::size_t incoming);  // mutex_ held

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::string> bySeq_;
  std::deque<std::uint64_t> order_;  // insertion order, oldest first
  std::size_t bytes_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace eps
