// Handlers seed000 and seed000-strings: the echo server of seed article 000, line by line, so
// its bugs happen on the real kernel and the clients' integrity counters catch them
// (EPOLL-FACTS §5). seed000-strings is the same code with its first fix: std::string instead
// of char buf[1024] (no truncation at a zero byte, no read past the array, no stack overflow);
// the handler knob in force says which, read live, since a knob can change between two calls.
#pragma once

#include "core/base/trace_event.hpp"
#include "core/engine/conn_handler.hpp"
#include "core/engine/conn_table.hpp"
#include "core/engine/thread_check.hpp"

namespace eps {

// Ownership: owned by the EventLoop; created, used and destroyed on the engine thread.
class Seed000Handler final : public ConnHandler {
 public:
  Seed000Handler(ConnTable& table, TraceWriter& writer) : table_(table), writer_(writer) {}

  bool listenerReady() override;
  bool connReady(Conn& conn, std::uint32_t events) override;

 private:
  bool read(Conn& conn);
  bool write(Conn& conn);
  void reregister(Conn& conn);
  void closeThenDelete(Conn& conn);
  [[noreturn]] void errExit(Call call, int fd, int err);
  void recordCrash(SeedFault fault, int fd, Call call, std::int64_t bytes, int err);

  EngineThread engineThread_;
  ConnTable& table_;
  TraceWriter& writer_;
};

}  // namespace eps
