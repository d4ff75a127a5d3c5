// The engine's knobs (DESIGN "Engine" table): one struct of values, and one table that names
// each knob, parses and prints its values. The CLI, lessons, the UI and the trace's `config`
// events all go through this table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace eps {

enum class Trigger : std::uint8_t { Level, Edge };
enum class AcceptPolicy : std::uint8_t { Drain, Once };
enum class ReadPolicy : std::uint8_t { Drain, Once, Short };
enum class WritePolicy : std::uint8_t { Direct, Flip, Always };
enum class SocketMode : std::uint8_t { Nonblocking, Blocking };
// echo: the engine the knobs describe. seed000: seed article 000's server line by line (its
// fixed masks, 1024-byte reads, string buffers and write loop; core/engine/seed000.cpp).
// seed000-strings: the same with its first fix, std::string instead of char buf[1024].
enum class Handler : std::uint8_t { Echo, Seed000, Seed000Strings };

inline constexpr int kGrowMaxEvents = 0;  // maxEvents value meaning "grow"
inline constexpr int kGrowInitialEvents = 2;
inline constexpr int kMaxMaxEvents = 1024;
inline constexpr int kDefaultOutCap = 1 << 20;  // 1 MiB of unsent echo per connection
inline constexpr int kMaxOutCap = 1 << 30;
inline constexpr int kOutCapLowDivisor = 2;  // reading resumes at or below cap / 2

struct Knobs {
  Trigger listenTrigger = Trigger::Level;
  Trigger connTrigger = Trigger::Level;
  AcceptPolicy accept = AcceptPolicy::Drain;
  ReadPolicy read = ReadPolicy::Drain;
  int readChunk = 4096;  // 1 .. 65536
  WritePolicy write = WritePolicy::Direct;
  SocketMode sockets = SocketMode::Nonblocking;
  bool oneshot = false;
  bool rearm = true;  // with oneshot: re-arm with EPOLL_CTL_MOD after each event
  bool rdhup = false;
  int maxEvents = 64;        // 1 .. 1024, or kGrowMaxEvents
  int rcvbuf = 0;            // SO_RCVBUF for accepted sockets; 0 = the kernel's default
  int sndbuf = 0;            // SO_SNDBUF for accepted sockets; 0 = the kernel's default
  int fdLimit = 0;           // the engine acts as if RLIMIT_NOFILE were this; 0 = no limit
  bool idleFd = true;        // keep a spare fd on /dev/null for the EMFILE trick
  bool closeOnEof = true;    // close a connection once read() returned 0 and output is flushed
  int blockTimeoutMs = 500;  // SO_RCVTIMEO/SO_SNDTIMEO on blocking sockets: the stall ends
  Handler handler = Handler::Echo;
  int workers = 0;         // 0: the engine thread accepts; 2..4: worker threads accept
  bool exclusive = false;  // workers register the listener with EPOLLEXCLUSIVE
  // Back-pressure: a connection holding this many unsent echo bytes is not read until it holds
  // at most half as many (kOutCapLowDivisor). 0: no cap, the mistake a lesson can show.
  int outCap = kDefaultOutCap;

  bool operator==(const Knobs&) const = default;
};

enum class KnobId : std::uint8_t {
  ListenTrigger,
  ConnTrigger,
  Accept,
  Read,
  ReadChunk,
  Write,
  Sockets,
  Oneshot,
  Rearm,
  Rdhup,
  MaxEvents,
  Rcvbuf,
  Sndbuf,
  FdLimit,
  IdleFd,
  CloseOnEof,
  BlockTimeout,
  Handler,
  Workers,
  Exclusive,
  OutCap,  // appended: a session's config events name knobs by this number
};
inline constexpr int kKnobCount = 21;

struct KnobInfo {
  KnobId id;
  std::string_view name;     // "conn-trigger": the CLI flag without dashes, the lesson key
  std::string_view allowed;  // "lt|et", "1..65536": printed in errors and help
  std::string_view help;
  bool isFlag;       // a CLI switch that takes no value (--oneshot, --rdhup)
  bool reregisters;  // a change re-registers every socket (EPOLL_CTL_MOD) and re-applies options
};

std::span<const KnobInfo> knobTable();
const KnobInfo& knobInfo(KnobId id);
std::optional<KnobId> knobFromName(std::string_view name);

// Sets one knob from text. On a bad value returns the one-line error
// "--NAME: 'VALUE' is not one of ALLOWED" (or "... out of range ALLOWED").
std::optional<std::string> setKnob(Knobs& knobs, KnobId id, std::string_view value);

// Sets one knob from the number knobValueNumber gives (a `config` event's value, a queued
// single-knob change); the same errors as setKnob for a value out of range.
std::optional<std::string> setKnobNumber(Knobs& knobs, KnobId id, std::int64_t value);

// The knob's value as text ("et", "100", "grow", "on"), and as a number for `config` events.
std::string knobValueText(const Knobs& knobs, KnobId id);
std::int64_t knobValueNumber(const Knobs& knobs, KnobId id);
// Text for a value recorded in a `config` event (inverse of knobValueNumber).
std::string knobNumberText(KnobId id, std::int64_t value);

// Every knob as "name=value" separated by spaces, for banners and session files.
std::string describeKnobs(const Knobs& knobs);

}  // namespace eps
