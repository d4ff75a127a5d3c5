#include "app/cli/lesson_command.hpp"

#include <unistd.h>
#include <algorithm>

#include <filesystem>
#include <iostream>

#include "app/cli/outputs.hpp"
#include "core/base/terminal_text.hpp"
#include "core/compare/paired_run.hpp"
#include "core/runner/lesson_runner.hpp"

namespace eps::app {
namespace {

std::vector<std::string> lessonFiles(const std::string& path) {
  std::vector<std::string> files;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  return files;
}

struct Tally {
  int passed = 0;
  int failed = 0;
};

void printStep(const Lesson& lesson, const StepResult& result, Tally& tally) {
  const LessonStep& step = lesson.steps[result.index];
  std::cout << "  step " << result.index + 1 << "/" << lesson.steps.size() << ": "
            << terminalText(step.title.en) << "\n";
  if (!result.failure.empty()) {
    std::cout << "    FAIL " << terminalText(result.failure) << "\n";
    ++tally.failed;
  }
  for (const CheckResult& check : result.checks) {
    std::cout << (check.passed ? "    ok   " : "    FAIL ") << terminalText(check.source) << "   ("
              << terminalText(check.observed) << ")";
    if (!check.passed) {
      std::cout << "  " << terminalText(lesson.path) << ":" << check.place.line << ":"
                << check.place.column;
    }
    std::cout << "\n";
    (check.passed ? tally.passed : tally.failed)++;
  }
}

// After a step that failed: where the engine and each client stood when its checks ran, so a
// failure says what the run did, not only which number was off. `side`: "" or "a: ".
void printStepState(const std::shared_ptr<Engine>& engine,
                    const std::shared_ptr<ClientDriver>& clients, const std::string& side = "") {
  if (engine) {
    const EngineStatus status = engine->status();
    std::cout << "    " << side << "engine: " << engineModeName(status.mode) << ", "
              << status.callsMade << " calls, " << status.idleWakeups << " idle wakeups in a row\n";
  }
  if (!clients) return;
  for (const ClientStats& c : clients->allStats()) {
    std::cout << "    " << side << "client " << c.id << ": sent " << c.sent << ", echoed "
              << c.echoed << ", corrupted " << c.mismatched << ", "
              << (c.reading ? "reading" : "not reading") << (c.eof ? ", eof" : "")
              << (c.brokenBy != 0 ? ", broken" : "") << "\n";
  }
}

// --trace-out / --csv-out / --save-session with one lesson: the whole story the lesson
// played, as headless runs export it. Written after the engine stopped, when nothing more
// can be recorded. (Lesson 11's descriptor limit holds in the engine's own descriptor table
// only: writing the files never depended on it.)
struct Played {
  std::vector<TraceEvent> events;
  std::vector<Recorder::WriterInfo> writers;
  std::vector<ClientStats> clients;  // the lesson's clients when its last step ended
  std::size_t stepsPlayed = 0;
  int port = 0;
  std::shared_ptr<const PayloadStore> payloads;  // the bytes the engine read
};

bool exportTrace(const Options& options, const Lesson& lesson, Played& played) {
  SessionData session;
  session.events = std::move(played.events);
  session.writers = std::move(played.writers);
  session.clients = std::move(played.clients);
  session.pid = static_cast<int>(::getpid());
  session.port = played.port;
  session.knobs = describeKnobs(lesson.knobs);
  session.source = "lesson " + lesson.path;
  if (played.payloads) session.payloads = played.payloads->entries();
  session.lesson = {lesson.path, lesson.title.en, static_cast<int>(played.stepsPlayed),
                    static_cast<int>(lesson.steps.size())};
  return writeSessionOutputs(options, session, played.payloads.get());
}

Played play(const Lesson& lesson, Tally& tally) {
  Played played;
  LessonRunner runner(lesson);
  if (const std::string error = runner.start(); !error.empty()) {
    std::cout << "  FAIL the engine could not start: " << terminalText(error) << "\n";
    ++tally.failed;
    return played;
  }
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const StepResult result = runner.playStep(i);
    const int failedBefore = tally.failed;
    printStep(lesson, result, tally);
    if (tally.failed > failedBefore) printStepState(runner.engineRef(), runner.clientsRef());
    if (!result.failure.empty()) break;  // later steps build on this one
  }
  runner.takeNewEvents(played.events);
  played.writers = runner.writers();
  played.payloads = runner.payloadsRef();
  played.stepsPlayed = runner.nextStep();
  if (const auto clients = runner.clientsRef()) played.clients = clients->allStats();
  if (const auto engine = runner.engineRef()) played.port = engine->port();
  return played;
}

// A paired lesson ([compare]): each step played on both engines, its checks over both sides.
void playPaired(const Lesson& lesson, Tally& tally) {
  PairedRun run(lesson);
  if (const std::string error = run.start(); !error.empty()) {
    std::cout << "  FAIL the engines could not start: " << terminalText(error) << "\n";
    ++tally.failed;
    return;
  }
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const StepResult result = run.playNext();
    const int failedBefore = tally.failed;
    printStep(lesson, result, tally);
    if (tally.failed > failedBefore) {
      for (std::size_t side = 0; side < 2; ++side) {
        printStepState(run.engineRef(side), run.clientsRef(side), side == 0 ? "a: " : "b: ");
      }
    }
    if (!result.failure.empty()) break;  // later steps build on this one
  }
}

