#include "core/base/knobs.hpp"

#include <array>
#include <charconv>

namespace eps {
namespace {

constexpr std::array<std::string_view, 2> kTriggers = {"lt", "et"};
constexpr std::array<std::string_view, 2> kAccepts = {"drain", "once"};
constexpr std::array<std::string_view, 3> kReads = {"drain", "once", "short"};
constexpr std::array<std::string_view, 3> kWrites = {"direct", "flip", "always"};
constexpr std::array<std::string_view, 2> kSockets = {"nonblocking", "blocking"};
constexpr std::array<std::string_view, 2> kSwitch = {"off", "on"};
constexpr std::array<std::string_view, 3> kHandlers = {"echo", "seed000", "seed000-strings"};
constexpr std::array<std::string_view, 2> kPollers = {"epoll", "poll"};

constexpr KnobValues Choice = KnobValues::Choice;
constexpr KnobValues Switch = KnobValues::Switch;
constexpr KnobValues Number = KnobValues::Number;

// The knob's field in Knobs: how the table reads and writes it, as a number.
#define EPS_KNOB_FIELD(member)                                        \
  [](const Knobs& k) { return static_cast<std::int64_t>(k.member); }, \
      [](Knobs& k, std::int64_t v) { k.member = static_cast<decltype(Knobs::member)>(v); }

// Rows in KnobId order (checked below); KnobId::OutCap is last because a session's config
// events name knobs by number.
constexpr std::array<KnobInfo, kKnobCount> kKnobs = {{
    {KnobId::ListenTrigger, "listen-trigger", "lt|et", "trigger mode of the listening socket",
     false, kKnobChangesInterestMask, Choice, EPS_KNOB_FIELD(listenTrigger), kTriggers},
    {KnobId::ConnTrigger, "conn-trigger", "lt|et", "trigger mode of accepted connections", false,
     kKnobChangesInterestMask, Choice, EPS_KNOB_FIELD(connTrigger), kTriggers},
    {KnobId::Accept, "accept", "drain|once", "accept until EAGAIN, or one accept4 per wakeup",
     false, kKnobReadAtUse, Choice, EPS_KNOB_FIELD(accept), kAccepts},
    {KnobId::Read, "read", "drain|once|short",
     "read until EAGAIN, one read per wakeup, or stop at the first short read", false,
     kKnobReadAtUse, Choice, EPS_KNOB_FIELD(read), kReads},
    {KnobId::ReadChunk,
     "read-chunk",
     "1..65536",
     "bytes asked by each read",
     false,
     kKnobReadAtUse,
     Number,
     EPS_KNOB_FIELD(readChunk),
     {},
     1,
     65536},
    {KnobId::Write, "write", "direct|flip|always",
     "EPOLLOUT only while output is pending; MOD EPOLLOUT<->EPOLLIN per message; always "
     "registered",
     false, kKnobChangesInterestMask | kKnobResetsWriteFlip, Choice, EPS_KNOB_FIELD(write),
     kWrites},
    {KnobId::Sockets, "sockets", "nonblocking|blocking",
     "accepted sockets' mode (blocking calls end after block-timeout)", false,
     kKnobChangesInterestMask, Choice, EPS_KNOB_FIELD(sockets), kSockets},
    {KnobId::Oneshot, "oneshot", "on|off", "register connections with EPOLLONESHOT", true,
     kKnobChangesInterestMask, Switch, EPS_KNOB_FIELD(oneshot), kSwitch},
    {KnobId::Rearm, "rearm", "on|off", "with oneshot: re-arm with EPOLL_CTL_MOD after each event",
     false, kKnobReadAtUse, Switch, EPS_KNOB_FIELD(rearm), kSwitch},
    {KnobId::Rdhup, "rdhup", "on|off", "register connections with EPOLLRDHUP", true,
     kKnobChangesInterestMask, Switch, EPS_KNOB_FIELD(rdhup), kSwitch},
    {KnobId::MaxEvents,
     "max-events",
     "1..1024|grow",
     "epoll_wait's maxevents, or grow: double when a return fills the array",
     false,
     kKnobRestartsGrowth,
     Number,
     EPS_KNOB_FIELD(maxEvents),
     {},
     1,
     kMaxMaxEvents,
     -1,
     "grow",
     kGrowMaxEvents},
    {KnobId::Rcvbuf,
     "rcvbuf",
     "0..16777216",
     "SO_RCVBUF of accepted sockets (0: default)",
     false,
     kKnobChangesInterestMask,
     Number,
     EPS_KNOB_FIELD(rcvbuf),
     {},
     0,
     16 << 20},
    {KnobId::Sndbuf,
     "sndbuf",
     "0..16777216",
     "SO_SNDBUF of accepted sockets (0: default)",
     false,
     kKnobChangesInterestMask,
     Number,
     EPS_KNOB_FIELD(sndbuf),
     {},
     0,
     16 << 20},
    {KnobId::FdLimit,
     "fd-limit",
     "0..1048576",
     "the engine behaves as if RLIMIT_NOFILE were this, in its own descriptor table; the rest "
     "of the process is unaffected (0: no limit)",
     false,
     kKnobSetsFdLimit,
     Number,
     EPS_KNOB_FIELD(fdLimit),
     {},
     0,
     1 << 20},
    {KnobId::IdleFd, "idle-fd", "on|off", "keep a spare fd for the EMFILE trick", false,
     kKnobReopensIdleFd, Switch, EPS_KNOB_FIELD(idleFd), kSwitch},
    {KnobId::CloseOnEof, "close-on-eof", "on|off",
     "close a connection after read() returned 0 (off: leave it in CLOSE_WAIT)", false,
     kKnobReadAtUse, Switch, EPS_KNOB_FIELD(closeOnEof), kSwitch},
    {KnobId::BlockTimeout,
     "block-timeout",
     "1..10000",
     "ms before a blocking socket call gives up (SO_RCVTIMEO/SO_SNDTIMEO)",
     false,
     kKnobChangesInterestMask,
     Number,
     EPS_KNOB_FIELD(blockTimeoutMs),
     {},
     1,
     10000},
    {KnobId::Handler, "handler", "echo|seed000|seed000-strings",
     "echo: the server the knobs describe; seed000: seed article 000's server, bugs included; "
     "seed000-strings: the same with std::string buffers instead of char buf[1024]",
     false, kKnobChangesInterestMask | kKnobResetsWriteFlip | kKnobDropsHeldOutput, Choice,
     EPS_KNOB_FIELD(handler), kHandlers},
    {KnobId::Workers,
     "workers",
     "0|2..4",
     "worker threads sharing the listener, each with its own epoll instance; they accept and "
     "hand connections to the engine thread (0: the engine thread accepts)",
     false,
     kKnobRestartsWorkers,
     Number,
     EPS_KNOB_FIELD(workers),
     {},
     0,
     4,
     1},
    {KnobId::Exclusive, "exclusive", "on|off", "workers register the listener with EPOLLEXCLUSIVE",
     false, kKnobRestartsWorkers, Switch, EPS_KNOB_FIELD(exclusive), kSwitch},
    {KnobId::OutCap,
     "out-cap",
     "0..1073741824",
     "bytes of unsent echo a connection may hold before the engine stops reading it (EPOLLIN "
     "dropped with EPOLL_CTL_MOD; resumed at half); 0: no cap, a client that never reads grows "
     "the server without bound",
     false,
     kKnobChangesInterestMask,
     Number,
     EPS_KNOB_FIELD(outCap),
     {},
     0,
     kMaxOutCap},
    {KnobId::Poller, "poller", "epoll|poll",
     "epoll: epoll_wait on an interest list registered with epoll_ctl; poll: poll(2) passing "
     "every watched descriptor on every call (level-triggered only)",
     false, kKnobSwitchesPoller, Choice, EPS_KNOB_FIELD(poller), kPollers},
}};

// Why each knob that only epoll has needs it (knobNeedsEpoll); empty: the knob means the same
// under poll(2).
std::string_view needsEpollReason(KnobId id) {
  switch (id) {
    case KnobId::ListenTrigger:
    case KnobId::ConnTrigger:
      return "poll(2) reports readiness by level only; it has no edge trigger";
    case KnobId::Oneshot:
      return "poll(2) keeps no registration to disarm";
    case KnobId::MaxEvents:
      return "poll(2) fills in every descriptor it was passed; it has no maxevents";
    case KnobId::Workers:
    case KnobId::Exclusive:
      return "workers share the listener through epoll instances of their own";
    case KnobId::Handler:
      return "seed 000's server is written with epoll_ctl and epoll_wait";
    default:
      return {};
  }
}

#undef EPS_KNOB_FIELD


constexpr bool inIdOrder() {
  for (std::size_t i = 0; i < kKnobs.size(); ++i) {
    if (static_cast<std::size_t>(kKnobs[i].id) != i) return false;
  }
  return true;
}
static_assert(inIdOrder(), "kKnobs must follow KnobId's order");

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

struct Parsed {
  std::int64_t value = 0;
  std::optional<std::string> error;
};

Parsed parseNumber(const KnobInfo& info, std::string_view text) {
  if (!info.word.empty() && text == info.word) return {info.wordValue, std::nullopt};
  const auto number = parseInt(text);
  if (!number) return {0, badValue(info, text, false)};
  if (*number < info.min || *number > info.max || *number == info.refused) {
    return {0, badValue(info, text, true)};
  }
  return {*number, std::nullopt};
}

Parsed parseValue(const KnobInfo& info, std::string_view text) {
  if (info.values == KnobValues::Number) return parseNumber(info, text);
  if (info.values == KnobValues::Switch) {
    if (text == "true" || text == "yes" || text == "1") text = "on";
    if (text == "false" || text == "no" || text == "0") text = "off";
  }
  for (std::size_t i = 0; i < info.choices.size(); ++i) {
    if (info.choices[i] == text) return {static_cast<std::int64_t>(i), std::nullopt};
  }
  return {0, badValue(info, text, false)};
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

bool knobHasEffect(KnobId id, KnobEffect effect) {
  return (knobInfo(id).effects & effect) != 0;
}

bool knobChangesInterestMask(KnobId id) {
  return knobHasEffect(id, kKnobChangesInterestMask);
}

std::string knobDefaultText(KnobId id) {
  return knobValueText(Knobs{}, id);
}

std::optional<std::string> setKnob(Knobs& knobs, KnobId id, std::string_view value) {
  const KnobInfo& info = knobInfo(id);
  const Parsed parsed = parseValue(info, value);
  if (parsed.error) return parsed.error;
  info.set(knobs, parsed.value);
  return std::nullopt;
}

std::int64_t knobValueNumber(const Knobs& knobs, KnobId id) {
  return knobInfo(id).get(knobs);
}

std::string knobNumberText(KnobId id, std::int64_t v) {
  const KnobInfo& info = knobInfo(id);
  if (!info.choices.empty() && v >= 0 && static_cast<std::size_t>(v) < info.choices.size()) {
    return std::string(info.choices[static_cast<std::size_t>(v)]);
  }
  if (!info.word.empty() && v == info.wordValue) return std::string(info.word);
  return std::to_string(v);
}

std::optional<std::string> setKnobNumber(Knobs& knobs, KnobId id, std::int64_t value) {
  // Through the text form, so a number is held to exactly the values and ranges text is.
  return setKnob(knobs, id, knobNumberText(id, value));
}

std::string knobValueText(const Knobs& knobs, KnobId id) {
  return knobNumberText(id, knobValueNumber(knobs, id));
}

bool knobNeedsEpoll(KnobId id) {
  return !needsEpollReason(id).empty();
}

std::optional<KnobId> pollerConflict(const Knobs& knobs) {
  if (knobs.poller != Poller::Poll) return std::nullopt;
  const Knobs defaults;
  for (const auto& info : kKnobs) {
    if (knobNeedsEpoll(info.id) && info.get(knobs) != info.get(defaults)) return info.id;
  }
  return std::nullopt;
}

std::string needsEpollText(KnobId id, std::string_view value) {
  std::string text(knobInfo(id).name);
  if (!value.empty()) text += " " + std::string(value);
  return text + " needs poller=epoll: " + std::string(needsEpollReason(id));
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
