// Keys for a teacher at a projector: Space step wakeup, S step call, P run/pause, R reset,
// F fit, L follow live. Ignored while a text field has the keyboard.
#include <GLFW/glfw3.h>

#include "app/gui/panels.hpp"

namespace eps::gui {

void handleShortcuts(Frame& frame) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_F, false)) frame.ui.timeline.fitRequested = true;
  if (!frame.session.live()) return;  // a file: no engine to step
  Engine& engine = frame.session.engine();
  // Dear ImGui 1.86 indexes keys by the backend's codes (GLFW_KEY_*), not ImGuiKey values.
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) engine.stepWakeup();
  if (ImGui::IsKeyPressed(GLFW_KEY_S, false)) engine.stepCall();
  if (ImGui::IsKeyPressed(GLFW_KEY_P, false)) {
    engine.status().mode == EngineMode::Paused ? engine.run() : engine.pause();
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_R, false)) frame.session.reset();
  if (ImGui::IsKeyPressed(GLFW_KEY_L, false)) {
    frame.ui.timeline.followLive = !frame.ui.timeline.followLive;
  }
}

}  // namespace eps::gui
