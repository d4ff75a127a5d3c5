// The parts of the one Chinese table (ui_text.hpp), one per region of the window, joined by
// chineseTable() (zh_table.cpp). Each English string is in exactly one part (a test holds it).
#pragma once

#include <span>

#include "app/gui/text/ui_text.hpp"

namespace eps::gui {

std::span<const Translation> chineseControls();  // toolbar, File, View, lesson, knobs, clients
std::span<const Translation> chineseViews();     // timeline, log, kernel view, picture, files
std::span<const Translation> chineseEvents();    // core's event lines, knob help, explanations
std::span<const Translation> chineseCounters();  // the counters' meanings (checks/counters.cpp)

}  // namespace eps::gui
