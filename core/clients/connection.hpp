// One built-in loopback client: its socket, the bytes it still has to send, the echo it
// still expects, and the actions it plays. Every action and every received batch is
// recorded on the clients lane. These are the client's own calls, never the engine's.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/base/unique_fd.hpp"
#include "core/clients/driver.hpp"
#include "core/clients/echo.hpp"
#include "core/trace/recorder.hpp"

namespace eps {

// Ownership: owned by ClientDriver::Impl; every method runs on the driver thread. The
// driver keeps the epoll registration in step with wantedEvents() after each call.
class ClientConnection {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State : std::uint8_t { Idle, Connecting, Connected, Closed };

  ClientConnection(int id, TraceWriter& writer, const ClientOptions& options);

  // Actions: each records itself (and any failing call as ClientOp::Error).
  void open(std::uint16_t port);
  void sendPattern(std::size_t bytes, ClientOp op);
  void sendText(std::string text);
  void sendUrgent(char byte);
  void setReading(bool on);
  void shutdownWrite();
  void close(ClientOp op);  // ClientOp::Close or ClientOp::Reset
  void startTrickle(std::size_t bytes, std::chrono::milliseconds period, Clock::time_point now);
  void stopTrickle();

  // Readiness reported by the driver's epoll_wait; `buffer` is the driver's read scratch.
  void onEvents(std::uint32_t events, std::span<char> buffer);

  std::optional<Clock::time_point> trickleDue() const;
  void runTrickle(Clock::time_point now);

  // The mask the socket should be registered with now (0: not registered at all).
  std::uint32_t wantedEvents() const;
  std::uint32_t registered() const { return registered_; }
  void setRegistered(std::uint32_t mask) { registered_ = mask; }

  // Nothing of this client's left in user space nor unsent in its kernel send queue.
  bool settled() const;
  bool isOpen() const { return fd_.valid(); }
  int fd() const { return fd_.get(); }
  int id() const { return stats_.id; }
  ClientStats snapshot() const;
  void recordError(int err);

 private:
  struct FlushResult {
    std::int64_t handed = 0;  // bytes given to the kernel
    int err = 0;              // the send() error that stopped the flush, 0 for EAGAIN/done
  };
  struct Trickle {
    std::size_t bytes = 0;
    std::chrono::milliseconds period{0};
    Clock::time_point due;
  };

  void record(ClientOp op, std::int64_t a = 0, std::int64_t ret = 0, int err = 0,
              std::int64_t b = 0, std::int64_t c = 0);
  void recordStarted(std::int64_t startNs, ClientOp op, std::int64_t a = 0, std::int64_t ret = 0,
                     int err = 0, std::int64_t b = 0, std::int64_t c = 0);
  void recordData(std::int64_t bytes, std::int64_t mismatched);
  bool usable();
  bool writable();
  void applySocketOptions();
  void setOption(int level, int name, int value);
  std::uint16_t localPort() const;
  void finishConnect();
  void onConnected();
  void failConnect(int err);
  void queue(std::string bytes, ClientOp op);
  FlushResult flush();
  void onWritable();
  void readAll(std::span<char> buffer);
  void onData(std::span<const char> data);
  void onReadError(int err);
  void maybeShutdown();

  TraceWriter& writer_;
  const ClientOptions options_;
  UniqueFd fd_;
  State state_ = State::Idle;
  ClientStats stats_;
  OutputQueue output_;
  EchoChecker echo_;
  std::optional<Trickle> trickle_;
  std::uint32_t registered_ = 0;
  bool shutdownPending_ = false;  // shutdownWrite asked; waits for the output to drain
  bool writeFailed_ = false;      // send() failed for good (EPIPE, ECONNRESET): output dropped
  bool readFailed_ = false;       // read() failed for good (ECONNRESET, ...)
};

}  // namespace eps
