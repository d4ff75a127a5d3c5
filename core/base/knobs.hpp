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
// fixed masks, 1024-byte reads, string buffers and write loop; core/engine/seed000_handler.cpp).
// seed000-strings: the same with its first fix, std::string instead of char buf[1024].
enum class Handler : std::uint8_t { Echo, Seed000, Seed000Strings };
// How the engine thread waits: epoll_wait on its interest list (registered once with
// epoll_ctl), or poll(2) passing every descriptor it watches on every call.
enum class Poller : std::uint8_t { Epoll, Poll };

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
  Poller poller = Poller::Epoll;

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
  Poller,
};
inline constexpr int kKnobCount = 22;

// What applying a change of the knob takes, besides the new value (the engine's gate reads
// these; core/engine/gate.cpp). Bits of KnobInfo::effects.
enum KnobEffect : std::uint8_t {
  kKnobReadAtUse = 0,  // nothing: the engine reads the knob each time it needs it
  // Every socket is re-registered (EPOLL_CTL_MOD: the interest mask changes) and its socket
  // options re-applied.
  kKnobChangesInterestMask = 1u << 0,
  kKnobRestartsWorkers = 1u << 1,  // the worker threads are stopped and started again
  kKnobReopensIdleFd = 1u << 2,    // the spare fd for the EMFILE trick is opened or closed
  kKnobRestartsGrowth = 1u << 3,   // a grown max-events array starts again from its least
  kKnobResetsWriteFlip = 1u << 4,  // each connection's EPOLLOUT<->EPOLLIN flip state is cleared
  kKnobDropsHeldOutput = 1u << 5,  // each connection's unsent echo is dropped (a new server)
  kKnobSetsFdLimit = 1u << 6,      // the engine's own descriptor table takes the new limit
  // The engine waits another way: its descriptors leave the epoll set (EPOLL_CTL_DEL) for
  // poll(2), or are added back (EPOLL_CTL_ADD) for epoll_wait.
  kKnobSwitchesPoller = 1u << 7,
};

// How a knob's values are written: one of `choices` (its index is the value), on|off, or a
// whole number in [min, max] (and `word` for the value `wordValue` outside it).
enum class KnobValues : std::uint8_t { Choice, Switch, Number };

// One row per knob, in KnobId order: everything the CLI, lessons, sessions, the window and the
// engine know about a knob. Its default is Knobs{}'s (knobDefaultText).
struct KnobInfo {
  KnobId id;
  std::string_view name;     // "conn-trigger": the CLI flag without dashes, the lesson key
  std::string_view allowed;  // "lt|et", "1..65536": printed in errors and help
  std::string_view help;
  bool isFlag;           // a CLI switch that takes no value (--oneshot, --rdhup)
  std::uint8_t effects;  // KnobEffect bits
  KnobValues values;
  std::int64_t (*get)(const Knobs&);               // the value as knobValueNumber gives it
  void (*set)(Knobs&, std::int64_t);               // stores a value already checked
  std::span<const std::string_view> choices = {};  // Choice and Switch: the values' names
  std::int64_t min = 0, max = 0;                   // Number: the range
  std::int64_t refused = -1;                       // Number: a value inside the range that is not
                                                   // allowed (workers: 1), -1 for none
  std::string_view word = {};                           // Number: a word for wordValue ("grow")
  std::int64_t wordValue = 0;
};

std::span<const KnobInfo> knobTable();
const KnobInfo& knobInfo(KnobId id);
std::optional<KnobId> knobFromName(std::string_view name);
bool knobHasEffect(KnobId id, KnobEffect effect);
// A change re-registers every socket: its interest mask (or a socket option) changes.
bool knobChangesInterestMask(KnobId id);
// The knob's value in Knobs{}, as text ("lt", "4096").
std::string knobDefaultText(KnobId id);

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

// Knobs only epoll has: any value but the default needs poller=epoll (poll(2) is level-triggered,
// registers nothing and returns every descriptor it was passed). Under poller=poll they are
// refused, and poller=poll is refused while one of them is set: a silent fallback would show
// a lesson something other than what it asked for.
bool knobNeedsEpoll(KnobId id);
// The first knob of `knobs` that needs epoll while poller=poll, or nullopt when they agree.
std::optional<KnobId> pollerConflict(const Knobs& knobs);
// Why `id` needs epoll: "conn-trigger et needs poller=epoll: poll(2) reports readiness by level
// only; it has no edge trigger" (the value shown when `value` is given).
std::string needsEpollText(KnobId id, std::string_view value = {});

// Every knob as "name=value" separated by spaces, for banners and session files.
std::string describeKnobs(const Knobs& knobs);

}  // namespace eps
