// A synthetic trace for measuring the window: N events shaped like a busy engine (epoll_wait
// spans, ready marks, reads and writes with EAGAIN, queue samples) over a few sockets.
#pragma once

#include <cstddef>
#include <vector>

#include "core/base/trace_event.hpp"

namespace eps::gui {

std::vector<TraceEvent> syntheticTrace(std::size_t events, std::int64_t startNs);

}  // namespace eps::gui
