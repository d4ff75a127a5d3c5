// What one frame of the timeline needs, computed once (Tracy's TimelineContext): where the
// canvas is, which nanoseconds it shows, and how to turn one into the other.
#pragma once

#include <imgui.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "app/gui/state/theme.hpp"
#include "app/gui/state/ui_state.hpp"
#include "core/timeline/model.hpp"

namespace eps::gui {

struct TimelineContext {
  ImDrawList* draw = nullptr;
  const Theme* theme = nullptr;
  const TimelineModel* model = nullptr;
  ImVec2 canvasMin;  // top-left of the drawing area (right of the lane labels)
  float width = 0;   // drawing width in pixels
  std::int64_t startNs = 0;
  double nsPerPixel = 1;
  std::int64_t originNs = 0;  // time 0 of the ruler
  float fontSize = 13;

  float xOf(std::int64_t ns) const {
    return canvasMin.x + static_cast<float>(static_cast<double>(ns - startNs) / nsPerPixel);
  }
  std::int64_t nsAt(float x) const {
    return startNs + std::llround(static_cast<double>(x - canvasMin.x) * nsPerPixel);
  }
  std::int64_t endNs() const {
    return startNs + std::llround(static_cast<double>(width) * nsPerPixel);
  }
};

// One lane's row on screen.
struct LaneRow {
  std::uint32_t lane = 0;
  float top = 0;
  float height = 0;
  mutable float labelEnd = -1e9f;  // right end of the last label drawn: labels never overlap
};

// A lane the filter shows, where the frame puts it.
struct ShownLane {
  std::uint32_t lane = 0;
  bool pinned = false;
  bool collapsed = false;
  bool idle = false;  // nothing in view: drawn thin when the view shrinks idle lanes
};

// Drawing of one lane's contents (gui/timeline/draw.cpp).
void drawLaneBlocks(const TimelineContext& ctx, const LaneRow& row,
                    std::vector<TimelineBlock>& scratch);
void drawLaneDepth(const TimelineContext& ctx, const LaneRow& row,
                   std::vector<DepthColumn>& scratch);
void drawLaneStranded(const TimelineContext& ctx, const LaneRow& row);
void drawRuler(const TimelineContext& ctx, float top, float bottom);
void drawConfigMarkers(const TimelineContext& ctx, float top, float bottom);
void drawLegend(const Theme& theme, bool column = false);  // column: one entry a line
float legendWidth();  // the legend on one line, in pixels

// Navigation (gui/timeline/nav.cpp): the view's requests (fit, follow, zoom to, frame what just
// happened), then the user's input on one interactive area.
void updateView(TimelineViewState& view, const TimelineModel& model, float width, bool live);
// Wheel zoom anchored at the cursor, drag to pan, Shift+drag (or a drag on the ruler) selects
// a range. `rulerLike`: a plain drag selects a range here. Returns the vertical drag (pixels)
// the caller scrolls its lanes by.
float handleTimelineInput(TimelineViewState& view, TimelineContext& ctx, bool hovered,
                          bool active, bool rulerLike);
// Frames [fromNs, toNs] in the canvas, with a margin either side and `rightShare` of the
// width kept free on the right.
void frameSpan(TimelineViewState& view, std::int64_t fromNs, std::int64_t toNs, float width,
               double rightShare = 0);
// Notes new events (ids [fromId, model.endId())): a lesson step or a client action starts
// framing what happens next, unless the user has taken the view.
void noteNewActivity(TimelineViewState& view, const TimelineModel& model, std::uint64_t fromId);

// Lanes (gui/timeline/lanes.cpp): which lanes the filter shows, in reading order, pinned first.
std::vector<ShownLane> shownLanes(const TimelineViewState& view, const TimelineModel& model,
                                  std::int64_t t0, std::int64_t t1, std::size_t* hidden);
bool laneIsSocket(const LaneInfo& lane);
// The lane's name in the label column; right-click: pin, collapse, hide.
void laneLabel(TimelineViewState& view, const TimelineContext& ctx, const LaneInfo& lane,
               const LaneRow& row, float left, float labelWidth);
// The "Lanes" button: the filter, hidden lanes to show again.
void laneMenu(UiState& ui);

// The overview strip (gui/timeline/overview.cpp): the whole trace, the visible window drawn on
// it; click or drag it to move the view.
void drawOverview(TimelineViewState& view, OverviewCache& cache, const TimelineContext& ctx,
                  ImVec2 min, ImVec2 max, Box& windowBox);

}  // namespace eps::gui
