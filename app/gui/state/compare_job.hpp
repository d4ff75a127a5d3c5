// The window's comparison of two runs: what the user asked for (a lesson's script with two
// knob sets, or two saved sessions), the job that plays or reads it off the UI thread, and the
// result the compare view draws: both sides' counters and traces on one axis aligned on the
// script's markers (core/timeline/aligned_axis.hpp).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/gui/state/compare_bands.hpp"
#include "core/compare/paired_run.hpp"
#include "core/timeline/aligned_axis.hpp"

namespace eps::gui {

// A comparison ready to draw. The axis aligns on `aligned`: the script's actions, and the
// steps that have none (a step's own marker comes microseconds before its first action).
struct CompareResult {
  Comparison comparison;
  std::vector<std::size_t> aligned;  // indices into comparison.markers
  std::optional<AlignedAxis> axis;
  std::array<Band, 2> bands;
  std::string error;  // the inputs could not be read, or an engine could not start
  // Published step by step (a paired lesson): the counters table follows the step just played.
  bool stepByStep = false;
};

// Ownership: held by CompareUi (UI thread) through a shared_ptr; its worker thread plays the
// comparison and hands the result over under mutex_. The destructor waits for the worker: a
// paired run ends by itself, every wait in it bounded. A paired lesson's job has no worker:
// its lesson player (app/gui/state/lesson_player.hpp) publishes the comparison so far after
// each step, from the player's thread.
class CompareJob {
 public:
  struct Request {
    bool sessions = false;
    std::string lesson;  // a lesson file whose script both sides play
    std::string knobsA, knobsB;
    std::string sessionA, sessionB;
  };
  // Starts the work on its own thread (`wait`: plays it here, before returning).
  CompareJob(Request request, bool wait);
  // Fed step by step through publish() (a paired lesson played in the lesson panel).
  explicit CompareJob(Request request);
  ~CompareJob();
  CompareJob(const CompareJob&) = delete;
  CompareJob& operator=(const CompareJob&) = delete;

  const Request& request() const { return request_; }
  // Null while it runs.
  std::shared_ptr<const CompareResult> result() const;
  // The comparison so far replaces the one on show (any thread).
  void publish(Comparison comparison);

 private:
  static std::shared_ptr<const CompareResult> work(const Request& request);

  Request request_;
  mutable std::mutex mutex_;
  std::shared_ptr<const CompareResult> result_;  // guarded by mutex_
  std::jthread worker_;
};

// What the compare view remembers between frames (part of UiState).
struct CompareUi {
  bool setupOpen = false;  // the "Compare two runs / sessions" form
  bool sessions = false;   // the form compares sessions (else two runs of a lesson)
  std::string lesson;      // "" : the lesson open, or lesson 02
  std::string knobsA = "conn-trigger=lt", knobsB = "conn-trigger=et";
  std::string sessionA, sessionB;
  bool showing = false;  // the compare view replaces the panels
  int tableStep = -1;    // the counters table: -1 the whole run, else a step
  // The result tableStep was chosen for: a new one starts on the step where A and B differ
  // most (where the story is), not on the whole run, whose end may hide it.
  const CompareResult* tableFor = nullptr;
  std::shared_ptr<CompareJob> job;
  // The paired lesson's job last put on show: a paired lesson opens its view once, and the
  // view stays closed after Close until another paired lesson is opened.
  const CompareJob* pairedJob = nullptr;
  // Jobs replaced while they still played: kept until they end, so starting a new comparison
  // never waits for the old one on the UI thread.
  std::vector<std::shared_ptr<CompareJob>> retired;
};

// What the form (or the command line) asks for, as a job's request.
CompareJob::Request compareRequest(const CompareUi& ui);

}  // namespace eps::gui
