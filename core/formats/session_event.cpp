#include "core/formats/session_event.hpp"

#include <array>
#include <charconv>
#include <limits>

#include "core/base/knobs.hpp"
#include "core/base/names.hpp"
#include "core/base/terminal_text.hpp"

namespace eps::session {
namespace {

constexpr std::array<std::string_view, kEventFieldCount> kFieldNames = {
    "seq", "t_ns",  "dur_ns", "kind", "call", "actor", "thread", "flags", "fd",
    "ret", "errno", "events", "conn", "op",   "a",     "b",      "c"};
constexpr int kMaxErrno = 4095;  // the kernel's errno range (-4095..-1 returns)
constexpr std::uint8_t kKnownFlags = kEventImported | kEventInferred | kEventSamplerThread;
constexpr int kControlOpCount = static_cast<int>(ControlOp::Pace) + 1;
constexpr int kClientOpCount = static_cast<int>(ClientOp::Error) + 1;
constexpr int kStrandedWhatCount = static_cast<int>(StrandedWhat::Connections) + 1;
constexpr int kSeedFaultCount = static_cast<int>(SeedFault::Exit) + 1;
constexpr int kSampleOfCount = static_cast<int>(SampleOf::ReadyList) + 1;
constexpr int kEpollCtlOpMax = 3;  // EPOLL_CTL_ADD 1, DEL 2, MOD 3; imports use 0 for unknown

// A token as shown in an error: cut short, unprintable bytes escaped (a damaged file may hold
// anything).
std::string shown(std::string_view token) {
  return "'" + terminalText(token, 40) + "'";
}

std::string fieldError(int index, std::string_view problem) {
  return "field " + std::to_string(index + 1) + " " + std::string(kFieldNames[index]) + ": " +
         std::string(problem);
}

// Parses `token` as a whole decimal integer within [low, high].
template <typename Int>
std::string parseInt(std::string_view token, int index, Int& value, Int low, Int high) {
  const char* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (ec == std::errc::result_out_of_range) return fieldError(index, shown(token) + " overflows");
  if (ec != std::errc() || ptr != end || token.empty()) {
    return fieldError(index, shown(token) + " is not an integer");
  }
  if (value < low || value > high) {
    return fieldError(index, shown(token) + " is out of range " + std::to_string(low) + ".." +
                                 std::to_string(high));
  }
  return {};
}

template <typename Narrow>
std::string parseNarrow(std::string_view token, int index, Narrow& out, std::int64_t low,
                        std::int64_t high) {
  std::int64_t value = 0;
  std::string error = parseInt<std::int64_t>(token, index, value, low, high);
  out = static_cast<Narrow>(value);
  return error;
}

std::string parseSeq(std::string_view token, std::uint64_t& out) {
  const char* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, out);
  if (ec == std::errc::result_out_of_range) return fieldError(0, shown(token) + " overflows");
  if (ec != std::errc() || ptr != end || token.empty()) {
    return fieldError(0, shown(token) + " is not an unsigned integer");
  }
  return {};
}

std::string parseInt64(std::string_view token, int index, std::int64_t& out) {
  return parseInt<std::int64_t>(token, index, out, std::numeric_limits<std::int64_t>::min(),
                                std::numeric_limits<std::int64_t>::max());
}

// Finds `token` among the names `nameOf(0..count-1)` gives.
template <typename Enum, typename NameOf>
std::string parseName(std::string_view token, int index, int count, NameOf nameOf, Enum& out) {
  for (int i = 0; i < count; ++i) {
    if (nameOf(static_cast<Enum>(i)) == token) {
      out = static_cast<Enum>(i);
      return {};
    }
  }
  return fieldError(index, "unknown name " + shown(token));
}

// How many values `op` may take for this event (its meaning depends on the kind and call).
int opCount(const TraceEvent& event) {
  switch (event.kind) {
    case EventKind::Call:
      return event.call == Call::EpollCtl ? kEpollCtlOpMax + 1 : kCallVariantCount;
    case EventKind::Config:
      return kKnobCount;
    case EventKind::Control:
      return kControlOpCount;
    case EventKind::ClientAction:
      return kClientOpCount;
    case EventKind::Stranded:
      return kStrandedWhatCount;
    case EventKind::Crash:
      return kSeedFaultCount;
    case EventKind::Sample:
      return kSampleOfCount;
    default:
      return 256;  // unused by the kind: any byte round-trips
  }
}

char* appendInt(char* at, char* end, auto value) {
  at = std::to_chars(at, end, value).ptr;
  *at++ = ' ';
  return at;
}

char* appendName(char* at, std::string_view name) {
  for (char ch : name) *at++ = ch;
  *at++ = ' ';
  return at;
}

}  // namespace

EventContext::EventContext(const std::vector<Recorder::WriterInfo>& writers, std::size_t laneLabels)
    : anyThread_(writers.empty()), laneLabels_(laneLabels) {
  for (const Recorder::WriterInfo& writer : writers) threads_.set(writer.thread);
}

std::string EventContext::noLabel(std::int64_t label) const {
  return "no lane label " + std::to_string(label) + " (the header has " +
         std::to_string(laneLabels_) + ")";
}

