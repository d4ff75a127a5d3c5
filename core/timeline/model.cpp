// TimelineModel: routes each drained event to its lane's indexes (timeline/lane.hpp) and
// bounds the store by maxEvents, dropping the oldest in batches.
#include "core/timeline/model.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/timeline/event_store.hpp"
#include "core/timeline/lane.hpp"
#include "core/trace/event_text.hpp"

namespace eps {
namespace {

// Events dropped at once when the cap is exceeded, as a fraction of the cap: dropping in
// batches keeps append amortised O(1) while any per-batch work is O(cap).
constexpr std::size_t kDropFractionDivisor = 8;
// Every block flag has its index in a lane's items (timeline/lane.hpp), or folded blocks
// would miss it in their middle.
static_assert(kBlockHasQuickWait < (1u << LaneItems::kFlagBits));
// Retained ids and lane positions must span less than 2^32 (LaneItems keeps 32 bits of
// them), also while a drop batch of maxEvents / kDropFractionDivisor is pending.
constexpr std::size_t kMaxCap = std::size_t{1} << 31;

std::uint32_t callFlags(const TraceEvent& event) {
  std::uint32_t flags = kBlockHasCall;
  if (isReadinessWait(event.call)) flags |= kBlockHasWait;
  if (waitReturnedAtOnce(event)) flags |= kBlockHasQuickWait;
  if (event.ret < 0) flags |= event.err == EAGAIN ? kBlockHasEagain : kBlockHasError;
  if ((event.call == Call::Read || event.call == Call::Write) && event.ret > 0) {
    flags |= kBlockHasData;
  }
  return flags;
}

}  // namespace

std::uint32_t itemFlags(const TraceEvent& event) {
  switch (event.kind) {
    case EventKind::Call:
      return callFlags(event);
    case EventKind::Ready:
      return kBlockHasReady;
    case EventKind::Stranded:
    case EventKind::Busy:
    case EventKind::Blocked:
    case EventKind::Herd:
      return kBlockHasDiagnosis;
    case EventKind::Crash:
      return kBlockHasDiagnosis | kBlockHasError;
    case EventKind::Config:
      return kBlockHasConfig;
    case EventKind::ClientAction:
      return kBlockHasClient |
             (static_cast<ClientOp>(event.op) == ClientOp::Error ? kBlockHasError : 0u);
    case EventKind::ClientData:  // b: echoed bytes that did not match — corruption or loss
      return kBlockHasClient | (event.b > 0 ? kBlockHasError : 0u);
    case EventKind::Sample:
    case EventKind::Control:
    case EventKind::Step:
    case EventKind::Note:
      break;
  }
  return 0;
}

namespace {

// How an event is drawn: calls and client actions span their duration; a Blocked diagnosis
// is recorded when the stall ends, so its span reaches back `a` ns; the rest are instants.
LaneItem itemOf(const TraceEvent& event, std::uint64_t id) {
  LaneItem item;
  item.id = id;
  item.flags = itemFlags(event);
  item.startNs = event.tNs;
  item.endNs = event.tNs + std::max<std::int64_t>(event.durNs, 0);
  if (event.kind == EventKind::Blocked) {
    item.startNs = event.tNs - std::max<std::int64_t>(event.a, 0);
    item.endNs = event.tNs;
  }
  const bool moves = event.kind == EventKind::Call &&
                     (event.call == Call::Read || event.call == Call::Write) && event.ret > 0;
  item.bytes = moves ? event.ret : 0;
  return item;
}

struct LaneData {
  LaneItems items;
  TimeSeries depth;
  StrandedTrack stranded;
};

// The ready-list poll measures no queue: its samples are not drawn as a depth.
bool drawsDepth(const TraceEvent& sample) {
  return static_cast<SampleOf>(sample.op) != SampleOf::ReadyList;
}

}  // namespace

// Ownership: owned by its TimelineModel, used on the model's (UI) thread only.
struct TimelineModel::Impl {
  explicit Impl(std::size_t cap, std::uint64_t nextId)
      : maxEvents(std::clamp<std::size_t>(cap, 1, kMaxCap)), firstId(nextId) {}

