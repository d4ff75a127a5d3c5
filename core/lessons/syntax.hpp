// The short command lines inside a lesson file: a step's actions ("send 1 4096") and its
// `until` ("idle 300ms within 5s"). Kept apart from the TOML walk so they can be parsed and
// tested as plain text; the loader maps the columns below onto the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/knobs.hpp"
#include "core/lessons/lesson.hpp"

namespace eps {

// Limits the format promises (lessons/README.md).
inline constexpr std::int64_t kLessonMaxBytes = 16777216;   // send, trickle
inline constexpr std::int64_t kLessonMaxCount = 1000;       // connect N, step-* N, clients
inline constexpr std::int64_t kLessonMaxMs = 60000;         // trickle, wait, until durations
inline constexpr std::int64_t kLessonMaxWakeups = 1000000;  // until "wakeups N"
inline constexpr std::int64_t kLessonMaxFds = 64;           // limit-fds N

// What went wrong inside one string: `column` is a 1-based byte offset into it.
struct LessonTextError {
  int column = 1;
  std::string message;
};

// Ownership: plain functions; no state.
struct ActionParse {
  std::optional<LessonAction> action;  // place is left for the caller to fill
  LessonTextError error;               // meaningful when action is empty
  int clientColumn = 0;                // where CLIENT (or connect's N) was written
};
// Validates `set KNOB=VALUE` against a copy of `knobs`. For `connect N`, action.count is N and
// action.client is left 0 (the loader numbers the new clients).
ActionParse parseLessonAction(std::string_view source, const Knobs& knobs);

struct UntilParse {
  std::optional<RunUntil> until;  // place is left for the caller to fill
  LessonTextError error;
};
UntilParse parseRunUntil(std::string_view source);

// "'read-chunk' must be 1..65536, got 0": setKnob's verdict, phrased for a lesson author.
// `quoted` quotes the value as the author wrote a string.
std::string knobValueError(KnobId id, std::string_view value, bool quoted);
// Sets a knob from lesson text; the error (if any) is knobValueError's.
std::optional<std::string> setLessonKnob(Knobs& knobs, KnobId id, std::string_view value,
                                         bool quoted);
// "listen-trigger, conn-trigger, ...": every knob name, for "unknown knob" errors.
std::string knobNameList();

}  // namespace eps
