// One accepted connection as the engine tracks it, and the data word it is registered with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/engine/engine.hpp"

namespace eps {

// epoll's data word: the fd in the low half (what strace prints as u32) and a serial in the
// high half, so an event for a closed fd is never taken for a new socket with the same number.
inline std::uint64_t epollData(std::uint32_t serial, int fd) {
  return (std::uint64_t{serial} << 32) | static_cast<std::uint32_t>(fd);
}

// Serials in epoll data's high half that are not connections.
inline constexpr std::uint32_t kListenerSerial = 1;
inline constexpr std::uint32_t kControlSerial = 2;
inline constexpr std::uint32_t kFirstConnSerial = 16;  // below: reserved (workers use 3)

// Thrown on the engine thread to end serving: a Stop command, or seed 000's exit(). Caught by
// EventLoop::serve; teardown follows.
struct StopServing {};

// Ownership: a value in the ConnTable, used on the engine thread only.
struct Conn {
  int fd = -1;
  std::uint32_t serial = 0;  // distinguishes a reused fd number; in epoll data's high half
  int peerPort = 0;
  std::uint32_t interest = 0;         // the mask registered with epoll right now
  bool armed = true;                  // false once a ONESHOT registration has reported
  bool flipWriting = false;           // write=flip (and seed000): registered for EPOLLOUT only
  std::string out;                    // bytes read and not yet written back
  std::size_t outOffset = 0;          // kept across partial writes (seed 000 reset it: duplicates)
  bool peerEof = false;               // read() returned 0
  bool lastReadEagain = false;        // the last read ended in EAGAIN: nothing left behind
  bool failed = false;                // a read or write failed (ECONNRESET, EPIPE): close it
  bool readPaused = false;            // back-pressure: over out-cap, EPOLLIN dropped
  bool rearmRead = false;             // ET: reading resumed with EPOLLIN still registered
  bool touched = true;                // sample it before the next epoll_wait
  SocketView view;                    // last sample, published to the kernel view
  std::int64_t strandedReported = 0;  // last stranded count recorded (0: none)
  std::size_t pendingOut() const { return out.size() - outOffset; }
};

}  // namespace eps
