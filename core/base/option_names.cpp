#include "core/base/option_names.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <array>
#include <utility>

namespace eps {
namespace {

template <typename Table>
std::string lookup(const Table& table, std::int64_t value, std::string_view fallback) {
  for (const auto& [known, name] : table) {
    if (known == value) return std::string(name);
  }
  return std::string(fallback) + std::to_string(value);
}

constexpr std::array<std::pair<std::int64_t, std::string_view>, 6> kSocketOptions = {{
    {SO_REUSEADDR, "SO_REUSEADDR"},
    {SO_RCVBUF, "SO_RCVBUF"},
    {SO_SNDBUF, "SO_SNDBUF"},
    {SO_RCVTIMEO, "SO_RCVTIMEO"},
    {SO_SNDTIMEO, "SO_SNDTIMEO"},
    {SO_LINGER, "SO_LINGER"},
}};
constexpr std::array<std::pair<std::int64_t, std::string_view>, 5> kFcntlCommands = {{
    {F_GETFL, "F_GETFL"},
    {F_SETFL, "F_SETFL"},
    {F_GETFD, "F_GETFD"},
    {F_DUPFD, "F_DUPFD"},
    {F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC"},
}};

// The probes, in the order they are made (the bit order of kProbe*).
struct Probe {
  std::string_view call;
  std::string_view what;
};
constexpr std::array<Probe, kProbeCount> kProbes = {{
    {"ioctl", "SIOCINQ"},
    {"ioctl", "SIOCOUTQ"},
    {"ioctl", "SIOCOUTQNSD"},
    {"getsockopt", "TCP_INFO"},
    {"poll", "POLLIN"},
}};

}  // namespace

std::string sockoptName(std::int64_t level, std::int64_t option) {
  if (level == IPPROTO_TCP)
    return option == TCP_NODELAY ? "TCP_NODELAY" : "TCP_" + std::to_string(option);
  if (level == SOL_SOCKET) return lookup(kSocketOptions, option, "SO_");
  return std::to_string(level) + ":" + std::to_string(option);
}

std::string fcntlCommandName(std::int64_t command) {
  return lookup(kFcntlCommands, command, "F_");
}

std::string fcntlFlagsName(std::int64_t flags) {
  std::string text = (flags & O_ACCMODE) == O_RDWR     ? "O_RDWR"
                     : (flags & O_ACCMODE) == O_WRONLY ? "O_WRONLY"
                                                       : "O_RDONLY";
  if (flags & O_NONBLOCK) text += "|O_NONBLOCK";
  return text;
}

std::string rlimitName(std::int64_t resource) {
  return resource == RLIMIT_NOFILE ? "RLIMIT_NOFILE" : "RLIMIT_" + std::to_string(resource);
}

std::string unshareFlagsName(std::int64_t flags) {
  return flags == CLONE_FILES ? "CLONE_FILES" : std::to_string(flags);
}

std::string callDetail(const TraceEvent& call) {
  switch (call.call) {
    case Call::Setsockopt:
      return sockoptName(call.a, call.b);
    case Call::Fcntl:
      return fcntlCommandName(call.b);
    case Call::Prlimit64:
      return rlimitName(call.a);
    case Call::Unshare:
      return unshareFlagsName(call.b);
    default:
      return {};
  }
}

std::vector<ProbeCall> probeCallsOf(const TraceEvent& sample) {
  std::vector<ProbeCall> calls;
  if (sample.kind != EventKind::Sample) return calls;
  for (int i = 0; i < kProbeCount; ++i) {
    const std::int64_t bit = std::int64_t{1} << i;
    if ((sample.ret & bit) == 0) continue;
    const bool failed = (sample.ret & (bit << kProbeFailedShift)) != 0;
    const bool isPoll = bit == kProbePoll;
    // A zero-timeout poll returns how many entries have events: 1 or 0 for one entry.
    const std::int64_t ret = failed ? -1 : isPoll ? (sample.events != 0 ? 1 : 0) : 0;
    calls.push_back({kProbes[static_cast<std::size_t>(i)].call,
                     kProbes[static_cast<std::size_t>(i)].what, sample.fd, ret});
  }
  return calls;
}

std::string probeCallsText(const TraceEvent& sample) {
  std::string text;
  for (const ProbeCall& call : probeCallsOf(sample)) {
    if (!text.empty()) text += ' ';
    text +=
        std::string(call.call) + (call.call == "poll" ? "" : "(" + std::string(call.what) + ")");
    if (call.ret < 0) text += "=-1";
  }
  return text;
}

}  // namespace eps
