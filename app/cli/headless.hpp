// The headless run: serve on 127.0.0.1 until --duration passes or SIGINT/SIGTERM arrives,
// collecting the trace, then write the requested exports.
#pragma once

#include "app/cli/options.hpp"

namespace eps::app {

// Blocks SIGINT and SIGTERM in the calling thread; call before any thread is created so
// every thread inherits the mask and only runHeadless's sigtimedwait receives them.
void blockTerminationSignals();

// Waits at most `tickNs` for SIGINT or SIGTERM (blocked as above); the signal, or 0.
int waitTerminationSignal(long tickNs);

int runHeadless(const Options& options);

}  // namespace eps::app
