// `epollscope --headless --open LOG`: imports an strace log instead of running the engine,
// writes the same exports (--trace-out, --csv-out) and prints a summary. The first stdout line
// is "imported LOG: N lines, M calls, T threads" (the import's counterpart of the live run's
// "listening on" line); a missing, unreadable, empty or non-strace file exits 2 with one line
// on stderr naming the file (and the line).
#pragma once

#include "app/cli/options.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include "core/strace/import.hpp"

namespace eps::app {
int runImportHeadless(const Options& options);

// The pieces a tour (cli/tour_command.cpp) shares: the import, or nullopt after one line on stderr;
// the summary, whose first line is the contract's; --trace-out/--csv-out/--save-session
// (the log's events are moved out).
std::optional<StraceImport> importOrReport(const std::string& path);
void printImportSummary(const std::string& path, const StraceImport& log);
bool writeImportOutputs(const Options& options, const std::string& path, StraceImport& log);
// The pieces a live trace (cli/live_command.cpp) shares: the summary after its first line, and
// the outputs of an import whose events came from `source` ("live trace of PID 7: ...").
void printImportDetails(const StraceImport& log);
bool writeTracedOutputs(const Options& options, const std::string& source, StraceImport& log,
                        std::uint64_t dropped);
}  // namespace eps::app
