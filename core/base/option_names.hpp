// Names of the arguments that tell the engine's setup and descriptor-table calls apart
// (setsockopt options, fcntl commands, rlimit resources, unshare flags) and of the probe
// calls a sample made — written once for the event log, the exports and the tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/trace_event.hpp"

namespace eps {

std::string sockoptName(std::int64_t level, std::int64_t option);  // "SO_RCVBUF", "TCP_NODELAY"
std::string fcntlCommandName(std::int64_t command);                // "F_SETFL"
std::string fcntlFlagsName(std::int64_t flags);                    // "O_RDWR|O_NONBLOCK"
std::string rlimitName(std::int64_t resource);                     // "RLIMIT_NOFILE"
std::string unshareFlagsName(std::int64_t flags);                  // "CLONE_FILES"

// What distinguishes one call of a kind from another, as the exports' `op` shows it:
// the option, the command, the resource; empty for the other calls.
std::string callDetail(const TraceEvent& call);

// One system call a sample made, expanded from its `ret` bits (trace_event.hpp).
struct ProbeCall {
  std::string_view call;  // "ioctl", "getsockopt", "poll"
  std::string_view what;  // "SIOCINQ", "TCP_INFO", "POLLIN" ...
  int fd = -1;
  std::int64_t ret = 0;  // -1 when it failed (the errno is not kept)
};
// The calls in the order they were made; empty for a sample that names none.
std::vector<ProbeCall> probeCallsOf(const TraceEvent& sample);
// "ioctl(SIOCINQ) ioctl(SIOCOUTQ) poll": the same, for an event line or an export arg.
std::string probeCallsText(const TraceEvent& sample);

}  // namespace eps
