#include "core/compare/compare_inputs.hpp"

#include "core/formats/session_file.hpp"

namespace eps {
namespace {

std::optional<RecordedRun> readRecorded(const std::string& path, std::string& error) {
  try {
    SessionData session = readSession(path);
    return RecordedRun{path, session.knobs, std::move(session.events), std::move(session.clients)};
  } catch (const SessionFileError& failed) {
    error = failed.what();
    return std::nullopt;
  }
}

}  // namespace

CompareInputs readLessonCompare(const std::string& path, const std::array<std::string, 2>& changes,
                                const std::array<std::string, 2>& sideNames) {
  CompareInputs in;
  LessonLoad loaded = loadLessonFile(path);
  if (loaded.error) {
    in.error = loaded.error->text();
    return in;
  }
  in.lesson = std::move(loaded.lesson);
  in.knobsA = in.knobsB = in.lesson->knobs;
  if (std::string error = applyKnobChanges(in.knobsA, changes[0]); !error.empty()) {
    in.error = sideNames[0] + ": " + error;
  } else if (error = applyKnobChanges(in.knobsB, changes[1]); !error.empty()) {
    in.error = sideNames[1] + ": " + error;
  }
  return in;
}

CompareInputs readSessionCompare(const std::string& pathA, const std::string& pathB) {
  CompareInputs in;
  in.sessionA = readRecorded(pathA, in.error);
  if (in.sessionA) in.sessionB = readRecorded(pathB, in.error);
  return in;
}

}  // namespace eps
