#include "app/gui/viewed_trace.hpp"

#include <algorithm>
#include <fstream>
#include <limits>

#include "core/strace/counters.hpp"
#include "core/strace/import.hpp"
#include "core/strace/line.hpp"

namespace eps::gui {
namespace {

// The next line, at most the importer's limit of it: a longer line is one the importer did not
// understand, and a log's one endless line must not be read whole. False at the end.
bool nextCappedLine(std::istream& in, std::string& line) {
  const auto keep = static_cast<std::streamsize>(StraceImportOptions{}.maxLineBytes);
  line.resize(static_cast<std::size_t>(keep) + 1);
  in.getline(line.data(), keep + 1);
  const std::streamsize got = in.gcount();
  if (got == 0 && !in.good()) return false;
  if (in.fail() && !in.eof()) {  // longer than kept: skip the rest of it
    in.clear();
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    line.clear();
    return true;
  }
  const bool delimited = !in.eof();  // gcount counted the '\n' getline took
  line.resize(static_cast<std::size_t>(delimited ? got - 1 : got));
  return true;
}

// The times of each step's lines, read from the log itself: a step names lines, the
// timeline shows times. One pass over the log; lines without a timestamp are skipped.
std::vector<std::pair<std::int64_t, std::int64_t>> stepSpans(const TraceTour& tour) {
  constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
  std::vector<std::pair<std::int64_t, std::int64_t>> spans(tour.steps.size(), {kNone, kNone});
  int lastLine = 0;
  for (const TourStep& step : tour.steps) lastLine = std::max(lastLine, step.lastLine);
  std::ifstream in(tour.logPath);
  std::string line;
  StraceLine parsed;
  for (int number = 1; number <= lastLine && nextCappedLine(in, line); ++number) {
    parseStraceLine(line, parsed);
    if (parsed.tsNs < 0) continue;
    const std::int64_t end = parsed.tsNs + std::max<std::int64_t>(parsed.call.durNs, 0);
    for (std::size_t i = 0; i < tour.steps.size(); ++i) {
      if (number < tour.steps[i].firstLine || number > tour.steps[i].lastLine) continue;
      auto& span = spans[i];
      span.first = span.first == kNone ? parsed.tsNs : std::min(span.first, parsed.tsNs);
      span.second = std::max(span.second, end);
    }
  }
  return spans;
}

}  // namespace

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
      trace.stepSpans = stepSpans(*trace.tour);
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
