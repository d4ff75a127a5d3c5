#include "app/cli/termination_watch.hpp"

#include <signal.h>

#include "core/base/interrupt.hpp"

namespace eps::app {
namespace {
// How often the watcher looks at its stop request: it bounds how long the destructor waits.
constexpr long kTickNs = 100'000'000;
}  // namespace

TerminationWatch::TerminationWatch() {
  thread_ = std::jthread([](const std::stop_token& stop) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    const timespec tick{0, kTickNs};
    while (!stop.stop_requested()) {
      const int signal = ::sigtimedwait(&set, nullptr, &tick);
      if (signal > 0) noteInterrupt(signal);
    }
  });
}

TerminationWatch::~TerminationWatch() {
  thread_.request_stop();
  thread_.join();
}

}  // namespace eps::app
