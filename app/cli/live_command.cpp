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
#include "core/trace/event_text.hpp"
#include "core/trace/recorder.hpp"

namespace eps::app {
namespace {

// As the engine run keeps them (cli/headless.cpp): the newest events, older ones counted
// as dropped, so a trace left running for hours stays within a bounded memory.
constexpr std::size_t kMaxKeptEvents = 64 * EventLog::kChunkEvents;
// How often batches are collected and the signals looked at.
constexpr long kCollectTickNs = 20'000'000;

// A diagnosis measured from a sample is said as it happens: the user watching the terminal
// (or a test) learns of the stranded bytes while the program still sleeps on them.
void collect(LiveTracer& tracer, EventLog& kept) {
  for (const StraceDelta& batch : tracer.takeBatches()) {
    for (const TraceEvent& event : batch.events) {
      kept.append(event);
      if (event.kind == EventKind::Stranded && (event.flags & kEventInferred) == 0) {
        std::cout << eventLine(event) << std::endl;
      }
    }
  }
}

// Why the trace ended, for the summary line.
std::string endReason(bool ended, int signal) {
  if (ended) return "the program ended";
  if (signal != 0) return std::string("SIG") + sigabbrev_np(signal);
  return "--duration passed";
}

// Starts the trace and announces it; null after one line on stderr.
std::unique_ptr<LiveTracer> startTrace(const Options& options) {
  try {
    auto tracer = std::make_unique<LiveTracer>(LiveTraceTarget{options.program, options.attachPid});
    std::cout << "tracing PID " << tracer->pid() << ": " << terminalText(tracer->commandLine(), 300)
              << std::endl;
    tracer->begin();
    return tracer;
  } catch (const LiveTraceError& error) {
    std::cerr << "epollscope: " << error.what() << "\n";
    return nullptr;
  }
}

// Collects batches until the program ends, --duration passes or a signal arrives; then
// stops the trace. Why it ended.
std::string collectUntilEnd(const Options& options, LiveTracer& tracer, EventLog& kept) {
  const std::int64_t endNs =
      options.durationSeconds > 0
          ? monotonicNs() + static_cast<std::int64_t>(options.durationSeconds * 1e9)
          : INT64_MAX;
  int signal = 0;
  bool ended = false;
  while (!(ended = tracer.ended()) && monotonicNs() < endNs &&
         (signal = waitTerminationSignal(kCollectTickNs)) == 0) {
    collect(tracer, kept);
  }
  tracer.stop();
  collect(tracer, kept);
  return endReason(ended, signal);
}

}  // namespace

int runLiveTrace(const Options& options) {
  // A reader of stdout that goes away (`| head -1`) must not end the trace unwritten: writes
  // to it fail instead. The traced program and strace get the default back (live_spawn.cpp).
  ::signal(SIGPIPE, SIG_IGN);
  const std::unique_ptr<LiveTracer> tracer = startTrace(options);
  if (!tracer) return 2;
  EventLog kept(kMaxKeptEvents);
  const std::string why = collectUntilEnd(options, *tracer, kept);
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
  const std::size_t threads = log.threads.size();  // the outputs take them
  const bool written = writeTracedOutputs(
      options,
      "live trace of PID " + std::to_string(tracer->pid()) + ": " +
          terminalText(tracer->commandLine(), 300),
      log, dropped);
  std::cout << "trace ended (" << why << "): PID " << tracer->pid() << " "
            << tracer->programFate() << "; " << log.stats.lines << " lines, "
            << log.stats.callsImported << " calls, " << threads << " threads" << std::endl;
  printImportDetails(log);
  return written ? 0 : 2;
}

}  // namespace eps::app
