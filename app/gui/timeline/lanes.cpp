// Which lanes the timeline shows and in what order: epoll_wait, the listener, each connection
// followed by the built-in client on its other end, the other clients, then the rest; pinned
// lanes first; hidden lanes and, with "sockets only", files, pipes and the control lane left
// out (a lesson's control lanes too, until asked for: TimelineViewState::hideControl). Lanes are remembered by name, so a lesson replay (new lane ids) keeps the choice.
#include <algorithm>
#include <string>
#include <utility>

#include "app/gui/state/frame.hpp"
#include "app/gui/timeline/context.hpp"

namespace eps::gui {
namespace {

std::vector<std::uint32_t> readingOrder(const TimelineModel& model, std::int64_t t0,
                                        std::int64_t t1) {
  const auto& lanes = model.lanes();
  const auto visible = [&](const LaneInfo& l) {
    return (l.endNs < 0 || l.endNs >= t0) && l.startNs <= t1;
  };
  std::vector<std::uint32_t> order;
  std::vector<bool> placed(lanes.size(), false);
  const auto add = [&](const LaneInfo& l) {
    if (!placed[l.id] && visible(l)) order.push_back(l.id);
    placed[l.id] = true;
  };
  for (LaneKind kind : {LaneKind::EpollWait, LaneKind::Listener}) {
    for (const LaneInfo& l : lanes)
      if (l.kind == kind) add(l);
  }
  for (const LaneInfo& l : lanes) {
    if (l.kind != LaneKind::Connection) continue;
    add(l);
    for (const LaneInfo& c : lanes) {
      if (c.kind == LaneKind::Client && c.localPort != 0 && c.localPort == l.peerPort) add(c);
    }
  }
  for (const LaneInfo& l : lanes)
    if (l.kind == LaneKind::Client) add(l);
  for (const LaneInfo& l : lanes) add(l);
  return order;
}

// Nothing to see on the lane in [t0, t1]: no item, no bytes or connections waiting under it,
// no stranded span. O(log n) per lane.
bool idleInView(const TimelineModel& model, std::uint32_t lane, std::int64_t t0, std::int64_t t1) {
  const TimelineModel::Range range = model.visible(lane, t0, t1);
  if (range.end > range.begin) return false;
  if (!model.strandedSpans(lane, t0, t1).empty()) return false;
  if (model.laneSampleCount(lane) == 0) return true;
  std::vector<DepthColumn> depth;
  model.depthColumns(lane, t0, static_cast<double>(t1 - t0), 1, depth);
  return depth.empty() || !depth[0].valid || depth[0].max <= 0;
}

}  // namespace

// An imported lane knows its descriptor's kind from strace's -yy decoration (fd_kinds.hpp);
// the engine's own lanes go by their role.
bool laneIsSocket(const LaneInfo& lane) {
  if (lane.fdKind != FdKind::Unknown && lane.kind != LaneKind::EpollWait) {
    return fdKindIsSocket(lane.fdKind);
  }
  switch (lane.kind) {
    case LaneKind::EpollWait:
    case LaneKind::Listener:
    case LaneKind::Client:
    case LaneKind::Connection:
      return true;
    case LaneKind::Control:
    case LaneKind::IdleFd:
    case LaneKind::Other:
      return false;
  }
  return false;
}

std::vector<ShownLane> shownLanes(const TimelineViewState& view, const TimelineModel& model,
                                  std::int64_t t0, std::int64_t t1, std::size_t* hidden) {
  std::vector<ShownLane> pinned, rest;
  std::size_t left = 0;
  for (const std::uint32_t id : readingOrder(model, t0, t1)) {
    const LaneInfo& lane = model.lanes()[id];
    if (view.hidden.contains(lane.name) || (view.socketsOnly && !laneIsSocket(lane)) ||
        (view.hideFiles && lane.fdKind == FdKind::File) ||
        (view.hideControl && lane.kind == LaneKind::Control)) {
      ++left;
      continue;
    }
    ShownLane shown{id, view.pinned.contains(lane.name), view.collapsed.contains(lane.name),
                    view.shrinkIdle && idleInView(model, id, t0, t1)};
    (shown.pinned ? pinned : rest).push_back(shown);
  }
  if (hidden != nullptr) *hidden = left;
  pinned.insert(pinned.end(), rest.begin(), rest.end());
  return pinned;
}

void laneLabel(TimelineViewState& view, const TimelineContext& ctx, const LaneInfo& lane,
               const LaneRow& row, float left, float labelWidth) {
  const Theme& t = *ctx.theme;
  const Color color = lane.kind == LaneKind::EpollWait ? t.waitReturned
                      : lane.kind == LaneKind::Client  ? t.client
                      : lane.endNs >= 0                ? t.textDim
                                                       : t.text;
  const bool pinned = view.pinned.contains(lane.name);
  const bool collapsed = view.collapsed.contains(lane.name);
  const std::string text = std::string(collapsed ? "+ " : "") + (pinned ? "* " : "") + lane.name;
  ctx.draw->PushClipRect({left, row.top}, {left + labelWidth - 4, row.top + row.height}, true);
  const float y = row.top + std::max(0.0f, (row.height - ctx.fontSize) / 2);
  ctx.draw->AddText({left + 6, y}, color, text.c_str());
  ctx.draw->PopClipRect();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool over = mouse.x >= left && mouse.x < left + labelWidth && mouse.y >= row.top &&
                    mouse.y < row.top + row.height;
  if (!over || !ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows)) return;
  ImGui::SetTooltip("%s\n%s", lane.name.c_str(),
                    tr("right-click: pin, collapse, hide; double-click: collapse"));
  const auto toggle = [&](std::set<std::string>& set) {
    if (!set.erase(lane.name)) set.insert(lane.name);
  };
  if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) toggle(view.collapsed);
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
    view.laneMenuFor = lane.name;  // opened by laneMenu, in the panel's own window
    view.openLaneMenu = true;
  }
}

