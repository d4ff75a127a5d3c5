// `epollscope --headless --open LOG`: imports an strace log instead of running the engine,
// writes the same exports (--trace-out, --csv-out) and prints a summary. The first stdout line
// is "imported LOG: N lines, M calls, T threads" (the import's counterpart of the live run's
// "listening on" line); a missing, unreadable, empty or non-strace file exits 2 with one line
// on stderr naming the file (and the line).
#pragma once

#include "app/cli.hpp"

namespace eps::app {
int runImportHeadless(const Options& options);
}
