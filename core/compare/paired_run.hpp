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

#include "core/base/knob_changes.hpp"
#include "core/base/knobs.hpp"
#include "core/base/trace_event.hpp"
#include "core/checks/counters.hpp"
#include "core/clients/driver.hpp"
#include "core/lessons/lesson.hpp"
#include "core/runner/lesson_runner.hpp"
#include "core/runner/run_side.hpp"

namespace eps {

// One of the two runs, once played (or read).
struct ComparedSide {
  std::string name;    // "A" or "B"
  LocalText label;     // a paired lesson's name for the side ("epoll"), else empty
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

// Ownership: owned by its caller (headless run, the window's compare job or lesson player, a
// test), played on one thread. The two sides' engines and clients run their own threads while
// it plays; another thread may watch a side through takeNewEvents, engineRef and clientsRef
// (RunSide guards them).
class PairedRun {
 public:
  PairedRun(Lesson script, Knobs a, Knobs b);
  // A paired lesson ([compare]): its sides' knobs.
  explicit PairedRun(Lesson lesson);

  // Starts both engines afresh, at step 0; "" or why one could not start ("B: ...").
  std::string start();
  std::array<int, 2> ports() const;
  // Plays every step on both sides, action by action (A's action, then B's), each side until
  // the step's condition; stops at the first step a side could not play.
  Comparison play();

  // A step at a time (a paired lesson's --check, the window's lesson panel): plays step
  // nextStep() on both sides as play() does and evaluates its checks, each naming a side
  // ("a.epoll_ctls == 10"), over that step's counts. A failure names the side.
  StepResult playNext();
  std::size_t nextStep() const { return steps_[0].size(); }
  // The comparison so far, the engines still running: what a step-by-step player shows
  // (before start, the sides' names only).
  Comparison snapshot();

  const Lesson& script() const { return script_; }
  std::uint64_t takeNewEvents(std::size_t side, std::vector<TraceEvent>& out) {
    return sides_[side].takeNewEvents(out);
  }
  std::shared_ptr<Engine> engineRef(std::size_t side) const { return sides_[side].engineRef(); }
  std::shared_ptr<ClientDriver> clientsRef(std::size_t side) const {
    return sides_[side].clientsRef();
  }
  std::shared_ptr<const PayloadStore> payloadsRef(std::size_t side) const {
    return sides_[side].payloadsRef();
  }
  std::vector<Recorder::WriterInfo> writers(std::size_t side) const {
    return sides_[side].writers();
  }

 private:
  std::string playStep(std::size_t index);
  ComparedSide sideSoFar(std::size_t side) const;
  ComparedSide finish(std::size_t side);
  Comparison comparison(std::array<ComparedSide, 2> sides) const;

  Lesson script_;
  std::array<Knobs, 2> knobs_;
  std::array<LocalText, 2> labels_;  // a paired lesson's names of its sides
  std::array<RunSide, 2> sides_;
  std::array<std::vector<LessonCounts>, 2> steps_;
  std::array<std::string, 2> failures_;
  std::size_t ordinal_ = 0;  // the script's next action, counted over every step
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
