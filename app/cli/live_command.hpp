// `epollscope [--headless] --trace -- PROGRAM [ARGS...]` and `--attach PID`: a live trace of a
// program nobody here wrote (core/strace/live_tracer.hpp). The first stdout line is
// "tracing PID <pid>: <command line>", printed once strace has attached and before the program
// runs a single instruction of its own (--trace); the program's own output follows on the same
// stdout. It ends when the program exits, --duration passes, or SIGINT/SIGTERM arrives (--trace
// ends the program, --attach detaches and leaves it running); then "trace ended: ..." and the
// import's summary, and the outputs asked for. Exit 0; 2 when the trace cannot start (one line
// on stderr naming the flag) or an output cannot be written.
#pragma once

#include "app/cli/options.hpp"

namespace eps::app {
int runLiveTrace(const Options& options);
}  // namespace eps::app
