#include "core/base/names.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <utility>

namespace eps {
namespace {

constexpr std::array<std::string_view, kCallCount> kCallNames = {
    "none",       "epoll_create1", "eventfd2",   "socket", "bind",        "listen",
    "epoll_wait", "epoll_ctl",     "accept4",    "read",   "write",       "close",
    "shutdown",   "openat",        "setsockopt", "fcntl",  "getsockname", "prlimit64",
    "unshare",    "close_range",   "poll",       "ppoll",  "select",      "pselect6"};

constexpr std::array<std::string_view, kEventKindCount> kKindNames = {
    "call", "ready",    "sample", "config",  "control", "step",  "client",
    "echo", "stranded", "busy",   "blocked", "note",    "crash", "herd"};

// Session files name actors with these words: a change here is a change of file format.
constexpr std::array<std::string_view, 3> kActorNames = {"engine", "clients", "control"};

constexpr std::array<std::string_view, 5> kEngineModeNames = {"starting", "running", "paused",
                                                              "stepping", "stopped"};

struct MaskBit {
  std::uint32_t bit;
  std::string_view name;
};
// Printed in the order strace prints them.
constexpr std::array<MaskBit, 12> kMaskBits = {{
    {EPOLLIN, "EPOLLIN"},
    {EPOLLPRI, "EPOLLPRI"},
    {EPOLLOUT, "EPOLLOUT"},
    {EPOLLERR, "EPOLLERR"},
    {EPOLLHUP, "EPOLLHUP"},
    {EPOLLRDNORM, "EPOLLRDNORM"},
    {EPOLLRDBAND, "EPOLLRDBAND"},
    {EPOLLWRNORM, "EPOLLWRNORM"},
    {EPOLLRDHUP, "EPOLLRDHUP"},
    {EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE"},
    {EPOLLONESHOT, "EPOLLONESHOT"},
    {EPOLLET, "EPOLLET"},
}};

constexpr std::array<std::pair<int, std::string_view>, 34> kErrnos = {{
    {EAGAIN, "EAGAIN"},
    {EINTR, "EINTR"},
    {ECONNRESET, "ECONNRESET"},
    {EPIPE, "EPIPE"},
    {EMFILE, "EMFILE"},
    {ENFILE, "ENFILE"},
    {EBADF, "EBADF"},
    {EINVAL, "EINVAL"},
    {EEXIST, "EEXIST"},
    {ENOENT, "ENOENT"},
    {EINPROGRESS, "EINPROGRESS"},
    {ECONNREFUSED, "ECONNREFUSED"},
    {ECONNABORTED, "ECONNABORTED"},
    {EPROTO, "EPROTO"},
    {ENOTCONN, "ENOTCONN"},
    {ETIMEDOUT, "ETIMEDOUT"},
    {EADDRINUSE, "EADDRINUSE"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
    {EACCES, "EACCES"},
    {EPERM, "EPERM"},
    {ENOMEM, "ENOMEM"},
    {ENOBUFS, "ENOBUFS"},
    {EFAULT, "EFAULT"},
    {ENOTSOCK, "ENOTSOCK"},
    {EOPNOTSUPP, "EOPNOTSUPP"},
    {EISCONN, "EISCONN"},
    {EALREADY, "EALREADY"},
    {EHOSTUNREACH, "EHOSTUNREACH"},
    {ENETUNREACH, "ENETUNREACH"},
    {ESHUTDOWN, "ESHUTDOWN"},
    {ENOSPC, "ENOSPC"},
    {ELOOP, "ELOOP"},
    {512, "ERESTARTSYS"},
    {ENOSYS, "ENOSYS"},
}};

template <typename Names>
std::optional<std::size_t> indexOf(const Names& names, std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

}  // namespace

std::string_view callName(Call call) {
  const auto index = static_cast<std::size_t>(call);
  return index < kCallNames.size() ? kCallNames[index] : "?";
}

std::string_view callNameOf(const TraceEvent& event) {
  // Only these calls carry a variant; on the others `op` means something else (EPOLL_CTL_*).
  static constexpr std::array<std::string_view, kCallVariantCount> kVariantNames = {
      "",        "recvfrom", "recvmsg", "readv",       "sendto",         "sendmsg",
      "writev",  "sendfile", "accept",  "epoll_pwait", "epoll_pwait2",   "epoll_create",
      "pread64", "preadv",   "recv",    "recvmmsg",    "pwrite64",       "pwritev",
      "send",    "sendmmsg", "splice",  "tee",         "copy_file_range"};
  switch (event.call) {
    case Call::Read:
    case Call::Write:
    case Call::Accept4:
    case Call::EpollWait:
    case Call::EpollCreate1:
      if (event.op != 0 && event.op < kVariantNames.size()) return kVariantNames[event.op];
      break;
    default:
      break;
  }
  return callName(event.call);
}

std::optional<Call> callFromName(std::string_view name) {
  if (name == "epoll_pwait" || name == "epoll_pwait2") return Call::EpollWait;
  if (name == "eventfd") return Call::Eventfd2;
  const auto index = indexOf(kCallNames, name);
  if (!index || *index == 0) return std::nullopt;
  return static_cast<Call>(*index);
}

std::string_view eventKindName(EventKind kind) {
  const auto index = static_cast<std::size_t>(kind);
  return index < kKindNames.size() ? kKindNames[index] : "?";
}

std::string_view actorName(Actor actor) {
  const auto index = static_cast<std::size_t>(actor);
  return index < kActorNames.size() ? kActorNames[index] : "?";
}

std::optional<Actor> actorFromName(std::string_view name) {
  const auto index = indexOf(kActorNames, name);
  if (!index) return std::nullopt;
  return static_cast<Actor>(*index);
}

std::string_view engineModeName(EngineMode mode) {
  const auto index = static_cast<std::size_t>(mode);
  return index < kEngineModeNames.size() ? kEngineModeNames[index] : "?";
}

std::string_view clientOpName(ClientOp op) {
  switch (op) {
    case ClientOp::Connect:
      return "connect";
    case ClientOp::Connected:
      return "connected";
    case ClientOp::Send:
      return "send";
    case ClientOp::SendText:
      return "send_text";
    case ClientOp::SendUrgent:
      return "send_urgent";
    case ClientOp::Trickle:
      return "trickle";
    case ClientOp::StopReading:
      return "stop_reading";
    case ClientOp::ResumeReading:
      return "resume_reading";
    case ClientOp::ShutdownWrite:
      return "shutdown_write";
    case ClientOp::Close:
      return "close";
    case ClientOp::Reset:
      return "reset";
    case ClientOp::Eof:
      return "eof";
    case ClientOp::Error:
      return "error";
  }
  return "?";
}

std::string_view controlOpName(ControlOp op) {
  switch (op) {
    case ControlOp::Run:
      return "run";
    case ControlOp::Pause:
      return "pause";
    case ControlOp::StepCall:
      return "step_call";
    case ControlOp::StepWakeup:
      return "step_wakeup";
    case ControlOp::Stop:
      return "stop";
    case ControlOp::Pace:
      return "pace";
  }
  return "?";
}

std::string epollMaskName(std::uint32_t mask) {
  if (mask == 0) return "0";
  std::string out;
  for (const auto& [bit, name] : kMaskBits) {
    if ((mask & bit) == 0) continue;
    if (!out.empty()) out += '|';
    out += name;
    mask &= ~bit;
  }
  if (mask != 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%x", mask);
    if (!out.empty()) out += '|';
    out += hex;
  }
  return out;
}

std::optional<std::uint32_t> epollMaskFromName(std::string_view text) {
  std::uint32_t mask = 0;
  while (!text.empty()) {
    const auto bar = text.find('|');
    const std::string_view part = text.substr(0, bar);
    bool known = false;
    for (const auto& [bit, name] : kMaskBits) {
      if (name == part) {
        mask |= bit;
        known = true;
      }
    }
    if (!known) {
      if (part == "0") {
        known = true;
      } else if (part.starts_with("0x")) {
        std::uint32_t value = 0;
        if (std::sscanf(std::string(part).c_str(), "0x%x", &value) != 1) return std::nullopt;
        mask |= value;
        known = true;
      }
    }
    if (!known) return std::nullopt;
    if (bar == std::string_view::npos) break;
    text.remove_prefix(bar + 1);
  }
  return mask;
}

std::string_view epollOpName(int op) {
  switch (op) {
    case EPOLL_CTL_ADD:
      return "EPOLL_CTL_ADD";
    case EPOLL_CTL_MOD:
      return "EPOLL_CTL_MOD";
    case EPOLL_CTL_DEL:
      return "EPOLL_CTL_DEL";
  }
  return "EPOLL_CTL_?";
}

std::optional<int> epollOpFromName(std::string_view name) {
  if (name == "EPOLL_CTL_ADD") return EPOLL_CTL_ADD;
  if (name == "EPOLL_CTL_MOD") return EPOLL_CTL_MOD;
  if (name == "EPOLL_CTL_DEL") return EPOLL_CTL_DEL;
  return std::nullopt;
}

std::string errnoName(int err) {
  if (err == 0) return "";
  for (const auto& [value, name] : kErrnos) {
    if (value == err) return std::string(name);
  }
  return "E" + std::to_string(err);
}

std::optional<int> errnoFromName(std::string_view name) {
  if (name == "EWOULDBLOCK") return EAGAIN;
  for (const auto& [value, known] : kErrnos) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string_view seedFaultName(SeedFault fault) {
  switch (fault) {
    case SeedFault::ReadPastArray:
      return "read_past_array";
    case SeedFault::StackOverflow:
      return "stack_overflow";
    case SeedFault::Exit:
      return "exit";
  }
  return "?";
}

std::string durationText(std::int64_t ns) {
  if (ns < 1000) return std::to_string(std::max<std::int64_t>(ns, 0)) + " ns";
  struct Unit {
    double ns;
    const char* name;
  };
  static constexpr std::array<Unit, 3> kUnits{{{1e3, "\u00b5s"}, {1e6, "ms"}, {1e9, "s"}}};
  char text[32];
  for (std::size_t i = 0; i < kUnits.size(); ++i) {
    const double value = static_cast<double>(ns) / kUnits[i].ns;
    const int decimals = value < 9.995 ? 2 : value < 99.95 ? 1 : 0;
    std::snprintf(text, sizeof text, "%.*f %s", decimals, value, kUnits[i].name);
    // 999.6 us rounds to "1000 us": the next unit says it in three digits.
    if (value < 999.5 || i + 1 == kUnits.size()) break;
  }
  return text;
}

}  // namespace eps
