#include "app/gui/state/ui_state.hpp"

namespace eps::gui {

UiState makeInitialUiState() {
  UiState ui;
  ui.logFilter.kinds.fill(true);
  // Samples are many and already drawn as the depth under each lane.
  ui.logFilter.kinds[static_cast<std::size_t>(EventKind::Sample)] = false;
  return ui;
}

}  // namespace eps::gui
