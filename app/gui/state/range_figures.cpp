#include "app/gui/state/range_figures.hpp"

#include <cerrno>

namespace eps::gui {

// Per lane, a binary search to the range and a walk over what it holds: the cost follows the
// calls inside the range, not the trace.
RangeFigures rangeFigures(const TimelineModel& model, std::int64_t startNs, std::int64_t endNs) {
  RangeFigures f;
  f.durationNs = endNs - startNs;
  for (const LaneInfo& lane : model.lanes()) {
    const TimelineModel::Range range = model.visible(lane.id, startNs, endNs);
    for (std::size_t i = range.begin; i < range.end; ++i) {
      const TraceEvent& e = model.event(model.laneItemId(lane.id, i));
      if (e.kind != EventKind::Call || e.tNs < startNs || e.tNs >= endNs) continue;
      ++f.calls;
      if (isReadinessWait(e.call) && e.ret > 0) ++f.wakeups;
      if (e.ret < 0 && e.err == EAGAIN) ++f.eagains;
      f.bytes += bytesMoved(e);
    }
  }
  return f;
}

}  // namespace eps::gui
