// The timeline panel: a header (search, lanes, fit and follow, the selected range's figures),
// the overview strip of the whole trace, the ruler (drag it to select a range), then one lane
// per listener, connection and client plus the epoll_wait lane — pinned lanes on top, the
// rest scrolled. Hover shows the call as strace would print it; click selects (linked with
// the log). Navigation is in gui/timeline/nav.cpp, lanes in gui/timeline/lanes.cpp.
#include "app/gui/timeline/view.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "app/gui/state/range_figures.hpp"
#include "app/gui/timeline/context.hpp"
#include "app/gui/timeline/search.hpp"
#include "core/base/names.hpp"
#include "core/trace/event_text.hpp"

namespace eps::gui {
namespace {

constexpr float kLabelEms = 10.5f;       // lane names' column, in font heights
constexpr float kCollapsedShare = 0.4f;  // a collapsed lane's height, of a full one

// Where this frame puts the timeline's parts, in window pixels.
struct Geometry {
  ImVec2 origin;        // top-left of the panel's content below the header
  float fullWidth = 0;  // labels + canvas + scrollbar
  float label = 0;
  float scrollbar = 0;
  float overviewTop = 0, rulerTop = 0, lanesTop = 0, scrolledTop = 0, bottom = 0;
  float canvasRight() const { return origin.x + fullWidth - scrollbar; }
};

struct Row {
  ShownLane shown;
  float top = 0, height = 0;
  bool drawn = false;
};

void rangeSummary(Frame& frame) {
  TimelineViewState& view = frame.ui.timeline;
  if (!view.hasRange) return;  // the ruler's tooltip says how to make one
  const RangeFigures& f =
      frame.ui.rangeFigures.get(frame.workspace.timeline(), view.rangeStartNs, view.rangeEndNs);
  ImGui::TextUnformatted(
      trPrintf("range %s: %llu calls, %llu wakeups, %llu EAGAIN, %lld B",
               durationText(f.durationNs).c_str(), static_cast<unsigned long long>(f.calls),
               static_cast<unsigned long long>(f.wakeups),
               static_cast<unsigned long long>(f.eagains), static_cast<long long>(f.bytes))
          .c_str());
  ImGui::SameLine();
  const bool zoom = ImGui::SmallButton(tr("zoom to it (Z)"));
  noteWidget(frame.ui, "zoom-range");
  if (zoom) {
    view.zoomSpanNs = static_cast<double>(view.rangeEndNs - view.rangeStartNs) * 1.1;
    view.zoomCenterNs = view.rangeStartNs + (view.rangeEndNs - view.rangeStartNs) / 2;
    view.userTookView = true;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton(tr("clear"))) view.hasRange = false;
}

void header(Frame& frame) {
  TimelineViewState& view = frame.ui.timeline;
  const float em = ImGui::GetFontSize();
  // The legend inline when it fits on two lines; at a projector's font, behind a button.
  const bool inline_ = frame.ui.showLegend && legendWidth() <= ImGui::GetContentRegionAvail().x * 2;
  if (inline_) drawLegend(frame.theme);
  searchBar(frame, em * 6.5f);
  if (!inline_) {
    sameLineIfFits(tr("legend"));
    if (ImGui::SmallButton(tr("legend"))) ImGui::OpenPopup("legend");
    if (ImGui::BeginPopup("legend")) {
      closePopupOnEscape();
      drawLegend(frame.theme, true);
      ImGui::EndPopup();
    }
  }
  sameLineIfFits(em * 4);
  laneMenu(frame.ui);
  sameLineIfFits(em * 5);
  if (ImGui::SmallButton(tr("Fit (F)"))) view.fitRequested = true;
  noteWidget(frame.ui, "fit");
  sameLineIfFits(em * 6);
  ImGui::Checkbox(tr("follow"), &view.followLive);
  noteWidget(frame.ui, "follow");
  if (view.userTookView) {
    sameLineIfFits(em * 14);
    ImGui::TextDisabled("%s", tr("view held: F frames everything"));
  }
  if (view.hasRange) {
    sameLineIfFits(em * 24);
    rangeSummary(frame);
  }
}

Geometry geometry() {
  Geometry g;
  const float em = ImGui::GetFontSize();
  g.origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  g.fullWidth = std::max(avail.x, em * 12);
  g.label = std::min(kLabelEms * em, g.fullWidth * 0.3f);
  g.scrollbar = std::max(10.0f, em * 0.7f);
  g.overviewTop = g.origin.y;
  g.rulerTop = g.overviewTop + em * 0.9f + 6;
  g.lanesTop = g.rulerTop + em + 6;
  g.bottom = std::max(g.origin.y + avail.y, g.lanesTop + em * 2);
  return g;
}

float rowHeight(const ShownLane& s, float laneHeight) {
  // A thin lane still has room for its name.
  const float thin = std::max(laneHeight * kCollapsedShare, ImGui::GetFontSize() + 4);
  return s.collapsed || s.idle ? thin : laneHeight;
}

// Rows: pinned ones fixed under the ruler, the rest below them, moved by the scroll.
std::vector<Row> layoutRows(TimelineViewState& view, const std::vector<ShownLane>& shown,
                            Geometry& g, float laneHeight, float& contentHeight) {
  std::vector<Row> rows;
  float pinnedY = g.lanesTop;
  for (const ShownLane& s : shown) {
    if (!s.pinned) break;
    const float h = rowHeight(s, laneHeight);
    rows.push_back({s, pinnedY, h, pinnedY < g.bottom});
    pinnedY += h;
  }
  g.scrolledTop = std::min(pinnedY, g.bottom);
  contentHeight = 0;
  for (const ShownLane& s : shown) {
    if (!s.pinned) contentHeight += rowHeight(s, laneHeight);
  }
  const float visible = g.bottom - g.scrolledTop;
  view.scrollY = std::clamp(view.scrollY, 0.0f, std::max(0.0f, contentHeight - visible));
  float y = g.scrolledTop - view.scrollY;
  for (const ShownLane& s : shown) {
    if (s.pinned) continue;
    const float h = rowHeight(s, laneHeight);
    rows.push_back({s, y, h, y + h > g.scrolledTop && y < g.bottom});
    y += h;
  }
  return rows;
}

void hoverAndSelect(Frame& frame, const TimelineContext& ctx, const Row& row, bool clicked) {
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (mouse.y < row.top || mouse.y >= row.top + row.height || mouse.x < ctx.canvasMin.x) return;
  const auto hit = ctx.model->hitTest(row.shown.lane, ctx.nsAt(mouse.x),
                                      static_cast<std::int64_t>(4 * ctx.nsPerPixel));
  if (!hit) return;
  const TraceEvent& e = ctx.model->event(*hit);
  const std::string explanation = eventExplanation(e, tr);
  ImGui::BeginTooltip();
  ImGui::TextUnformatted(eventLine(e, frame.workspace.payloads(), tr).c_str());
  if (const auto took = eventDurationText(e, tr); !took.empty())
    ImGui::TextDisabled("%s", took.data());
  if (!explanation.empty()) wrappedText(explanation, 0, ImGui::GetFontSize() * 30);
  ImGui::EndTooltip();
  if (clicked) {
    frame.ui.selected = hit;
    frame.ui.revealSelectionInLog = true;
  }
}

void drawSelection(const Frame& frame, const TimelineContext& ctx, const Row& row) {
  if (!frame.ui.selected || *frame.ui.selected < ctx.model->firstRetainedId() ||
      *frame.ui.selected >= ctx.model->endId() ||
      ctx.model->laneOf(*frame.ui.selected) != row.shown.lane) {
    return;
  }
  const TraceEvent& e = ctx.model->event(*frame.ui.selected);
  const float x0 = ctx.xOf(e.tNs) - 3, x1 = std::max(ctx.xOf(e.tNs + e.durNs), x0 + 6) + 3;
  ctx.draw->AddRect({x0, row.top}, {x1, row.top + row.height}, ctx.theme->selection, 2, 0, 2);
}

// While the engine sleeps in epoll_wait (or poll) the call has not returned, so the trace has no event
// for it yet: draw the sleep from its start to now.
// Only on the lane of the call it sleeps in: an engine switched to poll keeps its epoll_wait
// lane beside the poll one.
void drawOngoingWait(Frame& frame, const TimelineContext& ctx, const Row& row,
                     const LaneInfo& lane) {
  const Controls* controls = frame.workspace.controls();
  if (controls == nullptr) return;  // a file: nothing is ongoing
  const EngineStatus status = controls->engine().status();
  if (!status.inCall || !isReadinessWait(status.pendingCall)) return;
  if (lane.name != callName(status.pendingCall)) return;
  const float x0 = std::max(ctx.xOf(status.callSinceNs), ctx.canvasMin.x);
  const float x1 = ctx.xOf(monotonicNs());
  const float top = row.top + row.height * 0.2f, bottom = row.top + row.height * 0.8f;
  ctx.draw->AddRectFilled({x0, top}, {x1, bottom},
                          (ctx.theme->waitSpan & 0x00ffffffu) | 0x90000000u);
  if (x1 - x0 > 140) {
    const std::string asleep =
        trPrintf("asleep in %s", std::string(callName(status.pendingCall)).c_str());
    ctx.draw->AddText({x0 + 4, top + 1}, ctx.theme->text, asleep.c_str());
  }
}

// Search matches inside the view, outlined on their lanes (one mark per pixel per lane).
void drawMatches(Frame& frame, const TimelineContext& ctx, std::vector<Row>& rows) {
  if (frame.ui.search.matches.empty()) return;
  std::unordered_map<std::uint32_t, std::size_t> rowOf;
  for (std::size_t i = 0; i < rows.size(); ++i) rowOf[rows[i].shown.lane] = i;
  std::unordered_map<std::uint32_t, float> lastX;
  const std::int64_t t1 = ctx.endNs();
  const StartOrder& matches = frame.ui.search.matches;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const std::uint64_t id = matches.idAt(i);
    const TraceEvent& e = ctx.model->event(id);
    if (e.tNs + std::max<std::int64_t>(e.durNs, 0) < ctx.startNs || e.tNs > t1) continue;
    const auto found = rowOf.find(ctx.model->laneOf(id));
    if (found == rowOf.end() || !rows[found->second].drawn) continue;
    const float x = ctx.xOf(e.tNs);
    auto [last, fresh] = lastX.try_emplace(found->first, -1e9f);
    if (!fresh && x - last->second < 1) continue;
    last->second = x;
    const Row& row = rows[found->second];
    ctx.draw->AddRect({x - 4, row.top + 1}, {std::max(ctx.xOf(e.tNs + e.durNs), x) + 4,
                                             row.top + row.height - 1},
                      ctx.theme->config, 0, 0, 2);
    ++frame.ui.report.lanes[found->second].matchesDrawn;
  }
}


void drawScrollbar(TimelineViewState& view, const Geometry& g, float contentHeight,
                   const Theme& theme) {
  const float x = g.canvasRight(), top = g.scrolledTop, height = g.bottom - g.scrolledTop;
  ImGui::SetCursorScreenPos({x, top});
  ImGui::InvisibleButton("lane scroll", {g.scrollbar, std::max(height, 1.0f)});
  if (contentHeight <= height || height <= 0) return;
  const float thumb = std::max(height * height / contentHeight, g.scrollbar * 2);
  const float travel = height - thumb, maxScroll = contentHeight - height;
  if (ImGui::IsItemActive()) {
    const float at = ImGui::GetIO().MousePos.y - top - thumb / 2;
    view.scrollY = std::clamp(at / travel, 0.0f, 1.0f) * maxScroll;
  }
  const float y = top + travel * (view.scrollY / maxScroll);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled({x, top}, {x + g.scrollbar, g.bottom}, theme.laneAlternate);
  draw->AddRectFilled({x + 2, y}, {x + g.scrollbar - 2, y + thumb}, theme.textDim, 3);
}

// The ruler and the lanes take the mouse; a plain drag on the ruler selects a range.
void interact(Frame& frame, TimelineContext& ctx, const Geometry& g, float laneHeight) {
  TimelineViewState& view = frame.ui.timeline;
  const float width = g.canvasRight() - g.origin.x;
  ImGui::SetCursorScreenPos({g.origin.x, g.rulerTop});
  ImGui::InvisibleButton("ruler", {width, g.lanesTop - g.rulerTop});
  if (ImGui::IsItemHovered() && !ImGui::IsItemActive()) {
    ImGui::SetTooltip("%s", tr("click to place the time cursor ([ ] step it, Esc clears it); drag "
                               "to measure a range (or Shift+drag on the lanes); Z zooms to it"));
  }
  const ImGuiIO& io = ImGui::GetIO();
  // A click without a drag: the time cursor (a drag stays a range).
  if (ImGui::IsItemDeactivated() && io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 9) {
    placeCursor(frame.ui.cursor, *ctx.model, ctx.nsAt(io.MousePos.x));
  }
  handleTimelineInput(view, ctx, ImGui::IsItemHovered(), ImGui::IsItemActive(), true);
  ImGui::SetCursorScreenPos({g.origin.x, g.lanesTop});
  ImGui::InvisibleButton("lanes", {width, std::max(g.bottom - g.lanesTop, 1.0f)});
  const bool hovered = ImGui::IsItemHovered();
  // Alt+click on the lanes places the cursor too (a plain click selects an event).
  if (ImGui::IsItemDeactivated() && io.KeyAlt &&
      io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 9) {
    placeCursor(frame.ui.cursor, *ctx.model, ctx.nsAt(io.MousePos.x));
  }
  // Over the names, or with Shift, the wheel scrolls the lanes; over the lanes it zooms.
  if (hovered && io.MouseWheel != 0 && (io.KeyShift || io.MousePos.x < ctx.canvasMin.x)) {
    view.scrollY -= io.MouseWheel * laneHeight;
  } else {
    view.scrollY += handleTimelineInput(view, ctx, hovered, ImGui::IsItemActive(), false);
  }
}

// Scratch space for one frame's rows: reused from lane to lane, not allocated per row.
struct RowScratch {
  std::vector<TimelineBlock> blocks;
  std::vector<DepthColumn> depth;
};

void drawRow(Frame& frame, const TimelineContext& ctx, const Row& row, std::size_t index,
             const Geometry& g, RowScratch& scratch) {
  const LaneInfo& lane = ctx.model->lanes()[row.shown.lane];
  ctx.draw->AddRectFilled({g.origin.x, row.top}, {g.canvasRight(), row.top + row.height},
                          index % 2 ? frame.theme.laneAlternate : frame.theme.laneBackground);
  ctx.draw->PushClipRect(ctx.canvasMin, {g.canvasRight(), g.bottom}, true);
  const LaneRow laneRow{row.shown.lane, row.top, row.height};
  if (!row.shown.collapsed) drawLaneDepth(ctx, laneRow, scratch.depth);
  drawLaneStranded(ctx, LaneRow{row.shown.lane, row.top, row.height});  // its own label line
  drawLaneBlocks(ctx, laneRow, scratch.blocks);
  if (lane.kind == LaneKind::EpollWait && lane.thread == 0) drawOngoingWait(frame, ctx, row, lane);
  drawSelection(frame, ctx, row);
  ctx.draw->PopClipRect();
  laneLabel(frame.ui.timeline, ctx, lane, laneRow, g.origin.x, g.label);
}

void drawRangeOverlay(const TimelineViewState& view, const TimelineContext& ctx,
                      const Geometry& g) {
  if (!view.hasRange) return;
  const float x0 = std::max(ctx.xOf(view.rangeStartNs), ctx.canvasMin.x);
  const float x1 = std::min(ctx.xOf(view.rangeEndNs), g.canvasRight());
  if (x1 < x0) return;
  ctx.draw->AddRectFilled({x0, g.rulerTop}, {x1, g.bottom},
                          (ctx.theme->config & 0x00ffffffu) | 0x28000000u);
  ctx.draw->AddLine({x0, g.rulerTop}, {x0, g.bottom}, ctx.theme->config, 1.5f);
  ctx.draw->AddLine({x1, g.rulerTop}, {x1, g.bottom}, ctx.theme->config, 1.5f);
}

// The time cursor: a vertical line across the ruler and the lanes, its time on the ruler.
void drawCursorLine(const TimeCursor& cursor, const TimelineContext& ctx, const Geometry& g) {
  if (!cursor.set) return;
  const float x = ctx.xOf(cursor.tNs);
  if (x < ctx.canvasMin.x || x > g.canvasRight()) return;
  ctx.draw->AddLine({x, g.rulerTop}, {x, g.bottom}, ctx.theme->selection, 2.0f);
  const std::string label = cursorLabel(cursor, ctx.originNs);
  const ImVec2 size = ImGui::CalcTextSize(label.c_str());
  const float left = x + size.x + 6 > g.canvasRight() ? x - size.x - 4 : x + 3;
  ctx.draw->AddRectFilled({left - 2, g.rulerTop}, {left + size.x + 2, g.rulerTop + size.y},
                          ctx.theme->laneBackground);
  ctx.draw->AddText({left, g.rulerTop}, ctx.theme->selection, label.c_str());
}

// The cursor stepped out of view ([ or ]): bring it to the middle.
void revealCursor(Frame& frame, TimelineContext& ctx) {
  TimeCursor& cursor = frame.ui.cursor;
  if (!cursor.reveal) return;
  cursor.reveal = false;
  if (!cursor.set || (cursor.tNs >= ctx.startNs && cursor.tNs <= ctx.endNs())) return;
  TimelineViewState& view = frame.ui.timeline;
  view.startNs = cursor.tNs - std::llround(static_cast<double>(ctx.width) / 2 * view.nsPerPixel);
  view.followLive = false;
  view.userTookView = true;
  view.frameFromNs = -1;
  ctx.startNs = view.startNs;
}

// The log selected something: bring it to the middle, its lane into view.
void revealSelection(Frame& frame, TimelineContext& ctx) {
  TimelineViewState& view = frame.ui.timeline;
  const TimelineModel& model = *ctx.model;
  if (!frame.ui.revealSelectionInTimeline || !frame.ui.selected ||
      *frame.ui.selected < model.firstRetainedId() || *frame.ui.selected >= model.endId()) {
    return;
  }
  const TraceEvent& e = model.event(*frame.ui.selected);
  view.startNs = e.tNs - std::llround(static_cast<double>(ctx.width) / 2 * view.nsPerPixel);
  view.followLive = false;
  view.userTookView = true;
  view.frameFromNs = -1;
  ctx.startNs = view.startNs;
  frame.ui.revealSelectionInTimeline = false;
  frame.ui.revealLane = model.laneOf(*frame.ui.selected);
}

void scrollToLane(Frame& frame, const std::vector<Row>& rows, const Geometry& g) {
  auto& lane = frame.ui.revealLane;
  if (!lane) return;
  for (const Row& row : rows) {
    if (row.shown.lane != *lane || row.shown.pinned) continue;
    if (row.top < g.scrolledTop) frame.ui.timeline.scrollY -= g.scrolledTop - row.top;
    if (row.top + row.height > g.bottom) frame.ui.timeline.scrollY += row.top + row.height - g.bottom;
  }
  lane.reset();
}

void report(Frame& frame, const TimelineContext& ctx, const Geometry& g,
            const std::vector<Row>& rows, float contentHeight, std::size_t hidden) {
  FrameReport& r = frame.ui.report;
  r.timelineCanvas = {ctx.canvasMin.x, g.lanesTop, ctx.width, g.bottom - g.lanesTop};
  r.laneLabels = {g.origin.x, g.lanesTop, g.label, g.bottom - g.lanesTop};
  r.ruler = {ctx.canvasMin.x, g.rulerTop, ctx.width, g.lanesTop - g.rulerTop};
  r.lanesContentHeight = contentHeight;
  r.lanesScrollY = frame.ui.timeline.scrollY;
  r.lanesScrollMaxY = std::max(0.0f, contentHeight - (g.bottom - g.scrolledTop));
  r.hiddenLanes = hidden;
  r.lanes.clear();
  for (const Row& row : rows) {
    const LaneInfo& lane = ctx.model->lanes()[row.shown.lane];
    r.lanes.push_back({lane.id, lane.name, std::string(laneKindName(lane.kind)), row.top, row.height,
                       row.drawn, row.shown.pinned, row.shown.collapsed, 0});
  }
}

void drawTimelineBody(Frame& frame, TimelineContext& ctx, Geometry& g) {
  TimelineViewState& view = frame.ui.timeline;
  // Tall enough for a name and a glyph's label: grows with the font, less than it does.
  const float laneHeight = std::max(view.laneHeight, ImGui::GetFontSize() * 2.0f);
  revealSelection(frame, ctx);
  revealCursor(frame, ctx);
  drawOverview(view, frame.ui.overview, ctx, {ctx.canvasMin.x, g.overviewTop},
               {g.canvasRight(), g.rulerTop - 2}, frame.ui.report.overviewWindow);
  frame.ui.report.overview = {ctx.canvasMin.x, g.overviewTop, ctx.width,
                              g.rulerTop - 2 - g.overviewTop};
  ctx.startNs = view.startNs;
  interact(frame, ctx, g, laneHeight);
  std::size_t hidden = 0;
  const auto shown = shownLanes(view, *ctx.model, ctx.startNs, ctx.endNs(), &hidden);
  float contentHeight = 0;
  std::vector<Row> rows = layoutRows(view, shown, g, laneHeight, contentHeight);
  scrollToLane(frame, rows, g);
  drawScrollbar(view, g, contentHeight, frame.theme);
  ctx.draw->PushClipRect({g.origin.x, g.overviewTop}, {g.canvasRight() + g.scrollbar, g.bottom},
                         true);
  drawRuler(ctx, g.rulerTop, g.bottom);
  const ImGuiIO& io = ImGui::GetIO();
  const bool lanesHovered = ImGui::IsMouseHoveringRect({g.origin.x, g.lanesTop},
                                                       {g.canvasRight(), g.bottom}) &&
                            ImGui::IsWindowHovered();
  const bool clicked = ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
                       io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 9 && !io.KeyShift &&
                       !io.KeyAlt;
  report(frame, ctx, g, rows, contentHeight, hidden);
  RowScratch scratch;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].drawn) continue;
    const bool scrolled = !rows[i].shown.pinned;
    if (scrolled) ctx.draw->PushClipRect({g.origin.x, g.scrolledTop}, {g.canvasRight(), g.bottom}, true);
    drawRow(frame, ctx, rows[i], i, g, scratch);
    if (scrolled) ctx.draw->PopClipRect();
    if (lanesHovered) hoverAndSelect(frame, ctx, rows[i], clicked);
  }
  drawMatches(frame, ctx, rows);
  drawRangeOverlay(view, ctx, g);
  drawCursorLine(frame.ui.cursor, ctx, g);
  drawConfigMarkers(ctx, g.lanesTop, g.bottom);
  ctx.draw->PopClipRect();
}

}  // namespace

void drawTimelinePanel(Frame& frame, const Rect& rect) {
  const ImGuiWindowFlags still = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  if (!beginPanel(tr("Timeline###timeline"), rect, still)) return ImGui::End();
  TimelineModel& model = frame.workspace.timeline();
  TimelineViewState& view = frame.ui.timeline;
  updateSearch(frame);
  header(frame);
  Geometry g = geometry();
  TimelineContext ctx;
  ctx.draw = ImGui::GetWindowDrawList();
  ctx.theme = &frame.theme;
  ctx.model = &model;
  ctx.canvasMin = {g.origin.x + g.label, g.lanesTop};
  ctx.width = std::max(g.canvasRight() - ctx.canvasMin.x, 10.0f);
  ctx.originNs = model.firstNs();
  ctx.fontSize = ImGui::GetFontSize();
  updateView(view, model, ctx.width, frame.workspace.file() == nullptr);
  ctx.startNs = view.startNs;
  ctx.nsPerPixel = view.nsPerPixel;
  drawTimelineBody(frame, ctx, g);
  ImGui::End();
}

}  // namespace eps::gui
