// Ctrl-C for long operations that are not an event loop: an strace import, a session read, a
// lesson played headless. SIGINT and SIGTERM are blocked in every thread (app/main.cpp) and
// taken by one watcher thread (app/cli/termination_watch.hpp), which records the signal here;
// the loops ask between chunks of work and give up by throwing Interrupted. Nothing has been
// written when they do: outputs are written only after the work is complete.
//
// Ownership: process-wide. Written once by the watcher thread, read by any thread.
#pragma once

#include <stdexcept>

namespace eps {

// The signal that asked the process to stop, or 0.
int interruptSignal();
void noteInterrupt(int signal);

// Throws Interrupted when a signal asked the process to stop.
void throwIfInterrupted();

class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }
  // The conventional shell status of a process ended by `signal`: 128 + its number.
  int exitStatus() const { return 128 + signal_; }

 private:
  int signal_;
};

}  // namespace eps
