// A lesson: a TOML file in lessons/ that the window walks a learner through and that CI runs
// headless, so no lesson can quietly stop being true. This is its parsed form; the format is
// documented in lessons/README.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/knobs.hpp"
#include "core/base/local_text.hpp"

namespace eps {

// The small C servers in assets/examples/ a lesson may run under the live tracer (`example
// NAME`): only these, by name, never a path a lesson file could choose.
inline constexpr std::array<std::string_view, 2> kBundledExamples = {"et_one_read", "et_drain"};
inline bool isBundledExample(std::string_view name) {
  for (const std::string_view known : kBundledExamples) {
    if (known == name) return true;
  }
  return false;
}

// Where something came from in the lesson file, for error messages and the window.
struct SourcePlace {
  int line = 0;
  int column = 0;
};

// One thing a step does, written as a short command line in the file:
//   connect N | send C BYTES | letters C BYTES [TIMES] | lines C BYTES | text C "TEXT" | urgent C
//   trickle C BYTES MS | stop-trickle C | stop-reading C | resume-reading C | shutdown C
//   close C | reset C | set KNOB=VALUE | limit-fds N | pause | run | step-wakeup [N]
//   step-call [N] | wait MS | example NAME
struct LessonAction {
  enum class Kind : std::uint8_t {
    Connect,
    Send,
    Letters,  // BYTES letters a..z, no zero byte (seed 000 keeps its data in C strings)
    Lines,    // BYTES of numbered lines "line 0000\n", so a reader sees which bytes come back
    Text,
    Urgent,
    Trickle,
    StopTrickle,
    StopReading,
    ResumeReading,
    Shutdown,
    Close,
    Reset,
    Set,
    LimitFds,  // the engine's fd limit such that it can open exactly N more descriptors
    Pause,
    Run,
    StepWakeup,
    StepCall,
    Wait,
    Example,  // start a bundled example program (kBundledExamples) under the live tracer
  };
  Kind kind = Kind::Run;
  int client = 0;              // 1-based client number within the lesson
  std::int64_t count = 1;      // connect N, send/letters BYTES, trickle BYTES, limit-fds N, step N,
                               // wait MS
  std::int64_t periodMs = 0;   // trickle
  std::int64_t times = 1;      // letters: how many messages, each sent and settled
  std::string text;            // text "...", example NAME
  KnobId knob = KnobId::Read;  // set
  std::string value;           // set
  SourcePlace place;
  std::string source;  // the command as written
};

// How long a step lets the engine run after its actions.
struct RunUntil {
  enum class Kind : std::uint8_t { Idle, Wakeups, Event, Nothing };
  Kind kind = Kind::Idle;
  std::int64_t idleMs = 300;     // Idle: no engine call for this long
  std::int64_t wakeups = 0;      // Wakeups: this many epoll_wait returns with events
  std::string event;             // Event: a kind name ("stranded", "busy", "blocked")
  std::int64_t boundMs = 10000;  // fail loudly past this
  SourcePlace place;
};

// A check: a small expression over named counters, e.g. "wakeups == 41 && bytes_read == 4096".
struct LessonCheck {
  std::string source;
  SourcePlace place;
};

struct PredictFirst {
  LocalText question;
  std::vector<LocalText> choices;
  int answer = 0;  // index into choices
  LocalText explanation;
};

struct LessonStep {
  LocalText title;
  LocalText text;
  std::vector<LessonAction> actions;
  RunUntil until;
  std::optional<PredictFirst> predict;
  std::vector<LessonCheck> checks;
  SourcePlace place;
};

// A side of a paired lesson ([compare] a / b): the knob changes it makes to the lesson's
// [knobs] (as --knobs-a / --knobs-b do) and its name in both languages.
struct LessonSide {
  std::string changes;  // "poller=poll", as written
  Knobs knobs;          // the lesson's [knobs] with `changes` applied
  LocalText label;
  SourcePlace place;
};

struct Lesson {
  std::string path;
  std::string id;
  LocalText title;
  LocalText summary;
  Knobs knobs;           // the starting knobs
  int clients = 0;       // how many built-in clients the lesson may address (max client number)
  int clientRcvbuf = 0;  // SO_RCVBUF of the built-in clients, set before connect (0: default)
  // views = ["picture"]: the window opens the epoll picture when the lesson loads (a lesson
  // whose steps are about the ready list, the interest list or the queues drawn there).
  bool opensPicture = false;
  // The lesson runs bundled examples under the live tracer (`example NAME`) instead of the
  // engine: its clients talk to the example, and its trace is the example's.
  bool tracesExamples = false;
  std::vector<LessonStep> steps;
  // A paired lesson plays every step on two engines (a and b) side by side; its checks name a
  // side's counter: "a.epoll_ctls == 10", "b.fds_passed > a.fds_passed".
  std::optional<std::array<LessonSide, 2>> compare;
  bool paired() const { return compare.has_value(); }
};

// A refused lesson: "FILE:LINE:COLUMN: what was expected".
struct LessonError {
  std::string path;
  SourcePlace place;
  std::string message;
  std::string text() const {
    if (place.line <= 0) return path + ": " + message;
    return path + ":" + std::to_string(place.line) + ":" + std::to_string(place.column) + ": " +
           message;
  }
};

// Ownership: plain functions; no state.
// Reads and validates a lesson. Unknown keys, wrong types, values out of range, unknown
// counters and checks that do not parse are refused with the place and what was expected.
struct LessonLoad {
  std::optional<Lesson> lesson;
  std::optional<LessonError> error;
};
LessonLoad loadLessonFile(const std::string& path);
LessonLoad loadLessonText(const std::string& text, const std::string& pathForErrors);

}  // namespace eps
