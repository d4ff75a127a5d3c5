// The files the command line names (--trace-out, --csv-out, --save-session, --screenshot,
// --exit-screenshot, --state-out), checked before anything runs: a bad path fails at once
// with exit 2, not after --duration 60; and written at the end of every headless run (the
// engine, a lesson, an import, a reopened session). Each flag's rules are written once here.
// The run modes call this module; it calls none of them.
#pragma once

#include <string>
#include <vector>

#include "app/cli/options.hpp"
#include "core/base/output_file.hpp"
#include "core/formats/session_file.hpp"
#include "core/trace/payload_store.hpp"

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

// --trace-out and --csv-out from the session, then --save-session. False, with one line on
// stderr per failure, when one could not be written. `payloads`: the bytes of the engine's
// reads, for the exports' "data" args (null: the session's own, if it kept any).
bool writeSessionOutputs(const Options& options, const SessionData& session,
                         const PayloadStore* payloads = nullptr);

}  // namespace eps::app
