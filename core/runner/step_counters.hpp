// The counters lesson checks name (check_expr.hpp's counterTable), computed from the events a
// step recorded and from the kernel and client state at its end.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/clients/driver.hpp"
#include "core/engine/engine.hpp"

namespace eps {

struct StepWindow {
  std::span<const TraceEvent> all;  // the whole trace so far (to know which fd is what)
  std::size_t begin = 0;            // the step's first event in `all`
  std::int64_t startNs = 0;
  std::int64_t endNs = 0;
  std::vector<SocketView> sockets;   // the kernel view at the end of the step
  std::vector<ClientStats> clients;  // in lesson order: client 1 first
};

// Returns the counter's value; counters that do not apply (no read yet) are 0.
std::int64_t stepCounter(const StepWindow& window, std::string_view name);

}  // namespace eps
