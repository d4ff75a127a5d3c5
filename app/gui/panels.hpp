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

// A file open instead of the live engine (viewer_panels.cpp).
void drawViewerToolbar(Frame& frame, const Rect& rect);
void drawTourPanel(Frame& frame, const Rect& rect);
void drawImportPanel(Frame& frame, const Rect& rect);
// Shows a tour step's log lines on the timeline (from the next frame).
void showTourStep(UiState& ui, const ViewedTrace& viewed, std::size_t step);
// The toolbar's "File" button and its popup: open a log, tour or session; export (file_popup.cpp).
void drawFileControls(Frame& frame);

}  // namespace eps::gui