  void add(const TraceEvent& event);
  void trim();
  void dropOldest(std::size_t n);
  void recomputeBounds();
  void noteBounds(std::int64_t start, std::int64_t end);
  const LaneData* lane(std::uint32_t id) const { return id < lanes.size() ? &lanes[id] : nullptr; }
  void checkRetained(std::uint64_t id) const {
    if (id < firstId || id - firstId >= events.size()) {
      throw std::out_of_range("timeline event " + std::to_string(id) + " is not retained");
    }
  }

  std::size_t maxEvents;
  std::vector<std::string> laneLabels;  // imports: the names `conn` indexes (tracker points here)
  LaneTracker tracker;
  EventStore events;  // id - firstId indexes it
  std::uint64_t firstId = 0;
  std::uint64_t dropped = 0;
  std::vector<LaneData> lanes;  // index: lane id, grown as the tracker opens lanes
  TimeSeries configs;
  bool haveBounds = false;
  std::int64_t firstNs = 0;
  std::int64_t lastNs = 0;
};

void TimelineModel::Impl::add(const TraceEvent& event) {
  const std::uint64_t id = firstId + events.size();
  const std::uint32_t home = tracker.assign(event);
  // The epoll_wait lane shows the wait; the socket's lane shows that it woke.
  const std::uint32_t mark =
      event.kind == EventKind::Ready ? tracker.fdLane(event) : LaneTracker::kNoLane;
  if (lanes.size() < tracker.lanes().size()) lanes.resize(tracker.lanes().size());
  events.push({event, home, mark});

  LaneData& data = lanes[home];
  if (event.kind == EventKind::Sample) {
    // a: receive queue of a socket, accept queue of a listener — both "waiting to be taken".
    // The ready-list poll measures no queue: it is kept (the event log lists its call), not
    // drawn as a depth.
    if (drawsDepth(event)) data.depth.add(event.tNs, event.a, id);
    noteBounds(event.tNs, event.tNs);
    return;
  }
  const LaneItem item = itemOf(event, id);
  // The engine's own control eventfd waking it is its plumbing, not a socket's story: drawn
  // on the control lane alone, so a view that hides that lane (a lesson's, by default) hides
  // it whole. The event stays: listed, selectable, exported.
  const bool controlReady = mark != LaneTracker::kNoLane && (event.flags & kEventImported) == 0 &&
                            tracker.lanes()[mark].kind == LaneKind::Control;
  if (!controlReady) data.items.add(item);
  if (mark != LaneTracker::kNoLane) lanes[mark].items.add(item);
  if (event.kind == EventKind::Call) data.stranded.onCall(event.tNs);
  if (event.kind == EventKind::Stranded) {
    data.stranded.onStranded(event.tNs, event.a,
                             static_cast<StrandedWhat>(event.op) == StrandedWhat::Connections, id);
  }
  // Knob changes and lesson steps are both drawn across every lane.
  if (event.kind == EventKind::Config || event.kind == EventKind::Step) {
    configs.add(event.tNs, event.a, id);
  }
  noteBounds(item.startNs, item.endNs);
}

void TimelineModel::Impl::noteBounds(std::int64_t start, std::int64_t end) {
  if (!haveBounds) {
    haveBounds = true;
    firstNs = start;
    lastNs = end;
    return;
  }
  firstNs = std::min(firstNs, start);
  lastNs = std::max(lastNs, end);
}

void TimelineModel::Impl::trim() {
  if (events.size() <= maxEvents) return;
  const std::size_t batch = std::max<std::size_t>(1, maxEvents / kDropFractionDivisor);
  dropOldest(std::min(events.size(), std::max(events.size() - maxEvents, batch)));
}

// Ids grow with time, so the dropped items sit at the fronts of their lanes; LaneItems and
// TimeSeries handle the rare late item that sorted in front of a newer one.
void TimelineModel::Impl::dropOldest(std::size_t n) {
  std::vector<std::size_t> itemDrops(lanes.size(), 0);
  std::vector<std::size_t> sampleDrops(lanes.size(), 0);
  std::size_t configDrops = 0;
  events.forEach(0, n, [&](const StoredEvent& stored) {
    if (stored.event.kind == EventKind::Sample) {
      if (drawsDepth(stored.event)) ++sampleDrops[stored.lane];
    } else {
      ++itemDrops[stored.lane];
    }
    if (stored.mark != LaneTracker::kNoLane) ++itemDrops[stored.mark];
    if (stored.event.kind == EventKind::Config || stored.event.kind == EventKind::Step)
      ++configDrops;
  });
  const std::uint64_t newFirst = firstId + n;
  for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
    if (itemDrops[lane] > 0) {
      lanes[lane].items.dropBefore(newFirst, itemDrops[lane]);
      lanes[lane].stranded.dropBefore(newFirst);
    }
    if (sampleDrops[lane] > 0) lanes[lane].depth.dropBefore(newFirst, sampleDrops[lane]);
  }
  configs.dropBefore(newFirst, configDrops);
  events.popFront(n);
  firstId = newFirst;
  dropped += n;
  recomputeBounds();
}

