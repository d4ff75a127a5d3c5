// Takes SIGINT and SIGTERM for the modes that are not an event loop (import, session, tour,
// headless lessons) and records them in core/base/interrupt.hpp for their loops to see. The
// engine run and the window wait for the signals themselves, between ticks and frames.
#pragma once

#include <thread>

namespace eps::app {

// Ownership: made by main on the main thread, after blockTerminationSignals(); its thread
// is the only one that takes the two signals while it lives. Joined on destruction.
class TerminationWatch {
 public:
  TerminationWatch();
  ~TerminationWatch();
  TerminationWatch(const TerminationWatch&) = delete;
  TerminationWatch& operator=(const TerminationWatch&) = delete;

 private:
  std::jthread thread_;
};

}  // namespace eps::app
