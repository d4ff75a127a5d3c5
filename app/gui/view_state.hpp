// --state-out: the window's view state as JSON after every drawn frame (view_state.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "app/gui/panels/panels.hpp"

namespace eps::gui {

// Writes the state of the frame just drawn to `path` (atomically); "" or why not.
std::string writeViewState(const std::string& path, Frame& frame, std::uint64_t frameNumber);

}  // namespace eps::gui
