// The event log: strace-like lines for every event in the order the events began
// (core/trace/start_order.hpp), filtered by socket and kind, clipped (ImGuiListClipper) so a
// million lines cost what the visible ones cost; linked both ways with the timeline's
// selection.
#include <algorithm>
#include <optional>
#include <string>

#include "app/gui/panels/panels.hpp"
#include "app/gui/state/event_match.hpp"
#include "core/trace/event_text.hpp"

namespace eps::gui {
namespace {

constexpr std::uint64_t kScanSlice = 65'536;  // events matched per batch of the log's order

// The engine's control channel (a lesson hides it): the calls on its eventfds' lanes, and
// epoll_wait's reports of those eventfds (listed under epoll_wait: matched by fd and time).
bool onControlLane(const TimelineModel& model, std::uint64_t id, const TraceEvent& e) {
  const auto& lanes = model.lanes();
  const std::uint32_t lane = model.laneOf(id);
  if (lane < lanes.size() && lanes[lane].kind == LaneKind::Control) return true;
  if (e.kind != EventKind::Ready || (e.flags & kEventImported) != 0) return false;
  return std::any_of(lanes.begin(), lanes.end(), [&](const LaneInfo& l) {
    return l.kind == LaneKind::Control && l.fd == e.fd && l.startNs <= e.tNs &&
           (l.endNs < 0 || e.tNs <= l.endNs);
  });
}

void refresh(Frame& frame) {
  TimelineModel& model = frame.workspace.timeline();
  LogCache& cache = frame.ui.logCache;
  const bool hideControl = frame.ui.timeline.hideControl;
  if (cache.dirty || cache.scannedTo < model.firstRetainedId() || cache.scannedTo > model.endId() ||
      cache.hidControl != hideControl) {
    cache.order.clear();
    cache.scannedTo = model.firstRetainedId();
    cache.dirty = false;
    cache.hidControl = hideControl;
  }
  // Ids dropped by the retention cap leave the list (near its front, not strictly at it).
  cache.order.dropBefore(model.firstRetainedId());
  // New events arrive in completion order; each is listed where it began. In slices, so the
  // scratch batch stays small when a file of millions of events is shown.
  const std::uint64_t end = model.endId();
  for (std::uint64_t from = cache.scannedTo; from < end; from += kScanSlice) {
    model.forEachEvent(from, std::min(end, from + kScanSlice),
                       [&](std::uint64_t id, const TraceEvent& e) {
                         if (hideControl && onControlLane(model, id, e)) return;
                         if (eventMatches(frame.ui.logFilter, frame.ui.logFilter.text, e,
                                          frame.workspace.payloads())) {
                           cache.batch.push_back({e.tNs, id});
                         }
                       });
    cache.order.insert(cache.batch);
  }
  cache.scannedTo = end;
}

void filterBar(Frame& frame) {
  LogFilter& filter = frame.ui.logFilter;
  bool changed = false;
  // The bar flows onto more lines when the panel is narrow or the font large.
  const float em = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(em * 2.5f);
  changed |= ImGui::InputInt(asIs("fd"), &filter.fd, 0);
  struct KindToggle {
    const char* label;
    std::initializer_list<EventKind> kinds;
  };
  const KindToggle toggles[] = {
      {"calls", {EventKind::Call}},
      {"ready", {EventKind::Ready}},
      {"samples", {EventKind::Sample}},
      {"diagnoses",
       {EventKind::Stranded, EventKind::Busy, EventKind::Blocked, EventKind::Crash,
        EventKind::Herd}},
      {"knobs", {EventKind::Config, EventKind::Control, EventKind::Step}},
      {"clients", {EventKind::ClientAction, EventKind::ClientData}},
  };
  // The kinds shown: in a popup, so the bar stays one line at a projector's font.
  sameLineIfFits(tr("kinds..."));
  if (ImGui::Button(tr("kinds..."))) ImGui::OpenPopup("log kinds");
  noteWidget(frame.ui, "log-kinds");
  if (ImGui::BeginPopup("log kinds")) {
    closePopupOnEscape();
    for (const KindToggle& toggle : toggles) {
      bool on = filter.kinds[static_cast<std::size_t>(*toggle.kinds.begin())];
      if (ImGui::Checkbox(tr(toggle.label), &on)) {
        for (EventKind kind : toggle.kinds) filter.kinds[static_cast<std::size_t>(kind)] = on;
        changed = true;
      }
    }
    ImGui::EndPopup();
  }
  sameLineIfFits(em * 5.5f);
  char text[64];
  std::snprintf(text, sizeof text, "%s", filter.text.c_str());
  ImGui::SetNextItemWidth(em * 5.5f);
  const bool edited = ImGui::InputTextWithHint("##find", tr("find text"), text, sizeof text);
  noteWidget(frame.ui, "log-find");
  if (edited) {
    filter.text = text;
    changed = true;
  }
  sameLineIfFits(tr("follow"));
  ImGui::Checkbox(tr("follow###log-follow"), &frame.ui.logCache.followTail);
  if (changed) frame.ui.logCache.dirty = true;
}

void line(Frame& frame, std::uint64_t id, std::int64_t originNs) {
  const TraceEvent& e = frame.workspace.timeline().event(id);
  char time[32];
  std::snprintf(time, sizeof time, "%10.3f ms ", static_cast<double>(e.tNs - originNs) / 1e6);
  const std::string text = time + eventLine(e, frame.workspace.payloads(), tr);
  const bool failed = e.kind == EventKind::Call && e.ret < 0;
  const bool diagnosis = e.kind == EventKind::Stranded || e.kind == EventKind::Busy ||
                         e.kind == EventKind::Blocked || e.kind == EventKind::Crash ||
                         e.kind == EventKind::Herd;
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

// Scrolls to the line of the timeline's selection, or to where it would be when the filter
// hides it: the list is in start order, so the position comes from (start, id).
void revealSelection(Frame& frame, float lineHeight) {
  frame.ui.revealSelectionInLog = false;
  const TimelineModel& model = frame.workspace.timeline();
  const std::optional<std::uint64_t> selected = frame.ui.selected;
  if (!selected || *selected < model.firstRetainedId() || *selected >= model.endId()) return;
  const std::size_t at = frame.ui.logCache.order.positionOf(model.event(*selected).tNs, *selected);
  const float y = static_cast<float>(at) * lineHeight - ImGui::GetWindowHeight() / 2;
  ImGui::SetScrollY(std::max(0.0f, y));
  frame.ui.logCache.followTail = false;
}

}  // namespace

void drawEventLog(Frame& frame, const Rect& rect) {
  if (!beginPanel(tr("Event log###log"), rect)) return ImGui::End();
  refresh(frame);
  filterBar(frame);
  // The detail pane below the lines: a header, the call (two lines when wrapped), the
  // explanation.
  // Below the lines when there is room for both; a short panel (a projector's font) keeps
  // its height for the lines, and the timeline's hover says as much about an event.
  const float row = ImGui::GetTextLineHeightWithSpacing();
  const float avail = ImGui::GetContentRegionAvail().y;
  const float detailsHeight = avail >= row * 11 ? std::min(row * 5.5f, avail * 0.4f) : 0;
  ImGui::BeginChild("lines", ImVec2(0, -detailsHeight));
  const LogCache& cache = frame.ui.logCache;
  const float lineHeight = ImGui::GetTextLineHeightWithSpacing();
  const TimelineModel& model = frame.workspace.timeline();
  if (frame.ui.revealSelectionInLog) revealSelection(frame, lineHeight);
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(cache.order.size()), lineHeight);
  const std::int64_t origin = model.firstNs();
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      line(frame, cache.order.idAt(static_cast<std::size_t>(i)), origin);
    }
  }
  if (cache.followTail) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  if (detailsHeight > 0) drawEventDetails(frame);
  ImGui::End();
}

}  // namespace eps::gui
