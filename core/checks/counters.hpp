// Every counter a check can name, each written once: its name, its meaning (the text users
// see, repeated in lessons/README.md and assets/traces/README.md, which a test holds to these
// tables), and how it is computed. Lesson checks name LessonCounter (computed by the runner,
// core/runner/step_counters.cpp), trace tour checks name TourCounter (computed over an
// imported log, core/strace/counters.cpp). check_expr.hpp parses a check against one table.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/base/phrases.hpp"

namespace eps {

// How a counter is computed, which also says when it is read.
enum class CounterKind : std::uint8_t {
  StepTally,   // counted over the trace events of a lesson step ("step:" in the README)
  KernelNow,   // summed over the kernel's view of the engine's sockets at the step's end ("now:"),
               // or the engine's last look at its ready list
  ClientsNow,  // from the lesson clients' byte counts at the step's end ("now:")
  LogTally,    // counted over a whole imported strace log (tours)
};

enum class LessonCounter : std::uint8_t {
  Wakeups,
  WorkerWakeups,
  Timeouts,
  Reads,
  ReadsWithData,
  BytesRead,
  LastReadRet,
  LastReadErrno,
  Writes,
  BytesWritten,
  PartialWrites,
  WriteEagains,
  LastWriteErrno,
  EpolloutReports,
  Accepts,
  AcceptEmfile,
  AcceptEagains,
  LastAcceptErrno,
  AcceptedClient,
  EpollCtlMods,
  Closes,
  StrandedBytes,
  StrandedConnections,
  Backlog,
  RecvQueue,
  Busy,
  Blocked,
  BlockedMs,
  Overreads,
  Crashes,
  Exits,
  WakeupsPerS,
  RdhupReports,
  HupReports,
  ErrReports,
  SentBytes,
  EchoedBytes,
  LostBytes,
  CorruptedBytes,
  ClientEof,
  NewestEchoedBytes,
  NewestLostBytes,
  MeasuredStrandedBytes,
  Waits,
  FdsPassed,
  EpollCtls,
  ReadyDue,
};
inline constexpr std::size_t kLessonCounterCount = 47;

enum class TourCounter : std::uint8_t {
  Lines,
  Calls,
  Threads,
  EpollInstances,
  EpollWaits,
  Wakeups,
  Timeouts,
  ReadyEntries,
  CtlAdds,
  CtlMods,
  CtlDels,
  EtRegistrations,
  LtRegistrations,
  EpolloutRegistrations,
  Accepts,
  AcceptEagains,
  Reads,
  ReadEagains,
  BytesRead,
  Writes,
  WriteEagains,
  PartialWrites,
  BytesWritten,
  Closes,
  Eintr,
  InferredStranding,
  InferredBusy,
  NotUnderstood,
  Sockets,
  InferredHerds,
};
inline constexpr std::size_t kTourCounterCount = 30;

// One row of a table. `id` is the row's LessonCounter or TourCounter: rows are in id order.
struct CounterInfo {
  std::uint8_t id;
  std::string_view name;  // "stranded_bytes": what a check writes
  CounterKind kind;
  std::string_view meaning;  // without the "step:"/"now:" the README puts first (counterWhen)
};

std::span<const CounterInfo> lessonCounters();
std::span<const CounterInfo> tourCounters();
const CounterInfo& counterInfo(LessonCounter id);
const CounterInfo& counterInfo(TourCounter id);
std::optional<LessonCounter> lessonCounterFromName(std::string_view name);
std::optional<TourCounter> tourCounterFromName(std::string_view name);
const CounterInfo* findCounter(std::span<const CounterInfo> table, std::string_view name);

// "step" or "now" for a lesson counter, "" for a tour's (all count the whole log).
std::string_view counterWhen(CounterKind kind);
// The meaning as the README's table shows it: "step: reads that returned > 0"; in the reader's
// language with `say` (the window's tooltips), English without.
std::string counterText(const CounterInfo& info, Phrases say = nullptr);

// The known name closest to a mistyped one ("wakeup" -> "wakeups"), or "" when none is close
// enough to be what was meant.
std::string_view nearestCounter(std::span<const CounterInfo> table, std::string_view name);

// One value per counter of a table, indexed by its id.
template <typename Id, std::size_t N>
struct CounterValues {
  std::array<std::int64_t, N> values{};
  std::int64_t& operator[](Id id) { return values[static_cast<std::size_t>(id)]; }
  std::int64_t operator[](Id id) const { return values[static_cast<std::size_t>(id)]; }
};
using LessonCounts = CounterValues<LessonCounter, kLessonCounterCount>;
using TourCounts = CounterValues<TourCounter, kTourCounterCount>;

}  // namespace eps