// O(lanes), once per drop batch: what remains decides the bounds.
void TimelineModel::Impl::recomputeBounds() {
  haveBounds = false;
  firstNs = 0;
  lastNs = 0;
  for (const LaneData& data : lanes) {
    if (!data.items.empty()) noteBounds(data.items.firstStart(), data.items.latestEnd());
    if (!data.depth.empty()) noteBounds(data.depth.firstTime(), data.depth.lastTime());
  }
}

// --- TimelineModel ---------------------------------------------------------------------

TimelineModel::TimelineModel(std::size_t maxEvents) : impl_(std::make_shared<Impl>(maxEvents, 0)) {}

void TimelineModel::append(std::span<const TraceEvent> events) {
  for (const TraceEvent& event : events) {
    impl_->add(event);
    impl_->trim();
  }
}

void TimelineModel::clear() {
  impl_ = std::make_shared<Impl>(impl_->maxEvents, endId());
  ++clears_;
}

std::vector<TraceEvent> TimelineModel::retainedEvents() const {
  std::vector<TraceEvent> out;
  out.reserve(impl_->events.size());
  impl_->events.forEach(0, impl_->events.size(),
                        [&out](const StoredEvent& stored) { out.push_back(stored.event); });
  return out;
}

void TimelineModel::setLaneLabels(std::vector<std::string> labels) {
  impl_->laneLabels = std::move(labels);
  impl_->tracker.setLabels(impl_->laneLabels.empty() ? nullptr : &impl_->laneLabels);
}

std::uint64_t TimelineModel::firstRetainedId() const {
  return impl_->firstId;
}
std::uint64_t TimelineModel::endId() const {
  return impl_->firstId + impl_->events.size();
}
std::uint64_t TimelineModel::droppedByCap() const {
  return impl_->dropped;
}
std::size_t TimelineModel::memoryBytes() const {
  std::size_t bytes = impl_->events.memoryBytes() + impl_->configs.memoryBytes();
  bytes += impl_->lanes.capacity() * sizeof(LaneData);
  for (const LaneData& data : impl_->lanes) {
    bytes += data.items.memoryBytes() + data.depth.memoryBytes() + data.stranded.memoryBytes();
  }
  return bytes;
}
const std::vector<LaneInfo>& TimelineModel::lanes() const {
  return impl_->tracker.lanes();
}
std::int64_t TimelineModel::firstNs() const {
  return impl_->firstNs;
}
std::int64_t TimelineModel::lastNs() const {
  return impl_->lastNs;
}

