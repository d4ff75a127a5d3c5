// What every part of the window draws with: the Frame (the workspace, the UI state, the theme
// and the window of this frame), the rectangle a panel gets, and the small helpers all panels
// and the timeline share. Used by gui/panels and gui/timeline; uses neither.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "app/gui/state/theme.hpp"
#include "app/gui/state/ui_state.hpp"
#include "app/gui/state/window.hpp"
#include "app/gui/state/workspace.hpp"
#include "app/gui/text/ui_text.hpp"

namespace eps::gui {

struct Frame {
  Workspace& workspace;
  UiState& ui;
  const Theme& theme;
  Window& window;
};

struct Rect {
  ImVec2 min;
  ImVec2 size;
};

// Opens a fixed, titled panel window at `rect` (a title starting with '#' has no title bar);
// returns ImGui::Begin's result. Records the panel's box in the frame report.
bool beginPanel(const char* title, const Rect& rect, ImGuiWindowFlags extra = 0);

// Widgets that flow: the next one goes on this line if `nextWidth` (or the text's button)
// fits, else on the next. At a projector's font the toolbar wraps.
void sameLineIfFits(float nextWidth);
void sameLineIfFits(const char* nextText);

// A paragraph wrapped at the space left on the line (or at `width`), broken where English and
// Chinese may break (app/gui/text/line_break.hpp), not where Dear ImGui would: it breaks only
// at spaces and would cut a Chinese sentence inside `epoll_wait`. `color` 0: the text color.
void wrappedText(std::string_view text, ImU32 color = 0, float width = 0.0F);
void wrappedTextDisabled(std::string_view text);

// The status line's message (kept in English) as the window shows it.
std::string shownStatus(const std::string& english);
// The status line at the end of a toolbar: shownStatus, wrapped (nothing when there is none).
void statusLine(const UiState& ui);

// Records the last widget's box under `name` (for --state-out: where a script clicks it).
// Only a widget some of which is on screen (not scrolled or clipped out of its panel).
inline void noteWidget(UiState& ui, const std::string& name) {
  if (!ImGui::IsItemVisible()) return;
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  // What the user can click: the part inside the window's clip rectangle.
  const ImVec2 clipMin = ImGui::GetWindowDrawList()->GetClipRectMin();
  const ImVec2 clipMax = ImGui::GetWindowDrawList()->GetClipRectMax();
  min = {std::max(min.x, clipMin.x), std::max(min.y, clipMin.y)};
  max = {std::min(max.x, clipMax.x), std::min(max.y, clipMax.y)};
  if (max.x <= min.x || max.y <= min.y) return;
  ui.report.widgets[name] = {min.x, min.y, max.x - min.x, max.y - min.y};
}

// A text field bound to a std::string (Dear ImGui 1.86 without the stdlib helpers), `widthEm`
// font heights wide; its box is noted under the id without its "##". True when Enter was
// pressed in it.
bool textField(UiState& ui, const char* id, std::string& value, float widthEm = 26,
               ImGuiInputTextFlags flags = 0);

// Inside a popup: Escape closes it (Dear ImGui does so only with keyboard navigation on,
// which would take Space, the step key).
inline void closePopupOnEscape() {
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ImGui::CloseCurrentPopup();
}

}  // namespace eps::gui
