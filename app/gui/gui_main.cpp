#include "app/gui/gui_main.hpp"

#include <imgui.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include "app/gui/fonts.hpp"
#include "app/gui/gui_startup.hpp"
#include "app/gui/layout.hpp"
#include "app/gui/panels/panels.hpp"
#include "app/gui/scenario.hpp"
#include "app/gui/shortcuts.hpp"
#include "app/gui/text/ui_text.hpp"
#include "app/gui/timeline/context.hpp"
#include "app/gui/timeline/view.hpp"
#include "app/gui/view_state.hpp"
#include "core/base/terminal_text.hpp"

namespace eps::gui {
namespace {

constexpr double kIdleWaitSeconds = 0.05;  // wake at least this often: trace, signals

// E: the epoll picture where the event log and the kernel view (or import panel) were.
bool drawPictureInstead(Frame& frame, const PanelRects& r) {
  if (!frame.ui.showPicture) return false;
  const ImVec2 end{r.kernel.min.x + r.kernel.size.x, r.kernel.min.y + r.kernel.size.y};
  drawEpollPicture(frame, {r.log.min, {end.x - r.log.min.x, end.y - r.log.min.y}});
  return true;
}

// A file: its toolbar, the tour (or summary) where the lesson was, what the importer made of
// it. False when the toolbar went back to the live engine (the file is gone).
bool drawFileFrame(Frame& frame, const PanelRects& r) {
  drawViewerToolbar(frame, r.toolbar);
  FileMode* file = frame.workspace.file();
  if (file == nullptr) return false;
  const float sideH = r.clients.min.y + r.clients.size.y - r.lesson.min.y;
  drawTourPanel(frame, *file, {r.lesson.min, {r.lesson.size.x, sideH}});
  drawTimelinePanel(frame, r.timeline);
  if (!drawPictureInstead(frame, r)) {
    drawEventLog(frame, r.log);
    drawImportPanel(frame, *file, r.kernel);
  }
  return true;
}

// A paired lesson just opened puts its side by side view on show, once: Close keeps it closed.
void showPairedLesson(Frame& frame) {
  LessonMode* lesson = frame.workspace.lesson();
  const std::shared_ptr<CompareJob> job = lesson ? lesson->player().compareJob() : nullptr;
  CompareUi& c = frame.ui.compare;
  if (!job && c.pairedJob != nullptr && c.job.get() == c.pairedJob) {  // the lesson was closed
    c.showing = false;
    c.job.reset();
  }
  if (!job) c.pairedJob = nullptr;
  if (!job || c.pairedJob == job.get()) return;
  c.pairedJob = job.get();
  c.job = job;
  c.showing = true;
}

// The compare view shows the open paired lesson's two sides.
bool pairedLessonOnShow(Frame& frame) {
  LessonMode* lesson = frame.workspace.lesson();
  return lesson && frame.ui.compare.job && lesson->player().compareJob() == frame.ui.compare.job;
}

// Free play or a lesson. The lesson panel may open or close a lesson, so the panels after it
// ask for the mode's controls again.
void drawEngineFrame(Frame& frame, const PanelRects& r) {
  drawToolbar(frame, r.toolbar);
  drawLessonPanel(frame, r.lesson);
  Controls* controls = frame.workspace.controls();
  if (controls == nullptr) return;  // both modes it can switch between have an engine
  const bool example = tracesExample(frame);
  example ? drawExamplePanel(frame, r.knobs) : drawKnobsPanel(frame, *controls, r.knobs);
  drawClientsPanel(frame, *controls, r.clients);
  drawTimelinePanel(frame, r.timeline);
  if (drawPictureInstead(frame, r)) return;
  drawEventLog(frame, r.log);
  example ? drawExampleKernelPanel(frame, r.kernel) : drawKernelPanel(frame, *controls, r.kernel);
}

void drawFrame(Frame& frame) {
  UiState& ui = frame.ui;
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float em = ImGui::GetFontSize();
  const bool live = frame.workspace.file() == nullptr;
  const bool lessonOpen = frame.workspace.lesson() != nullptr;
  const PanelRects r = computeLayout(ui.layout, size, em, lessonOpen);
  ui.timeline.hideControl = lessonOpen && !ui.timeline.showControl;
  ui.report.panels.clear();
  ui.report.widgets.clear();
  showPairedLesson(frame);
  if (ui.compare.showing && pairedLessonOnShow(frame)) {
    // A paired lesson: its lesson panel beside the two sides it plays.
    drawToolbar(frame, r.toolbar);
    const float sideH = r.clients.min.y + r.clients.size.y - r.lesson.min.y;
    drawLessonPanel(frame, {r.lesson.min, {r.lesson.size.x, sideH}});
    ui.report.panels["toolbar"] = {r.toolbar.min.x, r.toolbar.min.y, r.toolbar.size.x,
                                   r.toolbar.size.y};
    ui.report.panels["lesson"] = {r.lesson.min.x, r.lesson.min.y, r.lesson.size.x, sideH};
    const ImVec2 end{r.kernel.min.x + r.kernel.size.x, r.kernel.min.y + r.kernel.size.y};
    drawCompareView(frame, {r.timeline.min, {end.x - r.timeline.min.x, end.y - r.timeline.min.y}});
    drawCompareSetup(frame);
    handleShortcuts(frame);
    return;
  }
  if (ui.compare.showing) {  // two runs side by side, in place of every panel
    drawCompareView(frame, {{0, 0}, size});
    drawCompareSetup(frame);
    return;
  }
  reportPanels(ui.report, r, live);
  forgetClearedCursor(ui.cursor, frame.workspace.timeline());
  if (live) {
    drawEngineFrame(frame, r);
  } else if (!drawFileFrame(frame, r)) {
    return;
  }
  drawSplitters(ui.layout, r, size, em, live);
  drawCompareSetup(frame);
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
  void again() { afterInput_ = std::max(afterInput_, 1); }

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

// SIGINT and SIGTERM are blocked in every thread (main); the window takes them here, between
// frames, and closes as its close button would.
bool terminationRequested() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  const timespec now{0, 0};
  return ::sigtimedwait(&set, nullptr, &now) > 0;
}

int report(const std::string& error) {
  if (error.empty()) return 0;
  std::cerr << "epollscope: " << terminalText(error) << "\n";  // may quote a file
  return 2;
}

// What the command line asked for when the window closes: a session, exports, a screenshot
// of the last frame.
int finish(Window& window, Workspace& workspace, const app::Options& options, bool scripted) {
  // A live trace ends first (the program, or the attachment), so the outputs hold its end.
  int code = report(workspace.stopLiveTrace());
  if (!options.saveSession.empty()) code |= report(workspace.saveSession(options.saveSession));
  if (!options.traceOut.empty()) code |= report(workspace.exportChromeTrace(options.traceOut));
  if (!options.csvOut.empty()) code |= report(workspace.exportCallsCsv(options.csvOut));
  const std::string& png = scripted ? options.screenshot : options.exitScreenshot;
  if (!png.empty()) code |= report(window.saveScreenshot(png));
  return code == 0 ? 0 : 2;
}

// A fresh trace (a lesson replay, a reset, a file opened, a program traced): the view starts
// over with it. A live trace is followed, as free play is: fitting its empty start would
// leave the view where its first events are not.
void noteFreshTrace(UiState& ui, const Workspace& workspace, std::uint64_t& seenClears) {
  const TimelineModel& model = workspace.timeline();
  if (model.clearCount() == seenClears) return;
  seenClears = model.clearCount();
  TimelineViewState& view = ui.timeline;
  const LiveSource* traced = workspace.liveTrace();
  view.fitRequested = traced == nullptr || !traced->running();
  view.followLive = view.followLive || !view.fitRequested;
  view.userTookView = false;
  view.frameFromNs = -1;
  view.hasRange = false;
  view.scrollY = 0;
  ui.selected.reset();
  ui.logCache = LogCache{};
  ui.search.dirty = true;
}

std::string startStory(const app::Options& options, Workspace& workspace, UiState& ui) {
  if (!options.scenario.empty()) {
    Controls* controls = workspace.controls();  // free play: the window starts in it
    if (controls == nullptr) return "--scenario: no engine to play it on";
    if (std::string error = runScenario(options.scenario, *controls); !error.empty()) return error;
    // Show the whole story, from the first client action (not the engine's start-up).
    workspace.pump();
    const TimelineModel& model = workspace.timeline();
    for (std::uint64_t id = model.firstRetainedId(); id < model.endId(); ++id) {
      if (model.event(id).kind == EventKind::ClientAction) {
        ui.timeline.fitFromNs = model.event(id).tNs - 200'000;
        break;
      }
    }
    ui.timeline.fitRequested = true;
  }
  if (options.syntheticEvents > 0) loadSynthetic(options, workspace, ui);
  ui.lessonsDir = defaultLessonsDir(options);
  if (!options.lesson.empty() && !std::filesystem::is_directory(options.lesson)) {
    ui.statusMessage = workspace.openLesson(options.lesson);
    if (ui.statusMessage.empty()) ui.lessonFile = options.lesson;
    ui.showPicture = ui.showPicture || workspace.lessonOpensPicture();
    playLessonSteps(workspace, options.lessonStep, ui);
  }
  ui.tracesDir = defaultTracesDir();
  if (options.compare()) compareFromCommandLine(options, ui);
  if (!options.openLog.empty()) return openFromCommandLine(options, workspace, ui);
  return "";
}

UiState initialUi(const app::Options& options, Workspace& workspace) {
  UiState ui = makeInitialUiState();
  ui.fontScale = options.fontScale;
  ui.highContrast = options.highContrast;
  ui.showPicture = options.epollPicture;
  ui.language = options.chinese ? Language::Chinese : Language::English;
  if (Controls* controls = workspace.controls(); controls && options.paceMs > 0) {
    ui.paceMs = options.paceMs;
    controls->engine().setPace(std::chrono::milliseconds(options.paceMs));
  }
  return ui;
}

// Takes what arrived since the last frame into the timeline; whether anything new came.
bool takeNewEvents(Workspace& workspace, UiState& ui, std::uint64_t& seenClears) {
  const bool wasLoading = workspace.loading();
  const std::uint64_t before = workspace.timeline().endId();
  const bool newEvents = workspace.pump();
  noteLoadFinished(workspace, ui, wasLoading);
  noteFreshTrace(ui, workspace, seenClears);
  noteNewActivity(ui.timeline, workspace.timeline(), before);
  return newEvents;
}

// The engine is in a call, a file is still loading, a program is traced, or a comparison
// plays: the picture keeps changing.
bool ongoing(Workspace& workspace, const UiState& ui) {
  if (ui.compare.job && ui.compare.job->result() == nullptr) return true;
  const Controls* controls = workspace.controls();
  if (controls != nullptr) return controls->engine().status().inCall;
  const LiveSource* traced = workspace.liveTrace();
  return workspace.loading() || (traced != nullptr && traced->running());
}

// The window's first mode: the program of `--trace -- PROGRAM` / `--attach PID` traced live,
// or free play's engine. Either starts before the window opens, so a bad target or a taken
// --port fails with its one-line error before any window appears. Null after that error.
std::unique_ptr<Workspace> startWorkspace(const app::Options& options,
                                          const EngineOptions& engineOptions) {
  if (options.liveTrace()) {
    try {
      auto source =
          std::make_unique<LiveSource>(LiveTraceTarget{options.program, options.attachPid});
      // Before the program runs: this line comes before anything it prints.
      std::cout << "tracing PID " << source->pid() << ": "
                << terminalText(source->commandLine(), 300) << std::endl;
      source->begin();
      return std::make_unique<Workspace>(liveFileMode(std::move(source)), engineOptions);
    } catch (const LiveTraceError& error) {
      report(error.what());
      return nullptr;
    }
  }
  std::string error;
  LiveMode live = LiveMode::start(engineOptions, error);
  if (!error.empty()) {
    report(error);
    return nullptr;
  }
  return std::make_unique<Workspace>(std::move(live), engineOptions);
}

}  // namespace

int runWindow(const app::Options& options) {
  EngineOptions engineOptions = options.engine;
  if (!options.scenario.empty()) {
    if (int code = report(prepareScenario(options.scenario, engineOptions))) return code;
  }
  const std::unique_ptr<Workspace> started = startWorkspace(options, engineOptions);
  if (!started) return 2;
  Workspace& workspace = *started;
  Window window;
  if (int code = report(window.open(1600, 900, "epollscope"))) return code;
  // "listening on" waits for the window, so a run that cannot open one never claims to be
  // serving.
  if (!options.liveTrace()) std::cout << "listening on 127.0.0.1:" << workspace.port() << std::endl;
  UiState ui = initialUi(options, workspace);
  const std::string layoutFile = layoutFilePath();
  loadLayout(ui.layout, layoutFile);
  if (int code = report(startStory(options, workspace, ui))) return code;
  // A scripted run (--frames) draws a story, not the pointer: wherever the display's pointer
  // happens to rest, no hover or tooltip gets into its screenshot.
  if (options.frames > 0) ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
  const float dpiScale = window.contentScale();
  Fonts fonts;
  const std::string chineseText = bundledChineseText(ui.lessonsDir, ui.tracesDir) + tableChineseText();
  int framesLeft = options.frames;
  std::uint64_t frameNumber = 0, seenClears = workspace.timeline().clearCount();
  RedrawPolicy redraw;
  FrameStats stats;
  bool closing = false;
  while (!closing) {
    closing = window.shouldClose() || ui.quitRequested || terminationRequested();
    const bool input = window.waitEvents(options.frames > 0 || closing ? 0 : kIdleWaitSeconds);
    const bool newEvents = takeNewEvents(workspace, ui, seenClears);
    // Framing new activity animates the view; a script reading --state-out is told about
    // every moment, not only those after input.
    const bool tick = ui.timeline.frameFromNs >= 0 || !options.stateOut.empty() ||
                      ui.cursor.animating;  // the picture's buckets still moving
    if (!closing && options.frames == 0 &&
        !redraw.shouldDraw(input, newEvents || tick, ongoing(workspace, ui))) {
      continue;
    }
    applyPresentation(ui, fonts, dpiScale, chineseText);
    window.beginFrame();
    Frame frame{workspace, ui, ui.highContrast ? highContrastTheme() : darkTheme(), window};
    const float toolbarBefore = ui.layout.toolbarHeight;
    drawFrame(frame);
    window.endFrame();
    if (ui.layout.toolbarHeight != toolbarBefore) redraw.again();  // the layout follows it
    stats.add(window.lastFrameCpuNs());
    if (!options.stateOut.empty()) {
      if (int code = report(writeViewState(options.stateOut, frame, ++frameNumber))) return code;
    }
    if (options.frames > 0 && --framesLeft == 0) {
      const TimelineModel& model = workspace.timeline();
      if (options.frameStats) stats.print(model.endId() - model.firstRetainedId());
      return finish(window, workspace, options, true);
    }
    if (!closing) window.present();
  }
  saveLayout(ui.layout, layoutFile);
  return finish(window, workspace, options, false);
}

}  // namespace eps::gui
