// A compared trace as the compare view draws it: a few rows (the epoll_wait calls, the
// listener, each connection) of items placed on the aligned axis, computed once per
// comparison so a frame only maps them to pixels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/timeline/aligned_axis.hpp"

namespace eps::gui {

enum class BandItem : std::uint8_t {
  Wait,
  Ready,
  Accept,
  Read,
  ReadEagain,
  Write,
  Ctl,
  Close,
  Stranded
};

struct BandSpan {
  std::uint32_t row = 0;
  BandItem item = BandItem::Wait;
  double from = 0, to = 0;  // positions on the aligned axis (AlignedAxis::position)
};

// Ownership: a plain value, built by the compare job, read by the UI thread.
struct Band {
  std::vector<std::string> rows;  // "epoll" (its epoll_wait calls; "poll" for poll's), "listen",
                                  // "fd 5", ...
  std::vector<BandSpan> spans;    // in trace order
};

// Side `side`'s engine calls, readiness reports and stranded spans on `axis`.
Band buildBand(const std::vector<TraceEvent>& events, const AlignedAxis& axis, std::size_t side);

}  // namespace eps::gui
