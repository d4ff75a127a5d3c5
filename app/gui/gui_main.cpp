#include "app/gui/gui_main.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>
#include <vector>

#include "app/gui/fonts.hpp"
#include "app/gui/panels.hpp"
#include "app/gui/scenario.hpp"
#include "app/gui/synthetic.hpp"

namespace eps::gui {
namespace {

constexpr float kToolbarHeight = 64;
constexpr float kSideWidth = 330;
constexpr float kKernelWidth = 500;
constexpr double kIdleWaitSeconds = 0.05;  // wake at least this often to drain the trace

void drawFrame(Frame& frame) {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float s = frame.ui.fontScale;
  const float top = kToolbarHeight * s;
  // Side panels grow with the font, but never take the middle (timeline and log) away.
  const float side = std::min(kSideWidth * s, size.x * 0.26f);
  const float kernel = std::min(kKernelWidth * s, (size.x - side) * 0.42f);
  const float middle = size.x - side - kernel;
  const float body = size.y - top;
  const float timelineHeight = body * 0.62f;
  if (!frame.session.live()) {
    drawViewerToolbar(frame, {{0, 0}, {size.x, top}});
    if (frame.session.live()) return;  // "back to the live engine" was pressed
    drawTourPanel(frame, {{0, top}, {side, body}});
    drawTimelinePanel(frame, {{side, top}, {middle + kernel, timelineHeight}});
    drawEventLog(frame, {{side, top + timelineHeight}, {middle, body - timelineHeight}});
    drawImportPanel(frame,
                    {{side + middle, top + timelineHeight}, {kernel, body - timelineHeight}});
    return;
  }
  drawToolbar(frame, {{0, 0}, {size.x, top}});
  // A lesson open: its text gets the room; in free play, the knobs do.
  const float lessonShare = frame.session.lesson() ? 0.52f : 0.16f;
  const float knobsShare = 0.70f - lessonShare;
  drawLessonPanel(frame, {{0, top}, {side, body * lessonShare}});
  drawKnobsPanel(frame, {{0, top + body * lessonShare}, {side, body * knobsShare}});
  drawClientsPanel(frame, {{0, top + body * 0.70f}, {side, body * 0.30f}});
  drawTimelinePanel(frame, {{side, top}, {middle + kernel, timelineHeight}});
  drawEventLog(frame, {{side, top + timelineHeight}, {middle, body - timelineHeight}});
  drawKernelPanel(frame, {{side + middle, top + timelineHeight}, {kernel, body - timelineHeight}});
  handleShortcuts(frame);
}

// No redraw while nothing changes: draw on input (and a few frames after it, for Dear
// ImGui's hover and animation state), on new trace events (so they show within one frame),
// and a few times a second for the clocks that tick while the engine sleeps.
class RedrawPolicy {
 public:
  // `ongoing`: something changes without an event (the engine inside a call: its clock).
  bool shouldDraw(bool input, bool newEvents, bool ongoing) {
    const std::int64_t now = monotonicNs();
    if (input) afterInput_ = 3;
    const bool tick = ongoing && now - lastDrawNs_ >= kTickNs;
    if (!input && !newEvents && afterInput_ == 0 && !tick) return false;
    if (afterInput_ > 0 && !input) --afterInput_;
    lastDrawNs_ = now;
    return true;
  }

 private:
  static constexpr std::int64_t kTickNs = 250'000'000;
  int afterInput_ = 3;
  std::int64_t lastDrawNs_ = 0;
};

// CPU time per frame, NewFrame to Render; the first frames (font atlas, first layout) apart.
class FrameStats {
 public:
  void add(std::int64_t ns) {
    if (++frames_ > kWarmup) samples_.push_back(ns);
  }
  void print(std::uint64_t events) {
    if (samples_.empty()) return;
    std::sort(samples_.begin(), samples_.end());
    double sum = 0;
    for (const std::int64_t s : samples_) sum += static_cast<double>(s);
    std::fprintf(stderr,
                 "frame cpu (NewFrame..Render), %llu events, %zu frames: mean %.2f ms, "
                 "p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
                 static_cast<unsigned long long>(events), samples_.size(),
                 sum / static_cast<double>(samples_.size()) / 1e6, at(0.5), at(0.95), at(1.0));
  }

