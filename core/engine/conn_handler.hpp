// What serves the connections: the echo server (its knobs choose each step's right or wrong
// way) or seed article 000's server, bugs included. The EventLoop dispatches every socket
// event to the handler the `handler` knob names.
#pragma once

#include <cstdint>

#include "core/engine/conn.hpp"

namespace eps {

// Ownership: implementations are owned by the EventLoop and run on the engine thread.
// Each returns whether the event made progress (accepted, read, wrote or closed something):
// a wakeup where nothing did is an idle one, counted towards the `busy` diagnosis.
class ConnHandler {
 public:
  virtual ~ConnHandler() = default;
  virtual bool listenerReady() = 0;
  // `conn.fd` is -1 afterwards when the handler closed it.
  virtual bool connReady(Conn& conn, std::uint32_t events) = 0;
};

}  // namespace eps
