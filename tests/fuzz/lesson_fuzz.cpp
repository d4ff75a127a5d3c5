// Fuzz target: the lesson loader (core/lessons/loader.cpp, lessons/syntax.cpp) and the check
// expressions it parses (core/checks/check_expr.cpp). A lesson either loads or is refused with a
// place inside the text; a lesson that loads has checks that parse and evaluate, and starting
// knobs a saved session can carry. The whole input is also given to the check parser alone,
// over both counter tables, so short inputs explore its grammar directly.
#include <algorithm>
#include <climits>
#include <sstream>
#include <string>

#include "core/base/knobs.hpp"
#include "core/checks/check_expr.hpp"
#include "core/formats/session_file.hpp"
#include "core/lessons/lesson.hpp"
#include "core/strace/counters.hpp"
#include "tests/fuzz/fuzz_target.hpp"

namespace {

using eps::fuzz::require;

// Values a counter can really take, extremes included (an errno counter may hold anything).
std::int64_t someValue(std::string_view name) {
  constexpr std::int64_t kValues[] = {0, 1, -1, 11, 4096, INT64_MIN, INT64_MAX};
  return kValues[name.size() % std::size(kValues)];
}

void checkParses(std::string_view source) {
  for (const eps::CheckParse& parsed : {eps::parseCheck(source), eps::parseSidedCheck(source),
                                        eps::parseCheck(source, eps::tourCounters(), "docs")}) {
    require(parsed.expr.has_value() != !parsed.error.empty(),
            "a check parse has both or neither of an expression and an error");
    if (parsed.expr) eps::evaluateCheck(*parsed.expr, someValue);
  }
}

// The knobs a lesson starts with are saved in its sessions: their text must read back.
void knobsSave(const eps::Knobs& knobs) {
  eps::SessionData session;
  session.knobs = eps::describeKnobs(knobs);
  session.source = "lesson fuzz.toml";
  std::stringstream file;
  try {
    eps::writeSession(file, session, "fuzz.eps");
    const eps::SessionData read = eps::readSession(file, "fuzz.eps");
    const auto back = eps::sessionKnobs(read);
    require(back && eps::describeKnobs(*back) == session.knobs, "a lesson's knobs read back");
  } catch (const eps::SessionFileError& error) {
    eps::fuzz::broken(std::string("a lesson's knobs cannot be saved: ") + error.what());
  }
}

void loadedLesson(const eps::Lesson& lesson) {
  for (const eps::LessonStep& step : lesson.steps) {
    for (const eps::LessonCheck& check : step.checks) {
      // A paired lesson's checks name a side of each counter (a.wakeups).
      const eps::CheckParse parsed =
          lesson.paired() ? eps::parseSidedCheck(check.source) : eps::parseCheck(check.source);
      require(parsed.expr.has_value(), "a loaded lesson holds a check that does not parse");
      eps::evaluateCheck(*parsed.expr, someValue);
    }
  }
  knobsSave(lesson.knobs);
  if (lesson.compare) {
    for (const eps::LessonSide& side : *lesson.compare) knobsSave(side.knobs);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(eps::fuzz::asText(data, size));
  const eps::LessonLoad load = eps::loadLessonText(text, "fuzz.toml");
  require(load.lesson.has_value() != load.error.has_value(),
          "a lesson load has both or neither of a lesson and an error");
  if (load.lesson) {
    loadedLesson(*load.lesson);
  } else {
    require(!load.error->message.empty(), "a refused lesson has no message");
    const auto lines = std::count(text.begin(), text.end(), '\n') + 1;
    require(load.error->place.line >= 0 && load.error->place.line <= lines &&
                load.error->place.column >= 0,
            "a refusal's place is outside the text");
    load.error->text();
  }
  checkParses(text);
  return 0;
}
