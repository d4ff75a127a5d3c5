// A synthetic trace for measuring the window: N events shaped like a busy engine (epoll_wait
// spans, ready marks, reads and writes with EAGAIN, queue samples) over a few sockets.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/timeline/model.hpp"

namespace eps::gui {

// Appends `events` synthetic events to `model`, generated and appended in chunks so that no
// more than one chunk exists outside the model at any time (10 M events as one vector would
// cost 800 MB on their own). Returns the time of the middle event (0 when `events` is 0).
std::int64_t appendSyntheticTrace(TimelineModel& model, std::size_t events, std::int64_t startNs);

}  // namespace eps::gui
