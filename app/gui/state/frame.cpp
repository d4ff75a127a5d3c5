#include "app/gui/state/frame.hpp"

#include <array>

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

bool textField(UiState& ui, const char* id, std::string& value, float widthEm,
               ImGuiInputTextFlags flags) {
  std::array<char, 1024> buffer{};
  value.copy(buffer.data(), buffer.size() - 1);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * widthEm);
  const bool entered = ImGui::InputText(id, buffer.data(), buffer.size(),
                                        ImGuiInputTextFlags_EnterReturnsTrue | flags);
  value = buffer.data();
  noteWidget(ui, id + 2);  // "##open" -> "open"
  return entered;
}

}  // namespace eps::gui
