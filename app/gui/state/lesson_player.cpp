#include "app/gui/state/lesson_player.hpp"

namespace eps::gui {

LessonPlayer::LessonPlayer(Lesson lesson) : runner_(std::move(lesson)) {
  // A busy loop left running after a step (lesson 11: tens of thousands of EMFILE wakeups a
  // second) would push the lesson's start out of the timeline's retained events.
  runner_.setPauseBusyLoops(true);
}

LessonPlayer::~LessonPlayer() {
  if (worker_.joinable()) worker_.join();
}

std::string LessonPlayer::start() {
  const std::string error = runner_.start();
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
    StepResult result = runner_.playStep(step);
    std::lock_guard lock(mutex_);
    results_[step] = std::move(result);
    current_ = step + 1;
  });
}

// Replaying from a fresh engine makes "previous" a true step back: the same story, played
// deterministically up to the step before, with the same check values (a test holds this).
void LessonPlayer::replayTo(std::size_t step) {
  launch([this, step] {
    std::vector<StepResult> replayed = runner_.replayTo(step);
    std::lock_guard lock(mutex_);
    results_.clear();
    for (StepResult& result : replayed) results_[result.index] = std::move(result);
    current_ = runner_.nextStep();
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
