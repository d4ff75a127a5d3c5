// Trace events written by hand, for the tests of what reads a trace (event text, counters).
// Header-only, shared by the core and app test programs.
#pragma once

#include <cstdint>

#include "core/base/trace_event.hpp"

namespace eps::testing {

// A call the engine made: `call` on `fd` returned `ret` (and errno `err`).
inline TraceEvent callEvent(Call call, int fd, std::int64_t ret, int err = 0) {
  TraceEvent e;
  e.kind = EventKind::Call;
  e.call = call;
  e.fd = fd;
  e.ret = ret;
  e.err = err;
  return e;
}

}  // namespace eps::testing
