// The compare view: while a comparison is on show it replaces the panels. A header (what is
// compared, Close, Compare again), both timelines aligned on the script (compare_timeline.cpp)
// and both sides' counters in one table: the rows that differ first, highlighted.
#include <algorithm>
#include <string>
#include <vector>

#include "app/gui/panels/panels.hpp"
#include "core/checks/check_expr.hpp"

namespace eps::gui {
namespace {

constexpr float kTableMaxShare = 0.7f;
constexpr const char* kWidestValue = "EAGAIN ";  // the value columns fit an errno name

// A row that differs: the EAGAIN colour, translucent, so the row's text stays readable.
Color differsColor(const Theme& theme) {
  constexpr Color kAlpha = 0x70000000;
  return (theme.eagain & 0x00FFFFFFu) | kAlpha;
}

void header(Frame& frame, const CompareResult* result) {
  UiState& ui = frame.ui;
  CompareUi& c = ui.compare;
  if (ImGui::Button(tr("Close"))) c.showing = false;
  noteWidget(ui, "compare-close");
  ImGui::SameLine();
  if (ImGui::Button(tr("Compare again..."))) openCompareSetup(ui, c.sessions);
  noteWidget(ui, "compare-again");
  const std::string title =
      c.job && c.job->request().sessions
          ? std::string(tr("Side by side: two sessions"))
          : trPrintf("Side by side: %s", c.job ? c.job->request().lesson.c_str() : "");
  sameLineIfFits(title.c_str());
  ImGui::TextUnformatted(title.c_str());
  if (result == nullptr) return;
  for (const ComparedSide& side : result->comparison.sides) {
    if (side.failure.empty()) continue;
    wrappedText(trPrintf("%s could not finish: %s", side.name.c_str(), side.failure.c_str()),
                frame.theme.error);
  }
}

// "A", or "A epoll" for a paired lesson's side, in the window's language.
std::string sideTitle(const ComparedSide& side) {
  const std::string& label = side.label.in(speaksChinese());
  return label.empty() ? side.name : side.name + " " + label;
}

// The step whose counters differ most between A and B (-1, the whole run, when none do).
int mostDifferentStep(const Comparison& c, std::size_t steps) {
  int best = -1;
  std::size_t most = 0;
  for (std::size_t i = 0; i < steps; ++i) {
    if (const std::size_t n = c.differingInStep(i).size(); n > most) {
      most = n;
      best = static_cast<int>(i);
    }
  }
  return best;
}

// The step (or the whole run) the table shows, each choice with how many counters differ.
void stepChoice(UiState& ui, const CompareResult& r) {
  const Comparison& c = r.comparison;
  CompareUi& cu = ui.compare;
  const std::size_t steps = std::min(c.sides[0].steps.size(), c.sides[1].steps.size());
  if (cu.tableFor != &r) {
    cu.tableFor = &r;
    cu.tableStep = r.stepByStep ? static_cast<int>(steps) - 1 : mostDifferentStep(c, steps);
  }
  cu.tableStep = std::clamp(cu.tableStep, -1, static_cast<int>(steps) - 1);
  // "Step 2 (14 differ): 4096 bytes, ...": the count first, so a narrow box cuts the title.
  const auto label = [&c](int step) {
    const auto index = static_cast<std::size_t>(step);
    const std::size_t differ = step < 0 ? c.differing().size() : c.differingInStep(index).size();
    if (step < 0) return trPrintf("Whole run (%zu differ)", differ);
    // The lesson's own Chinese title, when the window speaks Chinese and the lesson has one.
    const bool zh =
        speaksChinese() && index < c.stepTitlesZh.size() && !c.stepTitlesZh[index].empty();
    const std::string& title = zh                            ? c.stepTitlesZh[index]
                               : index < c.stepTitles.size() ? c.stepTitles[index]
                                                             : std::string();
    return trPrintf("Step %d (%zu differ): %s", step + 1, differ, title.c_str());
  };
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##compare-step", label(cu.tableStep).c_str())) {
    for (int step = -1; step < static_cast<int>(steps); ++step) {
      if (ImGui::Selectable(label(step).c_str(), step == cu.tableStep)) cu.tableStep = step;
    }
    ImGui::EndCombo();
  }
  noteWidget(ui, "compare-step");
}

void counterRow(Frame& frame, const CounterInfo& info, const LessonCounts& a, const LessonCounts& b,
                bool differs) {
  const auto id = static_cast<LessonCounter>(info.id);
  ImGui::TableNextRow();
  if (differs) {
    ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, differsColor(frame.theme));
    frame.ui.report.compare.highlighted.emplace_back(info.name);
  }
  ImGui::TableNextColumn();
  CompareReport& report = frame.ui.report.compare;
  // The cell's clip rectangle: what of the name is drawn (the table clips it there).
  report.nameRoom = ImGui::GetWindowDrawList()->GetClipRectMax().x - ImGui::GetCursorScreenPos().x;
  if (differs) {
    report.highlightedNameWidth =
        std::max(report.highlightedNameWidth,
                 ImGui::CalcTextSize(info.name.data(), info.name.data() + info.name.size()).x);
  }
  ImGui::TextUnformatted(info.name.data(), info.name.data() + info.name.size());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", counterText(info, tr).c_str());
  for (const LessonCounts* side : {&a, &b}) {
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(observedText(info.name, (*side)[id]).c_str());
  }
  ++frame.ui.report.compare.rowsDrawn;
}

