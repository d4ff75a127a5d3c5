#include "core/compare/paired_run.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "core/base/interrupt.hpp"
#include "core/checks/check_expr.hpp"
#include "core/runner/step_counters.hpp"

namespace eps {
namespace {

constexpr std::array<const char*, 2> kSideNames = {"A", "B"};

// A counter both sides can be compared on: a kernel counter only where both have a kernel view.
bool comparable(LessonCounter id, bool kernel) {
  return kernel || counterInfo(id).kind != CounterKind::KernelNow;
}

std::vector<LessonCounter> differ(const LessonCounts& a, const LessonCounts& b, bool kernel) {
  std::vector<LessonCounter> out;
  for (const CounterInfo& info : lessonCounters()) {
    const auto id = static_cast<LessonCounter>(info.id);
    if (comparable(id, kernel) && a[id] != b[id]) out.push_back(id);
  }
  return out;
}

// The script's markers in one trace, in order: (is a step, ordinal) and when.
struct MarkerAt {
  bool step = false;
  std::int64_t ordinal = 0;
  std::int64_t tNs = 0;
};

std::vector<MarkerAt> markersOf(const std::vector<TraceEvent>& events) {
  std::vector<MarkerAt> out;
  for (const TraceEvent& e : events) {
    if (e.actor != Actor::Control) continue;
    if (e.kind == EventKind::Step) out.push_back({true, e.a, e.tNs});
    if (e.kind == EventKind::Note && static_cast<NoteOp>(e.op) == NoteOp::Action) {
      out.push_back({false, e.a, e.tNs});
    }
  }
  return out;
}

// The markers both sides reached, paired in script order: a marker one side lacks (a side
// that stopped early, a session saved from another lesson) ends the pairing there.
std::vector<ScriptMarker> pairMarkers(const std::array<ComparedSide, 2>& sides,
                                      const std::map<std::int64_t, std::string>& actionLabels) {
  const std::vector<MarkerAt> a = markersOf(sides[0].events), b = markersOf(sides[1].events);
  std::vector<ScriptMarker> out;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].step != b[i].step || a[i].ordinal != b[i].ordinal) break;
    ScriptMarker marker;
    marker.step = a[i].step;
    const auto label = actionLabels.find(a[i].ordinal);
    marker.label = a[i].step                     ? "step " + std::to_string(a[i].ordinal + 1)
                   : label != actionLabels.end() ? label->second
                                                 : "action " + std::to_string(a[i].ordinal + 1);
    marker.tNs = {a[i].tNs, b[i].tNs};
    out.push_back(std::move(marker));
  }
  return out;
}

// A paired lesson's check over a step's counts of each side: "a.wakeups" is side A's.
CheckResult evaluateSidedCheck(const LessonCheck& check,
                               const std::array<const LessonCounts*, 2>& counts) {
  CheckResult outcome{check.source, check.place, false, ""};
  const CheckParse parsed = parseSidedCheck(check.source);
  if (!parsed.expr) {
    outcome.observed = parsed.error;
    return outcome;
  }
  const auto counter = [&counts](std::string_view name) -> std::optional<std::int64_t> {
    if (name.size() < 3 || name[1] != '.' || (name[0] != 'a' && name[0] != 'b')) return {};
    const auto id = lessonCounterFromName(name.substr(2));
    if (!id) return {};
    return (*counts[name[0] == 'a' ? 0 : 1])[*id];
  };
  const CheckOutcome evaluated = evaluateCheck(*parsed.expr, counter);
  outcome.passed = evaluated.passed;
  outcome.observed = evaluated.observed;
  return outcome;
}

}  // namespace

std::vector<LessonCounter> Comparison::differing() const {
  return differ(sides[0].run, sides[1].run, sides[0].kernelCounters && sides[1].kernelCounters);
}

std::vector<LessonCounter> Comparison::differingInStep(std::size_t step) const {
  if (step >= sides[0].steps.size() || step >= sides[1].steps.size()) return {};
  return differ(sides[0].steps[step], sides[1].steps[step],
                sides[0].kernelCounters && sides[1].kernelCounters);
}

PairedRun::PairedRun(Lesson script, Knobs a, Knobs b)
    : script_(std::move(script)), knobs_{std::move(a), std::move(b)} {}

PairedRun::PairedRun(Lesson lesson)
    : PairedRun(lesson, lesson.compare ? (*lesson.compare)[0].knobs : lesson.knobs,
                lesson.compare ? (*lesson.compare)[1].knobs : lesson.knobs) {
  // Named only when the sides are the lesson's own (--knobs-a/-b choose others).
  if (lesson.compare) labels_ = {(*lesson.compare)[0].label, (*lesson.compare)[1].label};
}

std::string PairedRun::start() {
  for (std::size_t side = 0; side < 2; ++side) {
    steps_[side].clear();
    failures_[side].clear();
  }
  ordinal_ = 0;
  for (std::size_t side = 0; side < 2; ++side) {
    if (std::string error = sides_[side].start(knobs_[side], script_.clientRcvbuf);
        !error.empty()) {
      return std::string(kSideNames[side]) + ": " + error;
    }
  }
  return "";
}

std::array<int, 2> PairedRun::ports() const {
  return {sides_[0].engine()->port(), sides_[1].engine()->port()};
}

