// The timeline panel: one lane per listener, connection and client plus the epoll_wait lane;
// wheel zoom around the cursor, drag to pan, fit all, follow live; hover shows the call as
// strace would print it with one line of explanation; click selects (linked with the log).
#include <algorithm>
#include <string>

#include "app/gui/panels.hpp"
#include "app/gui/timeline_context.hpp"
#include "core/event_text.hpp"

namespace eps::gui {
namespace {

constexpr float kLabelWidth = 150;
constexpr float kRulerHeight = 18;

// Lanes in reading order: epoll_wait, listener, each connection followed by the built-in
// client on its other end, the remaining clients, then control and the rest.
std::vector<std::uint32_t> laneOrder(const TimelineModel& model, std::int64_t t0, std::int64_t t1) {
  const auto& lanes = model.lanes();
  const auto visible = [&](const LaneInfo& l) { return l.endNs < 0 || l.endNs >= t0; };
  std::vector<std::uint32_t> order;
  std::vector<bool> placed(lanes.size(), false);
  const auto add = [&](const LaneInfo& l) {
    if (!placed[l.id] && visible(l) && l.startNs <= t1) order.push_back(l.id);
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

void updateView(Frame& frame, const TimelineModel& model, float width) {
  TimelineViewState& view = frame.ui.timeline;
  const std::int64_t first = model.firstNs();
  const std::int64_t last = std::max(model.lastNs(), first + 1000);
  // The content takes the left 70%: the right is kept for what is still going on (the
  // engine asleep, bytes stranded) and its labels.
  const auto fit = [&](double spanNs) {
    view.nsPerPixel = std::max(0.5, spanNs / 0.70 / static_cast<double>(width));
    view.startNs = last - static_cast<std::int64_t>(spanNs * 1.02);
  };
  if (view.zoomSpanNs > 0) {
    view.nsPerPixel = view.zoomSpanNs / static_cast<double>(width);
    view.startNs = view.zoomCenterNs - static_cast<std::int64_t>(view.zoomSpanNs / 2);
    view.zoomSpanNs = 0;
    view.followLive = false;
  } else if (view.fitRequested) {
    fit(static_cast<double>(last - std::max(first, view.fitFromNs)));
    view.fitRequested = false;
    view.followLive = false;
  } else if (view.followLive) {
    fit(std::min(view.followSpanNs, static_cast<double>(last - first)));
  }
  if (frame.ui.revealSelectionInTimeline && frame.ui.selected &&
      *frame.ui.selected >= model.firstRetainedId() && *frame.ui.selected < model.endId()) {
    const TraceEvent& e = model.event(*frame.ui.selected);
    view.startNs =
        e.tNs - static_cast<std::int64_t>(static_cast<double>(width) / 2 * view.nsPerPixel);
    view.followLive = false;
    frame.ui.revealSelectionInTimeline = false;
  }
}

void handleMouse(Frame& frame, TimelineContext& ctx, bool hovered, bool active) {
  TimelineViewState& view = frame.ui.timeline;
  const ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {  // zoom around the cursor
    const std::int64_t at = ctx.nsAt(io.MousePos.x);
    const double factor = io.MouseWheel > 0 ? 0.8 : 1.25;
    view.nsPerPixel = std::clamp(view.nsPerPixel * factor, 0.5, 1e10);
    view.startNs = at - static_cast<std::int64_t>(
                            static_cast<double>(io.MousePos.x - ctx.canvasMin.x) * view.nsPerPixel);
    // While following, the wheel changes how much of the recent past is shown.
    if (view.followLive) view.followSpanNs = view.nsPerPixel * static_cast<double>(ctx.width);
  }
  if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2)) {
    view.startNs -=
        static_cast<std::int64_t>(static_cast<double>(io.MouseDelta.x) * view.nsPerPixel);
    view.followLive = false;
  }
  ctx.startNs = view.startNs;
  ctx.nsPerPixel = view.nsPerPixel;
}

void laneLabel(const TimelineContext& ctx, const LaneInfo& lane, const LaneRow& row, float left) {
  const Theme& t = *ctx.theme;
  const Color color = lane.kind == LaneKind::EpollWait ? t.waitReturned
                      : lane.kind == LaneKind::Client  ? t.client
                      : lane.endNs >= 0                ? t.textDim
                                                       : t.text;
  ctx.draw->AddText({left + 6, row.top + (row.height - ctx.fontSize) / 2}, color,
                    lane.name.c_str());
}

void hoverAndSelect(Frame& frame, const TimelineContext& ctx, const LaneRow& row, bool clicked) {
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (mouse.y < row.top || mouse.y >= row.top + row.height || mouse.x < ctx.canvasMin.x) return;
  const auto hit = ctx.model->hitTest(row.lane, ctx.nsAt(mouse.x),
                                      static_cast<std::int64_t>(4 * ctx.nsPerPixel));
  if (!hit) return;
  const TraceEvent& e = ctx.model->event(*hit);
  const std::string explanation = eventExplanation(e);
  ImGui::BeginTooltip();
  ImGui::TextUnformatted(eventLine(e, frame.session.payloads()).c_str());
  if (const auto took = eventDurationText(e); !took.empty()) ImGui::TextDisabled("%s", took.data());
  if (!explanation.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(explanation.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndTooltip();
  if (clicked) {
    frame.ui.selected = hit;
    frame.ui.revealSelectionInLog = true;
  }
}

void drawSelection(const Frame& frame, const TimelineContext& ctx, const LaneRow& row) {
  if (!frame.ui.selected || *frame.ui.selected < ctx.model->firstRetainedId() ||
      *frame.ui.selected >= ctx.model->endId() ||
      ctx.model->laneOf(*frame.ui.selected) != row.lane) {
    return;
  }
  const TraceEvent& e = ctx.model->event(*frame.ui.selected);
  const float x0 = ctx.xOf(e.tNs) - 3, x1 = std::max(ctx.xOf(e.tNs + e.durNs), x0 + 6) + 3;
  ctx.draw->AddRect({x0, row.top}, {x1, row.top + row.height}, ctx.theme->selection, 2, 0, 2);
}

// While the engine sleeps in epoll_wait the call has not returned, so the trace has no event
// for it yet: draw the sleep from its start to now.
void drawOngoingWait(Frame& frame, const TimelineContext& ctx, const LaneRow& row) {
  if (!frame.session.live()) return;  // a file: nothing is ongoing
  const EngineStatus status = frame.session.engine().status();
  if (!status.inCall || status.pendingCall != Call::EpollWait) return;
  const float x0 = std::max(ctx.xOf(status.callSinceNs), ctx.canvasMin.x);
  const float x1 = ctx.xOf(monotonicNs());
  const float top = row.top + row.height * 0.2f, bottom = row.top + row.height * 0.8f;
  ctx.draw->AddRectFilled({x0, top}, {x1, bottom},
                          (ctx.theme->waitSpan & 0x00ffffffu) | 0x90000000u);
  if (x1 - x0 > 140) ctx.draw->AddText({x0 + 4, top + 1}, ctx.theme->text, "asleep in epoll_wait");
}

}  // namespace

void drawTimelinePanel(Frame& frame, const Rect& rect) {
  if (!beginPanel("Timeline", rect)) return ImGui::End();
  if (frame.ui.showLegend) drawLegend(frame.theme);
  TimelineModel& model = frame.session.timeline();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float label = kLabelWidth * frame.ui.fontScale;
  ImGui::InvisibleButton("canvas", {std::max(avail.x, 50.0f), std::max(avail.y, 50.0f)});
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  TimelineContext ctx;
  ctx.draw = ImGui::GetWindowDrawList();
  ctx.theme = &frame.theme;
  ctx.model = &model;
  ctx.canvasMin = {origin.x + label, origin.y + kRulerHeight};
  ctx.width = std::max(avail.x - label, 10.0f);
  ctx.originNs = model.firstNs();
  ctx.fontSize = ImGui::GetFontSize();
  updateView(frame, model, ctx.width);
  handleMouse(frame, ctx, hovered, ImGui::IsItemActive());
  const float bottom = origin.y + avail.y;
  ctx.draw->PushClipRect(origin, {origin.x + avail.x, bottom}, true);
  drawRuler(ctx, origin.y, bottom);
  const float laneHeight = frame.ui.timeline.laneHeight * frame.ui.fontScale;
  float y = ctx.canvasMin.y;
  std::vector<TimelineBlock> blocks;
  std::vector<DepthColumn> depth;
  const auto order = laneOrder(model, ctx.startNs, ctx.endNs());
  for (std::size_t i = 0; i < order.size() && y < bottom; ++i) {
    const LaneRow row{order[i], y, laneHeight};
    const LaneInfo& lane = model.lanes()[order[i]];
    ctx.draw->AddRectFilled({origin.x, y}, {origin.x + avail.x, y + laneHeight},
                            i % 2 ? frame.theme.laneAlternate : frame.theme.laneBackground);
    ctx.draw->PushClipRect(ctx.canvasMin, {origin.x + avail.x, bottom}, true);
    drawLaneDepth(ctx, row, depth);
    drawLaneStranded(ctx, LaneRow{row.lane, row.top, row.height});  // its own label line
    drawLaneBlocks(ctx, row, blocks);
    if (lane.kind == LaneKind::EpollWait && lane.thread == 0) drawOngoingWait(frame, ctx, row);
    drawSelection(frame, ctx, row);
    ctx.draw->PopClipRect();
    laneLabel(ctx, lane, row, origin.x);
    if (hovered) hoverAndSelect(frame, ctx, row, clicked);
    y += laneHeight;
  }
  drawConfigMarkers(ctx, ctx.canvasMin.y, std::min(y, bottom));
  ctx.draw->PopClipRect();
  ImGui::End();
}

}  // namespace eps::gui
