// Fuzz target: the trace tour loader (core/strace/tour.cpp). It reads only from a path, so each
// input is written to a temporary file first. A tour either loads or is refused with
// "FILE:LINE:COLUMN: problem"; a tour that loads has ordered line ranges and checks that
// evaluate over import counters.
#include <map>
#include <string>

#include "core/strace/tour.hpp"
#include "tests/fuzz/fuzz_target.hpp"
#include "tests/fuzz/temp_input.hpp"

using eps::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static eps::fuzz::TempInput file(".tour.toml");
  const std::string& path = file.write(eps::fuzz::asText(data, size));
  const eps::TourLoad load = eps::loadTraceTour(path);
  require(load.tour.has_value() == load.error.empty(),
          "a tour load has both or neither of a tour and an error");
  if (!load.tour) {
    require(load.error.rfind(path + ":", 0) == 0, "a tour refusal does not start with its file");
    return 0;
  }
  require(!load.tour->title.en.empty(), "a tour that loads has a title");
  for (const eps::TourStep& step : load.tour->steps) {
    require(!step.text.en.empty(), "a tour step that loads has a text");
    require(1 <= step.firstLine && step.firstLine <= step.lastLine, "a tour step's lines");
  }
  const std::map<std::string, std::int64_t, std::less<>> counters{{"calls", 7}, {"lines", 100}};
  require(eps::checkTour(*load.tour, counters).size() == load.tour->steps.size(),
          "one outcome per tour step");
  return 0;
}
