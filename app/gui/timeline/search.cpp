#include "app/gui/timeline/search.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <array>

#include "app/gui/state/event_match.hpp"

namespace eps::gui {
namespace {

// Shows match `index`: selects it, centres the timeline on it and the log on its line.
void showMatch(Frame& frame, int index) {
  TimelineSearch& search = frame.ui.search;
  if (search.matches.empty()) return;
  const int count = static_cast<int>(search.matches.size());
  search.current = (index % count + count) % count;
  frame.ui.selected = search.matches.idAt(static_cast<std::size_t>(search.current));
  frame.ui.revealSelectionInTimeline = true;
  frame.ui.revealSelectionInLog = true;
}

}  // namespace

void updateSearch(Frame& frame) {
  TimelineSearch& search = frame.ui.search;
  const TimelineModel& model = frame.workspace.timeline();
  const LogFilter& filter = frame.ui.logFilter;
  if (search.dirty || search.scannedTo < model.firstRetainedId() ||
      search.scannedTo > model.endId() || search.kinds != filter.kinds || search.fd != filter.fd) {
    search.kinds = filter.kinds;
    search.fd = filter.fd;
    search.matches.clear();
    search.scannedTo = model.firstRetainedId();
    search.current = -1;
    search.dirty = false;
  }
  const std::size_t before = search.matches.size();
  search.matches.dropBefore(model.firstRetainedId());
  search.current -= static_cast<int>(before - search.matches.size());
  if (search.text.empty()) {
    search.scannedTo = model.endId();
    return;
  }
  model.forEachEvent(search.scannedTo, model.endId(), [&](std::uint64_t id, const TraceEvent& e) {
    if (eventMatches(frame.ui.logFilter, search.text, e, frame.workspace.payloads())) {
      search.batch.push_back({e.tNs, id});
    }
  });
  search.matches.insert(search.batch);
  search.scannedTo = model.endId();
}

void searchBar(Frame& frame, float width) {
  TimelineSearch& search = frame.ui.search;
  std::array<char, 128> text{};
  search.text.copy(text.data(), text.size() - 1);
  ImGui::SetNextItemWidth(width);
  const bool entered = ImGui::InputTextWithHint("##search", tr("search the timeline"), text.data(),
                                                text.size(), ImGuiInputTextFlags_EnterReturnsTrue);
  noteWidget(frame.ui, "search");
  if (search.text != text.data()) {
    search.text = text.data();
    search.dirty = true;
  }
  if (entered) ImGui::SetKeyboardFocusHere(-1);  // keep typing, Enter again for the next one
  const ImGuiIO& io = ImGui::GetIO();
  const bool f3 = ImGui::IsKeyPressed(GLFW_KEY_F3);
  ImGui::SameLine();
  ImGui::BeginDisabled(search.matches.empty());
  if (ImGui::ArrowButton("##prev", ImGuiDir_Left) || (f3 && io.KeyShift)) {
    showMatch(frame, search.current - 1);
  }
  ImGui::SameLine();
  if (ImGui::ArrowButton("##next", ImGuiDir_Right) || entered || (f3 && !io.KeyShift)) {
    showMatch(frame, search.current + 1);
  }
  ImGui::EndDisabled();
  if (!search.text.empty()) {
    ImGui::SameLine();
    if (search.current >= 0) {
      ImGui::TextUnformatted(
          trPrintf("%d of %zu", search.current + 1, search.matches.size()).c_str());
    } else {
      ImGui::TextUnformatted(trPrintf("%zu found", search.matches.size()).c_str());
    }
  }
}

}  // namespace eps::gui
