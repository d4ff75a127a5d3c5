// One function per panel (Dear ImGui's demo style): each draws into a rectangle of the fixed
// layout, reads and changes only what the Frame hands it.
#pragma once

#include "app/gui/state/frame.hpp"

namespace eps::gui {

// "View": the presenter's settings (font, applied when the slider is let go; contrast; full
// screen; legend; language) in a popup.
void viewMenu(Frame& frame);
// Reset (R): free play's engine restarts (a lesson replays); a failure is the status line.
void resetEngine(Frame& frame);
// On the toolbar's line: `nc 127.0.0.1 PORT`, its banner as a tooltip, and a copy button.
void drawConnectCommand(int port);
// At the end of a toolbar: how tall its content was, for the layout's next frame.
void measureToolbar(UiState& ui);
// What the engine is doing right now, as the toolbar says it ("paused before read(7, 100)"),
// in English (`say` = english, for --state-out) or the window's language (`say` = tr).
std::string engineDoing(const EngineStatus& status, Translator say);

// Free play or a lesson. The toolbar (Reset) and the lesson panel (open, close a lesson) may
// replace the mode's engine or the mode itself: they ask the workspace for what they drive.
// The others draw the controls they are handed.
void drawToolbar(Frame& frame, const Rect& rect);
void drawLessonPanel(Frame& frame, const Rect& rect);
void drawKnobsPanel(Frame& frame, Controls& controls, const Rect& rect);
void drawClientsPanel(Frame& frame, Controls& controls, const Rect& rect);
void drawKernelPanel(Frame& frame, const Controls& controls, const Rect& rect);
// A lesson that traces a bundled example (example_panels.cpp): its toolbar and, in place of
// the engine's knobs and kernel view, what is traced and where its sockets' state shows.
bool tracesExample(Frame& frame);
void drawExampleToolbar(Frame& frame);
void drawExamplePanel(Frame& frame, const Rect& rect);
void drawExampleKernelPanel(Frame& frame, const Rect& rect);
// Every mode.
void drawEventLog(Frame& frame, const Rect& rect);
// The epoll picture: interest list, ready list, queues as buckets, the engine's position, at
// the time cursor or now (epoll_picture.cpp).
void drawEpollPicture(Frame& frame, const Rect& rect);
void drawEventDetails(Frame& frame);  // inside the event log's window, below its lines

// A file open instead of the live engine (viewer_panels.cpp). The toolbar may go back to the
// live engine, which closes the file.
void drawViewerToolbar(Frame& frame, const Rect& rect);
void drawTourPanel(Frame& frame, FileMode& file, const Rect& rect);
void drawImportPanel(Frame& frame, const FileMode& file, const Rect& rect);
// Shows a tour step's log lines on the timeline (from the next frame).
void showTourStep(UiState& ui, const ViewedTrace& viewed, std::size_t step);
// Two runs side by side (compare_panel.cpp, compare_view.cpp, compare_timeline.cpp): the form
// that asks for them, the view that replaces the panels while one is on show, and its aligned
// timelines.
void openCompareSetup(UiState& ui, bool sessions);
void drawCompareSetup(Frame& frame);
void drawCompareView(Frame& frame, const Rect& area);
void drawCompareTimelines(Frame& frame, const CompareResult& result, const Rect& rect);
// The toolbar's "File" button and its popup: open a log, tour or session; export (file_popup.cpp).
void drawFileControls(Frame& frame);

}  // namespace eps::gui
