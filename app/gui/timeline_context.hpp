// What one frame of the timeline needs, computed once (Tracy's TimelineContext): where the
// canvas is, which nanoseconds it shows, and how to turn one into the other.
#pragma once

#include <imgui.h>

#include <cstdint>

#include "app/gui/theme.hpp"
#include "core/timeline_model.hpp"

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
    return startNs + static_cast<std::int64_t>(static_cast<double>(x - canvasMin.x) * nsPerPixel);
  }
  std::int64_t endNs() const {
    return startNs + static_cast<std::int64_t>(static_cast<double>(width) * nsPerPixel);
  }
};

// One lane's row on screen.
struct LaneRow {
  std::uint32_t lane = 0;
  float top = 0;
  float height = 0;
  mutable float labelEnd = -1e9f;  // right end of the last label drawn: labels never overlap
};

// Drawing of one lane's contents (timeline_draw.cpp).
void drawLaneBlocks(const TimelineContext& ctx, const LaneRow& row,
                    std::vector<TimelineBlock>& scratch);
void drawLaneDepth(const TimelineContext& ctx, const LaneRow& row,
                   std::vector<DepthColumn>& scratch);
void drawLaneStranded(const TimelineContext& ctx, const LaneRow& row);
void drawRuler(const TimelineContext& ctx, float top, float bottom);
void drawConfigMarkers(const TimelineContext& ctx, float top, float bottom);
void drawLegend(const Theme& theme);

}  // namespace eps::gui
