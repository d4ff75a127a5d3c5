// Setting the window's story up from the command line: a synthetic trace, a lesson played to
// step N, a file opened and shown before the first frame, the presenter's fonts and theme.
#include "app/gui/gui_startup.hpp"

#include <imgui.h>

#include <filesystem>
#include <iostream>
#include <string_view>
#include <thread>

#include "app/gui/synthetic.hpp"
#include "app/gui/text/ui_text.hpp"
#include "core/base/capped_file.hpp"
#include "core/base/input_limits.hpp"
#include "core/base/terminal_text.hpp"

namespace eps::gui {

void loadSynthetic(const app::Options& options, Workspace& workspace, UiState& ui) {
  const std::int64_t middleNs =
      appendSyntheticTrace(workspace.timeline(), static_cast<std::size_t>(options.syntheticEvents),
                           monotonicNs() - 3'000'000'000);
  if (options.zoomMicros > 0) {
    ui.timeline.zoomSpanNs = options.zoomMicros * 1000;
    ui.timeline.zoomCenterNs = middleNs;
  } else {
    ui.timeline.fitRequested = true;
  }
}

namespace {

// The text of every file in `dir` whose name ends in `ending`. A file its loader would refuse
// (too large, a FIFO) adds nothing, and costs no more.
std::string filesText(const std::string& dir, std::string_view ending, std::size_t maxBytes,
                      const char* what) {
  std::string text;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (!entry.path().filename().string().ends_with(ending)) continue;
    const CappedRead read = readCappedFile(entry.path().string(), maxBytes, what);
    if (read.text) text += *read.text;
  }
  return text;
}

}  // namespace

std::string bundledChineseText(const std::string& lessonsDir, const std::string& tracesDir) {
  return filesText(lessonsDir, ".toml", kLessonFileMaxBytes, "lesson") +
         filesText(tracesDir, ".tour.toml", kTourFileMaxBytes, "tour");
}

std::string defaultLessonsDir(const app::Options& options) {
  if (!options.lesson.empty()) {
    const std::filesystem::path path(options.lesson);
    return std::filesystem::is_directory(path) ? path.string() : path.parent_path().string();
  }
  if (std::filesystem::is_directory("lessons")) return "lessons";
  return EPOLLSCOPE_LESSONS_DIR;
}

std::string defaultTracesDir() {
  if (std::filesystem::is_directory("assets/traces")) return "assets/traces";
  return EPOLLSCOPE_TRACES_DIR;
}

// A file opened from the command line: for a screenshot, wait until it is shown.
// With --frames (a scripted run) the file is shown before the first frame and a file that
// cannot be opened is an error (""); otherwise it loads while the window runs. With
// --lesson-step N, a tour opens at its step N (for screenshots).
std::string openFromCommandLine(const app::Options& options, Workspace& workspace, UiState& ui) {
  ui.statusMessage = workspace.openFile(options.openLog);
  if (options.frames == 0) return "";
  while (workspace.loading()) {
    workspace.pump();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  FileMode* file = workspace.file();
  if (file == nullptr) return workspace.takeLoadError();
  const ViewedTrace& viewed = file->viewed;
  std::cout << "opened " << (viewed.session ? "session " : "") << terminalText(viewed.path)
            << ": " << viewed.counts << std::endl;
  ui.statusMessage = "opened " + viewed.path;
  ui.timeline.followLive = false;
  ui.timeline.fitRequested = true;
  if (viewed.tour && options.lessonStep > 0) {
    file->tourStep = options.lessonStep - 1;
    showTourStep(ui, viewed, static_cast<std::size_t>(file->tourStep));
  }
  return "";
}

void compareFromCommandLine(const app::Options& options, UiState& ui) {
  CompareUi& c = ui.compare;
  c.sessions = !options.compareSessions.empty();
  c.lesson = options.compareLesson;
  c.knobsA = options.knobsA;
  c.knobsB = options.knobsB;
  if (c.sessions) {
    c.sessionA = options.compareSessions[0];
    c.sessionB = options.compareSessions[1];
  }
  c.job = std::make_shared<CompareJob>(compareRequest(c), options.frames > 0);
  c.showing = true;
}

// After a file is shown (or failed to open): say so, and fit it in view.
void noteLoadFinished(Workspace& workspace, UiState& ui, bool wasLoading) {
  if (!wasLoading || workspace.loading()) return;
  if (const FileMode* file = workspace.file()) {
    const ViewedTrace& viewed = file->viewed;
    ui.statusMessage = "opened " + viewed.path;
    ui.timeline.followLive = false;
    ui.timeline.fitRequested = true;
    ui.selected.reset();
    ui.logCache = LogCache{};
    ui.lessonFile.clear();  // opening a file closed the lesson
  }
}

// For screenshots: play the first `steps` steps (predictions answered as the lesson says).
void playLessonSteps(Workspace& workspace, int steps, UiState& ui) {
  LessonPlayer* player = workspace.lesson() ? &workspace.lesson()->player() : nullptr;
  for (int i = 0; player != nullptr && i < steps; ++i) {
    const std::size_t step = player->current();
    if (step >= player->lesson().steps.size()) break;
    if (const auto& predict = player->lesson().steps[step].predict) {
      player->prediction(step) = {predict->answer, true};
    }
    player->playCurrent();
    while (player->busy()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Show the last step played, from its start: what a learner who just ran it would see.
  workspace.pump();
  const TimelineModel& model = workspace.timeline();
  for (std::uint64_t id = model.endId(); id > model.firstRetainedId(); --id) {
    if (model.event(id - 1).kind == EventKind::Step) {
      ui.timeline.fitFromNs = model.event(id - 1).tNs;
      break;
    }
  }
  ui.timeline.fitRequested = steps > 0;
}

void applyPresentation(UiState& ui, Fonts& fonts, float dpiScale, const std::string& chinese) {
  const std::string notice = fonts.ensure(ui.fontScale * dpiScale, chinese);
  if (!notice.empty()) ui.statusMessage = notice;
  ui.chineseAvailable = fonts.chineseLoaded();
  if (!ui.chineseAvailable) ui.language = Language::English;
  speakChinese(ui.language == Language::Chinese);  // tr() for this frame's words
  applyTheme(ui.highContrast ? highContrastTheme() : darkTheme(), ui.highContrast,
             ui.fontScale * dpiScale);
}

}  // namespace eps::gui
