// Keys for a teacher at a projector: Space step wakeup, S step call, P run/pause, R reset,
// F fit, L follow live, Z zoom to the selected range, Escape clear it (and the time cursor),
// [ and ] step the time cursor call by call, E the epoll picture, Ctrl +/-/0 the font.
// Ignored while a text field has the keyboard; any other widget clicked last keeps them.
#include "app/gui/shortcuts.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cmath>

#include "app/gui/panels/panels.hpp"

namespace eps::gui {
namespace {

// Ctrl + / Ctrl - / Ctrl 0: the presenter's font, as in a browser.
void fontKeys(UiState& ui) {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.KeyCtrl) return;
  const auto pressed = [](int key) { return ImGui::IsKeyPressed(key, true); };
  float scale = ui.fontScale;
  if (pressed(GLFW_KEY_EQUAL) || pressed(GLFW_KEY_KP_ADD)) scale += 0.1f;
  if (pressed(GLFW_KEY_MINUS) || pressed(GLFW_KEY_KP_SUBTRACT)) scale -= 0.1f;
  if (pressed(GLFW_KEY_0)) scale = 1.0f;
  ui.fontScale = std::clamp(std::round(scale * 10) / 10, 0.8f, 2.5f);
}

void rangeKeys(TimelineViewState& view) {
  if (!view.hasRange) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_Z, false)) {
    view.zoomSpanNs = static_cast<double>(view.rangeEndNs - view.rangeStartNs) * 1.1;
    view.zoomCenterNs = view.rangeStartNs + (view.rangeEndNs - view.rangeStartNs) / 2;
    view.userTookView = true;
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) view.hasRange = false;
}

// The time cursor and the picture that shows the state at it: any mode.
void cursorKeys(UiState& ui, const TimelineModel& model) {
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT_BRACKET, true)) stepCursor(ui.cursor, model, +1);
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT_BRACKET, true)) stepCursor(ui.cursor, model, -1);
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) clearCursor(ui.cursor);
  if (ImGui::IsKeyPressed(GLFW_KEY_E, false)) ui.showPicture = !ui.showPicture;
}

}  // namespace

void handleShortcuts(Frame& frame) {
  const ImGuiIO& io = ImGui::GetIO();
  fontKeys(frame.ui);
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_F, false)) frame.ui.timeline.fitRequested = true;
  rangeKeys(frame.ui.timeline);
  cursorKeys(frame.ui, frame.workspace.timeline());
  Controls* controls = frame.workspace.controls();
  if (controls == nullptr) return;  // a file: no engine to step
  Engine& engine = controls->engine();
  // Dear ImGui 1.86 indexes keys by the backend's codes (GLFW_KEY_*), not ImGuiKey values.
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) engine.stepWakeup();
  if (ImGui::IsKeyPressed(GLFW_KEY_S, false)) engine.stepCall();
  if (ImGui::IsKeyPressed(GLFW_KEY_P, false)) {
    engine.status().mode == EngineMode::Paused ? engine.run() : engine.pause();
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_R, false)) resetEngine(frame);  // replaces `engine`
  if (ImGui::IsKeyPressed(GLFW_KEY_L, false)) {
    frame.ui.timeline.followLive = !frame.ui.timeline.followLive;
  }
}

}  // namespace eps::gui
