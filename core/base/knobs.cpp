#include "core/base/knobs.hpp"

#include <array>
#include <charconv>
#include <stdexcept>

namespace eps {
namespace {

constexpr std::array<KnobInfo, kKnobCount> kKnobs = {{
    {KnobId::ListenTrigger, "listen-trigger", "lt|et", "trigger mode of the listening socket",
     false, true},
    {KnobId::ConnTrigger, "conn-trigger", "lt|et", "trigger mode of accepted connections", false,
     true},
    {KnobId::Accept, "accept", "drain|once", "accept until EAGAIN, or one accept4 per wakeup",
     false, false},
    {KnobId::Read, "read", "drain|once|short",
     "read until EAGAIN, one read per wakeup, or stop at the first short read", false, false},
    {KnobId::ReadChunk, "read-chunk", "1..65536", "bytes asked by each read", false, false},
    {KnobId::Write, "write", "direct|flip|always",
     "EPOLLOUT only while output is pending; MOD EPOLLOUT<->EPOLLIN per message; always "
     "registered",
     false, true},
    {KnobId::Sockets, "sockets", "nonblocking|blocking",
     "accepted sockets' mode (blocking calls end after block-timeout)", false, true},
    {KnobId::Oneshot, "oneshot", "on|off", "register connections with EPOLLONESHOT", true, true},
    {KnobId::Rearm, "rearm", "on|off", "with oneshot: re-arm with EPOLL_CTL_MOD after each event",
     false, false},
    {KnobId::Rdhup, "rdhup", "on|off", "register connections with EPOLLRDHUP", true, true},
    {KnobId::MaxEvents, "max-events", "1..1024|grow",
     "epoll_wait's maxevents, or grow: double when a return fills the array", false, false},
    {KnobId::Rcvbuf, "rcvbuf", "0..16777216", "SO_RCVBUF of accepted sockets (0: default)", false,
     true},
    {KnobId::Sndbuf, "sndbuf", "0..16777216", "SO_SNDBUF of accepted sockets (0: default)", false,
     true},
    {KnobId::FdLimit, "fd-limit", "0..1048576",
     "the engine behaves as if RLIMIT_NOFILE were this, in its own descriptor table; the rest "
     "of the process is unaffected (0: no limit)",
     false, false},
    {KnobId::IdleFd, "idle-fd", "on|off", "keep a spare fd for the EMFILE trick", false, false},
    {KnobId::CloseOnEof, "close-on-eof", "on|off",
     "close a connection after read() returned 0 (off: leave it in CLOSE_WAIT)", false, false},
    {KnobId::BlockTimeout, "block-timeout", "1..10000",
     "ms before a blocking socket call gives up (SO_RCVTIMEO/SO_SNDTIMEO)", false, true},
    {KnobId::Handler, "handler", "echo|seed000|seed000-strings",
     "echo: the server the knobs describe; seed000: seed article 000's server, bugs included; "
     "seed000-strings: the same with std::string buffers instead of char buf[1024]",
     false, true},
    {KnobId::Workers, "workers", "0|2..4",
     "worker threads sharing the listener, each with its own epoll instance; they accept and "
     "hand connections to the engine thread (0: the engine thread accepts)",
     false, false},
    {KnobId::Exclusive, "exclusive", "on|off", "workers register the listener with EPOLLEXCLUSIVE",
     false, false},
    {KnobId::OutCap, "out-cap", "0..1073741824",
     "bytes of unsent echo a connection may hold before the engine stops reading it (EPOLLIN "
     "dropped with EPOLL_CTL_MOD; resumed at half); 0: no cap, a client that never reads grows "
     "the server without bound",
     false, true},
}};

template <std::size_t N>
std::optional<int> choiceIndex(std::string_view value,
                               const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == value) return static_cast<int>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 2> kTriggers = {"lt", "et"};
constexpr std::array<std::string_view, 2> kAccepts = {"drain", "once"};
constexpr std::array<std::string_view, 3> kReads = {"drain", "once", "short"};
constexpr std::array<std::string_view, 3> kWrites = {"direct", "flip", "always"};
constexpr std::array<std::string_view, 2> kSockets = {"nonblocking", "blocking"};
constexpr std::array<std::string_view, 2> kSwitch = {"off", "on"};
constexpr std::array<std::string_view, 3> kHandlers = {"echo", "seed000", "seed000-strings"};

std::optional<long> parseInt(std::string_view text) {
  long value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || text.empty()) return std::nullopt;
  return value;
}

std::string badValue(const KnobInfo& info, std::string_view value, bool range) {
  return "--" + std::string(info.name) + ": '" + std::string(value) + "' is " +
         (range ? "out of range " : "not one of ") + std::string(info.allowed);
}

// Parses a whole number within [lo, hi] into `slot`.
std::optional<std::string> setInt(int& slot, const KnobInfo& info, std::string_view value, long lo,
                                  long hi) {
  const auto parsed = parseInt(value);
  if (!parsed) return badValue(info, value, false);
  if (*parsed < lo || *parsed > hi) return badValue(info, value, true);
  slot = static_cast<int>(*parsed);
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::optional<std::string> setChoice(Enum& slot, const KnobInfo& info, std::string_view value,
                                     const std::array<std::string_view, N>& names) {
  const auto index = choiceIndex(value, names);
  if (!index) return badValue(info, value, false);
  slot = static_cast<Enum>(*index);
  return std::nullopt;
}

std::optional<std::string> setSwitch(bool& slot, const KnobInfo& info, std::string_view value) {
  if (value == "true" || value == "yes" || value == "1") value = "on";
  if (value == "false" || value == "no" || value == "0") value = "off";
  const auto index = choiceIndex(value, kSwitch);
  if (!index) return badValue(info, value, false);
  slot = *index == 1;
  return std::nullopt;
}

}  // namespace

std::span<const KnobInfo> knobTable() {
  return kKnobs;
}

const KnobInfo& knobInfo(KnobId id) {
  return kKnobs[static_cast<std::size_t>(id)];
}

std::optional<KnobId> knobFromName(std::string_view name) {
  for (const auto& info : kKnobs) {
    if (info.name == name) return info.id;
  }
  return std::nullopt;
}

std::optional<std::string> setKnob(Knobs& k, KnobId id, std::string_view value) {
  const KnobInfo& info = knobInfo(id);
  switch (id) {
    case KnobId::ListenTrigger:
      return setChoice(k.listenTrigger, info, value, kTriggers);
    case KnobId::ConnTrigger:
      return setChoice(k.connTrigger, info, value, kTriggers);
    case KnobId::Accept:
      return setChoice(k.accept, info, value, kAccepts);
    case KnobId::Read:
      return setChoice(k.read, info, value, kReads);
    case KnobId::ReadChunk:
      return setInt(k.readChunk, info, value, 1, 65536);
    case KnobId::Write:
      return setChoice(k.write, info, value, kWrites);
    case KnobId::Sockets:
      return setChoice(k.sockets, info, value, kSockets);
    case KnobId::Oneshot:
      return setSwitch(k.oneshot, info, value);
    case KnobId::Rearm:
      return setSwitch(k.rearm, info, value);
    case KnobId::Rdhup:
      return setSwitch(k.rdhup, info, value);
    case KnobId::MaxEvents:
      if (value == "grow") {
        k.maxEvents = kGrowMaxEvents;
        return std::nullopt;
      }
      return setInt(k.maxEvents, info, value, 1, kMaxMaxEvents);
    case KnobId::Rcvbuf:
      return setInt(k.rcvbuf, info, value, 0, 16 << 20);
    case KnobId::Sndbuf:
      return setInt(k.sndbuf, info, value, 0, 16 << 20);
    case KnobId::FdLimit:
      return setInt(k.fdLimit, info, value, 0, 1 << 20);
    case KnobId::IdleFd:
      return setSwitch(k.idleFd, info, value);
    case KnobId::CloseOnEof:
      return setSwitch(k.closeOnEof, info, value);
    case KnobId::Workers: {
      auto error = setInt(k.workers, info, value, 0, 4);
      if (!error && k.workers == 1) return "workers must be 0|2..4, got 1";
      return error;
    }
    case KnobId::Exclusive:
      return setSwitch(k.exclusive, info, value);
    case KnobId::BlockTimeout:
      return setInt(k.blockTimeoutMs, info, value, 1, 10000);
    case KnobId::Handler:
      return setChoice(k.handler, info, value, kHandlers);
    case KnobId::OutCap:
      return setInt(k.outCap, info, value, 0, kMaxOutCap);
  }
  return "unknown knob";
}

std::int64_t knobValueNumber(const Knobs& k, KnobId id) {
  switch (id) {
    case KnobId::ListenTrigger:
      return static_cast<int>(k.listenTrigger);
    case KnobId::ConnTrigger:
      return static_cast<int>(k.connTrigger);
    case KnobId::Accept:
      return static_cast<int>(k.accept);
    case KnobId::Read:
      return static_cast<int>(k.read);
    case KnobId::ReadChunk:
      return k.readChunk;
    case KnobId::Write:
      return static_cast<int>(k.write);
    case KnobId::Sockets:
      return static_cast<int>(k.sockets);
    case KnobId::Oneshot:
      return k.oneshot;
    case KnobId::Rearm:
      return k.rearm;
    case KnobId::Rdhup:
      return k.rdhup;
    case KnobId::MaxEvents:
      return k.maxEvents;
    case KnobId::Rcvbuf:
      return k.rcvbuf;
    case KnobId::Sndbuf:
      return k.sndbuf;
    case KnobId::FdLimit:
      return k.fdLimit;
    case KnobId::IdleFd:
      return k.idleFd;
    case KnobId::CloseOnEof:
      return k.closeOnEof;
    case KnobId::BlockTimeout:
      return k.blockTimeoutMs;
    case KnobId::Handler:
      return static_cast<int>(k.handler);
    case KnobId::Workers:
      return k.workers;
    case KnobId::Exclusive:
      return k.exclusive;
    case KnobId::OutCap:
      return k.outCap;
  }
  return 0;
}

std::string knobNumberText(KnobId id, std::int64_t v) {
  const auto pick = [v](const auto& names) {
    return v >= 0 && static_cast<std::size_t>(v) < names.size()
               ? std::string(names[static_cast<std::size_t>(v)])
               : std::to_string(v);
  };
  switch (id) {
    case KnobId::ListenTrigger:
    case KnobId::ConnTrigger:
      return pick(kTriggers);
    case KnobId::Accept:
      return pick(kAccepts);
    case KnobId::Read:
      return pick(kReads);
    case KnobId::Write:
      return pick(kWrites);
    case KnobId::Sockets:
      return pick(kSockets);
    case KnobId::Oneshot:
    case KnobId::Rearm:
    case KnobId::Rdhup:
    case KnobId::IdleFd:
    case KnobId::CloseOnEof:
    case KnobId::Exclusive:
      return pick(kSwitch);
    case KnobId::Handler:
      return pick(kHandlers);
    case KnobId::MaxEvents:
      return v == kGrowMaxEvents ? std::string("grow") : std::to_string(v);
    case KnobId::ReadChunk:
    case KnobId::Rcvbuf:
    case KnobId::Sndbuf:
    case KnobId::FdLimit:
    case KnobId::BlockTimeout:
    case KnobId::Workers:
    case KnobId::OutCap:
      return std::to_string(v);
  }
  return std::to_string(v);
}

std::optional<std::string> setKnobNumber(Knobs& knobs, KnobId id, std::int64_t value) {
  // Through the text form, so a number is held to exactly the values and ranges text is.
  return setKnob(knobs, id, knobNumberText(id, value));
}

std::string knobValueText(const Knobs& knobs, KnobId id) {
  return knobNumberText(id, knobValueNumber(knobs, id));
}

std::string describeKnobs(const Knobs& knobs) {
  std::string out;
  for (const auto& info : kKnobs) {
    if (!out.empty()) out += ' ';
    out += info.name;
    out += '=';
    out += knobValueText(knobs, info.id);
  }
  return out;
}

}  // namespace eps
