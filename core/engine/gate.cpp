// The engine's gate: every call passes here first. Commands (knob changes, run, pause, step)
// are applied here, between two calls, and recorded; a paused engine waits here, making no
// call at all, while clients and the kernel go on.
#include <cerrno>

#include "core/engine/loop.hpp"

namespace eps {
namespace {
constexpr std::int64_t kBlockedThresholdNs = 20'000'000;  // a call this slow stalled the loop
constexpr auto kPausedSampleInterval = std::chrono::milliseconds(2);
constexpr std::int64_t kPausedSampleEveryNs = 2'000'000;
}  // namespace

void EngineLoop::beforeCall(const PendingCall& call) {
  if (gateOpen_ || inGate_) return;
  inGate_ = true;
  struct Leave {
    bool& flag;
    ~Leave() { flag = false; }
  } leave{inGate_};
  if (commands_.hasPending()) applyCommands();
  bool sampledSincePause = false;
  while (!stopping_ && !mayProceed(call)) {
    // While paused the kernel goes on: keep the kernel view current, from the moment the
    // engine stops (what it just did, an accept or a read, shows at once) and then often.
    if (!sampledSincePause || monotonicNs() - lastPausedSampleNs_ >= kPausedSampleEveryNs) {
      sampledSincePause = true;
      lastPausedSampleNs_ = monotonicNs();
      sampleAll();
      publishSockets();
    }
    publishStatus(call, false);
    commands_.waitForCommand(kPausedSampleInterval);
    if (commands_.hasPending()) applyCommands();
  }
  if (stopping_) throw StopRequested{};
  if (paceMs_ > 0) waitBeforeCall(std::int64_t{paceMs_} * 1'000'000);
  if (stopping_) throw StopRequested{};
  // Samples and the stranded diagnosis describe the moment the engine goes to sleep: after
  // any pause or pace delay, right before the call.
  if (call.call == Call::EpollWait) sampleBeforeWait();
  publishStatus(call, true);
}

void EngineLoop::afterCall(const TraceEvent& recorded) {
  // Under an fd limit, a number at or above it that the engine frees (a connection accepted
  // before the limit came down) must not become free: RLIMIT_NOFILE would not allow it.
  if (recorded.call == Call::Close && recorded.ret == 0) fdTable_.refill(recorded.fd, epfd_);
  if (recorded.durNs >= kBlockedThresholdNs &&
      (recorded.call == Call::Read || recorded.call == Call::Write ||
       recorded.call == Call::Accept4) &&
      knobs_.sockets == SocketMode::Blocking) {
    TraceEvent blocked;
    blocked.kind = EventKind::Blocked;
    blocked.fd = recorded.fd;
    blocked.call = recorded.call;
    blocked.a = recorded.durNs;
    writer_.record(blocked);
  }
  if (gateOpen_) return;
  std::lock_guard lock(shared_.mutex);
  shared_.status.inCall = false;
  shared_.status.callsMade = seam_.callsMade();
}

bool EngineLoop::mayProceed(const PendingCall& call) {
  switch (mode_) {
    case EngineMode::Running:
      return true;
    case EngineMode::Stepping:
      if (stepBudget_ > 0) {  // step one call
        if (--stepBudget_ == 0) mode_ = EngineMode::Paused;
        return true;
      }
      // step one wakeup: everything up to (not including) the next epoll_wait
      if (call.call == Call::EpollWait) {
        if (passedWait_) {
          mode_ = EngineMode::Paused;
          return false;
        }
        passedWait_ = true;
      }
      return true;
    default:
      return false;
  }
}

// The pace knob: a delay before each call so a class can follow the story in real time.
// Commands still get through (pause, faster pace) while it waits.
void EngineLoop::waitBeforeCall(std::int64_t paceNs) {
  const std::int64_t until = monotonicNs() + paceNs;
  for (std::int64_t now = monotonicNs(); now < until && !stopping_; now = monotonicNs()) {
    commands_.waitForCommand(std::chrono::milliseconds((until - now) / 1'000'000 + 1));
    if (commands_.hasPending()) applyCommands();
    if (mode_ == EngineMode::Paused) return;  // the next call will wait in the gate
  }
}

void EngineLoop::applyCommands() {
  for (const Command& command : commands_.takeAll()) {
    applyCommand(command);
    commands_.markApplied(command.ticket);
  }
}

void EngineLoop::applyCommand(const Command& command) {
  using Type = Command::Type;
  switch (command.type) {
    case Type::SetKnobs:
      applyKnobs(command.knobs);
      break;
    case Type::SetKnob:
      applyOneKnob(command.knob, command.value);
      break;
    case Type::AllowFds:
      allowMoreFds(command.moreFds);
      break;
    case Type::Run:
      setMode(EngineMode::Running, ControlOp::Run);
      break;
    case Type::Pause:
      setMode(EngineMode::Paused, ControlOp::Pause, static_cast<std::int64_t>(command.pauseWhy));
      break;
    case Type::StepCall:
      stepBudget_ = 1;
      setMode(EngineMode::Stepping, ControlOp::StepCall);
      break;
    case Type::StepWakeup:
      stepBudget_ = 0;
      passedWait_ = false;
      setMode(EngineMode::Stepping, ControlOp::StepWakeup);
      break;
    case Type::SetPace: {
      paceMs_ = command.paceMs;
      TraceEvent pace;
      pace.kind = EventKind::Control;
      pace.op = static_cast<std::uint8_t>(ControlOp::Pace);
      pace.a = paceMs_;
      writer_.record(pace);
      break;
    }
    case Type::Stop:
      stopping_ = true;
      break;
    case Type::Barrier:
      break;
  }
}

void EngineLoop::setMode(EngineMode mode, ControlOp op, std::int64_t argument) {
  mode_ = mode;
  {
    // Published before the command is marked applied, so a caller that waits for the
    // application and then for "paused" never sees the pause from before its step.
    std::lock_guard lock(shared_.mutex);
    shared_.status.mode = mode;
  }
  TraceEvent control;
  control.kind = EventKind::Control;
  control.op = static_cast<std::uint8_t>(op);
  control.a = argument;
  writer_.record(control);
}

void EngineLoop::recordConfig(KnobId knob, std::int64_t after, std::int64_t before, int err) {
  TraceEvent config;
  config.kind = EventKind::Config;
  config.op = static_cast<std::uint8_t>(knob);
  config.a = after;
  config.b = before;
  config.ret = err == 0 ? 0 : -1;
  config.err = err;
  writer_.record(config);
}

// One knob against the knobs in force now, not against a copy taken when it was queued:
// two changes queued before either is applied both take effect, in order.
void EngineLoop::applyOneKnob(KnobId knob, std::int64_t value) {
  Knobs next = knobs_;
  if (setKnobNumber(next, knob, value)) {
    recordConfig(knob, value, knobValueNumber(knobs_, knob), EINVAL);
    return;
  }
  applyKnobs(next);
}

// limit-fds N: counted here, on the engine thread, in the engine's own descriptor table.
void EngineLoop::allowMoreFds(int more) {
  Knobs next = knobs_;
  next.fdLimit = fdTable_.limitAllowing(more);
  applyKnobs(next);
}

void EngineLoop::applyKnobs(const Knobs& next) {
  bool maskChange = false;
  for (const KnobInfo& info : knobTable()) {
    const std::int64_t before = knobValueNumber(knobs_, info.id);
    const std::int64_t after = knobValueNumber(next, info.id);
    if (before == after) continue;
    maskChange = maskChange || info.reregisters;
    const int err =
        info.id == KnobId::FdLimit ? fdTable_.setLimit(static_cast<int>(after), epfd_) : 0;
    recordConfig(info.id, after, before, err);
  }
  if (next.idleFd != knobs_.idleFd) idleFdChanged_ = true;
  if (next.workers != knobs_.workers || next.exclusive != knobs_.exclusive) {
    workersChanged_ = true;
  }
  if (next.maxEvents != knobs_.maxEvents) grownMaxEvents_ = kGrowInitialEvents;
  if (next.write != knobs_.write || next.handler != knobs_.handler) {
    for (auto& [fd, conn] : conns_) conn->flipWriting = false;
  }
  if (next.handler != knobs_.handler) {
    // The new handler starts clean: what the old one held back is dropped, as a server
    // restarted with new code would.
    for (auto& [fd, conn] : conns_) {
      conn->out.clear();
      conn->outOffset = 0;
    }
  }
  knobs_ = next;
  if (maskChange) needRegistration_ = true;
  std::lock_guard lock(shared_.mutex);
  shared_.knobs = knobs_;
}

void EngineLoop::publishStatus(const PendingCall& call, bool inCall) {
  std::lock_guard lock(shared_.mutex);
  EngineStatus& status = shared_.status;
  const bool paused = !inCall;
  status.mode = paused ? EngineMode::Paused : mode_;
  status.pendingCall = call.call;
  status.pendingFd = call.fd;
  status.pendingBytes = call.bytes;
  status.inCall = inCall;
  status.callSinceNs = monotonicNs();
  status.paceMs = paceMs_;
  status.callsMade = seam_.callsMade();
  status.idleWakeups = idleRun_;
  if (paused) shared_.changed.notify_all();
}

}  // namespace eps