// False when an output could not be written (reported on stderr).
bool runOne(const Options& options, const Lesson& lesson, Tally& tally) {
  std::cout << "lesson " << terminalText(lesson.id) << ": " << terminalText(lesson.title.en)
            << std::endl;  // progress
  if (lesson.paired()) {
    playPaired(lesson, tally);
    return true;  // its two traces are exported by --compare-lesson, refused before it ran
  }
  Played played = play(lesson, tally);
  if (options.traceOut.empty() && options.csvOut.empty() && options.saveSession.empty()) {
    return true;
  }
  return exportTrace(options, lesson, played);
}

}  // namespace

int runLessonsHeadless(const Options& options) {
  std::vector<Lesson> lessons;
  bool bad = false;
  for (const std::string& file : lessonFiles(options.lesson)) {
    LessonLoad loaded = loadLessonFile(file);
    if (loaded.error) {
      std::cerr << "epollscope: " << terminalText(loaded.error->text()) << "\n";
      bad = true;
    } else {
      lessons.push_back(std::move(*loaded.lesson));
    }
  }
  if (bad) return 2;
  if (lessons.empty()) {
    std::cerr << "epollscope: --lesson: no lesson files in " << options.lesson << "\n";
    return 2;
  }
  Tally tally;
  if (lessons.size() > 1 &&
      (!options.traceOut.empty() || !options.csvOut.empty() || !options.saveSession.empty())) {
    std::cerr << "epollscope: --trace-out/--csv-out/--save-session take one lesson file, not a "
                 "folder\n";
    return 2;
  }
  const bool exports =
      !options.traceOut.empty() || !options.csvOut.empty() || !options.saveSession.empty();
  if (exports && lessons.front().paired()) {
    std::cerr << "epollscope: " << terminalText(lessons.front().path)
              << ": a paired lesson ([compare]) plays two engines: --trace-out/--csv-out/"
                 "--save-session take one trace (see --compare-lesson)\n";
    return 2;
  }
  bool written = true;
  for (const Lesson& lesson : lessons) written = runOne(options, lesson, tally) && written;
  std::cout << "checks: " << tally.passed << " passed, " << tally.failed << " failed\n";
  if (!written) return 2;  // a failed output is never reported as success (DESIGN: exit 2)
  return tally.failed == 0 || !options.check ? 0 : 1;
}

}  // namespace eps::app