// One step on both sides: each action marked and applied on A, then on B; then each side runs
// until the step's condition. A failure is the side's; the other side still ends its step, so
// both traces hold the same steps.
std::string PairedRun::playStep(std::size_t index) {
  const LessonStep& step = script_.steps[index];
  for (RunSide& side : sides_) side.beginStep(index);
  for (const LessonAction& action : step.actions) {
    for (std::size_t s = 0; s < 2; ++s) {
      if (!failures_[s].empty()) continue;
      sides_[s].markAction(ordinal_, index);
      if (std::string error = sides_[s].apply(action); !error.empty()) {
        failures_[s] = "step " + std::to_string(index + 1) + ", '" + action.source + "': " + error;
      }
    }
    ++ordinal_;
  }
  for (std::size_t s = 0; s < 2; ++s) {
    if (failures_[s].empty()) {
      if (std::string error = sides_[s].runUntil(step.until); !error.empty()) {
        failures_[s] = "step " + std::to_string(index + 1) + ": " + error;
      }
    }
    sides_[s].endStep();
    steps_[s].push_back(sides_[s].stepCounts());
  }
  return failures_[0].empty() && failures_[1].empty() ? "" : "failed";
}

ComparedSide PairedRun::sideSoFar(std::size_t side) const {
  ComparedSide out;
  out.name = kSideNames[side];
  out.label = labels_[side];
  out.knobs = describeKnobs(knobs_[side]);
  out.source = "engine";
  if (sides_[side].engine() == nullptr) return out;  // not started: nothing counted yet
  out.run = sides_[side].runCounts();
  out.steps = steps_[side];
  out.failure = failures_[side];
  return out;
}

ComparedSide PairedRun::finish(std::size_t side) {
  ComparedSide out = sideSoFar(side);
  sides_[side].stop();
  sides_[side].collect();
  out.events = sides_[side].events();
  return out;
}

Comparison PairedRun::comparison(std::array<ComparedSide, 2> sides) const {
  Comparison result;
  result.script = script_.path;
  std::map<std::int64_t, std::string> labels;
  std::size_t ordinal = 0;
  for (const LessonStep& step : script_.steps) {
    result.stepTitles.push_back(step.title.en);
    result.stepTitlesZh.push_back(step.title.zh);
    for (const LessonAction& action : step.actions)
      labels[static_cast<std::int64_t>(ordinal++)] = action.source;
  }
  result.sides = std::move(sides);
  result.markers = pairMarkers(result.sides, labels);
  return result;
}

Comparison PairedRun::play() {
  for (std::size_t i = nextStep(); i < script_.steps.size(); ++i) {
    throwIfInterrupted();
    if (!playStep(i).empty()) break;  // later steps build on this one
  }
  return comparison({finish(0), finish(1)});
}

Comparison PairedRun::snapshot() {
  std::array<ComparedSide, 2> sides;
  for (std::size_t side = 0; side < 2; ++side) {
    sides[side] = sideSoFar(side);
    if (sides_[side].engine() == nullptr) continue;
    sides_[side].collect();
    sides[side].events = sides_[side].events();
  }
  return comparison(std::move(sides));
}

StepResult PairedRun::playNext() {
  StepResult result;
  result.index = nextStep();
  if (result.index >= script_.steps.size() || !failures_[0].empty() || !failures_[1].empty()) {
    result.failure = "steps are played in order, until one fails";
    return result;
  }
  if (!playStep(result.index).empty()) {
    for (std::size_t s = 0; s < 2; ++s) {
      if (failures_[s].empty()) continue;
      result.failure += std::string(result.failure.empty() ? "" : "; ") +
                        static_cast<char>('a' + s) + ": " + failures_[s];
    }
  }
  const std::array<const LessonCounts*, 2> counts = {&steps_[0].back(), &steps_[1].back()};
  for (const LessonCheck& check : script_.steps[result.index].checks) {
    result.checks.push_back(evaluateSidedCheck(check, counts));
  }
  return result;
}

namespace {

// A saved trace's counters: over the whole trace, and per lesson step between its Step events.
ComparedSide recordedSide(const RecordedRun& run, const char* name) {
  ComparedSide out;
  out.name = name;
  out.knobs = run.knobs;
  out.source = run.source;
  out.events = run.events;
  out.kernelCounters = false;
  StepWindow window;
  window.all = out.events;
  window.clients = run.clients;
  if (!out.events.empty()) {
    window.startNs = out.events.front().tNs;
    window.endNs = out.events.back().tNs;
  }
  out.run = stepCounters(window);
  std::vector<std::size_t> stepStarts;
  for (std::size_t i = 0; i < out.events.size(); ++i) {
    if (out.events[i].kind == EventKind::Step) stepStarts.push_back(i);
  }
  for (std::size_t k = 0; k < stepStarts.size(); ++k) {
    // Only this step's events: the window ends where the next step begins.
    const std::size_t end = k + 1 < stepStarts.size() ? stepStarts[k + 1] : out.events.size();
    StepWindow step = window;
    step.all = std::span<const TraceEvent>(out.events).first(end);
    step.begin = stepStarts[k];
    step.startNs = out.events[stepStarts[k]].tNs;
    step.endNs = out.events[end - 1].tNs;
    out.steps.push_back(stepCounters(step));
  }
  return out;
}

}  // namespace

Comparison compareRecorded(const RecordedRun& a, const RecordedRun& b) {
  Comparison result;
  result.script = "sessions";
  result.sides = {recordedSide(a, kSideNames[0]), recordedSide(b, kSideNames[1])};
  const std::size_t steps = std::max(result.sides[0].steps.size(), result.sides[1].steps.size());
  for (std::size_t i = 0; i < steps; ++i)
    result.stepTitles.push_back("step " + std::to_string(i + 1));
  result.markers = pairMarkers(result.sides, {});
  return result;
}

}  // namespace eps
