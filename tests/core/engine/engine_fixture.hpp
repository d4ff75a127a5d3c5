// Shared by the engine tests: an engine with its recorder, a trace that is drained on demand
// and queried, raw loopback client sockets, and bounded waits on conditions.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/engine/conn_table.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/kernel_seam.hpp"
#include "core/trace/recorder.hpp"

namespace eps::testing {

using namespace std::chrono_literals;

// Polls `condition` until it holds or `bound` passes (a generous bound that fails loudly).
inline bool waitUntil(const std::function<bool()>& condition,
                      std::chrono::milliseconds bound = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// The engine's connection table on a seam of its own, made on the calling thread (which the
// table's thread check then takes for the engine thread).
struct TableOnSeam {
  Recorder recorder;
  OpenGate gate;
  KernelSeam seam{recorder.addWriter("engine", Actor::Engine), gate};
  ConnTable table{seam, recorder.payloads(), Knobs{}};
};

// A plain blocking client socket on loopback, with TCP_NODELAY (EPOLL-FACTS §3).
class RawClient {
 public:
  explicit RawClient(int port, int rcvbuf = 0);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(const std::string& bytes);
  void sendPattern(std::size_t count);  // bytes 'A','B',... in runs of 100 (EPOLL-FACTS e01)
  // Reads until `count` bytes arrived or `bound` passed.
  std::string receive(std::size_t count, std::chrono::milliseconds bound = 5000ms);
  std::size_t available() const;                  // SIOCINQ on the client
  bool waitEof(std::chrono::milliseconds bound);  // true when a read returns 0
  void shutdownWrite();
  void reset();  // SO_LINGER {1,0} + close: RST
  void closeNow();
  int fd() const { return fd_; }
  int localPort() const;

 private:
  int fd_ = -1;
  std::size_t patternPos_ = 0;
};

// The engine and its trace, for one test.
class EngineHarness {
 public:
  explicit EngineHarness(Knobs knobs, bool startPaused = false);
  explicit EngineHarness(const EngineOptions& options);
  ~EngineHarness();

  Engine& engine() { return *engine_; }
  int port() const { return port_; }

  // Moves newly recorded events into events().
  const std::vector<TraceEvent>& drain();
  const std::vector<TraceEvent>& events() const { return events_; }
  std::size_t mark() { return drain().size(); }

  // Waits until the engine made no call for `quiet` (the lessons' "until idle").
  bool waitIdle(std::chrono::milliseconds quiet, std::chrono::milliseconds bound = 10000ms);
  // Waits until the engine has accepted `count` connections; returns their fds in order.
  std::vector<int> waitAccepted(std::size_t count, std::chrono::milliseconds bound = 5000ms);

  // Queries over events()[from..].
  std::size_t countCalls(Call call, int fd = -1, std::size_t from = 0) const;
  std::size_t countReady(int fd, std::size_t from = 0, std::uint32_t anyOf = ~0u) const;
  std::vector<TraceEvent> callsOf(Call call, int fd = -1, std::size_t from = 0) const;
  std::vector<TraceEvent> ofKind(EventKind kind, std::size_t from = 0) const;
  const SocketView* socket(int fd);  // from engine().sockets(); nullptr if gone
  std::int64_t recvQueue(int fd);

  void setKnobs(const std::function<void(Knobs&)>& change);
  // The engine's recorder: give it to a ClientDriver and the clients' events join the trace,
  // sequenced with the engine's, as in the window.
  Recorder& recorder() { return recorder_; }
  // The bytes the engine's reads returned, keyed by the read events' seq.
  const PayloadStore& payloads() const { return recorder_.payloads(); }

 private:
  Recorder recorder_;
  std::unique_ptr<Engine> engine_;
  int port_ = 0;
  std::vector<TraceEvent> events_;
  std::vector<SocketView> socketsCopy_;
};

}  // namespace eps::testing
