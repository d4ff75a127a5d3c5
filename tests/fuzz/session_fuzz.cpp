// Fuzz target: the session reader (core/formats/session_read.cpp), with the write-back round trip.
// Any input either is refused with a SessionFileError or reads; a session that reads must
// write back (writeSession refuses only what a read would refuse), read again to the same
// session, and write the same bytes a second time. Its exports must be written too, the
// Chrome Trace as valid JSON.
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/formats/export.hpp"
#include "core/formats/session_file.hpp"
#include "tests/fuzz/fuzz_target.hpp"
#include "tests/fuzz/session_compare.hpp"

namespace {

using eps::fuzz::require;

std::string written(const eps::SessionData& session) {
  std::ostringstream out;
  try {
    eps::writeSession(out, session, "fuzz.eps");
  } catch (const eps::SessionFileError& error) {
    eps::fuzz::broken(std::string("a session that read does not write back: ") + error.what());
  }
  return out.str();
}

eps::SessionData readBack(const std::string& text) {
  std::istringstream in(text);
  try {
    return eps::readSession(in, "written.eps");
  } catch (const eps::SessionFileError& error) {
    eps::fuzz::broken(std::string("a written session does not read back: ") + error.what());
  }
}

void exportsOf(const eps::SessionData& session) {
  const eps::TraceMeta meta = eps::sessionTraceMeta(session);
  std::ostringstream chrome;
  eps::writeChromeTrace(chrome, session.events, meta);
  require(nlohmann::json::accept(chrome.str()), "the Chrome Trace export is not valid JSON");
  std::ostringstream csv;
  eps::writeCallsCsv(csv, session.events, meta);
  eps::sessionKnobs(session);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in{std::string(eps::fuzz::asText(data, size))};
  eps::SessionData first;
  try {
    first = eps::readSession(in, "fuzz.eps");
  } catch (const eps::SessionFileError&) {
    return 0;  // refused with a message: what a damaged file must get
  }
  const std::string text = written(first);
  const eps::SessionData second = readBack(text);
  const std::string difference = eps::fuzz::sessionDifference(first, second);
  require(difference.empty(), "the session read back differs in " + difference);
  require(written(second) == text, "writing the read-back session gives other bytes");
  exportsOf(second);
  return 0;
}