void laneMenu(UiState& ui) {
  TimelineViewState& view = ui.timeline;
  // The right-click menu of a lane label (asked for by laneLabel).
  if (std::exchange(view.openLaneMenu, false)) ImGui::OpenPopup("lane menu");
  if (ImGui::BeginPopup("lane menu")) {
    closePopupOnEscape();
    const std::string& name = view.laneMenuFor;
    ImGui::TextDisabled("%s", name.c_str());
    const auto toggle = [&name](std::set<std::string>& set) {
      if (!set.erase(name)) set.insert(name);
    };
    if (ImGui::MenuItem(view.pinned.contains(name) ? tr("Unpin") : tr("Pin to the top"))) {
      toggle(view.pinned);
    }
    if (ImGui::MenuItem(view.collapsed.contains(name) ? tr("Expand") : tr("Collapse"))) {
      toggle(view.collapsed);
    }
    if (ImGui::MenuItem(tr("Hide"))) view.hidden.insert(name);
    ImGui::EndPopup();
  }
  if (ImGui::Button(tr("Lanes"))) ImGui::OpenPopup("lanes");
  noteWidget(ui, "lanes");
  if (!ImGui::BeginPopup("lanes")) return;
  closePopupOnEscape();
  ImGui::Checkbox(tr("sockets only (hide files, pipes, the control lane)"), &view.socketsOnly);
  noteWidget(ui, "sockets-only");
  ImGui::Checkbox(tr("hide files (an import's modules, libraries, logs)"), &view.hideFiles);
  noteWidget(ui, "hide-files");
  ImGui::Checkbox(tr("thin lanes where nothing happens in view"), &view.shrinkIdle);
  noteWidget(ui, "shrink-idle");
  ImGui::Checkbox(tr("show the engine's control channel (its eventfds) in a lesson"),
                  &view.showControl);
  noteWidget(ui, "show-control");
  ImGui::Separator();
  if (view.hidden.empty())
    ImGui::TextDisabled("%s", tr("no lane hidden (right-click a lane to hide it)"));
  for (auto it = view.hidden.begin(); it != view.hidden.end();) {
    if (ImGui::MenuItem(trPrintf("show %s", it->c_str()).c_str())) {
      it = view.hidden.erase(it);
    } else {
      ++it;
    }
  }
  if (!view.pinned.empty() || !view.collapsed.empty() || !view.hidden.empty()) {
    ImGui::Separator();
    if (ImGui::MenuItem(tr("show every lane, none pinned or collapsed"))) {
      view.pinned.clear();
      view.collapsed.clear();
      view.hidden.clear();
    }
  }
  ImGui::EndPopup();
}

}  // namespace eps::gui
