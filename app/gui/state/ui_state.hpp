// Everything the window remembers between frames, in one place: no function-local statics
// (they would leak between screenshots and tests).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/gui/state/compare_job.hpp"
#include "app/gui/state/frame_report.hpp"
#include "app/gui/state/range_figures.hpp"
#include "app/gui/state/time_cursor.hpp"
#include "core/base/trace_event.hpp"
#include "core/strace/live_targets.hpp"
#include "core/trace/start_order.hpp"

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
  // The user moved the view (wheel, drag, overview, a reveal): what just happened is not
  // framed for them until they give the view back (F fits, L follows).
  bool userTookView = false;
  // "Frame what just happened": after a lesson step or a client action, the view shows from
  // frameFromNs to the newest event, growing while the activity goes on (until
  // frameUntilNs, a monotonic deadline), unless the user takes the view.
  std::int64_t frameFromNs = -1;  // -1: nothing to frame
  std::int64_t frameUntilNs = 0;
  // Vertical scroll of the lanes, in pixels from the first unpinned lane.
  float scrollY = 0;
  // A range selected on the ruler (or with Shift+drag): [rangeStartNs, rangeEndNs).
  bool hasRange = false;
  std::int64_t rangeStartNs = 0, rangeEndNs = 0;
  bool draggingRange = false;
  std::int64_t rangeAnchorNs = 0;
  bool draggingOverview = false;
  // Lanes: kept by name, so a lesson replay (a fresh trace, new lane ids) keeps the choice.
  std::set<std::string> pinned, hidden, collapsed;
  bool socketsOnly = false;  // hide files, pipes, the control lane and other non-sockets
  // An import's file lanes (a path in strace's -yy: modules, libraries, locales) are hidden
  // until asked for: a CPython log has a hundred of them and a handful of sockets.
  bool hideFiles = true;
  // Lanes with nothing in view (no call, no bytes waiting, nothing stranded) are drawn thin,
  // so the lanes a step or a range is about fit on screen together.
  bool shrinkIdle = true;
  // A lesson's timeline and event log leave out the engine's own control channel (its command
  // eventfd, the workers' stop eventfds and every call on them): plumbing, not the story,
  // unless showControl asks for it. Hidden means not drawn: exports and checks keep every
  // event. hideControl is what this frame does (set by drawFrame from the mode).
  bool showControl = false;
  bool hideControl = false;
  std::string laneMenuFor;   // the lane whose right-click menu is open
  bool openLaneMenu = false;
};

// Search on the timeline: the events whose log line holds the text (the event log's own
// matcher), highlighted where they are drawn; Enter / F3 steps through them.
struct TimelineSearch {
  std::string text;
  StartOrder matches;  // in the order the log lists them (by start)
  std::vector<StartOrder::Entry> batch;
  std::uint64_t scannedTo = 0;
  bool dirty = true;
  int current = -1;  // position in matches of the one shown, -1: none yet
  // The log filter's kinds and socket the matches were found with (its text is not used).
  std::array<bool, kEventKindCount> kinds{};
  int fd = -1;
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
  bool hidControl = false;  // built leaving out the control lanes' events
};

// The overview strip's event counts per pixel column, recomputed when the trace changes
// (at most a few times a second while it grows).
struct OverviewCache {
  std::uint64_t firstId = 0, endId = 0;
  int columns = 0;
  std::int64_t computedAtNs = 0;
  std::int64_t firstNs = 0, lastNs = 0;
  std::vector<std::uint32_t> counts;
};

// The panels' sizes, as the splitters left them (fractions of the window, so a resize or a
// font change keeps the proportions).
struct LayoutState {
  float sideFraction = 0.22f;      // left column (lesson, knobs, clients)
  float kernelFraction = 0.42f;    // of what is right of the side column, under the timeline
  float timelineFraction = 0.60f;  // of the body's height
  float lessonFraction = 0.52f;    // of the side column, with a lesson open
  float freePlayFraction = 0.16f;  // of the side column, free play's note in the lesson's place
  float knobsFraction = 0.5f;      // of the side column below the lesson (or free-play note)
  float toolbarHeight = 0;         // measured from the toolbar's content each frame
  // The lesson panel's height that shows its controls and the step's whole text (or free
  // play's note) without scrolling, measured by the lesson panel each frame (0: none). At a
  // projector's font the lesson panel grows to it, at the knobs' and clients' expense.
  float lessonNeeds = 0;
};

struct UiState {
  TimelineViewState timeline;
  TimelineSearch search;
  OverviewCache overview;
  RangeFiguresCache rangeFigures;
  LayoutState layout;
  FrameReport report;
  std::optional<std::uint64_t> selected;   // an event id in the timeline model
  bool revealSelectionInLog = false;       // the timeline selected something: scroll the log
  bool revealSelectionInTimeline = false;  // the log selected something: centre the timeline
  std::optional<std::uint32_t> revealLane;  // then scroll its lane into view
  LogFilter logFilter;
  LogCache logCache;
  TimeCursor cursor;
  bool showPicture = false;  // the epoll picture in place of the log and the kernel view (E)

  // Presenter mode.
  float fontScale = 1.0f;
  float fontDrag = 0;  // the font slider's value while it is held (applied when let go)
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

  // Files: the path typed in the File popup, where tours are looked for. (The tour's step on
  // show is the file's: FileMode.)
  std::string filePath;
  std::string exportPath = "epollscope-trace.json";
  std::string sessionPath = "epollscope-session.eps";
  std::string tracesDir;
  // Live tracing from the File popup: the command line typed, the process id typed, and the
  // candidate processes (read from /proc when the popup opens, not on every frame).
  std::string traceCommand;
  std::string attachPid;
  std::vector<ProcessEntry> attachCandidates;

  // Two runs side by side (File -> Compare two runs / sessions).
  CompareUi compare;

  bool quitRequested = false;
  std::string statusMessage;  // a one-line notice shown in the toolbar
};

UiState makeInitialUiState();

}  // namespace eps::gui
