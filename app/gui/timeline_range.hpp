// A range of time selected on the timeline, in figures: what happened inside it.
#pragma once

#include <cstdint>

#include "core/timeline_model.hpp"

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

}  // namespace eps::gui
