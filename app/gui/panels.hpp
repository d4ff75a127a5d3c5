// One function per panel (Dear ImGui's demo style): each draws into a rectangle of the fixed
// layout, reads and changes only what the Frame hands it.
#pragma once

#include <imgui.h>

#include "app/gui/session.hpp"
#include "app/gui/theme.hpp"
#include "app/gui/ui_state.hpp"
#include "app/gui/window.hpp"

namespace eps::gui {

struct Frame {
  Session& session;
  UiState& ui;
  const Theme& theme;
  Window& window;
};

struct Rect {
  ImVec2 min;
  ImVec2 size;
};

// Opens a fixed, undecorated-but-titled panel window at `rect`; returns ImGui::Begin's result.
bool beginPanel(const char* title, const Rect& rect);

void drawToolbar(Frame& frame, const Rect& rect);
void drawKnobsPanel(Frame& frame, const Rect& rect);
void drawClientsPanel(Frame& frame, const Rect& rect);
void drawTimelinePanel(Frame& frame, const Rect& rect);
void drawEventLog(Frame& frame, const Rect& rect);
void drawEventDetails(Frame& frame);  // inside the event log's window, below its lines
void drawKernelPanel(Frame& frame, const Rect& rect);
void drawLessonPanel(Frame& frame, const Rect& rect);
void handleShortcuts(Frame& frame);

}  // namespace eps::gui
