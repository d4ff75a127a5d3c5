// What a comparison needs before it plays, read and checked once for the command line and the
// window alike: a lesson and both sides' knobs (its own with each side's changes applied), or
// two saved sessions. An error names the file (and line) or the side's knob word.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "core/base/knobs.hpp"
#include "core/compare/paired_run.hpp"
#include "core/lessons/lesson.hpp"

namespace eps {

// Ownership: plain values.
struct CompareInputs {
  std::optional<Lesson> lesson;
  Knobs knobsA, knobsB;
  std::optional<RecordedRun> sessionA, sessionB;
  std::string error;  // "" or what was wrong, one line
};

// `sideNames` prefix a knob error: the CLI's flags ("--knobs-a"), the window's field names.
CompareInputs readLessonCompare(const std::string& path, const std::array<std::string, 2>& changes,
                                const std::array<std::string, 2>& sideNames);
CompareInputs readSessionCompare(const std::string& pathA, const std::string& pathB);

}  // namespace eps
