// The echo server's connections: reading, writing and closing, each written the way its knob
// says, the wrong ways on purpose and named as such; accepting is the Acceptor's.
#pragma once

#include "core/engine/acceptor.hpp"
#include "core/engine/conn_handler.hpp"
#include "core/engine/conn_table.hpp"
#include "core/engine/thread_check.hpp"

namespace eps {

// Ownership: owned by the EventLoop; created, used and destroyed on the engine thread.
class EchoHandler final : public ConnHandler {
 public:
  EchoHandler(ConnTable& table, Acceptor& acceptor) : table_(table), acceptor_(acceptor) {}

  bool listenerReady() override;
  bool connReady(Conn& conn, std::uint32_t events) override;
  // Back-pressure's low-water mark: reading resumes at or below half the out-cap (also after
  // a knob raised the cap or turned it off).
  void resumeBelowLowWater(Conn& conn);

 private:
  bool readFrom(Conn& conn);
  bool writeTo(Conn& conn);
  bool afterIo(Conn& conn, bool readData);
  bool overOutCap(const Conn& conn) const;
  void compactOut(Conn& conn) const;

  EngineThread engineThread_;
  ConnTable& table_;
  Acceptor& acceptor_;
};

}  // namespace eps
