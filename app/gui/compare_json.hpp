// The compare view in --state-out: what is compared, whether it still plays, both sides'
// counters (whole run and per step), the aligned markers with the x each side drew them at,
// and where the timelines and the table are, for tests that drive the window.
#pragma once

#include <nlohmann/json.hpp>

#include "app/gui/state/ui_state.hpp"

namespace eps::gui {

nlohmann::json compareJson(const UiState& ui);

}  // namespace eps::gui
