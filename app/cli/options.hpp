// The command line (DESIGN "Headless CLI", a contract scripts rely on): parsed once into
// Options; a bad flag or value is one line naming the flag and what it allows, exit 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/engine/engine.hpp"

namespace eps::app {

struct Options {
  bool headless = false;
  EngineOptions engine;
  double durationSeconds = 0;  // 0: until SIGINT/SIGTERM
  int paceMs = 0;
  std::string traceOut;
  std::string csvOut;
  std::string lesson;
  std::string openLog;      // --open: a saved session, or an strace log to import
  std::string saveSession;  // --save-session: save the run (trace, knobs, lesson, clients)
  bool check = false;
  int frames = 0;
  std::string scenario;       // window: a scripted story, NAME[:STAGE]
  int syntheticEvents = 0;    // window: load N synthetic events (frame-cost measurement)
  double zoomMicros = 0;      // window: show this many microseconds around the middle
  bool frameStats = false;    // window: print the CPU time of the frames (NewFrame..Render)
  float fontScale = 1.0f;     // window: presenter font scale
  bool highContrast = false;  // window: the high-contrast theme
  bool epollPicture = false;  // window: the epoll picture in place of the log (E)
  bool chinese = false;       // window: lesson text and labels in Chinese
  int lessonStep = 0;         // window: play this many lesson steps before drawing
  std::string screenshot;
  std::string exitScreenshot;  // window: the last frame as a PNG when the window closes
  std::string stateOut;        // window: the view state as JSON after every frame
  bool trace = false;                // --trace -- PROGRAM [ARGS...]: trace a program we start
  std::vector<std::string> program;  // the words after --
  bool attach = false;               // --attach PID: trace a running program
  int attachPid = 0;
  bool liveTrace() const { return trace || attach; }
  // Two runs side by side: a lesson's script played on two engines whose knobs are the
  // lesson's with --knobs-a / --knobs-b applied, or two saved sessions.
  std::string compareLesson;
  std::string knobsA, knobsB;                // KNOB=VALUE words, spaces or commas between
  std::vector<std::string> compareSessions;  // two paths
  bool compare() const { return !compareLesson.empty() || !compareSessions.empty(); }
};

struct ParseResult {
  std::optional<Options> options;  // empty: exit with `exitCode` after printing `message`
  int exitCode = 0;
  std::string message;  // help text (exit 0) or the one-line error (exit 2)
};

ParseResult parseCommandLine(int argc, char** argv);

// --duration's bound: DESIGN says nothing; a year is longer than any lesson or class.
inline constexpr double kMaxDurationSeconds = 365.0 * 24 * 3600;

// Parses a --duration value strictly: a finite decimal number of seconds in (0, a year].
// nullopt on success (`seconds` set), else the one-line error naming the flag and the value
// (shortened).
std::optional<std::string> parseDuration(const std::string& text, double& seconds);

}  // namespace eps::app
