#include "core/strace/tour.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string_view>
#include <utility>

#include <toml++/toml.h>

#include "core/base/capped_file.hpp"
#include "core/base/input_limits.hpp"
#include "core/base/toml_guard.hpp"
#include "core/strace/counters.hpp"
#include "core/strace/import.hpp"
#include "core/strace/line.hpp"

namespace eps {
namespace {

// Where a refusal points: a value, a key, or (null, an empty document) the top of the file.
struct Place {
  int line = 1;
  int column = 1;
  Place() = default;
  Place(int line_, int column_) : line(line_), column(column_) {}
  explicit Place(const toml::source_region& region) {
    if (region.begin.line == 0) return;
    line = static_cast<int>(region.begin.line);
    column = static_cast<int>(region.begin.column);
  }
  Place(const toml::node* node) : Place(node ? Place(node->source()) : Place()) {}  // NOLINT
};

struct Refusal {
  Place at;
  std::string message;
};

std::string placeText(const std::string& path, const Place& place) {
  return path + ":" + std::to_string(place.line) + ":" + std::to_string(place.column);
}

void refuseUnknownKeys(const toml::table& table, const std::set<std::string_view>& known,
                       std::string_view where) {
  for (const auto& [key, node] : table) {
    if (known.count(key.str()) == 0) {
      throw Refusal{Place(key.source()),
                    "unknown key '" + std::string(key.str()) + "' in " + std::string(where)};
    }
  }
}

void refuseEmptyText(const toml::node& node, std::string_view key) {
  const auto* value = node.as_string();
  if (value == nullptr || value->get().empty()) {
    throw Refusal{&node, "'" + std::string(key) + "' must be a non-empty string"};
  }
}

std::string requiredString(const toml::table& table, std::string_view key, std::string_view where) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    throw Refusal{&table, std::string(where) + " needs '" + std::string(key) + "'"};
  }
  refuseEmptyText(*node, key);
  return node->as_string()->get();
}

// A text people read: a string, shown as written in both languages, or { en = "...",
// zh = "..." }, each a non-empty string.
LocalText requiredText(const toml::table& table, std::string_view key, std::string_view where) {
  const toml::node* node = table.get(key);
  const toml::table* both = node != nullptr ? node->as_table() : nullptr;
  const std::string field(key);
  if (node != nullptr && both == nullptr && !node->is_string()) {
    throw Refusal{node, "'" + field + "' must be a string or { en = \"...\", zh = \"...\" }"};
  }
  if (both == nullptr) return {requiredString(table, key, where), ""};
  refuseUnknownKeys(*both, {"en", "zh"}, "'" + field + "' (it takes en and zh)");
  for (const char* language : {"en", "zh"}) {
    const toml::node* text = both->get(language);
    if (text == nullptr) {
      throw Refusal{node, "'" + field + "' needs both 'en' and 'zh', it lacks '" + language + "'"};
    }
    refuseEmptyText(*text, field + "." + language);
  }
  return {both->get("en")->as_string()->get(), both->get("zh")->as_string()->get()};
}

void readLines(const toml::table& step, TourStep& out) {
  const toml::node* node = step.get("lines");
  if (node == nullptr) throw Refusal{&step, "a step needs 'lines = [first, last]'"};
  const toml::array* lines = node->as_array();
  if (lines == nullptr || lines->size() != 2 || !(*lines)[0].is_integer() ||
      !(*lines)[1].is_integer()) {
    throw Refusal{node, "'lines' must be [first, last], two line numbers"};
  }
  const std::int64_t first = *(*lines)[0].value<std::int64_t>();
  const std::int64_t last = *(*lines)[1].value<std::int64_t>();
  if (first < 1 || last < first || last > 100'000'000) {
    throw Refusal{node, "'lines' must have 1 <= first <= last, got [" + std::to_string(first) +
                            ", " + std::to_string(last) + "]"};
  }
  out.firstLine = static_cast<int>(first);
  out.lastLine = static_cast<int>(last);
}

TourStep readStep(const toml::table& step) {
  refuseUnknownKeys(step, {"title", "text", "lines", "check"}, "a [[step]]");
  TourStep out;
  out.title = requiredText(step, "title", "a step");
  out.text = requiredText(step, "text", "a step");
  readLines(step, out);
  out.checkSource = requiredString(step, "check", "a step");
  const CheckParse parsed =
      parseCheck(out.checkSource, tourCounters(), "assets/traces/README.md");
  if (!parsed.expr) throw Refusal{step.get("check"), "check: " + parsed.error};
  out.check = *parsed.expr;
  return out;
}

// The tour's `log`, which must name a file in the tour's own folder or below it: a tour is
// shared like a document, and one that could name /etc/shadow or ../../.ssh/id_rsa would
// have epollscope read, and report on, files its author has no business with. The check is
// made on the path with every symlink resolved, so a link inside the folder cannot lead out.
std::string confinedLogPath(const toml::table& root, const std::string& path) {
  namespace fs = std::filesystem;
  const std::string log = requiredString(root, "log", "a tour");
  const fs::path written(log);
  const toml::node* node = root.get("log");
  if (written.is_absolute()) {
    throw Refusal{node, "'log' must be a path relative to the tour's folder, not an absolute one"};
  }
  for (const fs::path& part : written) {
    if (part == "..") throw Refusal{node, "'log' must not leave the tour's folder ('..')"};
  }
  const fs::path folder = fs::path(path).parent_path();
  std::error_code error;
  const fs::path realFolder = fs::weakly_canonical(folder.empty() ? "." : folder, error);
  const fs::path realLog = fs::weakly_canonical(folder / written, error);
  if (error) throw Refusal{node, "'log': " + error.message()};
  const fs::path inside = realLog.lexically_relative(realFolder);
  if (inside.empty() || *inside.begin() == "..") {
    throw Refusal{node, "'log' leads out of the tour's folder (through a symbolic link)"};
  }
  return (folder / written).string();
}

