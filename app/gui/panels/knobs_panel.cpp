// Every knob of the engine, live: a change goes to the engine at once as (knob, value), which
// the engine applies between two calls and records (the timeline marks it across every lane).
// Only the knob changed travels: two edits made while the engine is paused or paced both
// take effect, in order. The panel shows the knobs as they will be once queued edits apply.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/panels/panels.hpp"

namespace eps::gui {
namespace {

std::vector<std::string> choicesOf(std::string_view allowed) {
  std::vector<std::string> out;
  while (!allowed.empty()) {
    const auto bar = allowed.find('|');
    out.emplace_back(allowed.substr(0, bar));
    if (bar == std::string_view::npos) break;
    allowed.remove_prefix(bar + 1);
  }
  return out;
}

// Draws one knob; returns the new value text when the user changed it.
std::optional<std::string> knobWidget(UiState& ui, const KnobInfo& info, const Knobs& knobs) {
  const std::string label = std::string(info.name);
  const std::string value = knobValueText(knobs, info.id);
  const std::vector<std::string> choices = choicesOf(info.allowed);
  if (info.allowed == "on|off") {
    bool on = value == "on";
    const bool clicked = ImGui::Checkbox(label.c_str(), &on);
    noteWidget(ui, "knob:" + label);
    if (clicked) return on ? "on" : "off";
    return std::nullopt;
  }
  if (info.allowed.find("..") == std::string_view::npos) {
    std::optional<std::string> picked;
    const bool open = ImGui::BeginCombo(label.c_str(), value.c_str());
    noteWidget(ui, "knob:" + label);
    if (open) {
      for (const std::string& choice : choices) {
        if (ImGui::Selectable(choice.c_str(), choice == value)) picked = choice;
        noteWidget(ui, "knob:" + label + "=" + choice);
      }
      ImGui::EndCombo();
    }
    return picked;
  }
  // A number, maybe with a word ("1..1024|grow").
  bool grow = value == "grow";
  int number = grow ? 64 : std::atoi(value.c_str());
  if (choices.size() > 1 && ImGui::Checkbox(("grow##" + label).c_str(), &grow)) {
    return grow ? std::string("grow") : std::string("64");
  }
  if (choices.size() > 1) ImGui::SameLine();
  if (grow) return std::nullopt;
  if (ImGui::InputInt(label.c_str(), &number, 1, 100, ImGuiInputTextFlags_EnterReturnsTrue)) {
    return std::to_string(number);
  }
  return std::nullopt;
}

}  // namespace

void drawKnobsPanel(Frame& frame, Controls& controls, const Rect& rect) {
  // Scrolls sideways at a projector's font rather than clip the knobs' names.
  if (!beginPanel("Engine knobs", rect, ImGuiWindowFlags_HorizontalScrollbar)) return ImGui::End();
  Engine& engine = controls.engine();
  const Knobs applied = engine.knobs();
  Knobs knobs = engine.pendingKnobs();
  ImGui::PushItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.45f, ImGui::GetFontSize() * 5));
  for (const KnobInfo& info : knobTable()) {
    const auto changed = knobWidget(frame.ui, info, knobs);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (%s)", info.help.data(), info.allowed.data());
    if (knobValueNumber(knobs, info.id) != knobValueNumber(applied, info.id)) {
      ImGui::SameLine();
      ImGui::TextDisabled("(queued)");
    }
    if (!changed) continue;
    Knobs next = knobs;
    if (auto error = setKnob(next, info.id, *changed)) {
      frame.ui.statusMessage = *error;
    } else {
      engine.setKnob(info.id, knobValueNumber(next, info.id));
      knobs = next;
    }
  }
  ImGui::PopItemWidth();
  ImGui::End();
}

}  // namespace eps::gui
