// Plays a lesson against the real kernel: the engine and the built-in clients, step by step.
// Each step's actions are applied with the settle rule of EPOLL-FACTS §3 (wait, with a bound
// that fails loudly, until the clients' bytes are in the engine's socket), the engine runs
// until the step's condition, and its checks are evaluated over what the step recorded.
// Shared by the headless `--lesson --check` and the window's lesson panel.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clients/driver.hpp"
#include "core/engine/engine.hpp"
#include "core/lessons/lesson.hpp"
#include "core/runner/step_counters.hpp"
#include "core/runner/traced_example.hpp"
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
// takeNewEvents, engineRef, clientsRef and payloadsRef, which are guarded by mutex_. The engine and
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
  // The lane labels of the examples a lesson traced (LaneTracker::setLabels; [0] empty), for
  // the events takeNewEvents handed out; empty for a lesson on the engine.
  std::vector<std::string> laneLabels() const;
  // "et_one_read --port 41234 (PID 1234)" while a lesson traces an example, else "".
  std::string exampleNow() const;
  int examplePort() const;  // its port, 0 when none runs

 private:
  StepWindow stepWindow() const;  // the step just played, for its counters
  struct Counting;
  void stop();
  void resumeAfterBusyLoop();
  void pauseIfBusyLoop();
  std::string apply(const LessonAction& action);
  std::optional<std::string> applyToClients(const LessonAction& action);
  std::string applyToEngine(const LessonAction& action);
  std::string settle();
  std::string runUntil(const RunUntil& until);
  void collect();
  void drainLocked();
  void pumpExample();
  void recordFromExample(bool last);
  std::size_t exampleCalls() const;
  std::string startExample(const std::string& name);
  void stopExample();
  std::string runUntilExampleIdle(const RunUntil& until);
  bool sawEventSinceStepBegan(std::string_view kind) const;
  int clientId(int lessonClient) const;

  Lesson lesson_;
  mutable std::mutex mutex_;  // guards the pointers below and events_ / handedOut_
  std::shared_ptr<Recorder> recorder_;
  std::shared_ptr<Engine> engine_;
  std::shared_ptr<ClientDriver> clients_;
  TraceWriter* lessonWriter_ = nullptr;
  std::vector<TraceEvent> events_;  // everything recorded, in sequence order
  std::size_t handedOut_ = 0;       // events_ already given to takeNewEvents
  std::size_t stepBegin_ = 0;       // first event of the current step
  std::int64_t stepStartNs_ = 0;
  std::int64_t stepEndNs_ = 0;
  std::vector<int> clientIds_;  // lesson client number - 1 -> driver id
  std::size_t nextStep_ = 0;
  std::uint64_t generation_ = 0;  // guarded by mutex_
  // A lesson that traces examples: the one running and the writer its events are recorded
  // through (in the recorder's one sequence, with the clients'), guarded by exampleMutex_
  // (both threads pump: the player between its steps, the watcher in takeNewEvents; taken
  // before mutex_, never after); the labels of their lanes (guarded by mutex_) and the calls
  // taken so far (guarded by exampleMutex_).
  mutable std::mutex exampleMutex_;
  std::unique_ptr<TracedExample> example_;
  TraceWriter* exampleWriter_ = nullptr;
  std::vector<std::string> labels_;
  std::string exampleNow_;  // guarded by mutex_
  int examplePort_ = 0;     // guarded by mutex_
  std::size_t exampleCalls_ = 0;
  bool pauseBusyLoops_ = false;
  std::atomic<bool> pausedBusyLoop_{false};
};

}  // namespace eps
