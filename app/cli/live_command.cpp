#include "app/cli/live_command.hpp"

#include <signal.h>

#include <cstring>
#include <iostream>
#include <memory>

#include "app/cli/headless.hpp"
#include "app/cli/import_command.hpp"
#include "core/base/terminal_text.hpp"
#include "core/strace/import.hpp"
#include "core/strace/live_tracer.hpp"
#include "core/trace/event_log.hpp"
#include "core/trace/recorder.hpp"

namespace eps::app {
namespace {

// As the engine run keeps them (cli/headless.cpp): the newest events, older ones counted
// as dropped, so a trace left running for hours stays within a bounded memory.
constexpr std::size_t kMaxKeptEvents = 64 * EventLog::kChunkEvents;
// How often batches are collected and the signals looked at.
constexpr long kCollectTickNs = 20'000'000;

void collect(LiveTracer& tracer, EventLog& kept) {
  for (const StraceDelta& batch : tracer.takeBatches()) {
    for (const TraceEvent& event : batch.events) kept.append(event);
  }
}

// Why the trace ended, for the summary line.
std::string endReason(bool ended, int signal) {
  if (ended) return "the program ended";
  if (signal != 0) return std::string("SIG") + sigabbrev_np(signal);
  return "--duration passed";
}

}  // namespace

int runLiveTrace(const Options& options) {
  LiveTraceTarget target;
  target.program = options.program;
  target.attachPid = options.attachPid;
  std::unique_ptr<LiveTracer> tracer;
  try {
    tracer = std::make_unique<LiveTracer>(target);
    std::cout << "tracing PID " << tracer->pid() << ": " << terminalText(tracer->commandLine(), 300)
              << std::endl;
    tracer->begin();
  } catch (const LiveTraceError& error) {
    std::cerr << "epollscope: " << error.what() << "\n";
    return 2;
  }
  const std::int64_t endNs =
      options.durationSeconds > 0
          ? monotonicNs() + static_cast<std::int64_t>(options.durationSeconds * 1e9)
          : INT64_MAX;
  EventLog kept(kMaxKeptEvents);
  int signal = 0;
  bool ended = false;
  while (!(ended = tracer->ended()) && monotonicNs() < endNs &&
         (signal = waitTerminationSignal(kCollectTickNs)) == 0) {
    collect(*tracer, kept);
  }
  tracer->stop();
  collect(*tracer, kept);
  StraceImport log;
  try {
    log = tracer->finish();
  } catch (const StraceImportError& error) {
    std::cerr << "epollscope: strace's output: " << terminalText(error.what()) << "\n";
    return 2;
  }
  for (const TraceEvent& event : log.events) kept.append(event);
  const std::uint64_t dropped = log.stats.droppedEvents + tracer->droppedEvents() + kept.evicted();
  if (kept.evicted() > 0) {
    std::cerr << "epollscope: kept the newest " << kept.size() << " of " << kept.appended()
              << " events\n";
  }
  log.events = kept.takeAll();
  std::cout << "trace ended (" << endReason(ended, signal) << "): PID " << tracer->pid() << " "
            << tracer->programFate() << "; " << log.stats.lines << " lines, "
            << log.stats.callsImported << " calls, " << log.threads.size() << " threads"
            << std::endl;
  printImportDetails(log);
  const std::string source = "live trace of PID " + std::to_string(tracer->pid()) + ": " +
                             terminalText(tracer->commandLine(), 300);
  return writeTracedOutputs(options, source, log, dropped) ? 0 : 2;
}

}  // namespace eps::app
