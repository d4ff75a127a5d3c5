// The window's side of a lesson: plays steps on a worker thread (a step waits for the kernel,
// seconds at most, and the window must keep drawing meanwhile), keeps each step's results and
// the learner's predictions. A step back replays from a fresh engine to the step before.
// A paired lesson ([compare]) plays on two engines (a PairedRun) and publishes the comparison
// so far to its compare job after every step, for the compare view beside the lesson panel;
// the panels that drive an engine see side A's.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "app/gui/state/compare_job.hpp"
#include "core/compare/paired_run.hpp"
#include "core/runner/lesson_runner.hpp"

namespace eps::gui {

struct Prediction {
  int chosen = -1;
  bool committed = false;  // locked before the engine runs the step
};

// Ownership: owned by a LessonMode; every method is called on the UI thread. The story itself
// runs on worker_, one operation at a time; busy() says when one is under way.
class LessonPlayer {
 public:
  explicit LessonPlayer(Lesson lesson);
  ~LessonPlayer();

  std::string start();  // a fresh engine and clients, at step 0 (synchronous)
  const Lesson& lesson() const { return runner_.lesson(); }
  bool busy() const { return busy_.load(); }
  std::size_t current() const;  // the step shown: the next one to play
  void playCurrent();           // plays it, then moves to the next
  void stepBack();              // replays from the start to the step before the current one
  void restart();

  // The last step ended with the engine spinning in a busy loop, so the player paused it
  // (recorded in the trace) to keep the lesson's start on the timeline; true while it stays
  // paused (the lesson panel says so).
  bool pausedBusyLoop() const;

  std::optional<StepResult> resultOf(std::size_t step) const;
  Prediction& prediction(std::size_t step) { return predictions_[step]; }
  std::string lastError() const;

  // Appends new events; returns the engine generation they belong to (grows per replay).
  std::uint64_t takeNewEvents(std::vector<TraceEvent>& out);
  std::shared_ptr<Engine> engine() const;
  std::shared_ptr<ClientDriver> clients() const;
  std::vector<Recorder::WriterInfo> writers() const;
  std::shared_ptr<const PayloadStore> payloads() const;
  // A paired lesson's side by side view, filled step by step; null for any other lesson.
  std::shared_ptr<CompareJob> compareJob() const { return compare_; }
  // A lesson that traces examples: its lanes' names, and the example running.
  std::vector<std::string> laneLabels() const { return runner_.laneLabels(); }
  std::string exampleNow() const { return runner_.exampleNow(); }
  int examplePort() const { return runner_.examplePort(); }

 private:
  void launch(std::function<void()> work);
  void replayTo(std::size_t step);
  StepResult play(std::size_t step);  // on the worker
  std::string startEngines();         // on the worker, or before it runs

  LessonRunner runner_;
  std::unique_ptr<PairedRun> paired_;    // a paired lesson's two engines; runner_ then idles
  std::shared_ptr<CompareJob> compare_;  // a paired lesson's view
  std::jthread worker_;
  std::atomic<bool> busy_{false};
  mutable std::mutex mutex_;  // guards the fields below
  std::size_t current_ = 0;
  std::map<std::size_t, StepResult> results_;
  std::string error_;
  std::map<std::size_t, Prediction> predictions_;  // UI thread only
};

}  // namespace eps::gui
