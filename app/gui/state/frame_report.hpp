// Where the last drawn frame put things: each panel's box, the timeline's canvas and every
// lane's row. Filled by the panels while they draw, read by the view-state writer
// (--state-out) so tests that drive the window with real X input know where to point and can
// check what the user would see.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace eps::gui {

struct Box {
  float x = 0, y = 0, w = 0, h = 0;
};

struct LaneReport {
  std::uint32_t id = 0;
  std::string name;
  std::string kind;
  float y = 0;  // top of the row in window pixels (may be outside the canvas when scrolled)
  float height = 0;
  bool drawn = false;  // some of the row is inside the visible lanes area
  bool pinned = false;
  bool collapsed = false;
  int matchesDrawn = 0;  // search highlights drawn on this row
};

// The compare view: where each side's timeline and the counters table were drawn, the x of
// each aligned script marker on each side (equal when the sides are aligned), and the counter
// rows drawn highlighted as differing.
struct CompareReport {
  bool drawn = false;
  Box bands[2];
  Box table;
  std::vector<float> markerX[2];
  std::vector<std::string> highlighted;
  int rowsDrawn = 0;
  // The counter names' column: its room, and the widest highlighted name (fits: <= room).
  float nameRoom = 0;
  float highlightedNameWidth = 0;
};

// Ownership: part of UiState; rewritten by the UI thread each frame.
struct FrameReport {
  std::map<std::string, Box> panels;  // by panel name: "timeline", "log", "kernel", ...
  std::map<std::string, Box> widgets;  // buttons and fields a script may click, by name
  Box timelineCanvas;  // the lanes' drawing area (right of the labels, below the ruler)
  Box laneLabels;      // the lane names' column
  Box overview;        // the whole-trace strip
  Box overviewWindow;  // the visible window drawn on it
  Box ruler;
  float lanesContentHeight = 0;  // every shown lane stacked: more than the canvas scrolls
  float lanesScrollY = 0;
  float lanesScrollMaxY = 0;
  std::vector<LaneReport> lanes;  // every lane the filter shows, in order
  std::size_t hiddenLanes = 0;    // lanes the filter or the user hid
  std::string toolbarStatus;      // what the toolbar says the engine is doing
  std::string pictureEngine;      // the epoll picture's line for the engine thread, in English
  // The lesson panel: the step whose predict answer it drew (-1: none), and whether the
  // learner's locked choice was right. The answer waits for the step's checks.
  int lessonAnswerStep = -1;
  bool lessonAnswerRight = false;
  // The step's text in the lesson panel's scrolled part: the height from that part's top to
  // the text's last line (needed), and the part's visible height (shown). needed <= shown: the
  // text is read without scrolling. 0, 0: no lesson text drawn.
  float lessonTextNeeded = 0;
  float lessonTextShown = 0;
  CompareReport compare;
  void clear() { *this = FrameReport{}; }
};

}  // namespace eps::gui
