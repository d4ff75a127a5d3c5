// Two runs side by side: the same script (a lesson's steps: its actions and run conditions)
// played against two engines whose knobs differ (LT against ET, drain against once, ...), or
// two saved traces read back. Each side keeps its own trace, its counters (every lesson
// counter, core/checks/counters.hpp) for the whole run and for each step, and the script's
// markers (a Step event per step, a NoteOp::Action note per action), so the two timelines
// can be drawn aligned on the script (core/timeline/aligned_axis.hpp) and their counters
// compared. Shared by the headless `--compare-lesson` / `--compare-sessions` and the window's
// compare view.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/knobs.hpp"
#include "core/base/trace_event.hpp"
#include "core/checks/counters.hpp"
#include "core/clients/driver.hpp"
#include "core/lessons/lesson.hpp"
#include "core/runner/run_side.hpp"

namespace eps {

// One of the two runs, once played (or read).
struct ComparedSide {
  std::string name;    // "A" or "B"
  std::string knobs;   // describeKnobs() text at the start ("" for a trace with none)
  std::string source;  // where the trace came from: "engine", a session's path
  std::vector<TraceEvent> events;
  LessonCounts run;                 // over the whole run; kernel counters at its end
  std::vector<LessonCounts> steps;  // per step played, as the lesson runner counts them
  bool kernelCounters = true;       // false for a saved trace: no kernel view to ask
  std::string failure;              // "" or why a step could not be played
};

// A point of the script both runs reached: its k-th step or action, in each side's clock.
struct ScriptMarker {
  std::string label;  // "step 2", "send 1 4096"
  bool step = false;  // a step began (else an action)
  std::array<std::int64_t, 2> tNs{};
};

struct Comparison {
  std::string script;                   // the lesson's path, or "sessions"
  std::vector<std::string> stepTitles;  // the script's steps, in English
  std::vector<std::string> stepTitlesZh;  // and in Chinese, "" where the lesson has none
  std::array<ComparedSide, 2> sides;
  std::vector<ScriptMarker> markers;  // in script order; only those both sides reached
  // Every lesson counter whose whole-run values differ (kernel counters only where both
  // sides have a kernel view).
  std::vector<LessonCounter> differing() const;
  std::vector<LessonCounter> differingInStep(std::size_t step) const;
  bool failed() const { return !sides[0].failure.empty() || !sides[1].failure.empty(); }
};

// The knobs of side B (or A): the script's starting knobs with `changes` applied, a list of
// KNOB=VALUE separated by spaces or commas ("conn-trigger=et read=once"). "" or the error
// naming the knob and what it allows.
std::string applyKnobChanges(Knobs& knobs, const std::string& changes);

// Ownership: owned by its caller (headless run, the window's compare job, a test), played on
// one thread. The two sides' engines and clients run their own threads while it plays.
class PairedRun {
 public:
  PairedRun(Lesson script, Knobs a, Knobs b);

  // Starts both engines; "" or why one could not start ("B: ...").
  std::string start();
  std::array<int, 2> ports() const;
  // Plays every step on both sides, action by action (A's action, then B's), each side until
  // the step's condition; stops at the first step a side could not play.
  Comparison play();

 private:
  std::string playStep(std::size_t index, std::size_t& ordinal);
  ComparedSide finish(std::size_t side);

  Lesson script_;
  std::array<Knobs, 2> knobs_;
  std::array<RunSide, 2> sides_;
  std::array<std::vector<LessonCounts>, 2> steps_;
  std::array<std::string, 2> failures_;
};

// A saved trace, for comparing two sessions: its events and its clients when it was saved.
struct RecordedRun {
  std::string source;
  std::string knobs;
  std::vector<TraceEvent> events;
  std::vector<ClientStats> clients;
};

// Two saved traces compared as a paired run's are: counters over each whole trace and per
// lesson step (where it has Step events), aligned on the markers both have in common.
Comparison compareRecorded(const RecordedRun& a, const RecordedRun& b);

}  // namespace eps
