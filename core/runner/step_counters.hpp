// The counters lesson checks name (core/checks/counters.hpp's lessonCounters), computed as
// each one's kind says: from the events a step recorded (StepTally), from the kernel's view of
// the sockets (KernelNow) or the clients' byte counts (ClientsNow) at its end.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/checks/counters.hpp"
#include "core/clients/driver.hpp"
#include "core/engine/engine.hpp"

namespace eps {

struct StepWindow {
  std::span<const TraceEvent> all;  // the whole trace so far (to know which fd is what)
  std::size_t begin = 0;            // the step's first event in `all`
  std::int64_t startNs = 0;
  std::int64_t endNs = 0;
  std::vector<SocketView> sockets;   // the kernel view at the end of the step
  bool engineAsleep = false;         // the engine thread is in epoll_wait (or poll) at the end
  std::vector<ClientStats> clients;  // in lesson order: client 1 first
};

// The counter's value; counters that do not apply (no read yet) are 0.
std::int64_t stepCounter(const StepWindow& window, LessonCounter counter);
// Every lesson counter at once, each computed as its kind says.
LessonCounts stepCounters(const StepWindow& window);
// The same by name; nullopt for a name that is no lesson counter (never a 0 that could pass).
std::optional<std::int64_t> stepCounter(const StepWindow& window, std::string_view name);

}  // namespace eps
