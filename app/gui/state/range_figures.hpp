// A range of time selected on the timeline, in figures: what happened inside it.
#pragma once

#include <cstdint>

#include "core/timeline/model.hpp"

namespace eps::gui {

// Counted over the calls that start inside [startNs, endNs), the rows a CSV export of the
// same range holds: every call; wakeups are epoll_wait calls that returned events; EAGAINs
// are calls that failed with EAGAIN; bytes are what successful reads and writes moved.
struct RangeFigures {
  std::uint64_t calls = 0;
  std::uint64_t wakeups = 0;
  std::uint64_t eagains = 0;
  std::int64_t bytes = 0;
  std::int64_t durationNs = 0;
};

RangeFigures rangeFigures(const TimelineModel& model, std::int64_t startNs, std::int64_t endNs);

// The figures of the range on show, counted again only when the range or the trace changed:
// a range over a million calls is not walked every frame.
// Ownership: part of the timeline panel's state, UI thread only.
class RangeFiguresCache {
 public:
  const RangeFigures& get(const TimelineModel& model, std::int64_t startNs, std::int64_t endNs) {
    const Key key{startNs, endNs, model.firstRetainedId(), model.endId(), model.clearCount()};
    if (!(key == key_)) {
      figures_ = rangeFigures(model, startNs, endNs);
      key_ = key;
    }
    return figures_;
  }

 private:
  struct Key {
    std::int64_t startNs = 0, endNs = -1;
    std::uint64_t firstId = 0, endId = 0, clears = 0;
    bool operator==(const Key&) const = default;
  };
  Key key_;
  RangeFigures figures_;
};

}  // namespace eps::gui
