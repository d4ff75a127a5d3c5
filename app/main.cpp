// epollscope: set up, run (headless or in a window), tear down.
#include <iostream>

#include "app/cli/compare_command.hpp"
#include "app/cli/headless.hpp"
#include "app/cli/import_command.hpp"
#include "app/cli/lesson_command.hpp"
#include "app/cli/live_command.hpp"
#include "app/cli/options.hpp"
#include "app/cli/outputs.hpp"
#include "app/cli/session_command.hpp"
#include "app/cli/termination_watch.hpp"
#include "app/cli/tour_command.hpp"
#include "core/base/interrupt.hpp"
#include "core/formats/session_file.hpp"
#include "core/strace/tour.hpp"
#ifdef EPOLLSCOPE_WITH_GUI
#include "app/gui/gui_main.hpp"
#endif

namespace {

// The modes that read or play something and end by themselves. Ctrl-C or SIGTERM stops them
// between chunks of work; nothing is written then (outputs come only after the work).
int runBatchMode(const eps::app::Options& options) {
  const eps::app::TerminationWatch watch;
  try {
    if (options.compare()) return eps::app::runCompareHeadless(options);
    if (eps::isTourPath(options.openLog)) return eps::app::runTourHeadless(options);
    if (!options.openLog.empty()) {
      // A session is known by its first line; anything else is taken for an strace log.
      return eps::looksLikeSession(options.openLog) ? eps::app::runOpenSession(options)
                                                    : eps::app::runImportHeadless(options);
    }
    return eps::app::runLessonsHeadless(options);
  } catch (const eps::Interrupted& interrupted) {
    std::cerr << "epollscope: " << interrupted.what() << "; nothing was written" << std::endl;
    return interrupted.exitStatus();
  }
}

}  // namespace

int main(int argc, char** argv) {
  const eps::app::ParseResult parsed = eps::app::parseCommandLine(argc, argv);
  if (!parsed.options) {
    (parsed.exitCode == 0 ? std::cout : std::cerr) << parsed.message << "\n";
    return parsed.exitCode;
  }
  const eps::app::Options& options = *parsed.options;
  // Every output path is checked before a run starts: a bad one fails now, not after it.
  const std::vector<std::string> badOutputs = eps::app::outputPathProblems(options);
  for (const std::string& line : badOutputs) std::cerr << "epollscope: " << line << "\n";
  if (!badOutputs.empty()) return 2;
  eps::app::blockTerminationSignals();
#ifndef EPOLLSCOPE_WITH_GUI
  if (options.liveTrace()) return eps::app::runLiveTrace(options);  // no window to trace in
#endif
  if (options.liveTrace() && options.headless) return eps::app::runLiveTrace(options);
  if (options.headless &&
      (!options.openLog.empty() || !options.lesson.empty() || options.compare())) {
    return runBatchMode(options);
  }
  if (options.headless) return eps::app::runHeadless(options);
#ifdef EPOLLSCOPE_WITH_GUI
  return eps::gui::runWindow(options);
#else
  std::cerr << "epollscope: this build has no window; run with --headless\n";
  return 2;
#endif
}
