// The actions and run conditions of a lesson (or of a paired run's script): each applied to the
// real engine and clients, every wait bounded so a lesson that cannot happen fails loudly
// instead of hanging.
#include <cstdio>
#include <optional>
#include <thread>

#include "core/base/interrupt.hpp"
#include "core/base/names.hpp"
#include "core/runner/run_side.hpp"

namespace eps {
namespace {

using namespace std::chrono_literals;
constexpr auto kBound = 5000ms;

// The engine made no call for 30 ms: it has dealt with what arrived (bounded like every wait).
const RunUntil kEngineIdle{RunUntil::Kind::Idle, 30, 0, "", 5000, {}};

// a..z repeated: text without a zero byte, for servers that keep data in C strings.
std::string letters(std::size_t count) {
  std::string out(count, 'a');
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<char>('a' + i % 26);
  return out;
}

// "line 0000\n", "line 0001\n", ... (ten bytes a line, the number modulo 10000), cut at
// `count` bytes: line N starts at byte 10 N, so a learner reading a read's bytes sees by eye
// which part of the message came back.
std::string numberedLines(std::size_t count) {
  std::string out;
  out.reserve(count + 10);
  char line[16];
  for (std::size_t n = 0; out.size() < count; ++n) {
    std::snprintf(line, sizeof line, "line %04zu\n", n % 10000);
    out += line;
  }
  out.resize(count);
  return out;
}

// A lesson's waits (up to its bounds, seconds) in slices, so Ctrl-C ends a headless run
// within one slice; throws Interrupted.
void sleepInterruptibly(std::chrono::milliseconds total) {
  constexpr auto kSlice = 50ms;
  const auto end = std::chrono::steady_clock::now() + total;
  for (auto now = std::chrono::steady_clock::now(); now < end;
       now = std::chrono::steady_clock::now()) {
    throwIfInterrupted();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kSlice, end - now));
  }
  throwIfInterrupted();
}

}  // namespace

std::string RunSide::apply(const LessonAction& a) {
  if (auto done = applyToClients(a)) return *done;
  return applyToEngine(a);
}

// The actions of the built-in clients; nullopt for an action of the engine's.
std::optional<std::string> RunSide::applyToClients(const LessonAction& a) {
  using Kind = LessonAction::Kind;
  ClientDriver& c = *clients_;
  const int id = clientId(a.client);
  const auto bytes = static_cast<std::size_t>(a.count);
  switch (a.kind) {
    case Kind::Connect:
      for (std::int64_t i = 0; i < a.count; ++i) clientIds_.push_back(c.connect());
      for (const int client : clientIds_) {
        if (!c.waitConnected(client, kBound)) return "a client could not connect";
      }
      return "";
    case Kind::Send:
      c.send(id, bytes);
      return settle();
    case Kind::Letters:
      // Each message is its own: the engine must have dealt with one (or be asleep) before
      // the next arrives, or TCP would hand two to a single read.
      for (std::int64_t i = 0; i < a.times; ++i) {
        c.sendText(id, letters(bytes));
        if (auto failed = settle(); !failed.empty()) return failed;
        if (a.times > 1) {
          if (auto failed = runUntil(kEngineIdle); !failed.empty()) return failed;
        }
      }
      return "";
    case Kind::Lines:
      c.sendText(id, numberedLines(bytes));
      return settle();
    case Kind::Text:
      c.sendText(id, a.text);
      return settle();
    case Kind::Urgent:
      c.sendUrgent(id, '!');
      return settle();
    case Kind::Trickle:
      c.trickle(id, bytes, std::chrono::milliseconds(a.periodMs));
      return "";
    case Kind::StopTrickle:
      c.stopTrickle(id);
      return "";
    case Kind::StopReading:
      c.stopReading(id);
      return "";
    case Kind::ResumeReading:
      c.resumeReading(id);
      return "";
    case Kind::Shutdown:
      c.shutdownWrite(id);
      return settle();
    case Kind::Close:
      c.close(id);
      return settle();
    case Kind::Reset:
      c.reset(id);
      return settle();
    default:
      return std::nullopt;
  }
}

