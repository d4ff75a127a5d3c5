// The window's keys, read once per frame whatever widget has focus (shortcuts.cpp says which).
#pragma once

#include "app/gui/state/frame.hpp"

namespace eps::gui {

void handleShortcuts(Frame& frame);

}  // namespace eps::gui
