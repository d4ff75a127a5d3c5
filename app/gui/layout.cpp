#include "app/gui/layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/output_file.hpp"

namespace eps::gui {
namespace {

// Minimum sizes in font heights: a panel never shrinks below a few readable lines. The side
// column holds the lesson's narrative: 19 font heights keep some 35 letters (or 17 Chinese
// characters) a line, so at a projector's font a step's text is a paragraph, not a column of
// words (at font 1 that is 285 pixels, the default 22% of a 1280-pixel window).
constexpr float kMinSideEms = 19, kMinMiddleEms = 20, kMinTimelineEms = 9, kMinBottomEms = 7;
constexpr float kMinSidePanelEms = 4;
// The knobs and the clients under a lesson that needs the room: their title bars, which a
// splitter drag opens again (the lesson's narrative is what a projector's audience reads).
constexpr float kMinUnderLessonEms = 1.6f;
constexpr float kGapEms = 0.35f;  // the splitters' width

float clampFraction(float fraction, float total, float minA, float minB) {
  if (total <= minA + minB) return 0.5f;
  return std::clamp(fraction, minA / total, 1 - minB / total);
}

struct Splitter {
  const char* id;
  bool vertical;  // a vertical bar, dragged left and right
  ImVec2 min, size;
  float* fraction;
  float total;  // pixels the fraction is of
};

void splitter(const Splitter& s) {
  ImGui::SetNextWindowPos(s.min);
  ImGui::SetNextWindowSize(s.size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, {1, 1});
  ImGui::Begin(s.id, nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoFocusOnAppearing);
  ImGui::InvisibleButton("bar", s.size);
  const bool hot = ImGui::IsItemHovered() || ImGui::IsItemActive();
  if (hot) ImGui::SetMouseCursor(s.vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
  if (ImGui::IsItemActive() && s.total > 0) {
    const ImVec2 delta = ImGui::GetIO().MouseDelta;
    *s.fraction += (s.vertical ? delta.x : delta.y) / s.total;
  }
  if (hot) {
    ImGui::GetWindowDrawList()->AddRectFilled(
        s.min, {s.min.x + s.size.x, s.min.y + s.size.y},
        ImGui::GetColorU32(ImGuiCol_SeparatorHovered));
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

// The share of the side column's height the lesson panel needs to show its text without
// scrolling, leaving the knobs and the clients `under` pixels each.
float lessonShare(float needs, float bodyH, float under, float gap) {
  if (needs <= 0 || bodyH <= 0) return 0;
  const float most = bodyH - 2 * (under + gap);
  return std::clamp(std::ceil(needs) / bodyH, 0.0f, std::max(most, 0.0f) / bodyH);
}

}  // namespace

PanelRects computeLayout(LayoutState& l, ImVec2 display, float em, bool lessonOpen) {
  PanelRects r;
  const float gap = em * kGapEms;
  const float top = std::clamp(l.toolbarHeight, em * 2.2f, display.y * 0.4f);
  r.toolbar = {{0, 0}, {display.x, top}};
  const float bodyH = std::max(display.y - top - gap, 1.0f);
  const float bodyY = top + gap;
  l.sideFraction = clampFraction(l.sideFraction, display.x, kMinSideEms * em, kMinMiddleEms * em);
  const float side = std::floor(display.x * l.sideFraction);
  const float rightX = side + gap, rightW = std::max(display.x - rightX, 1.0f);
  l.timelineFraction =
      clampFraction(l.timelineFraction, bodyH, kMinTimelineEms * em, kMinBottomEms * em);
  const float timelineH = std::floor(bodyH * l.timelineFraction);
  r.timeline = {{rightX, bodyY}, {rightW, timelineH}};
  const float bottomY = bodyY + timelineH + gap, bottomH = std::max(bodyY + bodyH - bottomY, 1.0f);
  l.kernelFraction = clampFraction(l.kernelFraction, rightW, 12 * em, 12 * em);
  const float kernelW = std::floor(rightW * l.kernelFraction);
  const float logW = std::max(rightW - kernelW - gap, 1.0f);
  r.log = {{rightX, bottomY}, {logW, bottomH}};
  r.kernel = {{rightX + logW + gap, bottomY}, {kernelW, bottomH}};
  // The side column: lesson (or free play's note), knobs, clients.
  float& first = lessonOpen ? l.lessonFraction : l.freePlayFraction;
  first = clampFraction(first, bodyH, kMinSidePanelEms * em, 2 * kMinSidePanelEms * em);
  // What the lesson (or free play's note) needs to be read without scrolling; under a lesson
  // the knobs and clients give up all but their title bars, under free play's note (which is
  // about them) they keep their few lines.
  const float under = (lessonOpen ? kMinUnderLessonEms : kMinSidePanelEms) * em;
  first = std::max(first, lessonShare(l.lessonNeeds, bodyH, under, gap));
  const float lessonH = std::floor(bodyH * first);
  const float restY = bodyY + lessonH + gap, restH = std::max(bodyY + bodyH - restY, 1.0f);
  l.knobsFraction = clampFraction(l.knobsFraction, restH, kMinSidePanelEms * em,
                                  kMinSidePanelEms * em);
  const float knobsH = std::floor(restH * l.knobsFraction);
  r.lesson = {{0, bodyY}, {side, lessonH}};
  r.knobs = {{0, restY}, {side, knobsH}};
  r.clients = {{0, restY + knobsH + gap}, {side, std::max(restH - knobsH - gap, 1.0f)}};
  return r;
}

void drawSplitters(LayoutState& l, const PanelRects& r, ImVec2 display, float em,
                   bool lessonOpen) {
  const float gap = em * kGapEms;
  const float bodyY = r.timeline.min.y, bodyH = display.y - bodyY;
  const float rightX = r.timeline.min.x, rightW = r.timeline.size.x;
  splitter({"##split side", true, {rightX - gap, bodyY}, {gap, bodyH}, &l.sideFraction, display.x});
  splitter({"##split timeline", false, {rightX, r.log.min.y - gap}, {rightW, gap},
            &l.timelineFraction, bodyH});
  // Dragging the bar between log and kernel right grows the log: the kernel's share shrinks.
  float kernelShare = -l.kernelFraction;
  splitter({"##split kernel", true, {r.kernel.min.x - gap, r.log.min.y}, {gap, r.log.size.y},
            &kernelShare, rightW});
  l.kernelFraction = -kernelShare;
  float& first = lessonOpen ? l.lessonFraction : l.freePlayFraction;
  splitter({"##split lesson", false, {0, r.knobs.min.y - gap}, {r.knobs.size.x, gap}, &first,
            bodyH});
  const float restH = r.knobs.size.y + r.clients.size.y + gap;
  splitter({"##split knobs", false, {0, r.clients.min.y - gap}, {r.clients.size.x, gap},
            &l.knobsFraction, restH});
}

void reportPanels(FrameReport& report, const PanelRects& r, bool live) {
  const auto box = [](const Rect& rect) {
    return Box{rect.min.x, rect.min.y, rect.size.x, rect.size.y};
  };
  report.panels["toolbar"] = box(r.toolbar);
  report.panels["timeline"] = box(r.timeline);
  report.panels["log"] = box(r.log);
  report.panels[live ? "kernel" : "import"] = box(r.kernel);
  if (live) {
    report.panels["lesson"] = box(r.lesson);
    report.panels["knobs"] = box(r.knobs);
    report.panels["clients"] = box(r.clients);
  } else {
    report.panels["tour"] = {r.lesson.min.x, r.lesson.min.y, r.lesson.size.x,
                             r.clients.min.y + r.clients.size.y - r.lesson.min.y};
  }
}

std::string layoutFilePath() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path dir;
  if (config != nullptr && config[0] == '/') {
    dir = config;
  } else if (home != nullptr && home[0] == '/') {
    dir = std::filesystem::path(home) / ".config";
  } else {
    return "";
  }
  return (dir / "epollscope" / "layout.ini").string();
}

void loadLayout(LayoutState& l, const std::string& path) {
  if (path.empty()) return;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    float value = 0;
    std::istringstream number(line.substr(eq + 1));
    if (!(number >> value) || !(value > 0.02f && value < 0.98f)) continue;  // ignore junk
    if (key == "side") l.sideFraction = value;
    if (key == "kernel") l.kernelFraction = value;
    if (key == "timeline") l.timelineFraction = value;
    if (key == "lesson") l.lessonFraction = value;
    if (key == "freeplay") l.freePlayFraction = value;
    if (key == "knobs") l.knobsFraction = value;
  }
}

// Written whole or not at all (writeOutputFile): a crash never leaves half a layout behind.
// A layout that cannot be saved is not worth an error: the defaults come back next time.
void saveLayout(const LayoutState& l, const std::string& path) {
  if (path.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  writeOutputFile(path, [&](std::ostream& out) {
    out << "side=" << l.sideFraction << "\nkernel=" << l.kernelFraction
        << "\ntimeline=" << l.timelineFraction << "\nlesson=" << l.lessonFraction
        << "\nfreeplay=" << l.freePlayFraction << "\nknobs=" << l.knobsFraction << "\n";
  });
}

}  // namespace eps::gui