 private:
  double at(double q) const {
    const auto i = static_cast<std::size_t>(q * static_cast<double>(samples_.size() - 1));
    return static_cast<double>(samples_[i]) / 1e6;
  }
  static constexpr int kWarmup = 3;
  int frames_ = 0;
  std::vector<std::int64_t> samples_;
};

void loadSynthetic(const app::Options& options, Session& session, UiState& ui) {
  const std::vector<TraceEvent> events = syntheticTrace(
      static_cast<std::size_t>(options.syntheticEvents), monotonicNs() - 3'000'000'000);
  session.timeline().append(events);
  if (options.zoomMicros > 0) {
    ui.timeline.zoomSpanNs = options.zoomMicros * 1000;
    ui.timeline.zoomCenterNs = events[events.size() / 2].tNs;
  } else {
    ui.timeline.fitRequested = true;
  }
}

int finishScripted(Window& window, Session& session, const app::Options& options) {
  if (!options.saveSession.empty()) {
    if (const std::string error = session.saveSession(options.saveSession); !error.empty()) {
      std::cerr << "epollscope: " << error << "\n";
      return 2;
    }
  }
  if (options.screenshot.empty()) return 0;
  if (const std::string error = window.saveScreenshot(options.screenshot); !error.empty()) {
    std::cerr << "epollscope: " << error << "\n";
    return 2;
  }
  return 0;
}

// Every Chinese string the lessons hold, so the font atlas has exactly their glyphs.
std::string lessonChineseText(const std::string& dir) {
  std::string text;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path());
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return text;
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
std::string openFromCommandLine(const app::Options& options, Session& session, UiState& ui) {
  ui.statusMessage = session.openFile(options.openLog);
  if (options.frames == 0) return "";
  while (session.loading()) {
    session.pump();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const ViewedTrace* viewed = session.viewed();
  if (viewed == nullptr) return session.takeLoadError();
  std::cout << "opened " << (viewed->session ? "session " : "") << viewed->path << ": "
            << viewed->counts << std::endl;
  ui.statusMessage = "opened " + viewed->path;
  ui.timeline.followLive = false;
  ui.timeline.fitRequested = true;
  if (viewed->tour && options.lessonStep > 0) {
    ui.tourStep = options.lessonStep - 1;
    showTourStep(ui, *viewed, static_cast<std::size_t>(ui.tourStep));
  }
  return "";
}

// After a file is shown (or failed to open): say so, and fit it in view.
void noteLoadFinished(Session& session, UiState& ui, bool wasLoading) {
  if (!wasLoading || session.loading()) return;
  if (const ViewedTrace* viewed = session.viewed()) {
    ui.statusMessage = "opened " + viewed->path;
    ui.timeline.followLive = false;
    ui.timeline.fitRequested = true;
    ui.selected.reset();
    ui.logCache = LogCache{};
    ui.lessonFile.clear();  // opening a file closed the lesson
  }
}

// For screenshots: play the first `steps` steps (predictions answered as the lesson says).
void playLessonSteps(Session& session, int steps, UiState& ui) {
  LessonPlayer* player = session.lesson();
  for (int i = 0; player != nullptr && i < steps; ++i) {
    const std::size_t step = player->current();
    if (step >= player->lesson().steps.size()) break;
    if (const auto& predict = player->lesson().steps[step].predict) {
      player->prediction(step) = {predict->answer, true};
    }
    player->playCurrent();
    while (player->busy()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Show the whole lesson so far, from the first client action.
  session.pump();
  ui.timeline.fitRequested = steps > 0;
}

void applyPresentation(UiState& ui, Fonts& fonts, float dpiScale, const std::string& chinese) {
  const std::string notice = fonts.ensure(ui.fontScale * dpiScale, chinese);
  if (!notice.empty()) ui.statusMessage = notice;
  ui.chineseAvailable = fonts.chineseLoaded();
  if (!ui.chineseAvailable) ui.language = Language::English;
  applyTheme(ui.highContrast ? highContrastTheme() : darkTheme(), ui.highContrast,
             ui.fontScale * dpiScale);
}

}  // namespace

int runWindow(const app::Options& options) {
  EngineOptions engineOptions = options.engine;
  if (!options.scenario.empty()) {
    if (const std::string error = prepareScenario(options.scenario, engineOptions);
        !error.empty()) {
      std::cerr << "epollscope: " << error << "\n";
      return 2;
    }
  }
  Session session(engineOptions);
  if (const std::string error = session.start(); !error.empty()) {
    std::cerr << "epollscope: " << error << "\n";
    return 2;
  }
  // The engine starts before the window opens, so a taken --port fails with its one-line
  // error before any window appears; "listening on" waits for the window, so a run that
  // cannot open one never claims to be serving.
  Window window;
  if (const std::string error = window.open(1600, 900, "epollscope"); !error.empty()) {
    std::cerr << "epollscope: " << error << "\n";
    return 2;
  }
  std::cout << "listening on 127.0.0.1:" << session.port() << std::endl;
  UiState ui = makeInitialUiState();
  ui.fontScale = options.fontScale;
  ui.highContrast = options.highContrast;
  ui.language = options.chinese ? Language::Chinese : Language::English;
  if (options.paceMs > 0) {
    ui.paceMs = options.paceMs;
    session.engine().setPace(std::chrono::milliseconds(options.paceMs));
  }
  if (!options.scenario.empty()) {
    if (const std::string error = runScenario(options.scenario, session); !error.empty()) {
      std::cerr << "epollscope: " << error << "\n";
      return 2;
    }
    // Show the whole story, from the first client action (not the engine's start-up).
    session.pump();
    const TimelineModel& model = session.timeline();
    for (std::uint64_t id = model.firstRetainedId(); id < model.endId(); ++id) {
      if (model.event(id).kind == EventKind::ClientAction) {
        ui.timeline.fitFromNs = model.event(id).tNs - 200'000;
        break;
      }
    }
    ui.timeline.fitRequested = true;
  }
  if (options.syntheticEvents > 0) loadSynthetic(options, session, ui);
  const float dpiScale = window.contentScale();
  Fonts fonts;
  ui.lessonsDir = defaultLessonsDir(options);
  const std::string chineseText = lessonChineseText(ui.lessonsDir);
  if (!options.lesson.empty() && !std::filesystem::is_directory(options.lesson)) {
    ui.statusMessage = session.openLesson(options.lesson);
    if (ui.statusMessage.empty()) ui.lessonFile = options.lesson;
    playLessonSteps(session, options.lessonStep, ui);
  }
  ui.tracesDir = defaultTracesDir();
  if (!options.openLog.empty()) {
    if (const std::string error = openFromCommandLine(options, session, ui); !error.empty()) {
      std::cerr << "epollscope: " << error << "\n";
      return 2;
    }
  }
  int framesLeft = options.frames;
  RedrawPolicy redraw;
  FrameStats stats;
  while (!window.shouldClose() && !ui.quitRequested) {
    const bool input = window.waitEvents(options.frames > 0 ? 0 : kIdleWaitSeconds);
    const bool wasLoading = session.loading();
    const bool newEvents = session.pump();
    noteLoadFinished(session, ui, wasLoading);
    const bool ongoing = session.live() ? session.engine().status().inCall : session.loading();
    if (options.frames == 0 && !redraw.shouldDraw(input, newEvents, ongoing)) continue;
    const Theme& theme = ui.highContrast ? highContrastTheme() : darkTheme();
    applyPresentation(ui, fonts, dpiScale, chineseText);
    window.beginFrame();
    Frame frame{session, ui, theme, window};
    drawFrame(frame);
    window.endFrame();
    stats.add(window.lastFrameCpuNs());
    if (options.frames > 0 && --framesLeft == 0) {
      if (options.frameStats)
        stats.print(session.timeline().endId() - session.timeline().firstRetainedId());
      return finishScripted(window, session, options);
    }
    window.present();
  }
  return 0;
}

}  // namespace eps::gui
