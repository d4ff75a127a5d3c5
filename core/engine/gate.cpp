#include "core/engine/gate.hpp"

#include <cerrno>

#include "core/base/kernel_probe.hpp"

namespace eps {
namespace {
constexpr std::int64_t kBlockedThresholdNs = 20'000'000;  // a call this slow stalled the loop
constexpr auto kPausedSampleInterval = std::chrono::milliseconds(2);
}  // namespace

Gate::Gate(ConnTable& table, Observer& observer, CommandQueue& commands, TraceWriter& writer,
           EngineFdTable& fdTable, KnobsListener& listener, bool startPaused)
    : table_(table),
      observer_(observer),
      commands_(commands),
      writer_(writer),
      fdTable_(fdTable),
      listener_(listener),
      mode_(startPaused ? EngineMode::Paused : EngineMode::Running) {}

std::int64_t Gate::beforeCall(const PendingCall& call) {
  engineThread_.check();
  if (open_ || inGate_) return table_.seam().recording() ? monotonicNs() : 0;
  inGate_ = true;
  struct Leave {
    bool& flag;
    ~Leave() { flag = false; }
  } leave{inGate_};
  if (commands_.hasPending()) applyCommands();
  waitWhilePaused(call);
  if (stopping_) throw StopServing{};
  if (paceMs_ > 0) waitBeforeCall(std::int64_t{paceMs_} * 1'000'000);
  if (stopping_) throw StopServing{};
  // Samples and the stranded diagnosis describe the moment the engine goes to sleep: after
  // any pause or pace delay, right before the call.
  if (isReadinessWait(call.call)) observer_.sampleBeforeWait();
  // The one clock read before the call: the call's start in the trace and in the status
  // (none untraced: the status then says since when as 0, and nothing draws it).
  const std::int64_t startNs = table_.seam().recording() ? monotonicNs() : 0;
  publishStatus(call, true, startNs);
  return startNs;
}

// Paused before `call`: wait for a command that lets it go. Paused before epoll_wait, the
// commands of the pause write no eventfd (CommandQueue::suspendWait): the ready list the
// paused engine samples holds the sockets only. Before the wait the handshake is made again,
// and what came meanwhile is applied (it may pause the engine once more).
void Gate::waitWhilePaused(const PendingCall& call) {
  bool sampledSincePause = false;
  bool suspended = false;
  for (;;) {
    while (!stopping_ && !mayProceed(call)) {
      suspended = suspended || commands_.suspendWait();
      // While paused the kernel goes on: keep the kernel view current, from the moment the
      // engine stops (what it just did, an accept or a read, shows at once) and then often.
      if (!sampledSincePause || monotonicNs() - lastPausedSampleNs_ >= kSampleIntervalNs) {
        sampledSincePause = true;
        lastPausedSampleNs_ = monotonicNs();
        observer_.sampleAll();
        observer_.publishSockets();
      }
      publishStatus(call, false, monotonicNs());
      commands_.waitForCommand(kPausedSampleInterval);
      if (commands_.hasPending()) applyCommands();
    }
    if (!suspended || stopping_) return;
    suspended = false;
    if (!commands_.enterWait()) return;  // nothing queued since: epoll_wait hears the next one
    applyCommands();
  }
}

void Gate::afterCall(const TraceEvent& recorded) {
  engineThread_.check();
  // Under an fd limit, a number at or above it that the engine frees (a connection accepted
  // before the limit came down) must not become free: RLIMIT_NOFILE would not allow it.
  if (recorded.call == Call::Close && recorded.ret == 0) {
    fdTable_.refill(recorded.fd, table_.epfd());
  }
  if (recorded.durNs >= kBlockedThresholdNs &&
      (recorded.call == Call::Read || recorded.call == Call::Write ||
       recorded.call == Call::Accept4) &&
      table_.knobs().sockets == SocketMode::Blocking) {
    TraceEvent blocked;
    blocked.kind = EventKind::Blocked;
    blocked.fd = recorded.fd;
    blocked.call = recorded.call;
    blocked.a = recorded.durNs;
    writer_.record(blocked);
  }
  if (open_) return;
  observer_.publishCallDone(table_.seam().callsMade());
}

bool Gate::mayProceed(const PendingCall& call) {
  switch (mode_) {
    case EngineMode::Running:
      return true;
    case EngineMode::Stepping:
      if (stepBudget_ > 0) {  // step one call
        if (--stepBudget_ == 0) mode_ = EngineMode::Paused;
        return true;
      }
      // step one wakeup: everything up to (not including) the next epoll_wait (or poll)
      if (isReadinessWait(call.call)) {
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
void Gate::waitBeforeCall(std::int64_t paceNs) {
  const std::int64_t until = monotonicNs() + paceNs;
  for (std::int64_t now = monotonicNs(); now < until && !stopping_; now = monotonicNs()) {
    commands_.waitForCommand(std::chrono::milliseconds((until - now) / 1'000'000 + 1));
    if (commands_.hasPending()) applyCommands();
    if (mode_ == EngineMode::Paused) return;  // the next call will wait in the gate
  }
}

void Gate::applyCommands() {
  engineThread_.check();
  for (const Command& command : commands_.takeAll()) {
    applyCommand(command);
    commands_.markApplied(command.ticket);
  }
}

void Gate::applyCommand(const Command& command) {
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
    case Type::SetPace:
      setPace(command.paceMs);
      break;
    case Type::Stop:
      stopping_ = true;
      break;
    case Type::Barrier:
      break;
  }
}

void Gate::setMode(EngineMode mode, ControlOp op, std::int64_t argument) {
  mode_ = mode;
  // Published before the command is marked applied, so a caller that waits for the
  // application and then for "paused" never sees the pause from before its step.
  observer_.publishMode(mode);
  TraceEvent control;
  control.kind = EventKind::Control;
  control.op = static_cast<std::uint8_t>(op);
  control.a = argument;
  writer_.record(control);
}

void Gate::setPace(int paceMs) {
  paceMs_ = paceMs;
  TraceEvent pace;
  pace.kind = EventKind::Control;
  pace.op = static_cast<std::uint8_t>(ControlOp::Pace);
  pace.a = paceMs_;
  writer_.record(pace);
}

void Gate::recordConfig(KnobId knob, std::int64_t after, std::int64_t before, int err) {
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
void Gate::applyOneKnob(KnobId knob, std::int64_t value) {
  Knobs next = table_.knobs();
  if (setKnobNumber(next, knob, value)) {
    recordConfig(knob, value, knobValueNumber(table_.knobs(), knob), EINVAL);
    return;
  }
  applyKnobs(next);
}

// limit-fds N: counted here, on the engine thread, in the engine's own descriptor table.
void Gate::allowMoreFds(int more) {
  Knobs next = table_.knobs();
  next.fdLimit = fdTable_.limitAllowing(more);
  applyKnobs(next);
}

void Gate::applyKnobs(const Knobs& next) {
  engineThread_.check();
  const Knobs before = table_.knobs();
  if (const auto conflict = pollerConflict(next)) {
    refuseConflict(before, next, *conflict);
    return;
  }
  std::uint8_t effects = kKnobReadAtUse;
  for (const KnobInfo& info : knobTable()) {
    const std::int64_t was = knobValueNumber(before, info.id);
    const std::int64_t now = knobValueNumber(next, info.id);
    if (was == now) continue;
    effects |= info.effects;
    const int err = (info.effects & kKnobSetsFdLimit) != 0
                        ? fdTable_.setLimit(static_cast<int>(now), table_.epfd())
                        : 0;
    recordConfig(info.id, now, was, err);
  }
  table_.setKnobs(next);
  listener_.knobsApplied(effects);
  observer_.publishKnobs(next);
}

// A change that would leave an epoll-only knob set under poller=poll is refused whole: every
// knob it changes is recorded as refused (EOPNOTSUPP, `events` naming the knob that needs
// epoll), and the knobs in force stay as they were.
void Gate::refuseConflict(const Knobs& before, const Knobs& next, KnobId conflict) {
  for (const KnobInfo& info : knobTable()) {
    const std::int64_t was = knobValueNumber(before, info.id);
    const std::int64_t now = knobValueNumber(next, info.id);
    if (was == now) continue;
    TraceEvent config;
    config.kind = EventKind::Config;
    config.op = static_cast<std::uint8_t>(info.id);
    config.a = now;
    config.b = was;
    config.ret = -1;
    config.err = EOPNOTSUPP;
    config.events = static_cast<std::uint32_t>(conflict) + 1;
    writer_.record(config);
  }
  observer_.publishKnobs(before);
}

void Gate::publishStatus(const PendingCall& call, bool inCall, std::int64_t sinceNs) {
  observer_.publishStatus(call, inCall, mode_, paceMs_, table_.seam().callsMade(), sinceNs);
}

}  // namespace eps
