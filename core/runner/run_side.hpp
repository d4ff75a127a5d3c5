// One engine, its recorder and its built-in clients, and the trace they made so far: plays
// lesson actions on them with the settle rule of EPOLL-FACTS §3 (wait, with a bound that fails
// loudly, until the clients' bytes are in the engine's socket) and runs the engine until a
// step's condition. The lesson runner plays a lesson on one; a paired run (core/runner/
// paired_run.hpp) plays the same script on two with different knobs.
#pragma once

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

// Ownership: owned by a LessonRunner or a PairedRun. One thread plays (start, beginStep,
// apply, runUntil, endStep); another may watch at the same time through takeNewEvents,
// engineRef, clientsRef and payloadsRef, which are guarded by mutex_. The engine and the
// client driver run their own threads; a fresh start replaces them, so watchers hold them by
// shared_ptr.
class RunSide {
 public:
  RunSide() = default;
  ~RunSide();
  RunSide(const RunSide&) = delete;
  RunSide& operator=(const RunSide&) = delete;

  // A fresh recorder, engine (with `knobs`) and client driver; "" or why it could not start.
  // `tracesExamples`: the script runs bundled examples (`example NAME`, run_side_example.cpp).
  std::string start(const Knobs& knobs, int clientRcvbuf, bool tracesExamples = false);
  void stop();

  // The trace's markers, recorded by the control writer: a step began; a script action is
  // about to be applied (a Note with op NoteOp::Action: a = its ordinal in the script, b =
  // its step), so two runs of one script can be aligned action by action.
  void beginStep(std::size_t index);
  void markAction(std::size_t ordinal, std::size_t step);
  void endStep();

  std::string apply(const LessonAction& action);
  std::string runUntil(const RunUntil& until);
  std::string settle();
  void collect();  // takes what the rings hold into the trace so far

  // A counter of the step just played; by name, nullopt for a name that is no lesson counter.
  std::int64_t counter(LessonCounter counter) const;
  std::optional<std::int64_t> counter(std::string_view name) const;
  // Every lesson counter of the step just played, and of the whole run so far (its tallies
  // over every event since start, its kernel and client counters now).
  LessonCounts stepCounts() const;
  LessonCounts runCounts() const;

  std::shared_ptr<Engine> engineRef() const;
  std::shared_ptr<ClientDriver> clientsRef() const;
  std::shared_ptr<const PayloadStore> payloadsRef() const;
  std::uint64_t takeNewEvents(std::vector<TraceEvent>& out);
  std::vector<TraceEvent> events() const;  // everything collected so far, a copy
  std::vector<Recorder::WriterInfo> writers() const;
  // Held by the thread that plays: the engine of the current run (null before start).
  Engine* engine() const { return engine_.get(); }
  // A script that traces examples: the lane labels of the events takeNewEvents handed out
  // (LaneTracker::setLabels; [0] empty), "et_one_read --port 41234 (PID 1234)" while one
  // runs (else ""), and its port (else 0).
  std::vector<std::string> laneLabels() const;
  std::string exampleNow() const;
  int examplePort() const;

 private:
  StepWindow window(std::size_t begin, std::int64_t startNs) const;  // callers hold mutex_
  std::optional<std::string> applyToClients(const LessonAction& action);
  std::string applyToEngine(const LessonAction& action);
  bool sawEventSinceStepBegan(std::string_view kind) const;
  int clientId(int lessonClient) const;
  void drainLocked();
  void pumpExample();
  void recordFromExample(bool last);
  std::size_t exampleCalls() const;
  std::string startExample(const std::string& name);
  void stopExample();
  std::string runUntilExampleIdle(const RunUntil& until);

  mutable std::mutex mutex_;  // guards the pointers below and events_ / handedOut_
  std::shared_ptr<Recorder> recorder_;
  std::shared_ptr<Engine> engine_;
  std::shared_ptr<ClientDriver> clients_;
  TraceWriter* controlWriter_ = nullptr;
  std::vector<TraceEvent> events_;  // everything recorded, in sequence order
  std::size_t handedOut_ = 0;       // events_ already given to takeNewEvents
  std::size_t stepBegin_ = 0;       // first event of the current step
  std::int64_t runStartNs_ = 0;
  std::int64_t stepStartNs_ = 0;
  std::int64_t stepEndNs_ = 0;
  std::vector<int> clientIds_;    // lesson client number - 1 -> driver id
  std::uint64_t generation_ = 0;  // guarded by mutex_; grows with every start
  bool tracesExamples_ = false;   // written under mutex_ by the playing thread
  int clientRcvbuf_ = 0;          // the playing thread's
  // A script that traces examples: the one running and the writer its events are recorded
  // through (in the recorder's one sequence, with the clients'), guarded by exampleMutex_
  // (both threads pump: the player between its steps, the watcher in takeNewEvents; taken
  // before mutex_, never after); the labels of their lanes (guarded by mutex_) and the calls
  // taken so far (guarded by exampleMutex_).
  mutable std::mutex exampleMutex_;
  std::unique_ptr<TracedExample> example_;
  TraceWriter* exampleWriter_ = nullptr;
  std::size_t exampleCalls_ = 0;
  std::vector<std::string> labels_;
  std::string exampleNow_;  // guarded by mutex_
  int examplePort_ = 0;     // guarded by mutex_
};

}  // namespace eps
