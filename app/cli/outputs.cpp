#include "app/cli/outputs.hpp"

#include <iostream>
#include <span>
#include <utility>

#include "core/formats/export.hpp"

namespace eps::app {
namespace {

// Text exports may go to a pipe ("-"); a session, a PNG or the view state may not: a session
// read back from a terminal makes no sense, and the state file is for scripts to poll.
bool mayBeStdout(const std::string& flag) {
  return flag == "--trace-out" || flag == "--csv-out";
}

std::vector<std::pair<std::string, std::string>> namedOutputs(const Options& options) {
  const std::pair<std::string, const std::string*> all[] = {
      {"--trace-out", &options.traceOut},
      {"--csv-out", &options.csvOut},
      {"--save-session", &options.saveSession},
      {"--screenshot", &options.screenshot},
      {"--exit-screenshot", &options.exitScreenshot},
      {"--state-out", &options.stateOut}};
  std::vector<std::pair<std::string, std::string>> named;
  for (const auto& [flag, path] : all) {
    if (!path->empty()) named.emplace_back(flag, *path);
  }
  return named;
}

}  // namespace

OutputOptions outputOptionsFor(const std::string& flag) {
  OutputOptions options;
  options.allowStdout = mayBeStdout(flag);
  // Rewritten after every frame: an fsync each time would stall the window on the disk.
  options.durable = flag != "--state-out";
  return options;
}

std::vector<std::string> outputPathProblems(const Options& options) {
  std::vector<std::string> problems;
  const auto named = namedOutputs(options);
  for (std::size_t i = 0; i < named.size(); ++i) {
    const auto& [flag, path] = named[i];
    if (std::string reason = outputPathProblem(path, outputOptionsFor(flag)); !reason.empty()) {
      problems.push_back(outputFailure(flag, path, reason));
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      // Two outputs into one file: the second would silently replace the first.
      if (named[j].second == path) {
        problems.push_back(outputFailure(flag, path, "also named by " + named[j].first));
      }
    }
  }
  return problems;
}

std::string writeFlagOutput(const std::string& flag, const std::string& path,
                            const std::function<void(std::ostream&)>& fill) {
  const std::string reason = writeOutputFile(path, fill, outputOptionsFor(flag));
  return reason.empty() ? "" : outputFailure(flag, path, reason);
}

namespace {

// Writes --trace-out and --csv-out (those given); false, with a line on stderr, if one fails.
bool writeExports(const Options& options, std::span<const TraceEvent> events,
                  const TraceMeta& meta) {
  bool ok = true;
  const auto write = [&](const char* flag, const std::string& path, auto&& writer) {
    if (path.empty()) return;
    if (std::string error = writeFlagOutput(flag, path, writer); !error.empty()) {
      std::cerr << "epollscope: " << error << "\n";
      ok = false;
    }
  };
  write("--trace-out", options.traceOut,
        [&](std::ostream& out) { writeChromeTrace(out, events, meta); });
  write("--csv-out", options.csvOut, [&](std::ostream& out) { writeCallsCsv(out, events, meta); });
  return ok;
}

}  // namespace

bool writeSessionOutputs(const Options& options, const SessionData& session,
                         const PayloadStore* payloads) {
  TraceMeta meta = sessionTraceMeta(session);
  PayloadStore saved;  // a reopened session's reads, for the exports' "data"
  if (payloads == nullptr && !session.payloads.empty()) {
    for (const auto& [seq, bytes] : session.payloads) saved.keep(seq, bytes);
    payloads = &saved;
  }
  meta.payloads = payloads;
  bool ok = writeExports(options, session.events, meta);
  if (options.saveSession.empty()) return ok;
  try {
    saveSessionFile(options.saveSession, session);
  } catch (const SessionFileError& error) {
    std::cerr << "epollscope: " << error.what() << "\n";
    ok = false;
  }
  return ok;
}

}  // namespace eps::app
