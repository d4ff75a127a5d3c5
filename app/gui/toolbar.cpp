// The toolbar: run / pause / step call / step wakeup / reset, what the engine is doing right
// now, the pace, presenter settings, and the `nc` command to copy.
#include <algorithm>
#include <string>

#include "app/gui/panels.hpp"
#include "core/names.hpp"
#include "core/peer_names.hpp"

namespace eps::gui {
namespace {

std::string engineDoing(const EngineStatus& status) {
  if (status.mode == EngineMode::Stopped) return "stopped";
  const std::string call = std::string(callName(status.pendingCall)) + "(" +
                           std::to_string(status.pendingFd) +
                           (status.pendingCall == Call::Read || status.pendingCall == Call::Write
                                ? ", " + std::to_string(status.pendingBytes)
                                : "") +
                           ")";
  if (status.mode == EngineMode::Paused && status.pendingCall != Call::None) {
    return "paused before " + call;
  }
  if (status.inCall && status.pendingCall == Call::EpollWait) {
    const double seconds = static_cast<double>(monotonicNs() - status.callSinceNs) / 1e9;
    char text[96];
    std::snprintf(text, sizeof text, "asleep in epoll_wait for %.1f s", seconds);
    return text;
  }
  if (status.inCall) return "in " + call;
  return std::string(engineModeName(status.mode));
}

void controlButtons(Frame& frame) {
  Engine& engine = frame.session.engine();
  const bool paused = engine.status().mode == EngineMode::Paused;
  if (ImGui::Button(paused ? "Run (P)" : "Pause (P)")) paused ? engine.run() : engine.pause();
  ImGui::SameLine();
  if (ImGui::Button("Step call (S)")) engine.stepCall();
  ImGui::SameLine();
  if (ImGui::Button("Step wakeup (Space)")) engine.stepWakeup();
  ImGui::SameLine();
  if (ImGui::Button("Reset (R)")) frame.session.reset();
}

void presenterControls(Frame& frame) {
  UiState& ui = frame.ui;
  ImGui::SetNextItemWidth(120);
  if (ImGui::SliderInt("pace ms", &ui.paceMs, 0, 2000)) {
    frame.session.engine().setPace(std::chrono::milliseconds(ui.paceMs));
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::SliderFloat("font", &ui.fontScale, 0.8f, 2.5f, "%.1fx");
  ImGui::SameLine();
  ImGui::Checkbox("high contrast", &ui.highContrast);
  ImGui::SameLine();
  if (ImGui::Checkbox("full screen", &ui.fullscreen)) frame.window.setFullscreen(ui.fullscreen);
  ImGui::SameLine();
  ImGui::Checkbox("legend", &ui.showLegend);
  ImGui::SameLine();
  bool chinese = ui.language == Language::Chinese;
  ImGui::BeginDisabled(!ui.chineseAvailable);
  if (ImGui::Checkbox("\u4e2d\u6587", &chinese)) {
    ui.language = chinese ? Language::Chinese : Language::English;
  }
  ImGui::EndDisabled();
}

}  // namespace

void drawToolbar(Frame& frame, const Rect& rect) {
  if (!beginPanel("##toolbar", rect)) return ImGui::End();
  controlButtons(frame);
  ImGui::SameLine();
  drawFileControls(frame);
  ImGui::SameLine();
  const EngineStatus status = frame.session.engine().status();
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.ready), "  %s",
                     engineDoing(status).c_str());
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20, rect.size.x - 420));
  const int port = frame.session.port();
  ImGui::TextUnformatted(connectBanner(port).c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton("copy")) ImGui::SetClipboardText(connectCommand(port).c_str());
  presenterControls(frame);
  ImGui::SameLine();
  ImGui::TextDisabled("  %llu calls  %s", static_cast<unsigned long long>(status.callsMade),
                      frame.ui.statusMessage.c_str());
  // Memory is bounded: the oldest events leave the timeline, and a producer that outruns the
  // collector loses events at its ring. Both are said, never hidden.
  const std::uint64_t capped = frame.session.timeline().droppedByCap();
  const std::uint64_t lost = frame.session.droppedByRings();
  if (capped + lost > 0) {
    ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.eagain),
                       "  dropped: %llu oldest (retention cap), %llu (trace rings full)",
                       static_cast<unsigned long long>(capped),
                       static_cast<unsigned long long>(lost));
  }
  const PayloadStore* payloads = frame.session.payloads();
  if (payloads != nullptr && payloads->droppedOldest() > 0) {
    ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.eagain),
                       "  read bytes: %llu oldest dropped (%zu MB kept)",
                       static_cast<unsigned long long>(payloads->droppedOldest()),
                       payloads->capacity() >> 20);
  }
  ImGui::End();
}

bool beginPanel(const char* title, const Rect& rect) {
  ImGui::SetNextWindowPos(rect.min);
  ImGui::SetNextWindowSize(rect.size);
  return ImGui::Begin(title, nullptr,
                      ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                          ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                          (title[0] == '#' ? ImGuiWindowFlags_NoTitleBar : 0));
}

}  // namespace eps::gui
