// The files the command line names (--trace-out, --csv-out, --save-session, --screenshot,
// --exit-screenshot, --state-out), checked before anything runs: a bad path fails at once
// with exit 2, not after --duration 60. Each flag's rules are written once here.
#pragma once

#include <string>
#include <vector>

#include "app/cli/options.hpp"
#include "core/base/output_file.hpp"

namespace eps::app {

// The writer's options for the output named by `flag` (e.g. "--csv-out"): which may be "-"
// (standard output), which need no fsync.
OutputOptions outputOptionsFor(const std::string& flag);

// One line per problem ("cannot write --csv-out PATH: reason"); empty when every named output
// can be written.
std::vector<std::string> outputPathProblems(const Options& options);

// Writes `path` for `flag` through writeOutputFile; "" or the line naming flag, path, reason.
std::string writeFlagOutput(const std::string& flag, const std::string& path,
                            const std::function<void(std::ostream&)>& fill);

}  // namespace eps::app
