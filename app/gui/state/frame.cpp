#include "app/gui/state/frame.hpp"

#include <array>

#include "app/gui/text/line_break.hpp"

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

void wrappedText(std::string_view text, ImU32 color, float width) {
  if (width <= 0.0F) width = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize());
  const auto measure = [](std::string_view piece) {
    return ImGui::CalcTextSize(piece.data(), piece.data() + piece.size()).x;
  };
  if (color != 0) ImGui::PushStyleColor(ImGuiCol_Text, color);
  for (const std::string_view line : breakLines(text, width, measure)) {
    ImGui::TextUnformatted(line.data(), line.data() + line.size());
  }
  if (color != 0) ImGui::PopStyleColor();
}

void wrappedTextDisabled(std::string_view text) {
  wrappedText(text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
}

// The status line's messages are kept in English (--state-out reads them); those the window
// itself builds are shown in its language. An error from elsewhere (a path, errno, a file's
// line) is shown as it is.
std::string shownStatus(const std::string& english) {
  static constexpr std::array<const char*, 9> kBuilt = {"opening %s",
                                                        "opened %s",
                                                        "wrote %s",
                                                        "still opening %s",
                                                        "cannot start the engine again: %s",
                                                        "cannot load the lesson: %s",
                                                        "cannot start the lesson: %s",
                                                        "cannot open the file: %s",
                                                        "Trace a program: %s"};
  if (english == "wait for the lesson's step to finish" || english == "no program given") {
    return tr(english.c_str());
  }
  for (const char* format : kBuilt) {
    const std::string_view f = format;
    const std::string_view head = f.substr(0, f.find("%s"));
    if (english.size() > head.size() && english.compare(0, head.size(), head) == 0) {
      return trPrintf(format, english.c_str() + head.size());
    }
  }
  return english;
}

void statusLine(const UiState& ui) {
  if (ui.statusMessage.empty()) return;
  const std::string message = shownStatus(ui.statusMessage);
  sameLineIfFits(message.c_str());
  // Wrapped: an error quoting a file's path and problem is read whole at a projector's font
  // (the toolbar grows to its lines).
  wrappedTextDisabled(message);
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