// The actions of the engine (and the lesson's own waits).
std::string RunSide::applyToEngine(const LessonAction& a) {
  using Kind = LessonAction::Kind;
  switch (a.kind) {
    case Kind::Set: {
      Knobs knobs = engine_->knobs();
      if (auto error = setKnob(knobs, a.knob, a.value)) return *error;
      if (const auto conflict = pollerConflict(knobs)) {  // the engine would refuse it
        return "set " + std::string(knobInfo(a.knob).name) + "=" + a.value + ": " +
               needsEpollText(*conflict, knobValueText(knobs, *conflict));
      }
      engine_->setKnob(a.knob, knobValueNumber(knobs, a.knob));
      return engine_->waitApplied(kBound) ? "" : "the engine did not apply the knob";
    }
    case Kind::LimitFds:
      // Let the engine finish what it is doing (a spare descriptor it is about to reopen)
      // before it counts the free numbers in its own descriptor table.
      if (auto failed = runUntil(kEngineIdle); !failed.empty()) return failed;
      engine_->allowMoreFds(static_cast<int>(a.count));
      if (!engine_->waitApplied(kBound)) return "the engine did not apply the descriptor limit";
      return "";
    case Kind::Pause:
      engine_->pause();
      return engine_->waitPaused(kBound) ? "" : "the engine did not pause";
    case Kind::Run:
      engine_->run();
      return engine_->waitApplied(kBound) ? "" : "no answer";
    case Kind::StepWakeup:
    case Kind::StepCall:
      for (std::int64_t i = 0; i < a.count; ++i) {
        a.kind == Kind::StepWakeup ? engine_->stepWakeup() : engine_->stepCall();
        if (!engine_->waitPaused(kBound)) return "the engine did not pause after the step";
      }
      return "";
    case Kind::Wait:
      sleepInterruptibly(std::chrono::milliseconds(a.count));
      return "";
    case Kind::Example:
      return startExample(a.text);
    default:
      return "unknown action";
  }
}

std::string RunSide::runUntil(const RunUntil& until) {
  using Kind = RunUntil::Kind;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(until.boundMs);
  if (until.kind == Kind::Nothing) return "";
  if (until.kind == Kind::Idle && tracesExamples_) return runUntilExampleIdle(until);
  if (until.kind == Kind::Idle) {
    // Idle: the engine made no call for idleMs (asleep in epoll_wait or poll, or paused). It must
    // outlast the kernel's timers when they matter (delayed ACK: EPOLL-FACTS §3 rule 2).
    for (;;) {
      const std::uint64_t before = engine_->status().callsMade;
      sleepInterruptibly(std::chrono::milliseconds(until.idleMs));
      const EngineStatus status = engine_->status();
      const bool idle =
          status.callsMade == before && (!status.inCall || isReadinessWait(status.pendingCall));
      if (idle) return "";
      if (std::chrono::steady_clock::now() > deadline) {
        return "run until idle " + std::to_string(until.idleMs) +
               "ms: the engine was still busy after " + std::to_string(until.boundMs) + " ms";
      }
    }
  }
  for (;;) {
    throwIfInterrupted();
    collect();
    if (until.kind == Kind::Wakeups && counter(LessonCounter::Wakeups) >= until.wakeups) return "";
    if (until.kind == Kind::Event && sawEventSinceStepBegan(until.event)) return "";
    if (std::chrono::steady_clock::now() > deadline) {
      return "run until " +
             (until.kind == Kind::Event ? "event " + until.event
                                        : std::to_string(until.wakeups) + " wakeups") +
             ": not reached within " + std::to_string(until.boundMs) + " ms";
    }
    std::this_thread::sleep_for(2ms);
  }
}

// Idle, for a traced example: it made no call for idleMs. strace writes a call's line when
// the call returns, so an example asleep in epoll_wait shows no new call; the samples taken
// while it sleeps are not its calls and do not count.
std::string RunSide::runUntilExampleIdle(const RunUntil& until) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(until.boundMs);
  for (;;) {
    collect();
    const std::size_t before = exampleCalls();
    sleepInterruptibly(std::chrono::milliseconds(until.idleMs));
    collect();
    if (exampleCalls() == before) return "";
    if (std::chrono::steady_clock::now() > deadline) {
      return "run until idle " + std::to_string(until.idleMs) +
             "ms: the example was still making calls after " + std::to_string(until.boundMs) +
             " ms";
    }
  }
}

bool RunSide::sawEventSinceStepBegan(std::string_view kind) const {
  std::lock_guard lock(mutex_);
  for (std::size_t i = stepBegin_; i < events_.size(); ++i) {
    if (eventKindName(events_[i].kind) == kind) return true;
  }
  return false;
}

}  // namespace eps
