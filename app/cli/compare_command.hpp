// Two runs side by side on the command line (DESIGN "Headless CLI"):
//   epollscope --headless --compare-lesson FILE [--knobs-a CHANGES] [--knobs-b CHANGES]
//   epollscope --headless --compare-sessions A.eps B.eps
// The first stdout line is "listening on 127.0.0.1:PORT_A and 127.0.0.1:PORT_B" (a lesson's
// two engines) or "opened sessions A: N events and B: M events"; then each step's counters
// that differ, and every lesson counter of both whole runs in two columns, a '*' where they
// differ. Exit 0; 1 when a side could not play a step; 2 for a bad lesson or session file (one
// line on stderr naming the file and the problem).
#pragma once

#include "app/cli/options.hpp"

namespace eps::app {

int runCompareHeadless(const Options& options);

}  // namespace eps::app
