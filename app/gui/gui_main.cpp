#include "app/gui/gui_main.hpp"

#include <imgui.h>

#include <iostream>

#include "app/gui/fonts.hpp"
#include "app/gui/panels.hpp"
#include "app/gui/scenario.hpp"

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
  const float side = kSideWidth * s;
  const float kernel = kKernelWidth * s;
  const float middle = size.x - side - kernel;
  const float body = size.y - top;
  const float timelineHeight = body * 0.62f;
  drawToolbar(frame, {{0, 0}, {size.x, top}});
  drawKnobsPanel(frame, {{0, top}, {side, body * 0.55f}});
  drawClientsPanel(frame, {{0, top + body * 0.55f}, {side, body * 0.45f}});
  drawTimelinePanel(frame, {{side, top}, {middle + kernel, timelineHeight}});
  drawEventLog(frame, {{side, top + timelineHeight}, {middle, body - timelineHeight}});
  drawKernelPanel(frame, {{side + middle, top + timelineHeight}, {kernel, body - timelineHeight}});
  handleShortcuts(frame);
}

void applyPresentation(UiState& ui, Fonts& fonts, float dpiScale) {
  const std::string notice = fonts.ensure(ui.fontScale * dpiScale);
  if (!notice.empty()) ui.statusMessage = notice;
  applyTheme(ui.highContrast ? highContrastTheme() : darkTheme(), ui.highContrast,
             ui.fontScale * dpiScale);
}

}  // namespace

int runWindow(const app::Options& options) {
  Window window;
  if (const std::string error = window.open(1600, 900, "epollscope"); !error.empty()) {
    std::cerr << "epollscope: " << error << "\n";
    return 2;
  }
  EngineOptions engineOptions = options.engine;
  if (!options.scenario.empty()) {
    if (const std::string error = prepareScenario(options.scenario, engineOptions); !error.empty()) {
      std::cerr << "epollscope: " << error << "\n";
      return 2;
    }
  }
  Session session(engineOptions);
  if (const std::string error = session.start(); !error.empty()) {
    std::cerr << "epollscope: " << error << "\n";
    return 2;
  }
  std::cout << "listening on 127.0.0.1:" << session.port() << std::endl;
  UiState ui = makeInitialUiState();
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
  const float dpiScale = window.contentScale();
  Fonts fonts;
  int framesLeft = options.frames;
  while (!window.shouldClose() && !ui.quitRequested) {
    const bool changed = session.pump();
    // No redraw while nothing changes; a new trace event wakes the next frame within
    // kIdleWaitSeconds. With --frames, render back to back.
    window.waitEvents(options.frames > 0 || changed ? 0 : kIdleWaitSeconds);
    session.pump();
    const Theme& theme = ui.highContrast ? highContrastTheme() : darkTheme();
    applyPresentation(ui, fonts, dpiScale);
    window.beginFrame();
    Frame frame{session, ui, theme, window};
    drawFrame(frame);
    window.endFrame();
    if (options.frames > 0 && --framesLeft == 0) {
      if (!options.screenshot.empty()) {
        if (const std::string error = window.saveScreenshot(options.screenshot); !error.empty()) {
          std::cerr << "epollscope: " << error << "\n";
          return 2;
        }
      }
      break;
    }
    window.present();
  }
  return 0;
}

}  // namespace eps::gui
