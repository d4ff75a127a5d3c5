// Every knob of the engine, live: a change goes to the engine at once as (knob, value), which
// the engine applies between two calls and records (the timeline marks it across every lane).
// Only the knob changed travels: two edits made while the engine is paused or paced both
// take effect, in order. The panel shows the knobs as they will be once queued edits apply.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "app/gui/panels/panels.hpp"

namespace eps::gui {
namespace {

// Draws one knob as its table row says its values are written (core/base/knobs.hpp);
// returns the new value text when the user changed it.
std::optional<std::string> knobWidget(UiState& ui, const KnobInfo& info, const Knobs& knobs) {
  const std::string label = std::string(info.name);
  const std::string value = knobValueText(knobs, info.id);
  if (info.values == KnobValues::Switch) {
    bool on = value == info.choices[1];
    const bool clicked = ImGui::Checkbox(label.c_str(), &on);
    noteWidget(ui, "knob:" + label);
    if (clicked) return std::string(on ? info.choices[1] : info.choices[0]);
    return std::nullopt;
  }
  if (info.values == KnobValues::Choice) {
    std::optional<std::string> picked;
    const bool open = ImGui::BeginCombo(label.c_str(), value.c_str());
    noteWidget(ui, "knob:" + label);
    if (open) {
      for (const std::string_view choice : info.choices) {
        const std::string text(choice);
        if (ImGui::Selectable(text.c_str(), text == value)) picked = text;
        noteWidget(ui, "knob:" + label + "=" + text);
      }
      ImGui::EndCombo();
    }
    return picked;
  }
  // A number, maybe with a word for one value outside its range (max-events: "grow").
  const bool hasWord = !info.word.empty();
  bool word = hasWord && value == info.word;
  const std::int64_t fallback = std::clamp<std::int64_t>(64, info.min, info.max);
  if (hasWord) {
    const bool clicked = ImGui::Checkbox((std::string(info.word) + "##" + label).c_str(), &word);
    noteWidget(ui, "knob:" + label + ":" + std::string(info.word));
    if (clicked) return word ? std::string(info.word) : std::to_string(fallback);
  }
  if (hasWord) ImGui::SameLine();
  if (word) return std::nullopt;
  int number = std::atoi(value.c_str());
  const bool entered =
      ImGui::InputInt(label.c_str(), &number, 1, 100, ImGuiInputTextFlags_EnterReturnsTrue);
  noteWidget(ui, "knob:" + label);
  if (entered) return std::to_string(number);
  return std::nullopt;
}

}  // namespace

void drawKnobsPanel(Frame& frame, Controls& controls, const Rect& rect) {
  // Scrolls sideways at a projector's font rather than clip the knobs' names.
  if (!beginPanel(tr("Engine knobs###knobs"), rect, ImGuiWindowFlags_HorizontalScrollbar))
    return ImGui::End();
  Engine& engine = controls.engine();
  const Knobs applied = engine.knobs();
  Knobs knobs = engine.pendingKnobs();
  ImGui::PushItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.45f, ImGui::GetFontSize() * 5));
  for (const KnobInfo& info : knobTable()) {
    const auto changed = knobWidget(frame.ui, info, knobs);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s (%s)", tr(info.help.data()), info.allowed.data());
    if (knobValueNumber(knobs, info.id) != knobValueNumber(applied, info.id)) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", tr("(queued)"));
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
