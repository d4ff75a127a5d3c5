// The headless run: serve on 127.0.0.1 until --duration passes or SIGINT/SIGTERM arrives,
// collecting the trace, then write the requested exports.
#pragma once

#include <span>

#include "app/cli/options.hpp"
#include "core/formats/export.hpp"

namespace eps::app {

// Blocks SIGINT and SIGTERM in the calling thread; call before any thread is created so
// every thread inherits the mask and only runHeadless's sigtimedwait receives them.
void blockTerminationSignals();

int runHeadless(const Options& options);

// Writes --trace-out and --csv-out (those given); false, with a line on stderr, if one fails.
bool writeExports(const Options& options, std::span<const TraceEvent> events,
                  const TraceMeta& meta);

}  // namespace eps::app
