#include "core/runner/run_side.hpp"

#include <stdexcept>

#include "core/trace/with_recorder.hpp"

namespace eps {
namespace {

using namespace std::chrono_literals;
constexpr auto kSettleBound = 2000ms;  // EPOLL-FACTS §3: settle, or fail loudly

}  // namespace

RunSide::~RunSide() {
  stop();
}

void RunSide::stop() {
  stopExample();
  if (clients_) clients_.reset();
  if (engine_) engine_->stop();
}

std::string RunSide::start(const Knobs& knobs, int clientRcvbuf, bool tracesExamples) {
  stop();
  auto recorder = std::make_shared<Recorder>();
  TraceWriter& writer = recorder->addWriter("lesson", Actor::Control);
  TraceWriter* exampleWriter =
      tracesExamples ? &recorder->addWriter("traced example", Actor::Engine) : nullptr;
  EngineOptions options;
  options.knobs = knobs;
  auto engine = makeWithRecorder<Engine>(recorder, options);
  std::shared_ptr<ClientDriver> clients;
  try {
    const int port = engine->start();
    ClientOptions clientOptions;
    clientOptions.rcvbuf = clientRcvbuf;
    clients = makeWithRecorder<ClientDriver>(recorder, static_cast<std::uint16_t>(port),
                                             clientOptions);
  } catch (const std::exception& error) {
    return error.what();
  }
  clientRcvbuf_ = clientRcvbuf;
  {
    std::lock_guard exampleLock(exampleMutex_);
    exampleWriter_ = exampleWriter;
    exampleCalls_ = 0;
  }
  std::lock_guard lock(mutex_);
  tracesExamples_ = tracesExamples;
  labels_.clear();
  exampleNow_.clear();
  examplePort_ = 0;
  // The engine and the clients hold a share of their recorder (with_recorder.hpp): a holder
  // of the old ones keeps the old recorder alive until it lets them go.
  recorder_ = std::move(recorder);
  engine_ = std::move(engine);
  clients_ = std::move(clients);
  controlWriter_ = &writer;
  ++generation_;
  events_.clear();
  handedOut_ = stepBegin_ = 0;
  clientIds_.clear();
  runStartNs_ = stepStartNs_ = stepEndNs_ = monotonicNs();
  return "";
}

std::shared_ptr<Engine> RunSide::engineRef() const {
  std::lock_guard lock(mutex_);
  return engine_;
}

std::shared_ptr<ClientDriver> RunSide::clientsRef() const {
  std::lock_guard lock(mutex_);
  return clients_;
}

std::shared_ptr<const PayloadStore> RunSide::payloadsRef() const {
  std::lock_guard lock(mutex_);
  return recorder_ ? recorder_->payloadsRef() : nullptr;
}

void RunSide::collect() {
  pumpExample();
  std::lock_guard lock(mutex_);
  if (recorder_) drainLocked();
}

std::uint64_t RunSide::takeNewEvents(std::vector<TraceEvent>& out) {
  pumpExample();  // between steps too: a client added by hand talks to the example
  std::lock_guard lock(mutex_);
  if (!recorder_) return generation_;
  drainLocked();
  out.insert(out.end(), events_.begin() + static_cast<std::ptrdiff_t>(handedOut_), events_.end());
  handedOut_ = events_.size();
  return generation_;
}

std::vector<TraceEvent> RunSide::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<Recorder::WriterInfo> RunSide::writers() const {
  std::lock_guard lock(mutex_);
  return recorder_ ? recorder_->writers() : std::vector<Recorder::WriterInfo>{};
}

int RunSide::clientId(int lessonClient) const {
  const auto index = static_cast<std::size_t>(lessonClient - 1);
  return index < clientIds_.size() ? clientIds_[index] : -1;
}

// The settle rule: nothing left unsent by any client, so on loopback every byte, FIN and
// RST is already in the engine's socket (EPOLL-FACTS §2.12, §3 rule 1).
std::string RunSide::settle() {
  if (clients_->waitSettled(kSettleBound)) return "";
  return "settle: the clients' bytes did not reach the engine within 2 s";
}

void RunSide::beginStep(std::size_t index) {
  collect();
  {
    std::lock_guard lock(mutex_);
    stepBegin_ = events_.size();
  }
  stepStartNs_ = monotonicNs();
  TraceEvent marker;
  marker.kind = EventKind::Step;
  marker.a = static_cast<std::int64_t>(index);
  controlWriter_->record(marker);
}

void RunSide::markAction(std::size_t ordinal, std::size_t step) {
  TraceEvent marker;
  marker.kind = EventKind::Note;
  marker.op = static_cast<std::uint8_t>(NoteOp::Action);
  marker.a = static_cast<std::int64_t>(ordinal);
  marker.b = static_cast<std::int64_t>(step);
  controlWriter_->record(marker);
}

void RunSide::endStep() {
  stepEndNs_ = monotonicNs();
  collect();
}

std::int64_t RunSide::counter(LessonCounter counter) const {
  std::lock_guard lock(mutex_);
  return stepCounter(window(stepBegin_, stepStartNs_), counter);
}

std::optional<std::int64_t> RunSide::counter(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return stepCounter(window(stepBegin_, stepStartNs_), name);
}

LessonCounts RunSide::stepCounts() const {
  std::lock_guard lock(mutex_);
  return stepCounters(window(stepBegin_, stepStartNs_));
}

LessonCounts RunSide::runCounts() const {
  std::lock_guard lock(mutex_);
  return stepCounters(window(0, runStartNs_));
}

StepWindow RunSide::window(std::size_t begin, std::int64_t startNs) const {
  StepWindow window;
  window.all = events_;
  window.begin = begin;
  window.startNs = startNs;
  window.endNs = stepEndNs_;
  // A script that traces examples has the example's sockets in its samples, not the engine's.
  if (!tracesExamples_) {
    window.sockets = engine_->sockets();
    const EngineStatus status = engine_->status();
    window.engineAsleep = status.inCall && isReadinessWait(status.pendingCall);
  }
  for (const int id : clientIds_) window.clients.push_back(clients_->stats(id));
  return window;
}

}  // namespace eps
