#include "core/base/interrupt.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <string>

namespace eps {
namespace {
std::atomic<int> requested{0};
}

int interruptSignal() { return requested.load(std::memory_order_relaxed); }

void noteInterrupt(int signal) {
  int none = 0;
  requested.compare_exchange_strong(none, signal, std::memory_order_relaxed);
}

void throwIfInterrupted() {
  if (const int signal = interruptSignal(); signal != 0) throw Interrupted(signal);
}

Interrupted::Interrupted(int signal)
    : std::runtime_error(std::string("interrupted by SIG") + sigabbrev_np(signal)),
      signal_(signal) {}

}  // namespace eps
