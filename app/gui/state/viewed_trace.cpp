#include "app/gui/state/viewed_trace.hpp"

#include "core/strace/counters.hpp"
#include "core/strace/import.hpp"
#include "core/strace/tour.hpp"

namespace eps::gui {
namespace {

ViewedLoad loadSession(const std::string& path) {
  ViewedLoad load;
  try {
    SessionData data = readSession(path);
    ViewedTrace trace;
    trace.path = path;
    trace.logPath = path;
    trace.laneLabels = data.laneLabels;
    trace.writers = data.writers;
    trace.stats.droppedEvents = data.dropped;
    trace.counts = std::to_string(data.events.size()) + " events, " +
                   std::to_string(sessionCallCount(data)) + " calls, " +
                   std::to_string(sessionThreadCount(data)) + " threads";
    trace.payloads = std::make_shared<PayloadStore>();
    for (const auto& [seq, bytes] : data.payloads) trace.payloads->keep(seq, bytes);
    load.events = std::move(data.events);
    data.events.clear();
    data.payloads.clear();
    trace.session = std::move(data);
    load.trace = std::move(trace);
  } catch (const std::exception& error) {  // SessionFileError, or no memory for the events
    load.error = error.what();
  }
  return load;
}

}  // namespace

ViewedLoad loadViewedTrace(const std::string& path) {
  if (looksLikeSession(path)) return loadSession(path);
  ViewedLoad load;
  ViewedTrace trace;
  trace.path = path;
  trace.logPath = path;
  if (isTourPath(path)) {
    TourLoad tour = loadTraceTour(path);
    if (!tour.tour) {
      load.error = tour.error;
      return load;
    }
    trace.logPath = tour.tour->logPath;
    trace.tour = std::move(tour.tour);
  }
  try {
    StraceImportOptions options;
    options.source = trace.logPath;
    StraceImport import = importStraceFile(trace.logPath, options);
    if (trace.tour) {
      trace.outcomes = checkTour(*trace.tour, countImport(import));
      trace.stepSpans = tourStepSpans(*trace.tour);
    }
    trace.laneLabels = std::move(import.labels);
    trace.writers = std::move(import.threads);
    trace.stats = import.stats;
    trace.counts = std::to_string(import.stats.lines) + " lines, " +
                   std::to_string(import.stats.callsImported) + " calls, " +
                   std::to_string(trace.writers.size()) + " threads";
    trace.badLines = std::move(import.badLines);
    load.events = std::move(import.events);
  } catch (const std::exception& error) {  // StraceImportError, or no memory for the events
    load.error = error.what();
    return load;
  }
  load.trace = std::move(trace);
  return load;
}

}  // namespace eps::gui
