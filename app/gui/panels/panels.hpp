// One function per panel (Dear ImGui's demo style): each draws into a rectangle of the fixed
// layout, reads and changes only what the Frame hands it.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <string>

#include "app/gui/theme.hpp"
#include "app/gui/ui_state.hpp"
#include "app/gui/window.hpp"
#include "app/gui/workspace.hpp"

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
// fits, else on the next (toolbar.cpp). At a projector's font the toolbar wraps.
void sameLineIfFits(float nextWidth);
void sameLineIfFits(const char* nextText);
// "View": the presenter's settings (font, applied when the slider is let go; contrast; full
// screen; legend; language) in a popup.
void viewMenu(Frame& frame);
// Reset (R): free play's engine restarts (a lesson replays); a failure is the status line.
void resetEngine(Frame& frame);
// At the end of a toolbar: how tall its content was, for the layout's next frame.
void measureToolbar(UiState& ui);

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

// Inside a popup: Escape closes it (Dear ImGui does so only with keyboard navigation on,
// which would take Space, the step key).
inline void closePopupOnEscape() {
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ImGui::CloseCurrentPopup();
}

// Free play or a lesson. The toolbar (Reset) and the lesson panel (open, close a lesson) may
// replace the mode's engine or the mode itself: they ask the workspace for what they drive.
// The others draw the controls they are handed.
void drawToolbar(Frame& frame, const Rect& rect);
void drawLessonPanel(Frame& frame, const Rect& rect);
void drawKnobsPanel(Frame& frame, Controls& controls, const Rect& rect);
void drawClientsPanel(Frame& frame, Controls& controls, const Rect& rect);
void drawKernelPanel(Frame& frame, const Controls& controls, const Rect& rect);
// Every mode.
void drawTimelinePanel(Frame& frame, const Rect& rect);
void drawEventLog(Frame& frame, const Rect& rect);
void drawEventDetails(Frame& frame);  // inside the event log's window, below its lines
void handleShortcuts(Frame& frame);

// A file open instead of the live engine (viewer_panels.cpp). The toolbar may go back to the
// live engine, which closes the file.
void drawViewerToolbar(Frame& frame, const Rect& rect);
void drawTourPanel(Frame& frame, FileMode& file, const Rect& rect);
void drawImportPanel(Frame& frame, const FileMode& file, const Rect& rect);
// Shows a tour step's log lines on the timeline (from the next frame).
void showTourStep(UiState& ui, const ViewedTrace& viewed, std::size_t step);
// The toolbar's "File" button and its popup: open a log, tour or session; export (file_popup.cpp).
void drawFileControls(Frame& frame);

}  // namespace eps::gui
