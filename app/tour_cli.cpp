#include "app/tour_cli.hpp"

#include <iostream>

#include "app/headless.hpp"
#include "core/import_counters.hpp"
#include "core/strace_import.hpp"
#include "core/trace_tour.hpp"

namespace eps::app {

int runTourHeadless(const Options& options) {
  const TourLoad load = loadTraceTour(options.openLog);
  if (!load.tour) {
    std::cerr << "epollscope: " << load.error << "\n";
    return 2;
  }
  const TraceTour& tour = *load.tour;
  StraceImport log;
  try {
    StraceImportOptions importOptions;
    importOptions.source = tour.logPath;
    log = importStraceFile(tour.logPath, importOptions);
  } catch (const StraceImportError& error) {
    std::cerr << "epollscope: " << error.what() << "\n";
    return 2;
  }
  std::cout << "imported " << tour.logPath << ": " << log.stats.lines << " lines, "
            << log.stats.callsImported << " calls, " << log.threads.size() << " threads"
            << std::endl;
  std::cout << "tour: " << tour.title << "\n";
  const std::vector<CheckOutcome> outcomes = checkTour(tour, countImport(log));
  int failed = 0;
  for (std::size_t i = 0; i < tour.steps.size(); ++i) {
    const TourStep& step = tour.steps[i];
    const bool passed = outcomes[i].passed;
    failed += passed ? 0 : 1;
    std::cout << (passed ? "  ok   " : "  FAIL ") << "step " << i + 1 << " (lines "
              << step.firstLine << "-" << step.lastLine << ") " << step.title << ": "
              << step.checkSource << "  [" << outcomes[i].observed << "]\n";
  }
  std::cout << "checks: " << tour.steps.size() - static_cast<std::size_t>(failed) << " passed, "
            << failed << " failed" << std::endl;
  TraceMeta meta;
  meta.writers = log.threads;
  meta.dropped = log.stats.droppedEvents;
  meta.source = "strace log " + tour.logPath;
  meta.laneLabels = &log.labels;
  if (!writeExports(options, log.events, meta)) return 2;
  return options.check && failed > 0 ? 1 : 0;
}

}  // namespace eps::app
