// A run side's part of a lesson that traces bundled examples (`example NAME`): the example's
// calls reach the lesson's trace through a writer of the side's recorder, in one sequence with
// the clients' actions and the step markers. The engine still runs (the
// window's panels stand on it) but listens where nobody connects; its own calls are left out
// of such a lesson's trace, whose story is the example's alone.
#include "core/runner/run_side.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/base/interrupt.hpp"
#include "core/trace/with_recorder.hpp"

namespace eps {

std::vector<std::string> RunSide::laneLabels() const {
  std::lock_guard lock(mutex_);
  return labels_;
}

std::string RunSide::exampleNow() const {
  std::lock_guard lock(mutex_);
  return exampleNow_;
}

int RunSide::examplePort() const {
  std::lock_guard lock(mutex_);
  return examplePort_;
}

// Callers hold mutex_.
void RunSide::drainLocked() {
  const std::size_t from = events_.size();
  recorder_->drainInto(events_);
  if (!tracesExamples_) return;
  const auto engines = [](const TraceEvent& event) {
    return event.actor == Actor::Engine && (event.flags & kEventImported) == 0;
  };
  const auto fresh = events_.begin() + static_cast<std::ptrdiff_t>(from);
  events_.erase(std::remove_if(fresh, events_.end(), engines), events_.end());
}

std::size_t RunSide::exampleCalls() const {
  std::lock_guard lock(exampleMutex_);
  return exampleCalls_;
}

// The example's events mapped since the last pump, recorded in the lesson's trace. Either
// thread pumps, one at a time (exampleMutex_: the writer has one producer at a time); the
// labels are published (under mutex_) before the events that name them can be drained.
void RunSide::pumpExample() {
  std::lock_guard exampleLock(exampleMutex_);
  if (example_) recordFromExample(false);
}

// Ends the example running (its last calls kept) and its clients with it: a new example
// gets new clients, numbered from 1 again.
void RunSide::stopExample() {
  std::lock_guard exampleLock(exampleMutex_);
  if (!example_) return;
  recordFromExample(true);
  example_.reset();
  std::lock_guard lock(mutex_);
  exampleNow_.clear();
  examplePort_ = 0;
}

// Callers hold exampleMutex_ and have an example: takes (or, `last`, stops it and takes the
// rest) and records what it mapped.
void RunSide::recordFromExample(bool last) {
  std::vector<TraceEvent> fresh;
  std::vector<std::string> labels;
  {
    std::lock_guard lock(mutex_);
    labels = labels_;
  }
  exampleCalls_ += last ? example_->stop(fresh, labels) : example_->take(fresh, labels);
  {
    std::lock_guard lock(mutex_);
    labels_ = std::move(labels);
  }
  for (const TraceEvent& event : fresh) exampleWriter_->record(event);
}

std::string RunSide::startExample(const std::string& name) {
  if (exampleWriter_ == nullptr) return "this lesson does not trace examples";
  stopExample();
  std::unique_ptr<TracedExample> example;
  std::shared_ptr<ClientDriver> clients;
  try {
    std::vector<std::string> labels;
    {
      std::lock_guard lock(mutex_);
      labels = labels_;
    }
    example = std::make_unique<TracedExample>(name, labels);
    ClientOptions options;
    options.rcvbuf = clientRcvbuf_;
    clients = makeWithRecorder<ClientDriver>(recorder_, example->port(), options);
  } catch (const Interrupted&) {
    throw;  // Ctrl-C while the example starts: the run ends, as in any other wait
  } catch (const std::exception& error) {
    return error.what();
  }
  std::lock_guard exampleLock(exampleMutex_);
  std::lock_guard lock(mutex_);
  exampleNow_ = example->describe();
  examplePort_ = example->port();
  example_ = std::move(example);
  clients_ = std::move(clients);
  clientIds_.clear();
  return "";
}

}  // namespace eps
