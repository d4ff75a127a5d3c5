// What the window shows: one mode at a time (free play, a lesson, or a file: modes.hpp) and
// the timeline fed from it. From one engine to another (a reset, a lesson opened or closed)
// the old engine and its clients go first, so the new engine starts among the descriptors a
// fresh window's would: the fd numbers on the timeline are those of `--lesson`. A lesson that
// cannot be read changes nothing; an engine that cannot start leaves free play, stopped, with
// the reason (from a file: the file stays).
// ("Workspace", not "session": a session is the saved-file format, core/formats/session_file.hpp.)
#pragma once

#include <future>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/gui/state/modes.hpp"
#include "app/gui/state/viewed_trace.hpp"
#include "core/formats/export.hpp"
#include "core/formats/session_file.hpp"
#include "core/timeline/model.hpp"

namespace eps::gui {

// Ownership: owned by runWindow; used on the UI (main) thread only. Files load on a loader
// thread (loader_), whose result is taken by pump().
class Workspace {
 public:
  // Starts in free play, with its engine running (the window opens only with one).
  // `options` are free play's: a reset and the way back from a lesson or a file use them.
  Workspace(LiveMode live, EngineOptions options);
  // Starts on a live trace (`--trace -- PROGRAM`, `--attach PID`); free play's engine starts
  // only when the user goes back to it.
  Workspace(FileMode traced, EngineOptions options);
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  // Moves new events (or a loaded file) into the timeline; true when it changed.
  bool pump();
  // Free play: stop the engine, clear the timeline, start again on the same port with the
  // knobs in force ("" or why it could not start: free play's engine then shows "stopped",
  // and a reset tries again). A lesson: replay it from the start.
  std::string reset();

  // The engine and clients the panels drive: free play's or the lesson's; null for a file.
  Controls* controls();
  const Controls* controls() const;
  LessonMode* lesson() { return std::get_if<LessonMode>(&mode_); }
  // The lesson open asks for the epoll picture (its `views = ["picture"]`).
  bool lessonOpensPicture();
  FileMode* file() { return std::get_if<FileMode>(&mode_); }
  const FileMode* file() const { return std::get_if<FileMode>(&mode_); }

  // A lesson in place of free play (or another lesson): "" or "FILE:LINE:COLUMN: ..." (then
  // nothing changed), or why its engine could not start (then it is free play again).
  std::string openLesson(const std::string& path);
  // Back to free play (same port), not while a step plays: "" or why the engine could not
  // start (as a reset's).
  std::string closeLesson();
  // A file (strace log, tour, saved session), loaded on a loader thread; when it is ready,
  // pump() shows it in place of the engine. "" or why it cannot start loading.
  std::string openFile(const std::string& path);
  bool loading() const { return loader_.valid(); }
  const std::string& loadingPath() const { return loadingPath_; }
  // The outcome of the last load that failed ("" when none); reading it clears it.
  std::string takeLoadError() { return std::exchange(loadError_, std::string()); }
  // Back from a file to free play (same port): "" or why not (the file stays shown). A live
  // trace stops first (workspace_live.cpp).
  std::string closeView();

  // A program traced live in place of the mode on show: "" or why it could not start (then
  // nothing changed). --trace: `program` is the program and its arguments; --attach: `pid`.
  std::string traceLive(const LiveTraceTarget& target);
  // The live trace on show, running or ended; null when none.
  const LiveSource* liveTrace() const;
  // Stops the live trace on show (the program ends, or is detached from), keeping what it
  // traced on screen: "" or why its output was not a trace.
  std::string stopLiveTrace();

  // Exports of what the timeline holds (the same writers as the headless run): "" or why not.
  std::string exportChromeTrace(const std::string& path);
  std::string exportCallsCsv(const std::string& path);
  // Saves what the window shows as a session file: "" or why not.
  std::string saveSession(const std::string& path);

  TimelineModel& timeline() { return timeline_; }
  const TimelineModel& timeline() const { return timeline_; }
  int port() const { return options_.port; }  // free play's, also while a lesson plays
  std::uint64_t droppedByRings() const;
  // The bytes of the engine's reads for the trace on show (free play's, the lesson's current
  // replay's, a saved session's). May be null.
  const PayloadStore* payloads() const;

 private:
  bool takeLoaded();
  bool takeLive(FileMode& shown);
  // Free play again, after the engine on show went: "" or why its engine could not start.
  std::string startFreePlay();
  TraceMeta exportMeta() const;
  SessionData sessionData() const;

  EngineOptions options_;
  // monostate: between two modes, only inside a method that replaces one engine with another.
  std::variant<std::monostate, LiveMode, LessonMode, FileMode> mode_;
  TimelineModel timeline_;
  std::vector<TraceEvent> scratch_;
  std::future<ViewedLoad> loader_;
  std::string loadingPath_;
  std::string loadError_;
};

}  // namespace eps::gui
