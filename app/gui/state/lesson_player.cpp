#include "app/gui/state/lesson_player.hpp"

namespace eps::gui {

LessonPlayer::LessonPlayer(Lesson lesson) : runner_(std::move(lesson)) {
  // A busy loop left running after a step (lesson 11: tens of thousands of EMFILE wakeups a
  // second) would push the lesson's start out of the timeline's retained events.
  runner_.setPauseBusyLoops(true);
  if (runner_.lesson().paired()) {
    paired_ = std::make_unique<PairedRun>(runner_.lesson());
    CompareJob::Request request;
    request.lesson = runner_.lesson().path;
    request.knobsA = (*runner_.lesson().compare)[0].changes;
    request.knobsB = (*runner_.lesson().compare)[1].changes;
    compare_ = std::make_shared<CompareJob>(std::move(request));
  }
}

std::string LessonPlayer::startEngines() {
  if (!paired_) return runner_.start();
  std::string error = paired_->start();
  if (error.empty()) compare_->publish(paired_->snapshot());
  return error;
}

StepResult LessonPlayer::play(std::size_t step) {
  if (!paired_) return runner_.playStep(step);
  StepResult result = paired_->playNext();
  compare_->publish(paired_->snapshot());
  return result;
}

std::uint64_t LessonPlayer::takeNewEvents(std::vector<TraceEvent>& out) {
  return paired_ ? paired_->takeNewEvents(0, out) : runner_.takeNewEvents(out);
}

std::shared_ptr<Engine> LessonPlayer::engine() const {
  return paired_ ? paired_->engineRef(0) : runner_.engineRef();
}

std::shared_ptr<ClientDriver> LessonPlayer::clients() const {
  return paired_ ? paired_->clientsRef(0) : runner_.clientsRef();
}

std::vector<Recorder::WriterInfo> LessonPlayer::writers() const {
  return paired_ ? paired_->writers(0) : runner_.writers();
}

std::shared_ptr<const PayloadStore> LessonPlayer::payloads() const {
  return paired_ ? paired_->payloadsRef(0) : runner_.payloadsRef();
}

LessonPlayer::~LessonPlayer() {
  if (worker_.joinable()) worker_.join();
}

std::string LessonPlayer::start() {
  const std::string error = startEngines();
  std::lock_guard lock(mutex_);
  current_ = 0;
  results_.clear();
  error_ = error;
  return error;
}

std::size_t LessonPlayer::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::optional<StepResult> LessonPlayer::resultOf(std::size_t step) const {
  std::lock_guard lock(mutex_);
  const auto found = results_.find(step);
  if (found == results_.end()) return std::nullopt;
  return found->second;
}

bool LessonPlayer::pausedBusyLoop() const {
  if (busy() || !runner_.pausedBusyLoop()) return false;
  const std::shared_ptr<Engine> engine = runner_.engineRef();
  return engine && engine->status().mode == EngineMode::Paused;
}

std::string LessonPlayer::lastError() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void LessonPlayer::launch(std::function<void()> work) {
  if (busy_.exchange(true)) return;  // one operation at a time
  if (worker_.joinable()) worker_.join();
  worker_ = std::jthread([this, work = std::move(work)] {
    work();
    busy_.store(false);
  });
}

void LessonPlayer::playCurrent() {
  const std::size_t step = current();
  if (step >= lesson().steps.size()) return;
  launch([this, step] {
    StepResult result = play(step);
    std::lock_guard lock(mutex_);
    results_[step] = std::move(result);
    current_ = step + 1;
  });
}

// Replaying from a fresh engine makes "previous" a true step back: the same story, played
// deterministically up to the step before, with the same check values (a test holds this).
void LessonPlayer::replayTo(std::size_t step) {
  launch([this, step] {
    std::vector<StepResult> replayed;
    if (!paired_) {
      replayed = runner_.replayTo(step);
    } else if (std::string error = startEngines(); !error.empty()) {
      replayed.emplace_back().failure = error;
    } else {
      for (std::size_t i = 0; i < step; ++i) {
        replayed.push_back(play(i));
        if (!replayed.back().passed() && !replayed.back().failure.empty()) break;
      }
    }
    std::lock_guard lock(mutex_);
    results_.clear();
    for (StepResult& result : replayed) results_[result.index] = std::move(result);
    current_ = paired_ ? paired_->nextStep() : runner_.nextStep();
  });
}

void LessonPlayer::stepBack() {
  const std::size_t step = current();
  replayTo(step == 0 ? 0 : step - 1);
}

void LessonPlayer::restart() {
  replayTo(0);
}

}  // namespace eps::gui