TraceTour readTour(const toml::table& root, const std::string& path) {
  refuseUnknownKeys(root, {"title", "log", "recorded", "summary", "step"}, "a tour");
  TraceTour tour;
  tour.path = path;
  tour.title = requiredText(root, "title", "a tour");
  tour.logPath = confinedLogPath(root, path);
  tour.recorded = requiredString(root, "recorded", "a tour");
  tour.summary = requiredText(root, "summary", "a tour");
  const toml::node* steps = root.get("step");
  const toml::array* array = steps != nullptr ? steps->as_array() : nullptr;
  if (array == nullptr || array->empty()) {
    throw Refusal{steps, "a tour needs at least one [[step]]"};
  }
  for (const toml::node& node : *array) {
    const toml::table* step = node.as_table();
    if (step == nullptr) throw Refusal{&node, "'step' must be a table: write [[step]]"};
    tour.steps.push_back(readStep(*step));
  }
  return tour;
}

// The next line, at most the importer's limit of it: a longer line is one the importer did not
// understand, and a log's one endless line must not be read whole (it comes back empty). False
// at the end.
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

// The times a timed line shows. A complete call: from its time for its -T duration. A split
// call's halves each show their moment: "<unfinished ...>" its start, "<... resumed>" its
// return (stamped when it returned; its -T is the whole call's, which began on the other
// half's line). A signal, an exit: their moment.
std::pair<std::int64_t, std::int64_t> lineTimes(const StraceLine& line) {
  const bool whole = line.kind == StraceLineKind::Syscall && !line.unfinished && !line.resumed;
  return {line.tsNs, line.tsNs + (whole ? std::max<std::int64_t>(line.call.durNs, 0) : 0)};
}

// Widens `span` to hold a line that starts at `startNs` and ends at `endNs`.
void widen(std::optional<TourStepSpan>& span, std::int64_t startNs, std::int64_t endNs) {
  if (!span) {
    span = TourStepSpan{startNs, endNs};
    return;
  }
  span->startNs = std::min(span->startNs, startNs);
  span->endNs = std::max(span->endNs, endNs);
}

}  // namespace

TourLoad loadTraceTour(const std::string& path) {
  TourLoad load;
  const CappedRead read = readCappedFile(path, kTourFileMaxBytes, "tour");
  if (!read.text) {
    load.error = path + ": " + read.error;
    return load;
  }
  if (const auto problem = checkTomlText(*read.text)) {
    load.error = placeText(path, Place(problem->line, problem->column)) + ": " + problem->message;
    return load;
  }
  toml::table root;
  try {
    root = toml::parse(std::string_view(*read.text), std::string_view(path));
  } catch (const toml::parse_error& error) {
    load.error = placeText(path, Place(error.source())) + ": " + std::string(error.description());
    return load;
  }
  try {
    load.tour = readTour(root, path);
  } catch (const Refusal& refusal) {
    load.error = placeText(path, refusal.at) + ": " + refusal.message;
  }
  return load;
}

std::vector<CheckOutcome> checkTour(
    const TraceTour& tour, const std::map<std::string, std::int64_t, std::less<>>& counters) {
  const auto counter = [&counters](std::string_view name) -> std::optional<std::int64_t> {
    const auto found = counters.find(name);
    if (found == counters.end()) return std::nullopt;
    return found->second;
  };
  std::vector<CheckOutcome> outcomes;
  for (const TourStep& step : tour.steps) outcomes.push_back(evaluateCheck(step.check, counter));
  return outcomes;
}

std::vector<std::optional<TourStepSpan>> tourStepSpans(const TraceTour& tour, std::istream& log) {
  std::vector<std::optional<TourStepSpan>> spans(tour.steps.size());
  int lastLine = 0;
  for (const TourStep& step : tour.steps) lastLine = std::max(lastLine, step.lastLine);
  std::string line;
  StraceLine parsed;
  for (int number = 1; number <= lastLine && nextCappedLine(log, line); ++number) {
    parseStraceLine(line, parsed);
    if (parsed.tsNs < 0) continue;  // no timestamp: nothing to place
    const auto [start, end] = lineTimes(parsed);
    for (std::size_t i = 0; i < tour.steps.size(); ++i) {
      if (number >= tour.steps[i].firstLine && number <= tour.steps[i].lastLine) {
        widen(spans[i], start, end);
      }
    }
  }
  return spans;
}

std::vector<std::optional<TourStepSpan>> tourStepSpans(const TraceTour& tour) {
  std::ifstream log(tour.logPath);
  return tourStepSpans(tour, log);
}

bool isTourPath(const std::string& path) {
  constexpr std::string_view kSuffix = ".tour.toml";
  return path.size() > kSuffix.size() &&
         std::string_view(path).substr(path.size() - kSuffix.size()) == kSuffix;
}

}  // namespace eps
