#include "core/runner/lesson_runner.hpp"

#include <stdexcept>
#include <thread>

#include "core/checks/check_expr.hpp"
#include "core/runner/step_counters.hpp"

namespace eps {
namespace {

using namespace std::chrono_literals;
constexpr auto kSettleBound = 2000ms;  // EPOLL-FACTS §3: settle, or fail loudly
// A busy loop begins a call every few microseconds; an engine whose current call began longer
// ago than this is asleep (or blocked), not spinning.
constexpr std::int64_t kStillCallingNs = 20'000'000;

}  // namespace

bool StepResult::passed() const {
  if (!failure.empty()) return false;
  for (const CheckResult& check : checks) {
    if (!check.passed) return false;
  }
  return true;
}

LessonRunner::LessonRunner(Lesson lesson) : lesson_(std::move(lesson)) {}

LessonRunner::~LessonRunner() = default;

std::shared_ptr<Engine> LessonRunner::engineRef() const {
  return side_.engineRef();
}

std::shared_ptr<ClientDriver> LessonRunner::clientsRef() const {
  return side_.clientsRef();
}

std::shared_ptr<const PayloadStore> LessonRunner::payloadsRef() const {
  return side_.payloadsRef();
}

std::uint64_t LessonRunner::takeNewEvents(std::vector<TraceEvent>& out) {
  return side_.takeNewEvents(out);
}

std::vector<Recorder::WriterInfo> LessonRunner::writers() const {
  return side_.writers();
}

std::string LessonRunner::start() {
  nextStep_ = 0;
  pausedBusyLoop_ = false;
  return side_.start(lesson_.knobs, lesson_.clientRcvbuf, lesson_.tracesExamples);
}

StepResult LessonRunner::playStep(std::size_t index) {
  StepResult result;
  result.index = index;
  if (index != nextStep_ || index >= lesson_.steps.size()) {
    result.failure = "steps are played in order";
    return result;
  }
  const LessonStep& step = lesson_.steps[index];
  side_.beginStep(index);
  resumeAfterBusyLoop();
  for (const LessonAction& action : step.actions) {
    result.failure = side_.apply(action);
    if (!result.failure.empty()) {
      result.failure = "'" + action.source + "': " + result.failure;
      break;
    }
  }
  if (result.failure.empty()) result.failure = side_.runUntil(step.until);
  side_.endStep();
  for (const LessonCheck& check : step.checks) {
    CheckResult outcome{check.source, check.place, false, ""};
    const CheckParse parsed = parseCheck(check.source);
    if (parsed.expr) {
      const CheckOutcome evaluated = evaluateCheck(
          *parsed.expr, [this](std::string_view name) { return side_.counter(name); });
      outcome.passed = evaluated.passed;
      outcome.observed = evaluated.observed;
    } else {
      outcome.observed = parsed.error;
    }
    result.checks.push_back(outcome);
  }
  pauseIfBusyLoop();
  ++nextStep_;
  return result;
}

// The engine is spinning right now: the wakeups of its current run found nothing to do
// (EngineStatus::idleWakeups, the count the `busy` diagnosis reports), and it is still making
// calls — an engine asleep in epoll_wait keeps the count of the run that ended in the sleep.
// A paused engine is left alone: a step that ends with the lesson's own `pause` stays so.
void LessonRunner::pauseIfBusyLoop() {
  if (!pauseBusyLoops_ || lesson_.tracesExamples) return;
  Engine& engine = *side_.engine();
  const EngineStatus status = engine.status();
  const bool calling = monotonicNs() - status.callSinceNs < kStillCallingNs;
  if (status.mode != EngineMode::Running || status.idleWakeups < kBusyRun || !calling) return;
  // Room in the engine's ring for the pause event: a busy loop fills it (65536 events) while
  // the checks are evaluated, and a full ring drops what comes next.
  side_.collect();
  engine.pause(PauseWhy::BusyLoop);
  if (engine.waitPaused(kSettleBound)) pausedBusyLoop_ = true;
}

// The next step starts from where a headless run would be: the engine running (unless the
// learner pressed Run meanwhile: then it already is).
void LessonRunner::resumeAfterBusyLoop() {
  if (!pausedBusyLoop_.exchange(false)) return;
  Engine& engine = *side_.engine();
  if (engine.status().mode != EngineMode::Paused) return;
  engine.run();
  engine.waitApplied(kSettleBound);
}

std::int64_t LessonRunner::counter(LessonCounter counter) const {
  return side_.counter(counter);
}

std::optional<std::int64_t> LessonRunner::counter(std::string_view name) const {
  return side_.counter(name);
}

std::vector<StepResult> LessonRunner::replayTo(std::size_t index) {
  std::vector<StepResult> results;
  if (const std::string error = start(); !error.empty()) {
    StepResult failed;
    failed.failure = error;
    results.push_back(failed);
    return results;
  }
  for (std::size_t i = 0; i < index && i < lesson_.steps.size(); ++i) {
    results.push_back(playStep(i));
  }
  return results;
}

}  // namespace eps
