// Search on the timeline (gui/timeline/search.cpp): the field and its stepping, kept current as
// events arrive.
#pragma once

#include "app/gui/state/frame.hpp"

namespace eps::gui {

// Rescans when the text or the log's filter changed, else scans only the new events.
void updateSearch(Frame& frame);
// The search field, previous / next, "3 of 17". Enter or F3 steps forward, Shift+F3 back.
void searchBar(Frame& frame, float width);

}  // namespace eps::gui
