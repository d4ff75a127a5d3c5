// Fuzz target: the strace importer (core/strace_import*.cpp) through its file reader, with
// small limits so that overlong lines and dropped events are in reach of small inputs. A log
// is either refused with a StraceImportError or imported; an import must be countable for
// tours and savable as a session that reads back the same (what `--open LOG --save-session`
// does).
#include <sstream>
#include <string>
#include <vector>

#include "core/formats/session_file.hpp"
#include "core/strace/counters.hpp"
#include "core/strace/import.hpp"
#include "tests/fuzz/fuzz_target.hpp"
#include "tests/fuzz/session_compare.hpp"
#include "tests/fuzz/temp_input.hpp"

namespace {

using eps::fuzz::require;

eps::StraceImportOptions smallLimits() {
  eps::StraceImportOptions options;
  options.maxEvents = 5000;
  options.maxLineBytes = 4096;
  return options;
}

eps::SessionData roundTrip(const eps::SessionData& session) {
  std::stringstream file;
  try {
    eps::writeSession(file, session, "fuzz.eps");
    return eps::readSession(file, "fuzz.eps");
  } catch (const eps::SessionFileError& error) {
    eps::fuzz::broken(std::string("an imported log cannot be saved: ") + error.what());
  }
}

// A lane label that is not valid UTF-8 (a -yy decoration of odd bytes) is saved with U+FFFD
// in place of the bad bytes (session_header.hpp): it may come back changed, then stays so.
void requireLabelsSaved(const std::vector<std::string>& imported,
                        const std::vector<std::string>& read) {
  require(imported.size() == read.size(), "lane labels lost in saving");
  for (std::size_t i = 0; i < imported.size(); ++i) {
    require(imported[i] == read[i] || read[i].find("\xEF\xBF\xBD") != std::string::npos,
            "a lane label changed in saving, not by U+FFFD");
  }
}

void savesAsSession(eps::StraceImport& log) {
  eps::SessionData session;
  session.events = std::move(log.events);
  session.writers = std::move(log.threads);
  session.laneLabels = std::move(log.labels);
  session.dropped = log.stats.droppedEvents;
  session.source = "strace log fuzz.strace";
  session.savedAt = "2026-01-01T00:00:00Z";  // else the writer fills them in: not a difference
  session.host = "fuzz";
  const eps::SessionData read = roundTrip(session);
  requireLabelsSaved(session.laneLabels, read.laneLabels);
  session.laneLabels = read.laneLabels;
  std::string difference = eps::fuzz::sessionDifference(session, read);
  require(difference.empty(), "the imported session read back differs in " + difference);
  difference = eps::fuzz::sessionDifference(read, roundTrip(read));
  require(difference.empty(), "the imported session saved twice differs in " + difference);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static eps::fuzz::TempInput file(".strace");
  const std::string& path = file.write(eps::fuzz::asText(data, size));
  eps::StraceImport log;
  try {
    log = eps::importStraceFile(path, smallLimits());
  } catch (const eps::StraceImportError& error) {
    require(std::string_view(error.what()).find(path) != std::string_view::npos,
            "an import refusal does not name its file");
    return 0;
  }
  require(log.events.size() <= smallLimits().maxEvents, "more events kept than the limit");
  eps::countImport(log);
  savesAsSession(log);
  return 0;
}
