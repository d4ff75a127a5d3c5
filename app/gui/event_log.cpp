// The event log: strace-like lines for every event, filtered by socket and kind, clipped
// (ImGuiListClipper) so a million lines cost what the visible ones cost; linked both ways
// with the timeline's selection.
#include <algorithm>
#include <string>

#include "app/gui/panels.hpp"
#include "core/event_text.hpp"

namespace eps::gui {
namespace {

// The text filter also finds what a peer typed (the bytes of reads), escaped as shown.
bool passes(const LogFilter& filter, const TraceEvent& e, const PayloadStore* payloads) {
  if (!filter.kinds[static_cast<std::size_t>(e.kind)]) return false;
  if (filter.fd >= 0 && e.fd != filter.fd) return false;
  if (!filter.text.empty() && eventLine(e, payloads).find(filter.text) == std::string::npos) {
    return false;
  }
  return true;
}

void refresh(Frame& frame) {
  TimelineModel& model = frame.session.timeline();
  LogCache& cache = frame.ui.logCache;
  if (cache.dirty || cache.scannedTo < model.firstRetainedId() || cache.scannedTo > model.endId()) {
    cache.ids.clear();
    cache.scannedTo = model.firstRetainedId();
    cache.dirty = false;
  }
  // Ids dropped by the retention cap leave the front.
  const auto firstKept =
      std::lower_bound(cache.ids.begin(), cache.ids.end(), model.firstRetainedId());
  cache.ids.erase(cache.ids.begin(), firstKept);
  for (std::uint64_t id = cache.scannedTo; id < model.endId(); ++id) {
    if (passes(frame.ui.logFilter, model.event(id), frame.session.payloads())) {
      cache.ids.push_back(id);
    }
  }
  cache.scannedTo = model.endId();
}

void filterBar(Frame& frame) {
  LogFilter& filter = frame.ui.logFilter;
  bool changed = false;
  ImGui::SetNextItemWidth(80);
  changed |= ImGui::InputInt("fd", &filter.fd, 0);
  struct KindToggle {
    const char* label;
    std::initializer_list<EventKind> kinds;
  };
  const KindToggle toggles[] = {
      {"calls", {EventKind::Call}},
      {"ready", {EventKind::Ready}},
      {"samples", {EventKind::Sample}},
      {"diagnoses", {EventKind::Stranded, EventKind::Busy, EventKind::Blocked, EventKind::Crash}},
      {"knobs", {EventKind::Config, EventKind::Control, EventKind::Step}},
      {"clients", {EventKind::ClientAction, EventKind::ClientData}},
  };
  for (const KindToggle& toggle : toggles) {
    ImGui::SameLine();
    bool on = filter.kinds[static_cast<std::size_t>(*toggle.kinds.begin())];
    if (ImGui::Checkbox(toggle.label, &on)) {
      for (EventKind kind : toggle.kinds) filter.kinds[static_cast<std::size_t>(kind)] = on;
      changed = true;
    }
  }
  ImGui::SameLine();
  char text[64];
  std::snprintf(text, sizeof text, "%s", filter.text.c_str());
  ImGui::SetNextItemWidth(160);
  const bool edited = ImGui::InputTextWithHint("##find", "find text", text, sizeof text);
  noteWidget(frame.ui, "log-find");
  if (edited) {
    filter.text = text;
    changed = true;
  }
  ImGui::SameLine();
  ImGui::Checkbox("follow", &frame.ui.logCache.followTail);
  if (changed) frame.ui.logCache.dirty = true;
}

void line(Frame& frame, std::uint64_t id, std::int64_t originNs) {
  const TraceEvent& e = frame.session.timeline().event(id);
  char time[32];
  std::snprintf(time, sizeof time, "%10.3f ms ", static_cast<double>(e.tNs - originNs) / 1e6);
  const std::string text = time + eventLine(e, frame.session.payloads());
  const bool failed = e.kind == EventKind::Call && e.ret < 0;
  const bool diagnosis = e.kind == EventKind::Stranded || e.kind == EventKind::Busy ||
                         e.kind == EventKind::Blocked || e.kind == EventKind::Crash;
  if (failed || diagnosis) {
    ImGui::PushStyleColor(
        ImGuiCol_Text,
        ImGui::ColorConvertU32ToFloat4(diagnosis ? frame.theme.stranded : frame.theme.eagain));
  }
  ImGui::PushID(static_cast<int>(id));
  if (ImGui::Selectable(text.c_str(), frame.ui.selected == id)) {
    frame.ui.selected = id;
    frame.ui.revealSelectionInTimeline = true;
  }
  ImGui::PopID();
  if (failed || diagnosis) ImGui::PopStyleColor();
}

}  // namespace

void drawEventLog(Frame& frame, const Rect& rect) {
  if (!beginPanel("Event log", rect)) return ImGui::End();
  refresh(frame);
  filterBar(frame);
  // The detail pane below the lines: a header, the call (two lines when wrapped), the
  // explanation.
  const float detailsHeight = ImGui::GetTextLineHeightWithSpacing() * 5.5f;
  ImGui::BeginChild("lines", ImVec2(0, -detailsHeight));
  const LogCache& cache = frame.ui.logCache;
  const float lineHeight = ImGui::GetTextLineHeightWithSpacing();
  if (frame.ui.revealSelectionInLog && frame.ui.selected) {
    const auto at = std::lower_bound(cache.ids.begin(), cache.ids.end(), *frame.ui.selected);
    const auto index = static_cast<float>(at - cache.ids.begin());
    ImGui::SetScrollY(std::max(0.0f, index * lineHeight - ImGui::GetWindowHeight() / 2));
    frame.ui.revealSelectionInLog = false;
    frame.ui.logCache.followTail = false;
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(cache.ids.size()), lineHeight);
  const std::int64_t origin = frame.session.timeline().firstNs();
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      line(frame, cache.ids[static_cast<std::size_t>(i)], origin);
    }
  }
  if (cache.followTail) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  drawEventDetails(frame);
  ImGui::End();
}

}  // namespace eps::gui
