// Sessions on the command line. `--save-session FILE` saves what a headless run, a lesson or
// an import produced (cli/outputs.hpp); `epollscope --headless --open S.eps` reopens one (a
// file whose first line is the session magic; anything else goes to the strace importer). The
// first stdout line is "opened session S: N events, M calls, T threads", a summary follows
// (source, knobs, lesson position, client counters), and --trace-out/--csv-out are written from
// the session: byte for byte what the run that saved it wrote. A damaged, newer or unreadable
// file exits 2 with one line on stderr naming the file and the line.
#pragma once

#include "app/cli/options.hpp"

namespace eps::app {

int runOpenSession(const Options& options);

}  // namespace eps::app
