// Everything the window remembers between frames, in one place: no function-local statics
// (they would leak between screenshots and tests).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/start_order.hpp"
#include "core/trace_event.hpp"

namespace eps::gui {

enum class Language : std::uint8_t { English, Chinese };

struct TimelineViewState {
  std::int64_t startNs = 0;    // left edge of the visible window
  double nsPerPixel = 50'000;  // zoom
  bool followLive = true;      // keep the newest events in view
  // While following: show the last followSpanNs, or everything when the trace is shorter.
  double followSpanNs = 10e9;
  bool fitRequested = false;   // fit everything on the next frame (and stop following)
  std::int64_t fitFromNs = 0;  // with fitRequested: start here instead of the first event
  double zoomSpanNs = 0;       // when > 0: show this span around zoomCenterNs next frame
  std::int64_t zoomCenterNs = 0;
  float laneHeight = 42;
};

struct LogFilter {
  int fd = -1;                                // -1: every socket
  std::array<bool, kEventKindCount> kinds{};  // shown kinds
  std::string text;
};

// The event log's filtered view of the timeline's ids in start order (times never run
// backwards, though events arrive as they complete), extended as events arrive and rebuilt
// when the filter changes.
struct LogCache {
  StartOrder order;
  std::vector<StartOrder::Entry> batch;  // scratch: the ids that passed the filter this frame
  std::uint64_t scannedTo = 0;
  bool dirty = true;
  bool followTail = true;
};

struct UiState {
  TimelineViewState timeline;
  std::optional<std::uint64_t> selected;   // an event id in the timeline model
  bool revealSelectionInLog = false;       // the timeline selected something: scroll the log
  bool revealSelectionInTimeline = false;  // the log selected something: centre the timeline
  LogFilter logFilter;
  LogCache logCache;

  // Presenter mode.
  float fontScale = 1.0f;
  bool highContrast = false;
  bool fullscreen = false;
  Language language = Language::English;
  int paceMs = 0;
  bool showLegend = true;

  // Clients panel inputs.
  int sendBytes = 4096;
  std::string sendText = "hello";
  int trickleBytes = 10;
  int trickleMs = 100;
  int selectedClient = 0;

  // Lessons.
  std::string lessonsDir;  // where the picker looks
  std::string lessonFile;  // the lesson open, if any
  bool chineseAvailable = false;

  // Files: the path typed in the File popup, where tours are looked for, the tour's step.
  std::string filePath;
  std::string exportPath = "epollscope-trace.json";
  std::string sessionPath = "epollscope-session.eps";
  std::string tracesDir;
  int tourStep = 0;

  bool quitRequested = false;
  std::string statusMessage;  // a one-line notice shown in the toolbar
};

UiState makeInitialUiState();

}  // namespace eps::gui
