#include "app/gui/state/frame.hpp"

namespace eps::gui {

void sameLineIfFits(float nextWidth) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < nextWidth) ImGui::NewLine();
}

void sameLineIfFits(const char* nextText) {
  const ImGuiStyle& style = ImGui::GetStyle();
  sameLineIfFits(ImGui::CalcTextSize(nextText).x + style.FramePadding.x * 2 +
                 ImGui::GetFontSize() + style.ItemInnerSpacing.x);
}

bool beginPanel(const char* title, const Rect& rect, ImGuiWindowFlags extra) {
  ImGui::SetNextWindowPos(rect.min);
  ImGui::SetNextWindowSize(rect.size);
  return ImGui::Begin(title, nullptr,
                      ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                          ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                          ImGuiWindowFlags_NoBringToFrontOnFocus |
                          (title[0] == '#' ? ImGuiWindowFlags_NoTitleBar : 0) | extra);
}

}  // namespace eps::gui