std::string EventContext::check(const TraceEvent& event) const {
  if (event.tNs < 0) return fieldError(1, std::to_string(event.tNs) + " is negative");
  if (event.durNs < 0) return fieldError(2, std::to_string(event.durNs) + " is negative");
  if (event.kind == EventKind::Call && event.call == Call::None) {
    return fieldError(4, "a call event must name its call");
  }
  if (!anyThread_ && !threads_.test(event.thread)) {
    return fieldError(6, std::to_string(event.thread) + " is no writer's thread");
  }
  if ((event.flags & ~kKnownFlags) != 0) {
    return fieldError(7, "unknown bits in " + std::to_string(event.flags));
  }
  if (event.fd < -1) return fieldError(8, std::to_string(event.fd) + " is below -1");
  if (event.err < 0 || event.err > kMaxErrno) {
    return fieldError(10, std::to_string(event.err) + " is out of range 0..4095");
  }
  if (event.op >= opCount(event)) {
    return fieldError(13, std::to_string(event.op) + " is out of range 0.." +
                              std::to_string(opCount(event) - 1) + " for a " +
                              std::string(eventKindName(event.kind)) + " event");
  }
  // An imported event's conn names its lane label (and an accept4's c the new socket's).
  const std::size_t labels = std::max<std::size_t>(laneLabels_, 1);
  if ((event.flags & kEventImported) != 0) {
    if (event.conn >= labels) {
      return fieldError(12, noLabel(event.conn));
    }
    const bool acceptCall = event.kind == EventKind::Call && event.call == Call::Accept4;
    if (acceptCall && (event.c < 0 || static_cast<std::uint64_t>(event.c) >= labels)) {
      return fieldError(16, noLabel(event.c));
    }
  }
  return {};
}

void appendEventLine(std::string& out, const TraceEvent& event) {
  char line[384];  // 17 fields: at most 20 digits + sign + a name each
  char* at = line;
  char* const end = line + sizeof line;
  at = appendInt(at, end, event.seq);
  at = appendInt(at, end, event.tNs);
  at = appendInt(at, end, event.durNs);
  at = appendName(at, eventKindName(event.kind));
  at = appendName(at, callName(event.call));
  at = appendName(at, actorName(event.actor));
  at = appendInt(at, end, static_cast<unsigned>(event.thread));
  at = appendInt(at, end, static_cast<unsigned>(event.flags));
  at = appendInt(at, end, event.fd);
  at = appendInt(at, end, event.ret);
  at = appendInt(at, end, event.err);
  at = appendInt(at, end, event.events);
  at = appendInt(at, end, event.conn);
  at = appendInt(at, end, static_cast<unsigned>(event.op));
  at = appendInt(at, end, event.a);
  at = appendInt(at, end, event.b);
  at = appendInt(at, end, event.c);
  at[-1] = '\n';
  out.append(line, at);
}

std::string parseEventLine(std::string_view line, TraceEvent& event) {
  std::array<std::string_view, kEventFieldCount> f;
  int count = 0;
  for (std::size_t start = 0; start <= line.size();) {
    std::size_t space = line.find(' ', start);
    if (space == std::string_view::npos) space = line.size();
    if (count == kEventFieldCount) {
      return "more than " + std::to_string(kEventFieldCount) + " fields";
    }
    f[count++] = line.substr(start, space - start);
    start = space + 1;
  }
  if (count != kEventFieldCount) {
    return std::to_string(kEventFieldCount) + " fields expected, found " + std::to_string(count);
  }
  constexpr auto i32min = std::numeric_limits<std::int32_t>::min();
  constexpr auto i32max = std::numeric_limits<std::int32_t>::max();
  constexpr auto u32max = std::numeric_limits<std::uint32_t>::max();
  std::string e;
  if (e = parseSeq(f[0], event.seq); !e.empty()) return e;
  if (e = parseInt64(f[1], 1, event.tNs); !e.empty()) return e;
  if (e = parseInt64(f[2], 2, event.durNs); !e.empty()) return e;
  if (e = parseName(f[3], 3, kEventKindCount, eventKindName, event.kind); !e.empty()) return e;
  if (e = parseName(f[4], 4, kCallCount, callName, event.call); !e.empty()) return e;
  if (e = parseName(f[5], 5, 3, actorName, event.actor); !e.empty()) return e;
  if (e = parseNarrow(f[6], 6, event.thread, 0, 255); !e.empty()) return e;
  if (e = parseNarrow(f[7], 7, event.flags, 0, 255); !e.empty()) return e;
  if (e = parseNarrow(f[8], 8, event.fd, i32min, i32max); !e.empty()) return e;
  if (e = parseInt64(f[9], 9, event.ret); !e.empty()) return e;
  if (e = parseNarrow(f[10], 10, event.err, i32min, i32max); !e.empty()) return e;
  if (e = parseNarrow(f[11], 11, event.events, 0, u32max); !e.empty()) return e;
  if (e = parseNarrow(f[12], 12, event.conn, 0, u32max); !e.empty()) return e;
  if (e = parseNarrow(f[13], 13, event.op, 0, 255); !e.empty()) return e;
  if (e = parseInt64(f[14], 14, event.a); !e.empty()) return e;
  if (e = parseInt64(f[15], 15, event.b); !e.empty()) return e;
  return parseInt64(f[16], 16, event.c);
}

}  // namespace eps::session
