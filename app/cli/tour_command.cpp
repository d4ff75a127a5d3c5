#include "app/cli/tour_command.hpp"

#include <iostream>

#include "app/cli/import_command.hpp"
#include "core/base/terminal_text.hpp"
#include "core/strace/counters.hpp"
#include "core/strace/tour.hpp"

namespace eps::app {
namespace {

// Each step with its check and the observed values; returns how many failed.
int printSteps(const TraceTour& tour, const std::vector<CheckOutcome>& outcomes) {
  int failed = 0;
  for (std::size_t i = 0; i < tour.steps.size(); ++i) {
    const TourStep& step = tour.steps[i];
    const bool passed = outcomes[i].passed;
    failed += passed ? 0 : 1;
    std::cout << (passed ? "  ok   " : "  FAIL ") << "step " << i + 1 << " (lines "
              << step.firstLine << "-" << step.lastLine << ") " << terminalText(step.title.en) << ": "
              << terminalText(step.checkSource) << "  [" << outcomes[i].observed << "]\n";
  }
  std::cout << "checks: " << tour.steps.size() - static_cast<std::size_t>(failed) << " passed, "
            << failed << " failed" << std::endl;
  return failed;
}

}  // namespace

int runTourHeadless(const Options& options) {
  const TourLoad load = loadTraceTour(options.openLog);
  if (!load.tour) {
    std::cerr << "epollscope: " << terminalText(load.error) << "\n";
    return 2;
  }
  const TraceTour& tour = *load.tour;
  std::optional<StraceImport> log = importOrReport(tour.logPath);
  if (!log) return 2;
  printImportSummary(tour.logPath, *log);
  std::cout << "tour: " << terminalText(tour.title.en) << "\n";
  const int failed = printSteps(tour, checkTour(tour, countImport(*log)));
  if (!writeImportOutputs(options, tour.logPath, *log)) return 2;
  return options.check && failed > 0 ? 1 : 0;
}

}  // namespace eps::app
