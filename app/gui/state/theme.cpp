#include "app/gui/state/theme.hpp"

#include <imgui.h>

namespace eps::gui {
namespace {
constexpr Color rgb(unsigned r, unsigned g, unsigned b, unsigned a = 255) {
  return (a << 24) | (b << 16) | (g << 8) | r;
}

constexpr Theme kDarkTheme{
    .background = rgb(22, 22, 26),
    .laneBackground = rgb(30, 31, 36),
    .laneAlternate = rgb(35, 36, 42),
    .laneSeparator = rgb(55, 57, 65),
    .text = rgb(225, 225, 230),
    .textDim = rgb(140, 142, 150),
    .grid = rgb(60, 62, 70),
    .waitSpan = rgb(70, 90, 140),
    .waitBusy = rgb(140, 60, 120),
    .waitReturned = rgb(140, 170, 255),
    .ready = rgb(250, 210, 70),
    .accept = rgb(120, 200, 255),
    .read = rgb(90, 200, 120),
    .write = rgb(80, 170, 230),
    .close = rgb(170, 170, 170),
    .ctl = rgb(190, 130, 240),
    .eagain = rgb(255, 150, 40),
    .error = rgb(240, 60, 60),
    .config = rgb(230, 230, 110, 170),
    .stranded = rgb(220, 40, 50),
    .busy = rgb(255, 90, 180),
    .blocked = rgb(200, 80, 40),
    .depthFill = rgb(90, 200, 120, 70),
    .depthLine = rgb(90, 200, 120, 200),
    .client = rgb(160, 210, 255),
    .clientData = rgb(120, 230, 200),
    .selection = rgb(255, 255, 255),
    .hover = rgb(255, 255, 255, 120),
    .folded = rgb(200, 200, 210),
};

constexpr Theme kHighContrastTheme{
    .background = rgb(0, 0, 0),
    .laneBackground = rgb(10, 10, 10),
    .laneAlternate = rgb(24, 24, 24),
    .laneSeparator = rgb(120, 120, 120),
    .text = rgb(255, 255, 255),
    .textDim = rgb(210, 210, 210),
    .grid = rgb(110, 110, 110),
    .waitSpan = rgb(40, 90, 255),
    .waitBusy = rgb(190, 0, 140),
    .waitReturned = rgb(120, 200, 255),
    .ready = rgb(255, 255, 0),
    .accept = rgb(0, 220, 255),
    .read = rgb(0, 255, 90),
    .write = rgb(0, 170, 255),
    .close = rgb(255, 255, 255),
    .ctl = rgb(220, 120, 255),
    .eagain = rgb(255, 140, 0),
    .error = rgb(255, 0, 0),
    .config = rgb(255, 255, 0, 220),
    .stranded = rgb(255, 0, 40),
    .busy = rgb(255, 0, 200),
    .blocked = rgb(255, 100, 0),
    .depthFill = rgb(0, 255, 90, 110),
    .depthLine = rgb(0, 255, 90),
    .client = rgb(0, 220, 255),
    .clientData = rgb(0, 255, 200),
    .selection = rgb(255, 255, 255),
    .hover = rgb(255, 255, 255, 160),
    .folded = rgb(255, 255, 255),
};

}  // namespace

const Theme& darkTheme() {
  return kDarkTheme;
}
const Theme& highContrastTheme() {
  return kHighContrastTheme;
}

void applyTheme(const Theme& theme, bool highContrast, float scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsDark(&style);
  style.ScaleAllSizes(scale);
  style.WindowRounding = 0;
  style.FrameRounding = 3;
  style.WindowBorderSize = 1;
  ImVec4* colors = style.Colors;
  colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(theme.background);
  colors[ImGuiCol_ChildBg] = ImGui::ColorConvertU32ToFloat4(theme.background);
  colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(theme.text);
  colors[ImGuiCol_TextDisabled] = ImGui::ColorConvertU32ToFloat4(theme.textDim);
  if (highContrast) {
    colors[ImGuiCol_Border] = ImVec4(1, 1, 1, 0.8f);
    colors[ImGuiCol_FrameBg] = ImVec4(0.15f, 0.15f, 0.15f, 1);
    colors[ImGuiCol_Button] = ImVec4(0.1f, 0.3f, 0.8f, 1);
    colors[ImGuiCol_Header] = ImVec4(0.1f, 0.3f, 0.8f, 1);
    style.FrameBorderSize = 1;
  } else {
    style.FrameBorderSize = 0;
  }
}

}  // namespace eps::gui
