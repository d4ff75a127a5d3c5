// The toolbar: run / pause / step call / step wakeup / reset, what the engine is doing right
// now, the pace, presenter settings, and the `nc` command to copy.
#include <algorithm>
#include <string>

#include "app/gui/panels/panels.hpp"
#include "core/base/names.hpp"
#include "core/base/peer_names.hpp"

namespace eps::gui {

std::string engineDoing(const EngineStatus& status, Translator say) {
  if (status.mode == EngineMode::Stopped) return say("stopped");
  const std::string call = std::string(callName(status.pendingCall)) + "(" +
                           std::to_string(status.pendingFd) +
                           (status.pendingCall == Call::Read || status.pendingCall == Call::Write
                                ? ", " + std::to_string(status.pendingBytes)
                                : "") +
                           ")";
  if (status.mode == EngineMode::Paused && status.pendingCall != Call::None) {
    return trPrintfWith(say, "paused before %s", call.c_str());
  }
  if (status.inCall && isReadinessWait(status.pendingCall)) {  // epoll_wait, or poll
    const double seconds = static_cast<double>(monotonicNs() - status.callSinceNs) / 1e9;
    return trPrintfWith(say, "asleep in %s for %.1f s",
                        std::string(callName(status.pendingCall)).c_str(), seconds);
  }
  if (status.inCall) return trPrintfWith(say, "in %s", call.c_str());
  return say(std::string(engineModeName(status.mode)).c_str());
}

namespace {

void controlButtons(Frame& frame, Engine& engine) {
  const bool paused = engine.status().mode == EngineMode::Paused;
  if (ImGui::Button(paused ? tr("Run (P)") : tr("Pause (P)")))
    paused ? engine.run() : engine.pause();
  noteWidget(frame.ui, "run-pause");
  sameLineIfFits(tr("Step call (S)"));
  if (ImGui::Button(tr("Step call (S)"))) engine.stepCall();
  noteWidget(frame.ui, "step-call");
  sameLineIfFits(tr("Step wakeup (Space)"));
  if (ImGui::Button(tr("Step wakeup (Space)"))) engine.stepWakeup();
  noteWidget(frame.ui, "step-wakeup");
  sameLineIfFits(tr("Reset (R)"));
  if (ImGui::Button(tr("Reset (R)"))) resetEngine(frame);  // replaces `engine`: its last use
  noteWidget(frame.ui, "reset");
  sameLineIfFits(tr("File"));
  drawFileControls(frame);
  sameLineIfFits(tr("View"));
  viewMenu(frame);
}

// The pace slider, and the presenter's settings behind "View" (font, contrast, full screen,
// legend, language): one button on a projector's narrow toolbar.
void presenterControls(Frame& frame, Engine& engine) {
  UiState& ui = frame.ui;
  const float em = ImGui::GetFontSize();
  sameLineIfFits(em * 9);
  ImGui::SetNextItemWidth(em * 5);
  if (ImGui::SliderInt(tr("pace ms"), &ui.paceMs, 0, 2000)) {
    engine.setPace(std::chrono::milliseconds(ui.paceMs));
  }
}

void droppedNotices(Frame& frame) {
  // Memory is bounded: the oldest events leave the timeline, and a producer that outruns the
  // collector loses events at its ring. Both are said, never hidden.
  const std::uint64_t capped = frame.workspace.timeline().droppedByCap();
  const std::uint64_t lost = frame.workspace.droppedByRings();
  const ImVec4 warn = ImGui::ColorConvertU32ToFloat4(frame.theme.eagain);
  if (capped + lost > 0) {
    const std::string text =
        trPrintf("dropped: %llu oldest (retention cap), %llu (trace rings full)",
                 static_cast<unsigned long long>(capped), static_cast<unsigned long long>(lost));
    sameLineIfFits(text.c_str());
    ImGui::TextColored(warn, "%s", text.c_str());
  }
  const PayloadStore* payloads = frame.workspace.payloads();
  if (payloads != nullptr && payloads->droppedOldest() > 0) {
    const std::string text = trPrintf("read bytes: %llu oldest dropped (%zu MB kept)",
                                      static_cast<unsigned long long>(payloads->droppedOldest()),
                                      payloads->capacity() >> 20);
    sameLineIfFits(text.c_str());
    ImGui::TextColored(warn, "%s", text.c_str());
  }
}

}  // namespace

void resetEngine(Frame& frame) {
  if (std::string error = frame.workspace.reset(); !error.empty()) {
    frame.ui.statusMessage = std::move(error);
  }
}

void viewMenu(Frame& frame) {
  UiState& ui = frame.ui;
  if (ImGui::Button(tr("View"))) ImGui::OpenPopup("view");
  noteWidget(ui, "view");
  if (!ImGui::BeginPopup("view")) return;
  closePopupOnEscape();
  const float em = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(em * 8);
  // Applied when the slider is let go: rebuilding the font atlas under a dragging mouse would
  // resize the slider while it is held (and rebuild the atlas every frame).
  float scale = ui.fontDrag > 0 ? ui.fontDrag : ui.fontScale;
  ImGui::SliderFloat(tr("font (Ctrl +/-)"), &scale, 0.8f, 2.5f, asIs("%.1fx"));
  noteWidget(ui, "font");
  if (ImGui::IsItemActive()) {
    ui.fontDrag = scale;
  } else {
    ui.fontScale = scale;
    ui.fontDrag = 0;
  }
  ImGui::Checkbox(tr("high contrast"), &ui.highContrast);
  noteWidget(ui, "high-contrast");
  if (ImGui::Checkbox(tr("full screen"), &ui.fullscreen)) frame.window.setFullscreen(ui.fullscreen);
  ImGui::Checkbox(tr("legend on the timeline"), &ui.showLegend);
  bool chinese = ui.language == Language::Chinese;
  ImGui::BeginDisabled(!ui.chineseAvailable);
  if (ImGui::Checkbox(tr("\u4e2d\u6587 (Chinese)"), &chinese)) {
    ui.language = chinese ? Language::Chinese : Language::English;
  }
  ImGui::EndDisabled();
  ImGui::EndPopup();
}

void measureToolbar(UiState& ui) {
  const ImGuiStyle& style = ImGui::GetStyle();
  ui.layout.toolbarHeight = ImGui::GetCursorPosY() - style.ItemSpacing.y + style.WindowPadding.y;
}

void drawConnectCommand(int port) {
  const std::string command = connectCommand(port);
  sameLineIfFits(ImGui::CalcTextSize(command.c_str()).x + ImGui::GetFontSize() * 3);
  ImGui::TextUnformatted(command.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", connectBanner(port, tr).c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton(tr("copy"))) ImGui::SetClipboardText(command.c_str());
}

void drawToolbar(Frame& frame, const Rect& rect) {
  if (!beginPanel("##toolbar", rect, ImGuiWindowFlags_NoScrollbar)) return ImGui::End();
  const Controls* controls = frame.workspace.controls();
  if (controls == nullptr) return ImGui::End();  // a file has its own toolbar
  if (tracesExample(frame)) {
    drawExampleToolbar(frame);
    droppedNotices(frame);
    measureToolbar(frame.ui);
    return ImGui::End();
  }
  controlButtons(frame, controls->engine());
  // Again: Reset replaced free play's mode, or File began a live trace in its place.
  controls = frame.workspace.controls();
  if (controls == nullptr) return ImGui::End();
  Engine& engine = controls->engine();
  const EngineStatus status = engine.status();
  frame.ui.report.toolbarStatus = engineDoing(status, english);
  const std::string doing = engineDoing(status, tr);
  sameLineIfFits(ImGui::CalcTextSize(doing.c_str()).x + ImGui::GetFontSize());
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.ready), "%s", doing.c_str());
  drawConnectCommand(frame.workspace.port());
  presenterControls(frame, engine);
  const std::string calls =
      trPrintf("%llu calls", static_cast<unsigned long long>(status.callsMade));
  sameLineIfFits(calls.c_str());
  ImGui::TextDisabled("%s", calls.c_str());
  statusLine(frame.ui);
  droppedNotices(frame);
  measureToolbar(frame.ui);
  ImGui::End();
}

}  // namespace eps::gui
