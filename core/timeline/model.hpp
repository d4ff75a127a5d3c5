// The timeline's data: every retained trace event, assigned to a lane and indexed per lane in
// time order, with the queries a frame needs bounded by pixels, not events (Tracy's way):
// a visible-range binary search, folding of items narrower than a few pixels into one block
// with a count, and per-lane queue depth reduced to min/max per pixel column.
// No GUI header: the window draws what these queries return.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/trace/lanes.hpp"

namespace eps {

// Flags summarising what a folded block (or a single item) contains, for its colour.
enum BlockFlags : std::uint32_t {
  kBlockHasCall = 1u << 0,
  kBlockHasEagain = 1u << 1,     // a call that returned -1 EAGAIN
  kBlockHasError = 1u << 2,      // a call that failed with anything else
  kBlockHasReady = 1u << 3,      // a ready mark (epoll_wait reported this socket)
  kBlockHasData = 1u << 4,       // a read/write that moved bytes
  kBlockHasDiagnosis = 1u << 5,  // stranded / busy / blocked
  kBlockHasConfig = 1u << 6,
  kBlockHasClient = 1u << 7,
  kBlockHasWait = 1u << 8,  // an epoll_wait span
  // An epoll_wait that returned at once (events were waiting: the engine never slept), also
  // marked kBlockHasWait. A block of only these is a busy stretch, never drawn as sleep.
  kBlockHasQuickWait = 1u << 9,
};

// What one event contributes to its block's flags. The fold ORs these over a block's events.
std::uint32_t itemFlags(const TraceEvent& event);

struct TimelineBlock {
  std::int64_t startNs = 0;
  std::int64_t endNs = 0;     // == startNs for a single instant
  std::uint64_t firstId = 0;  // the first event in the block (an id for event())
  std::uint32_t count = 0;    // events folded into this block (1: a single item)
  std::uint32_t flags = 0;    // BlockFlags
  std::int64_t bytes = 0;     // bytes moved by the block's reads and writes
};

struct DepthColumn {
  std::int64_t min = 0;
  std::int64_t max = 0;
  bool valid = false;  // no sample in or before this column: nothing to draw
};

// A span where a socket's bytes (or a listener's connections) wait with no wakeup coming:
// from a `stranded` diagnosis until the next call on that lane (or now, if none yet).
struct StrandedSpan {
  std::int64_t startNs = 0;
  std::int64_t endNs = -1;  // -1: still stranded
  std::int64_t count = 0;   // bytes or connections
  bool connections = false;
  std::uint64_t diagnosisId = 0;
};

// Ownership: owned and used by one thread (the UI thread); fed with drained trace events.
class TimelineModel {
 public:
  // maxEvents: at about 40 B an event (timeline/event_store.hpp, timeline/lane.hpp), ten
  // million cost about 400 MB. At most 2^31: the lanes keep ids and positions in 32 bits.
  explicit TimelineModel(std::size_t maxEvents = 10'000'000);

  // Appends events in sequence order (as Recorder::drainInto yields them). When more than
  // maxEvents are retained, the oldest are dropped (droppedByCap counts them).
  void append(std::span<const TraceEvent> events);
  // Forgets every event and lane; ids go on from endId(), so an old id never aliases a new
  // event.
  void clear();
  // How many times clear() ran: a view holding lane or time positions starts afresh when it
  // changes (a lesson replay, a reset, a file opened).
  std::uint64_t clearCount() const { return clears_; }
  // Imported traces name their lanes from a table their events index (LaneTracker::
  // setLabels); set it after clear() and before the first append(). clear() forgets it.
  void setLaneLabels(std::vector<std::string> labels);
  // A copy of every retained event in order, for exports.
  std::vector<TraceEvent> retainedEvents() const;

