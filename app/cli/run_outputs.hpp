// The end of every headless run (the engine, a lesson, an import, a reopened session): the
// files the command line asked for, written from the run's session (the events, the writers,
// knobs, lesson position, clients). The run modes call this; it calls none of them.
#pragma once

#include "app/cli/options.hpp"
#include "core/formats/session_file.hpp"
#include "core/trace/payload_store.hpp"

namespace eps::app {

// --trace-out and --csv-out from the session, then --save-session. False, with one line on
// stderr per failure, when one could not be written. `payloads`: the bytes of the engine's
// reads, for the exports' "data" args (null: the session's own, if it kept any).
bool writeSessionOutputs(const Options& options, const SessionData& session,
                         const PayloadStore* payloads = nullptr);

}  // namespace eps::app