// Wide enough for the longest counter name and two values, with the cells' padding.
float tableWidth() {
  float name = 0;
  for (const CounterInfo& info : lessonCounters()) {
    name = std::max(name,
                    ImGui::CalcTextSize(info.name.data(), info.name.data() + info.name.size()).x);
  }
  const ImGuiStyle& style = ImGui::GetStyle();
  return name + 2 * ImGui::CalcTextSize(kWidestValue).x + 6 * style.CellPadding.x +
         style.ScrollbarSize + 2 * style.ItemSpacing.x;
}

// A value column: as wide as the widest value the table shows, or the sides' titles, so that
// at a projector's font the counter names keep the room the values do not need.
float valueColumnWidth(const Comparison& c, const LessonCounts& a, const LessonCounts& b,
                       bool kernel) {
  float width = 0;
  for (const ComparedSide& side : c.sides) {
    width = std::max(width, ImGui::CalcTextSize(sideTitle(side).c_str()).x);
  }
  for (const CounterInfo& info : lessonCounters()) {
    if (!kernel && info.kind == CounterKind::KernelNow) continue;
    const auto id = static_cast<LessonCounter>(info.id);
    for (const LessonCounts* side : {&a, &b}) {
      width = std::max(width, ImGui::CalcTextSize(observedText(info.name, (*side)[id]).c_str()).x);
    }
  }
  return width;
}

void counterTable(Frame& frame, const CompareResult& r, const Rect& rect) {
  const Comparison& c = r.comparison;
  ImGui::SetCursorScreenPos(rect.min);
  ImGui::BeginGroup();
  stepChoice(frame.ui, r);
  const int step = frame.ui.compare.tableStep;
  const auto index = static_cast<std::size_t>(std::max(step, 0));
  const LessonCounts& a = step < 0 ? c.sides[0].run : c.sides[0].steps[index];
  const LessonCounts& b = step < 0 ? c.sides[1].run : c.sides[1].steps[index];
  const std::vector<LessonCounter> differ = step < 0 ? c.differing() : c.differingInStep(index);
  const bool kernel = c.sides[0].kernelCounters && c.sides[1].kernelCounters;
  ImGui::TextDisabled("%s %s", tr("highlighted: A and B differ"),
                      kernel ? "" : tr("(saved sessions: no kernel counters)"));
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 size{rect.size.x, std::max(rect.min.y + rect.size.y - at.y, 1.0f)};
  frame.ui.report.compare.table = {at.x, at.y, size.x, size.y};
  const float valueWidth = valueColumnWidth(c, a, b, kernel);
  if (ImGui::BeginTable(
          "##compare-counters", 3,
          ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV, size)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr("counter"), ImGuiTableColumnFlags_WidthStretch);
    for (const ComparedSide& side : c.sides) {
      ImGui::TableSetupColumn(sideTitle(side).c_str(), ImGuiTableColumnFlags_WidthFixed,
                              valueWidth);
    }
    ImGui::TableHeadersRow();
    for (const bool differing : {true, false}) {  // the differences first
      for (const CounterInfo& info : lessonCounters()) {
        const auto id = static_cast<LessonCounter>(info.id);
        if (!kernel && info.kind == CounterKind::KernelNow) continue;
        const bool differs = std::find(differ.begin(), differ.end(), id) != differ.end();
        if (differs == differing) counterRow(frame, info, a, b, differs);
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndGroup();
}

}  // namespace

void drawCompareView(Frame& frame, const Rect& area) {
  UiState& ui = frame.ui;
  ui.report.compare = CompareReport{};
  std::erase_if(ui.compare.retired, [](const auto& job) { return job->result() != nullptr; });
  // Sized to fit: the table scrolls, the view itself never does.
  const bool open = beginPanel("##compare", area,
                               ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ui.report.panels["compare"] = {area.min.x, area.min.y, area.size.x, area.size.y};
  if (!open) return ImGui::End();
  const std::shared_ptr<const CompareResult> result =
      ui.compare.job ? ui.compare.job->result() : nullptr;
  header(frame, result.get());
  if (result == nullptr) {
    ImGui::TextUnformatted(tr("Playing the script on both engines..."));
  } else if (!result->error.empty()) {
    // The sentence in the window's language; the problem as core wrote it (a file's place).
    wrappedText(trPrintf("The comparison could not run: %s", result->error.c_str()),
                frame.theme.error);
  } else if (result->axis) {
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float em = ImGui::GetFontSize();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float tableW = std::min(tableWidth(), avail.x * kTableMaxShare);
    const float gap = em * 0.6f;
    const Rect timelines{top, {std::max(avail.x - tableW - gap, 1.0f), avail.y}};
    drawCompareTimelines(frame, *result, timelines);
    counterTable(frame, *result, {{top.x + timelines.size.x + gap, top.y}, {tableW, avail.y}});
    ui.report.compare.drawn = true;
  }
  ImGui::End();
}

}  // namespace eps::gui