TraceEvent TimelineModel::event(std::uint64_t id) const {
  impl_->checkRetained(id);
  return impl_->events.at(id - impl_->firstId).event;
}

void TimelineModel::forEachEvent(
    std::uint64_t fromId, std::uint64_t toId,
    const std::function<void(std::uint64_t, const TraceEvent&)>& f) const {
  const std::uint64_t from = std::max(fromId, firstRetainedId());
  const std::uint64_t to = std::min(toId, endId());
  if (from >= to) return;
  std::uint64_t id = from;
  impl_->events.forEach(from - impl_->firstId, to - impl_->firstId,
                        [&](const StoredEvent& stored) { f(id++, stored.event); });
}

std::uint32_t TimelineModel::laneOf(std::uint64_t id) const {
  impl_->checkRetained(id);
  return impl_->events.at(id - impl_->firstId).lane;
}

TimelineModel::Range TimelineModel::visible(std::uint32_t lane, std::int64_t t0,
                                            std::int64_t t1) const {
  const LaneData* data = impl_->lane(lane);
  return data ? data->items.visible(t0, t1) : Range{};
}

std::size_t TimelineModel::laneSize(std::uint32_t lane) const {
  const LaneData* data = impl_->lane(lane);
  return data ? data->items.size() : 0;
}

std::uint64_t TimelineModel::laneItemId(std::uint32_t lane, std::size_t position) const {
  const LaneData* data = impl_->lane(lane);
  if (!data || position >= data->items.size()) {
    throw std::out_of_range("timeline lane " + std::to_string(lane) + " has no item " +
                            std::to_string(position));
  }
  return data->items.idAt(position);
}

std::size_t TimelineModel::laneSampleCount(std::uint32_t lane) const {
  const LaneData* data = impl_->lane(lane);
  return data ? data->depth.size() : 0;
}

void TimelineModel::fold(std::uint32_t lane, std::int64_t t0, double nsPerPixel, int widthPx,
                         float minPx, std::vector<TimelineBlock>& out) const {
  out.clear();
  const LaneData* data = impl_->lane(lane);
  if (!data || widthPx <= 0 || !(nsPerPixel > 0.0)) return;
  FoldFrame frame;
  frame.t0 = t0;
  frame.t1 = t0 + static_cast<std::int64_t>(std::floor(nsPerPixel * widthPx));
  // Rounded up, so every claim really is at least minPx wide and the bound holds.
  const double minNs = std::ceil(std::max(static_cast<double>(minPx), 0.0) * nsPerPixel);
  frame.minNs = std::max<std::int64_t>(1, static_cast<std::int64_t>(minNs));
  data->items.fold(frame, out);
}

void TimelineModel::depthColumns(std::uint32_t lane, std::int64_t t0, double nsPerPixel,
                                 int columns, std::vector<DepthColumn>& out) const {
  const LaneData* data = impl_->lane(lane);
  if (!data) {
    out.assign(columns > 0 ? static_cast<std::size_t>(columns) : 0, DepthColumn{});
    return;
  }
  data->depth.columns(t0, nsPerPixel, columns, out);
}

std::vector<StrandedSpan> TimelineModel::strandedSpans(std::uint32_t lane, std::int64_t t0,
                                                       std::int64_t t1) const {
  const LaneData* data = impl_->lane(lane);
  return data ? data->stranded.overlapping(t0, t1) : std::vector<StrandedSpan>{};
}

std::optional<std::uint64_t> TimelineModel::hitTest(std::uint32_t lane, std::int64_t t,
                                                    std::int64_t toleranceNs) const {
  const LaneData* data = impl_->lane(lane);
  return data ? data->items.hitTest(t, std::max<std::int64_t>(toleranceNs, 0)) : std::nullopt;
}

std::vector<std::uint64_t> TimelineModel::configMarkers(std::int64_t t0, std::int64_t t1) const {
  return impl_->configs.idsIn(t0, t1);
}

}  // namespace eps
