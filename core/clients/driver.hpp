// Built-in loopback clients: a driver thread with its own epoll loop that opens connections
// and plays actions (connect, send, trickle, stop/resume reading, shutdown, close, reset),
// recording each on the client's lane and checking every echoed byte against what was sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/trace/recorder.hpp"

namespace eps {

struct ClientOptions {
  int rcvbuf = 0;         // SO_RCVBUF set before connect (0: kernel default)
  int sndbuf = 0;         // SO_SNDBUF set before connect (0: kernel default)
  bool nodelay = true;    // TCP_NODELAY (EPOLL-FACTS §3: avoid Nagle stalls)
  bool quickAck = false;  // re-arm TCP_QUICKACK after every read (no delayed-ACK edges)
};

// A consistent copy of one client's state and counters.
struct ClientStats {
  int id = 0;
  int fd = -1;
  std::uint16_t localPort = 0;
  bool connected = false;
  bool reading = true;
  bool writeShut = false;
  bool closed = false;  // closed or reset by the client
  bool eof = false;     // the client read 0 (the engine closed its side)
  bool resetByPeer = false;
  // errno of the read or send that failed for good (ECONNRESET, EPIPE, ...): nothing more
  // can arrive or leave on this connection. 0: none.
  int brokenBy = 0;
  int lastErr = 0;
  std::uint64_t sent = 0;        // bytes handed to the kernel
  std::uint64_t queued = 0;      // bytes accepted by send actions (sent + still in user space)
  std::uint64_t echoed = 0;      // bytes received that matched what was sent, in order
  std::uint64_t mismatched = 0;  // bytes received that did not match (corrupted, duplicated)
  std::uint64_t pending = 0;     // bytes queued but still in user space (not yet sent)
  std::uint64_t urgentSent = 0;  // MSG_OOB bytes sent (never echoed, so not in sent/queued)
  std::uint64_t outstanding() const { return sent - echoed; }
};

// Ownership: owned by its creator (UI, headless runner, test); runs its loop on its own
// thread. All public methods are thread-safe and return once the action is queued; the
// wait* methods block with a bound and return false when it passes.
class ClientDriver {
 public:
  ClientDriver(Recorder& recorder, std::uint16_t port, ClientOptions options = {});
  ~ClientDriver();
  ClientDriver(const ClientDriver&) = delete;
  ClientDriver& operator=(const ClientDriver&) = delete;

  int connect();                            // returns the new client's id (1, 2, ...)
  void send(int id, std::size_t bytes);     // position-dependent pattern, zeros included
  void sendText(int id, std::string text);  // literal bytes; the echo must match them
  void sendUrgent(int id, char byte);       // one byte with MSG_OOB
  void trickle(int id, std::size_t bytes, std::chrono::milliseconds period);
  void stopTrickle(int id);
  void stopReading(int id);
  void resumeReading(int id);
  void shutdownWrite(int id);
  void close(int id);
  void reset(int id);  // SO_LINGER {1,0} + close: RST
  // An action on an id this driver never handed out (one of a driver replaced since, say by
  // the window's Reset) is refused quietly: nothing is recorded, no lane is opened for it.

  bool waitConnected(int id, std::chrono::milliseconds bound);
  // Every queued action applied, nothing left in user space, and SIOCOUTQNSD == 0 on every
  // open client socket: on loopback the bytes are then in the engine's receive queue.
  bool waitSettled(std::chrono::milliseconds bound);
  bool waitEchoed(int id, std::chrono::milliseconds bound);  // echoed == queued
  bool waitEof(int id, std::chrono::milliseconds bound);
  // Every action queued before the call applied and `until` holds for the client's stats.
  bool waitStats(int id, std::function<bool(const ClientStats&)> until,
                 std::chrono::milliseconds bound);

  ClientStats stats(int id) const;
  std::vector<ClientStats> allStats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What the clients table says of a client: "connecting", "open", "not reading", "eof",
// "closed" (by the client), "reset by peer" (ECONNRESET), "error EPIPE" (another failure).
std::string clientStateText(const ClientStats& stats);
// Bytes that will never come back: those that did not match, plus everything outstanding once
// the connection can bring no more (closed, end of file, reset, failed).
std::uint64_t lostBytes(const ClientStats& stats);

// The byte a client sends at stream position `pos` (client `id`): varies with both, and
// includes zero bytes, so truncation at a NUL and duplicated or shifted bytes are caught.
std::uint8_t patternByte(int id, std::uint64_t pos);

}  // namespace eps
