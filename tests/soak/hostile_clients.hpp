// The clients of the hostile-client soak, each one way to abuse an echo server on loopback,
// and the one well-behaved client that must be served through it all.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

namespace eps::soak {

using Clock = std::chrono::steady_clock;

// Fills `out[0..count)` with the bytes a client sends at stream positions `from`.. onwards.
using StreamBytes = std::function<void(std::size_t from, char* out, std::size_t count)>;
void patternBytes(std::size_t from, char* out, std::size_t count);  // DESIGN "Clients" pattern
void garbageBytes(std::size_t from, char* out, std::size_t count);  // every byte value, NULs too

// A blocking-connected loopback socket with TCP_NODELAY, or -1 when `bound` passed.
int connectLoopback(int port, std::chrono::milliseconds bound);

// One byte out, the same byte back within `bound`: the engine has accepted this connection.
bool ping(int fd, std::chrono::milliseconds bound);

enum class ProbeAnswer { Echo, Eof, Silent };
// A new client sends one byte. Echo: it was served (its socket is kept in `*kept`); Eof: it
// was told no at once (the idle-fd trick); Silent: nothing within `bound` (denied service).
ProbeAnswer probe(int port, std::chrono::milliseconds bound, int* kept);

struct EchoResult {
  std::size_t sent = 0;
  std::size_t verified = 0;  // echoed bytes equal to what was sent, in order, from the start
  bool mismatch = false;     // a byte came back different (or was lost): `verified` is where
};
// Sends `total` bytes of `bytes` on `fd` while reading the echo and checking every byte; at
// most `perSecond` bytes a second on average (0: as fast as the server takes them).
EchoResult echoExchange(int fd, std::size_t total, const StreamBytes& bytes, Clock::time_point end,
                        double perSecond = 0);

// Sends up to `total` pattern bytes and never reads; ends when the socket is shut down.
void sendNeverRead(int fd, std::size_t total, std::atomic<std::size_t>& sent);

// One byte on each of `fds` every `period`, never reading, until `stop`.
void slowloris(const std::vector<int>& fds, std::chrono::milliseconds period,
               const std::atomic<bool>& stop);

// `count` times (or until `stop`): connect, send a little, close with SO_LINGER {1, 0}: RST.
void rstStorm(int port, int count, const std::atomic<bool>& stop, std::atomic<int>& done);

// Starts `count` nonblocking connects and returns their sockets (completed or not).
std::vector<int> flood(int port, int count);

void closeAll(std::vector<int>& fds);

}  // namespace eps::soak
