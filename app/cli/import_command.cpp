#include "app/cli/import_command.hpp"

#include <iostream>

#include "app/cli/outputs.hpp"
#include "core/base/input_limits.hpp"
#include "core/base/names.hpp"
#include "core/base/terminal_text.hpp"
#include "core/strace/import.hpp"
#include "core/strace/summary.hpp"

namespace eps::app {

void printImportSummary(const std::string& path, const StraceImport& log) {
  const StraceImportStats& s = log.stats;
  std::cout << "imported " << terminalText(path) << ": " << s.lines << " lines, " << s.callsImported
            << " calls, " << log.threads.size() << " threads" << std::endl;
  printImportDetails(log);
}

void printImportDetails(const StraceImport& log) {
  const StraceImportStats& s = log.stats;
  std::cout << "ready records: " << s.readyImported << "\n"
            << "data calls: " << dataCallsText(s) << "\n"
            << "other calls (not in the trace): " << s.otherCalls << "\n";
  if (s.otherCalls > 0) std::cout << "  " << terminalText(otherCallsText(s, 12)) << "\n";
  if (s.usesIoUring) std::cout << "note: " << kIoUringNote << "\n";
  std::cout << "not understood: " << s.notUnderstood << " lines\n";
  for (const StraceBadLine& bad : log.badLines) {
    std::cout << "  line " << bad.number << ": " << bad.text << "\n";
  }
  if (s.notUnderstood > log.badLines.size()) {
    std::cout << "  ... and " << s.notUnderstood - log.badLines.size() << " more\n";
  }
  std::cout << "unfinished (no result): " << s.unfinished << "\n"
            << "signals: " << s.signals << ", exits: " << s.exits << "\n"
            << "inferred diagnoses: " << s.strandedInferred << " possibly stranded, "
            << s.busyRunsInferred << " busy runs (" << s.busyWakeupsInferred << " idle wakeups), "
            << s.herdsInferred << " herds\n";
  if (s.samples > 0) {
    std::cout << "measured diagnoses: " << s.strandedMeasured << " stranded ("
              << s.strandedBytesMeasured << " bytes or connections waiting), from " << s.samples
              << " samples of the program's sockets\n";
  }
  if (s.samplingRefused != 0) {
    std::cout << "note: the kernel refused to let epollscope sample the program's sockets ("
              << errnoName(s.samplingRefused) << "): diagnoses are inferred from the calls\n";
  }
  if (s.droppedEvents > 0) std::cout << "dropped events: " << s.droppedEvents << "\n";
  if (s.labelsDropped > 0) {
    std::cout << "lane labels not kept: " << s.labelsDropped << " (past " << kImportMaxLabels
              << " distinct labels, lanes keep plain names such as 'fd 7')\n";
  }
  if (s.midnightWraps > 0) {
    std::cout << "note: -tt times crossed midnight " << s.midnightWraps << " time(s)\n";
  }
  if (!s.timestamps) std::cout << "note: the log has no timestamps (use -ttt): times are made up\n";
  if (s.processes > 1) {
    std::cout << "note: " << s.processes
              << " descriptor tables (fork, or unshare(CLONE_FILES)): equal fd numbers in them "
                 "share a lane\n";
  }
  std::cout << "note: strace slows the traced program (~15x): durations are inflated\n";
}

std::optional<StraceImport> importOrReport(const std::string& path) {
  try {
    return importStraceFile(path);
  } catch (const StraceImportError& error) {
    std::cerr << "epollscope: " << terminalText(error.what()) << "\n";
    return std::nullopt;
  }
}

bool writeImportOutputs(const Options& options, const std::string& path, StraceImport& log) {
  return writeTracedOutputs(options, "strace log " + path, log, log.stats.droppedEvents);
}

bool writeTracedOutputs(const Options& options, const std::string& source, StraceImport& log,
                        std::uint64_t dropped) {
  SessionData session;
  session.events = std::move(log.events);
  session.writers = std::move(log.threads);
  session.laneLabels = std::move(log.labels);
  session.dropped = dropped;
  session.source = source;
  return writeSessionOutputs(options, session);
}

int runImportHeadless(const Options& options) {
  std::optional<StraceImport> log = importOrReport(options.openLog);
  if (!log) return 2;
  printImportSummary(options.openLog, *log);
  return writeImportOutputs(options, options.openLog, *log) ? 0 : 2;
}

}  // namespace eps::app
