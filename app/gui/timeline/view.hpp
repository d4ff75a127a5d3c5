// The timeline panel: lanes, ruler, overview, navigation and search, in every mode.
#pragma once

#include "app/gui/state/frame.hpp"

namespace eps::gui {

void drawTimelinePanel(Frame& frame, const Rect& rect);

}  // namespace eps::gui
