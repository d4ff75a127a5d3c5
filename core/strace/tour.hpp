// A trace tour (assets/traces/*.tour.toml): a guided walk through an strace log of a real
// server, lesson-style. Each step points at lines of the log and states a fact as a check
// over the import's counters (strace/counters.hpp), so a test can hold the tour to the log.
// Format (assets/traces/README.md):
//   title, log (relative to the tour), recorded (the commands), summary
//   [[step]] title, text, lines = [first, last], check
// A title, summary or text is a string, or { en = "...", zh = "..." } like a lesson's: a plain
// string is shown as written in both languages.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/local_text.hpp"
#include "core/checks/check_expr.hpp"

namespace eps {

struct TourStep {
  LocalText title;
  LocalText text;
  int firstLine = 0;  // 1-based lines of the log the step is about
  int lastLine = 0;
  std::string checkSource;
  CheckExpr check;
};

struct TraceTour {
  std::string path;  // the tour file
  LocalText title;
  std::string logPath;  // resolved against the tour's folder
  std::string recorded;  // commands: the same in both languages
  LocalText summary;
  std::vector<TourStep> steps;
};

// "FILE:LINE:COLUMN: problem" when the tour cannot be used.
struct TourLoad {
  std::optional<TraceTour> tour;
  std::string error;
};

// Ownership: plain functions; no state. Unknown keys, missing fields, wrong types, line
// ranges that are backwards and checks that do not parse are refused with their place.
TourLoad loadTraceTour(const std::string& path);

// Each step's check over `counters` (countImport's), in step order.
std::vector<CheckOutcome> checkTour(
    const TraceTour& tour, const std::map<std::string, std::int64_t, std::less<>>& counters);

// Where a step sits on the timeline: from the start of its first timed line to the end of its
// last (strace's -ttt time, plus its -T duration), in the times the importer gives the events.
struct TourStepSpan {
  std::int64_t startNs = 0;
  std::int64_t endNs = 0;
};

// Each step's span, in step order, read from `log` in one pass up to the last line a step
// names (a step names lines; the timeline shows times). nullopt for a step none of whose lines
// has a timestamp (or that lies past the log's end). Lines longer than the importer reads are
// skipped unread. The second form opens the tour's log; one that cannot be read has no spans.
std::vector<std::optional<TourStepSpan>> tourStepSpans(const TraceTour& tour, std::istream& log);
std::vector<std::optional<TourStepSpan>> tourStepSpans(const TraceTour& tour);

// True when `path` names a tour rather than a log (its name ends in ".tour.toml").
bool isTourPath(const std::string& path);

}  // namespace eps
