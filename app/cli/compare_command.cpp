#include "app/cli/compare_command.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>

#include "core/base/terminal_text.hpp"
#include "core/checks/check_expr.hpp"
#include "core/compare/compare_inputs.hpp"

namespace eps::app {
namespace {

constexpr int kNameWidth = 24, kValueWidth = 12;

void printSides(const Comparison& c) {
  for (const ComparedSide& side : c.sides) {
    std::cout << side.name << ": " << terminalText(side.source)
              << (side.knobs.empty() ? "" : ", knobs " + terminalText(side.knobs)) << "\n";
  }
}

void printRow(std::string_view name, std::int64_t a, std::int64_t b, bool differs) {
  std::cout << "  " << std::left << std::setw(kNameWidth) << name << std::right
            << std::setw(kValueWidth) << observedText(name, a) << std::setw(kValueWidth)
            << observedText(name, b) << (differs ? "  *" : "") << "\n";
}

void printSteps(const Comparison& c) {
  const std::size_t steps = std::min(c.sides[0].steps.size(), c.sides[1].steps.size());
  for (std::size_t i = 0; i < steps; ++i) {
    const std::vector<LessonCounter> differ = c.differingInStep(i);
    const std::string title = i < c.stepTitles.size() ? c.stepTitles[i] : "";
    std::cout << "step " << i + 1 << "/" << c.stepTitles.size() << " \"" << terminalText(title)
              << "\": " << differ.size()
              << (differ.size() == 1 ? " counter differs" : " counters differ") << "\n";
    for (const LessonCounter id : differ) {
      printRow(counterInfo(id).name, c.sides[0].steps[i][id], c.sides[1].steps[i][id], true);
    }
  }
}

// Every lesson counter of both whole runs; '*' marks a difference. A saved trace has no kernel
// view: its kernel counters are left out.
void printTable(const Comparison& c) {
  const bool kernel = c.sides[0].kernelCounters && c.sides[1].kernelCounters;
  const std::vector<LessonCounter> differ = c.differing();
  std::cout << "whole run:\n  " << std::left << std::setw(kNameWidth) << "counter" << std::right
            << std::setw(kValueWidth) << "A" << std::setw(kValueWidth) << "B"
            << "\n";
  for (const CounterInfo& info : lessonCounters()) {
    const auto id = static_cast<LessonCounter>(info.id);
    if (!kernel && info.kind == CounterKind::KernelNow) continue;
    const bool differs = std::find(differ.begin(), differ.end(), id) != differ.end();
    printRow(info.name, c.sides[0].run[id], c.sides[1].run[id], differs);
  }
  std::cout << "aligned on " << c.markers.size() << " script markers; " << differ.size()
            << " counters differ (*)\n";
}

int printComparison(const Comparison& c) {
  printSides(c);
  printSteps(c);
  printTable(c);
  int code = 0;
  for (const ComparedSide& side : c.sides) {
    if (side.failure.empty()) continue;
    std::cout << "FAIL " << side.name << ": " << terminalText(side.failure) << "\n";
    code = 1;
  }
  return code;
}

}  // namespace

int runCompareHeadless(const Options& options) {
  if (!options.compareSessions.empty()) {
    const CompareInputs in =
        readSessionCompare(options.compareSessions[0], options.compareSessions[1]);
    if (!in.error.empty()) {
      std::cerr << "epollscope: " << terminalText(in.error) << "\n";
      return 2;
    }
    std::cout << "opened sessions A: " << in.sessionA->events.size()
              << " events and B: " << in.sessionB->events.size() << " events" << std::endl;
    return printComparison(compareRecorded(*in.sessionA, *in.sessionB));
  }
  CompareInputs in = readLessonCompare(options.compareLesson, {options.knobsA, options.knobsB},
                                       {"--knobs-a", "--knobs-b"});
  if (!in.error.empty()) {
    std::cerr << "epollscope: " << terminalText(in.error) << "\n";
    return 2;
  }
  PairedRun paired(*in.lesson, in.knobsA, in.knobsB);
  if (const std::string error = paired.start(); !error.empty()) {
    std::cerr << "epollscope: " << terminalText(error) << "\n";
    return 2;
  }
  const std::array<int, 2> ports = paired.ports();
  std::cout << "listening on 127.0.0.1:" << ports[0] << " and 127.0.0.1:" << ports[1] << std::endl;
  std::cout << "lesson " << terminalText(in.lesson->id) << ": " << terminalText(in.lesson->title.en)
            << std::endl;
  return printComparison(paired.play());
}

}  // namespace eps::app
