// Plays a lesson against the real kernel: the engine and the built-in clients, step by step.
// Each step's actions are applied with the settle rule of EPOLL-FACTS §3 (wait, with a bound
// that fails loudly, until the clients' bytes are in the engine's socket), the engine runs
// until the step's condition, and its checks are evaluated over what the step recorded.
// Shared by the headless `--lesson --check` and the window's lesson panel.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clients/driver.hpp"
#include "core/engine/engine.hpp"
#include "core/lessons/lesson.hpp"
#include "core/runner/run_side.hpp"
#include "core/runner/step_counters.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

struct CheckResult {
  std::string source;
  SourcePlace place;
  bool passed = false;
  std::string observed;  // "stranded_bytes=3897"
};

struct StepResult {
  std::size_t index = 0;
  std::vector<CheckResult> checks;
  std::string failure;  // non-empty: the step itself could not be played (a bound passed)
  bool passed() const;
};

// Ownership: owned by its caller (headless run, lesson panel, test). One thread plays the
// story (start, playStep, replayTo); another may watch it at the same time through
// takeNewEvents, engineRef, clientsRef and payloadsRef (RunSide guards them). The engine and
// the client driver run their own threads; a replay replaces them, so watchers hold them by
// shared_ptr.
class LessonRunner {
 public:
  explicit LessonRunner(Lesson lesson);
  ~LessonRunner();

  std::string start();  // "" or why the engine could not start
  // Plays step `index` (steps must be played in order from 0).
  StepResult playStep(std::size_t index);
  // Replays from the start up to (not including) step `index` — a true step back: the same
  // story from a fresh engine, deterministically.
  std::vector<StepResult> replayTo(std::size_t index);

  // For the window: a step that ends with the engine in a busy loop (lesson 11's LT EMFILE
  // spins at tens of thousands of wakeups a second) would soon push the lesson's start out
  // of the window's retained events. With this on, such a step ends by pausing the engine
  // (recorded: a pause event marked PauseWhy::BusyLoop, after the checks are evaluated) and
  // the next step resumes it first. Off for headless runs, whose steps follow at once.
  void setPauseBusyLoops(bool on) { pauseBusyLoops_ = on; }
  // The last step played ended so (any thread); false again once the next step began.
  bool pausedBusyLoop() const { return pausedBusyLoop_.load(); }

  const Lesson& lesson() const { return lesson_; }
  std::size_t nextStep() const { return nextStep_; }
  std::shared_ptr<Engine> engineRef() const;
  std::shared_ptr<ClientDriver> clientsRef() const;
  // The bytes the current engine read (a replay starts a fresh store with its fresh trace).
  std::shared_ptr<const PayloadStore> payloadsRef() const;
  // Appends events recorded since the last call (for the timeline; the runner keeps its own
  // copy) and returns the engine's generation: it grows with every start, so a watcher
  // knows when a replay began a fresh trace.
  std::uint64_t takeNewEvents(std::vector<TraceEvent>& out);
  // A counter of the step just played; by name, nullopt for a name that is no lesson counter.
  std::int64_t counter(LessonCounter counter) const;
  std::optional<std::int64_t> counter(std::string_view name) const;
  std::vector<Recorder::WriterInfo> writers() const;  // the producers, for exports
  // A lesson that traces examples (RunSide): its lanes' labels, the example running, its port.
  std::vector<std::string> laneLabels() const { return side_.laneLabels(); }
  std::string exampleNow() const { return side_.exampleNow(); }
  int examplePort() const { return side_.examplePort(); }

 private:
  void resumeAfterBusyLoop();
  void pauseIfBusyLoop();

  Lesson lesson_;
  RunSide side_;  // the engine, clients and trace of the current play (a replay restarts it)
  std::size_t nextStep_ = 0;
  bool pauseBusyLoops_ = false;
  std::atomic<bool> pausedBusyLoop_{false};
};

}  // namespace eps
