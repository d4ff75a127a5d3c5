// Sessions on the command line. `--save-session FILE` saves what a headless run, a lesson or
// an import produced; `epollscope --headless --open S.eps` reopens one (a file whose first
// line is the session magic; anything else goes to the strace importer). The first stdout line
// is "opened session S: N events, M calls, T threads", a summary follows (source, knobs,
// lesson position, client counters), and --trace-out/--csv-out are written from the session:
// byte for byte what the run that saved it wrote. A damaged, newer or unreadable file exits 2
// with one line on stderr naming the file and the line.
#pragma once

#include "app/cli/options.hpp"
#include "core/formats/session_file.hpp"

namespace eps::app {

int runOpenSession(const Options& options);

// The end of every headless run: --trace-out and --csv-out from the session, then
// --save-session. False, with one line on stderr per failure, when one could not be written.
// `payloads`: the bytes of the engine's reads, for the exports' "data" args (a session file
// does not keep them).
bool writeSessionOutputs(const Options& options, const SessionData& session,
                         const PayloadStore* payloads = nullptr);

}  // namespace eps::app