  // Ids are global and increase forever: id - firstRetainedId() indexes the store.
  std::uint64_t firstRetainedId() const;
  std::uint64_t endId() const;                      // one past the last id
  // A copy: the store keeps events packed (timeline/event_store.hpp). id must be retained.
  TraceEvent event(std::uint64_t id) const;
  // Calls f(id, event) for the retained ids in [fromId, toId), in id order: a scan over many
  // events decodes each once, where event(id) decodes up to 15 before it.
  void forEachEvent(std::uint64_t fromId, std::uint64_t toId,
                    const std::function<void(std::uint64_t, const TraceEvent&)>& f) const;
  std::uint32_t laneOf(std::uint64_t id) const;
  std::uint64_t droppedByCap() const;
  // Heap bytes the model holds for its events and indexes (capacities, not sizes): divided by
  // the retained events, what an event costs.
  std::size_t memoryBytes() const;

  const std::vector<LaneInfo>& lanes() const;
  std::int64_t firstNs() const;  // earliest retained timestamp (0 if empty)
  std::int64_t lastNs() const;   // latest end of anything retained

  // Items of `lane` overlapping [t0, t1], in time order, as [begin, end) positions in the
  // lane's column (binary search; O(log n)). Items are sorted by start, so the range may
  // also hold a few items that end before t0 while lying under a longer span begun earlier.
  // Each event is one item on its lane (laneOf); a Ready is also a mark on its socket's
  // lane; a Sample is no item: it feeds the lane's depth series.
  struct Range {
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  Range visible(std::uint32_t lane, std::int64_t t0, std::int64_t t1) const;
  // Positions index the lane's items in time order; they shift when old events are dropped,
  // so hold ids, not positions, across append().
  std::size_t laneSize(std::uint32_t lane) const;
  std::uint64_t laneItemId(std::uint32_t lane, std::size_t position) const;

  // The lane's items in [t0, t0 + nsPerPixel * widthPx], folded: consecutive items that end
  // within `minPx` pixels of the block's start merge into one block with a count. Output
  // size is bounded by widthPx / minPx + 2, whatever the number of events; counts sum to the
  // visible range's size; an item reaching minPx past where its block may begin — in
  // particular any item at least 2 x minPx wide that overlaps no earlier item — is a block of
  // count 1, drawn as itself. The exact rule is at LaneItems::fold (timeline/lane_fold.cpp).
  // Cost: O(blocks x log n).
  void fold(std::uint32_t lane, std::int64_t t0, double nsPerPixel, int widthPx, float minPx,
            std::vector<TimelineBlock>& out) const;

  // Receive-queue depth of a socket lane (accept queue of a listener) from its samples, as
  // min/max per pixel column; a column without a sample carries the previous value (also
  // past the lane's end: clip to LaneInfo::endNs when drawing). Cost: O(columns + samples
  // inside the window).
  void depthColumns(std::uint32_t lane, std::int64_t t0, double nsPerPixel, int columns,
                    std::vector<DepthColumn>& out) const;

  // Ids of the Config events (knob changes) in [t0, t1], in time order, for markers drawn
  // across every lane. Binary searched.
  std::vector<std::uint64_t> configMarkers(std::int64_t t0, std::int64_t t1) const;
  // Depth samples retained for `lane` (0: nothing to draw under it).
  std::size_t laneSampleCount(std::uint32_t lane) const;

  std::vector<StrandedSpan> strandedSpans(std::uint32_t lane, std::int64_t t0,
                                          std::int64_t t1) const;

  // The event on `lane` nearest to time t within toleranceNs (a span contains t, or an
  // instant lies within the tolerance); nullopt if none. Ties go to the narrower item (a
  // call inside a Blocked span), then to the later one. O(log n).
  std::optional<std::uint64_t> hitTest(std::uint32_t lane, std::int64_t t,
                                       std::int64_t toleranceNs) const;

 private:
  struct Impl;
  // Implementation detail left to timeline/model.cpp; kept behind a pointer so the header
  // stays stable for the window code.
  std::shared_ptr<Impl> impl_;
  std::uint64_t clears_ = 0;
};

}  // namespace eps
