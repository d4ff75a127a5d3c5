#include "app/cli/outputs.hpp"

#include <utility>

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

}  // namespace eps::app
