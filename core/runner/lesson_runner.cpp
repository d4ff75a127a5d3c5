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

LessonRunner::~LessonRunner() {
  stop();
}

void LessonRunner::stop() {
  stopExample();
  if (clients_) clients_.reset();
  if (engine_) engine_->stop();
}

std::shared_ptr<Engine> LessonRunner::engineRef() const {
  std::lock_guard lock(mutex_);
  return engine_;
}

std::shared_ptr<ClientDriver> LessonRunner::clientsRef() const {
  std::lock_guard lock(mutex_);
  return clients_;
}

std::shared_ptr<const PayloadStore> LessonRunner::payloadsRef() const {
  std::lock_guard lock(mutex_);
  return recorder_ ? recorder_->payloadsRef() : nullptr;
}

std::string LessonRunner::start() {
  stop();
  auto recorder = std::make_shared<Recorder>();
  TraceWriter& writer = recorder->addWriter("lesson", Actor::Control);
  TraceWriter* exampleWriter =
      lesson_.tracesExamples ? &recorder->addWriter("traced example", Actor::Engine) : nullptr;
  EngineOptions options;
  options.knobs = lesson_.knobs;
  auto engine = std::make_shared<Engine>(*recorder, options);
  std::shared_ptr<ClientDriver> clients;
  try {
    const int port = engine->start();
    ClientOptions clientOptions;
    clientOptions.rcvbuf = lesson_.clientRcvbuf;
    clients =
        std::make_shared<ClientDriver>(*recorder, static_cast<std::uint16_t>(port), clientOptions);
  } catch (const std::exception& error) {
    return error.what();
  }
  {
    std::lock_guard exampleLock(exampleMutex_);
    exampleCalls_ = 0;
  }
  std::lock_guard lock(mutex_);
  // The clients and the engine keep a reference to the recorder: it must outlive them.
  recorder_ = std::move(recorder);
  engine_ = std::move(engine);
  clients_ = std::move(clients);
  lessonWriter_ = &writer;
  exampleWriter_ = exampleWriter;
  labels_.clear();
  exampleNow_.clear();
  examplePort_ = 0;
  ++generation_;
  events_.clear();
  handedOut_ = stepBegin_ = 0;
  clientIds_.clear();
  nextStep_ = 0;
  pausedBusyLoop_ = false;
  return "";
}

void LessonRunner::collect() {
  pumpExample();
  std::lock_guard lock(mutex_);
  drainLocked();
}

std::uint64_t LessonRunner::takeNewEvents(std::vector<TraceEvent>& out) {
  pumpExample();  // between steps too: a client added by hand talks to the example
  std::lock_guard lock(mutex_);
  if (!recorder_) return generation_;
  drainLocked();
  out.insert(out.end(), events_.begin() + static_cast<std::ptrdiff_t>(handedOut_), events_.end());
  handedOut_ = events_.size();
  return generation_;
}

int LessonRunner::clientId(int lessonClient) const {
  const auto index = static_cast<std::size_t>(lessonClient - 1);
  return index < clientIds_.size() ? clientIds_[index] : -1;
}

// The settle rule: nothing left unsent by any client, so on loopback every byte, FIN and
// RST is already in the engine's socket (EPOLL-FACTS §2.12, §3 rule 1).
std::string LessonRunner::settle() {
  if (clients_->waitSettled(kSettleBound)) return "";
  return "settle: the clients' bytes did not reach the engine within 2 s";
}

StepResult LessonRunner::playStep(std::size_t index) {
  StepResult result;
  result.index = index;
  if (index != nextStep_ || index >= lesson_.steps.size()) {
    result.failure = "steps are played in order";
    return result;
  }
  const LessonStep& step = lesson_.steps[index];
  collect();
  {
    std::lock_guard lock(mutex_);
    stepBegin_ = events_.size();
  }
  stepStartNs_ = monotonicNs();
  TraceEvent marker;
  marker.kind = EventKind::Step;
  marker.a = static_cast<std::int64_t>(index);
  lessonWriter_->record(marker);
  resumeAfterBusyLoop();
  for (const LessonAction& action : step.actions) {
    result.failure = apply(action);
    if (!result.failure.empty()) {
      result.failure = "'" + action.source + "': " + result.failure;
      break;
    }
  }
  if (result.failure.empty()) result.failure = runUntil(step.until);
  stepEndNs_ = monotonicNs();
  collect();
  for (const LessonCheck& check : step.checks) {
    CheckResult outcome{check.source, check.place, false, ""};
    const CheckParse parsed = parseCheck(check.source);
    if (parsed.expr) {
      const CheckOutcome evaluated =
          evaluateCheck(*parsed.expr, [this](std::string_view name) { return counter(name); });
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
  const EngineStatus status = engine_->status();
  const bool calling = monotonicNs() - status.callSinceNs < kStillCallingNs;
  if (status.mode != EngineMode::Running || status.idleWakeups < kBusyRun || !calling) return;
  // Room in the engine's ring for the pause event: a busy loop fills it (65536 events) while
  // the checks are evaluated, and a full ring drops what comes next.
  collect();
  engine_->pause(PauseWhy::BusyLoop);
  if (engine_->waitPaused(kSettleBound)) pausedBusyLoop_ = true;
}

// The next step starts from where a headless run would be: the engine running (unless the
// learner pressed Run meanwhile: then it already is).
void LessonRunner::resumeAfterBusyLoop() {
  if (!pausedBusyLoop_.exchange(false)) return;
  if (engine_->status().mode != EngineMode::Paused) return;
  engine_->run();
  engine_->waitApplied(kSettleBound);
}

std::int64_t LessonRunner::counter(LessonCounter counter) const {
  std::lock_guard lock(mutex_);
  return stepCounter(stepWindow(), counter);
}

std::optional<std::int64_t> LessonRunner::counter(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return stepCounter(stepWindow(), name);
}

// Callers hold mutex_.
StepWindow LessonRunner::stepWindow() const {
  StepWindow window;
  window.all = events_;
  window.begin = stepBegin_;
  window.startNs = stepStartNs_;
  window.endNs = stepEndNs_;
  // A lesson that traces examples has the example's sockets in its samples, not the engine's.
  if (!lesson_.tracesExamples) window.sockets = engine_->sockets();
  for (const int id : clientIds_) window.clients.push_back(clients_->stats(id));
  return window;
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

std::vector<Recorder::WriterInfo> LessonRunner::writers() const {
  std::lock_guard lock(mutex_);
  return recorder_ ? recorder_->writers() : std::vector<Recorder::WriterInfo>{};
}

}  // namespace eps
