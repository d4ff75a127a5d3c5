// Two runs side by side: the form that asks for them (File -> Compare two runs / Compare two
// sessions) and the compare view that replaces the panels while a comparison is on show: its
// header, both timelines aligned on the script (compare_timeline.cpp) and both sides'
// counters in one table, the rows that differ first and highlighted.
#include <algorithm>
#include <filesystem>
#include <string>

#include "app/gui/panels/panels.hpp"
#include "core/checks/check_expr.hpp"

namespace eps::gui {
namespace {

constexpr const char* kDefaultLesson = "02-et-lost-wakeup.toml";  // the LT/ET story

void startJob(UiState& ui) {
  CompareUi& c = ui.compare;
  if (c.job && c.job->result() == nullptr) c.retired.push_back(std::move(c.job));
  c.job = std::make_shared<CompareJob>(compareRequest(c), false);
  c.showing = true;
  c.setupOpen = false;
  c.tableFor = nullptr;  // the new result chooses its step
}

void setupFields(UiState& ui) {
  CompareUi& c = ui.compare;
  const float width = std::min(30.0f, ImGui::GetIO().DisplaySize.x / ImGui::GetFontSize() - 10);
  if (c.sessions) {
    ImGui::TextUnformatted(tr("Session A:"));
    textField(ui, "##compare-session-a", c.sessionA, width);
    ImGui::TextUnformatted(tr("Session B:"));
    textField(ui, "##compare-session-b", c.sessionB, width);
    return;
  }
  ImGui::TextUnformatted(tr("Lesson whose steps both engines play:"));
  textField(ui, "##compare-lesson", c.lesson, width);
  ImGui::TextUnformatted(tr("Knobs of A (KNOB=VALUE, commas between):"));
  textField(ui, "##compare-knobs-a", c.knobsA, width);
  ImGui::TextUnformatted(tr("Knobs of B:"));
  textField(ui, "##compare-knobs-b", c.knobsB, width);
}

}  // namespace

void openCompareSetup(UiState& ui, bool sessions) {
  CompareUi& c = ui.compare;
  c.setupOpen = true;
  c.sessions = sessions;
  if (c.lesson.empty()) {
    c.lesson = !ui.lessonFile.empty()
                   ? ui.lessonFile
                   : (std::filesystem::path(ui.lessonsDir) / kDefaultLesson).string();
  }
}

void drawCompareSetup(Frame& frame) {
  UiState& ui = frame.ui;
  if (!ui.compare.setupOpen) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos({display.x * 0.5f, display.y * 0.5f}, ImGuiCond_Always, {0.5f, 0.5f});
  ImGui::Begin(ui.compare.sessions ? tr("Compare two saved sessions###compare-setup")
                                   : tr("Compare two runs of a lesson's script###compare-setup"),
               nullptr,
               ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
  setupFields(ui);
  if (ImGui::Button(tr("Compare"))) startJob(ui);
  noteWidget(ui, "compare-start");
  ImGui::SameLine();
  if (ImGui::Button(tr("Cancel"))) ui.compare.setupOpen = false;
  noteWidget(ui, "compare-cancel");
  ImGui::End();
}

}  // namespace eps::gui
