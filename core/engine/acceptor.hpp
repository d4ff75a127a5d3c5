// The echo server's accept side (muduo's Acceptor): drain the accept queue or take one
// connection per wakeup, as the accept knob says, and survive EMFILE with the idle-fd trick.
#pragma once

#include "core/engine/conn_table.hpp"
#include "core/engine/thread_check.hpp"

namespace eps {

// Ownership: owned by the EventLoop, with the spare descriptor it keeps for the idle-fd
// trick; created, used and destroyed on the engine thread.
class Acceptor {
 public:
  explicit Acceptor(ConnTable& table) : table_(table) {}

  // The listener was reported. Returns whether the wakeup did something (a connection
  // accepted, or shed by the idle-fd trick).
  bool listenerReady();
  // The idle-fd knob's spare descriptor: opened while the knob is on, closed when it is off.
  void matchIdleFdKnob();
  void close();  // teardown

 private:
  enum class Result { Accepted, Shed, Again, Retry, OutOfFds, Failed };
  Result acceptOne();
  Result shedWithIdleFd();
  void reopenIdleFd();

  EngineThread engineThread_;
  ConnTable& table_;
  int idleFd_ = -1;
};

}  // namespace eps
