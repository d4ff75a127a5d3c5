// The toolbar's File button: open a saved session, an strace log or a tour of one (loaded off the
// UI thread, then shown in place of the live engine), pick one of the bundled tours of real
// servers, and export what the timeline holds as Chrome Trace Event JSON or CSV (the headless
// writers), and save the session. Or trace a program live: start one from a command line, or
// attach to a running process of this user (picked from a list read from /proc).
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "app/gui/panels/panels.hpp"
#include "core/strace/live_targets.hpp"
#include "core/strace/tour.hpp"

namespace eps::gui {
namespace {

std::vector<std::string> tourFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (isTourPath(entry.path().string())) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

constexpr std::size_t kAttachCandidates = 200;  // the newest processes listed

void open(Frame& frame, const std::string& path) {
  const std::string error = frame.workspace.openFile(path);
  frame.ui.statusMessage = error.empty() ? "opening " + path : error;
  ImGui::CloseCurrentPopup();
}

// Two runs side by side: the buttons open the compare form (compare_panel.cpp).
void compareSection(Frame& frame) {
  for (const bool sessions : {false, true}) {
    if (sessions) ImGui::SameLine();
    if (ImGui::Button(sessions ? tr("Compare two sessions...") : tr("Compare two runs..."))) {
      openCompareSetup(frame.ui, sessions);
      ImGui::CloseCurrentPopup();
    }
    noteWidget(frame.ui, sessions ? "compare-sessions" : "compare-runs");
  }
  ImGui::Separator();
}

void openSection(Frame& frame) {
  ImGui::TextUnformatted(
      tr("Open a saved session, an strace log (strace -f -ttt -T -yy) or a tour:"));
  const bool entered = textField(frame.ui, "##open", frame.ui.filePath);
  ImGui::SameLine();
  const bool clicked = ImGui::Button(tr("Open"));
  noteWidget(frame.ui, "open-button");
  if ((clicked || entered) && !frame.ui.filePath.empty()) {
    open(frame, frame.ui.filePath);
  }
  ImGui::TextUnformatted(tr("Tours of real servers:"));
  // Listed only while the popup is open: no directory reads on every frame.
  for (const std::string& file : tourFiles(frame.ui.tracesDir)) {
    const std::string name = std::filesystem::path(file).filename().string();
    if (ImGui::Selectable(("  " + name).c_str())) open(frame, file);
    noteWidget(frame.ui, "tour:" + name);
  }
}

// Shows the live trace of `target` in place of the mode on show, or says why it cannot.
void traceLive(Frame& frame, const LiveTraceTarget& target) {
  const std::string error = frame.workspace.traceLive(target);
  if (const LiveSource* traced = frame.workspace.liveTrace(); error.empty() && traced) {
    frame.ui.statusMessage = traced->describe();
    frame.ui.timeline.followLive = true;
    frame.ui.lessonFile.clear();  // tracing closed the lesson, if one was open
  } else {
    frame.ui.statusMessage = error;
  }
  ImGui::CloseCurrentPopup();
}

void traceSection(Frame& frame) {
  UiState& ui = frame.ui;
  ImGui::Separator();
  ImGui::TextUnformatted(tr("Trace a program (its command line; quotes as in a shell, no shell):"));
  const bool entered = textField(ui, "##trace-command", ui.traceCommand);
  ImGui::SameLine();
  const bool clicked = ImGui::Button(tr("Trace"));
  noteWidget(ui, "trace-button");
  if ((clicked || entered) && !ui.traceCommand.empty()) {
    std::string error;
    std::vector<std::string> words = splitCommandLine(ui.traceCommand, error);
    if (!error.empty() || words.empty()) {
      ui.statusMessage = "Trace a program: " + (error.empty() ? "no program given" : error);
    } else {
      traceLive(frame, LiveTraceTarget{std::move(words), 0});
    }
  }
}

void attachSection(Frame& frame) {
  UiState& ui = frame.ui;
  ImGui::TextUnformatted(tr("Attach to a process (PID; detaching leaves it running):"));
  const bool entered =
      textField(ui, "##attach-pid", ui.attachPid, 8, ImGuiInputTextFlags_CharsDecimal);
  ImGui::SameLine();
  const bool clicked = ImGui::Button(tr("Attach"));
  noteWidget(ui, "attach-button");
  if ((clicked || entered) && !ui.attachPid.empty()) {
    traceLive(frame, LiveTraceTarget{{}, static_cast<pid_t>(std::atol(ui.attachPid.c_str()))});
    return;
  }
  const float listHeight = ImGui::GetTextLineHeightWithSpacing() * 6;
  if (!ImGui::BeginChild("##attach-candidates", {ImGui::GetFontSize() * 32, listHeight}, true)) {
    return ImGui::EndChild();
  }
  for (const ProcessEntry& process : ui.attachCandidates) {
    const std::string row = std::to_string(process.pid) + "  " + process.command;
    const bool chosen = ui.attachPid == std::to_string(process.pid);
    if (ImGui::Selectable(row.c_str(), chosen)) ui.attachPid = std::to_string(process.pid);
  }
  ImGui::EndChild();
}

void exportSection(Frame& frame) {
  ImGui::Separator();
  ImGui::TextUnformatted(tr("Export what the timeline holds:"));
  textField(frame.ui, "##export", frame.ui.exportPath);
  ImGui::SameLine();
  const auto done = [&frame](const std::string& error, const std::string& what) {
    frame.ui.statusMessage = error.empty() ? "wrote " + what : error;
  };
  if (ImGui::Button(tr("Chrome JSON"))) {
    done(frame.workspace.exportChromeTrace(frame.ui.exportPath), frame.ui.exportPath);
  }
  noteWidget(frame.ui, "export-json");
  ImGui::SameLine();
  if (ImGui::Button(tr("CSV of calls"))) {
    done(frame.workspace.exportCallsCsv(frame.ui.exportPath), frame.ui.exportPath);
  }
  noteWidget(frame.ui, "export-csv");
  ImGui::Separator();
  ImGui::TextUnformatted(tr("Save the session (trace, knobs, lesson position, client counters):"));
  textField(frame.ui, "##session", frame.ui.sessionPath);
  ImGui::SameLine();
  if (ImGui::Button(tr("Save session"))) {
    done(frame.workspace.saveSession(frame.ui.sessionPath), frame.ui.sessionPath);
  }
  noteWidget(frame.ui, "save-session");
}

}  // namespace

void drawFileControls(Frame& frame) {
  if (ImGui::Button(tr("File"))) {
    ImGui::OpenPopup("file");
    // Read once per opening: a /proc walk is too dear for every frame.
    frame.ui.attachCandidates = ownProcesses(::getpid(), kAttachCandidates);
  }
  noteWidget(frame.ui, "file");
  if (ImGui::BeginPopup("file")) {
    closePopupOnEscape();
    compareSection(frame);
    openSection(frame);
    traceSection(frame);
    attachSection(frame);
    exportSection(frame);
    ImGui::EndPopup();
  }
  if (frame.workspace.loading()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s",
                        trPrintf("opening %s ...", frame.workspace.loadingPath().c_str()).c_str());
  }
  if (std::string error = frame.workspace.takeLoadError(); !error.empty()) {
    frame.ui.statusMessage = "cannot open the file: " + error;  // shownStatus translates
  }
}

}  // namespace eps::gui
