// The overview strip: the whole retained trace squeezed into the panel's width, how busy each
// moment was, and the window the timeline shows drawn on it. Click or drag it to move there.
#include <algorithm>
#include <cmath>

#include "app/gui/timeline/context.hpp"
#include "core/trace/recorder.hpp"

namespace eps::gui {
namespace {

// While a live trace grows, the counts are recomputed at most this often.
constexpr std::int64_t kRefreshNs = 300'000'000;

// Items per column, from each lane's binary-searched range: O(columns x lanes x log n), not
// O(events).
void recount(OverviewCache& cache, const TimelineModel& model, int columns) {
  cache.firstId = model.firstRetainedId();
  cache.endId = model.endId();
  cache.columns = columns;
  cache.computedAtNs = monotonicNs();
  cache.firstNs = model.firstNs();
  cache.lastNs = std::max(model.lastNs(), cache.firstNs + 1000);
  cache.counts.assign(static_cast<std::size_t>(columns), 0);
  const double nsPerColumn =
      static_cast<double>(cache.lastNs - cache.firstNs) / static_cast<double>(columns);
  for (const LaneInfo& lane : model.lanes()) {
    if (lane.kind == LaneKind::Control) continue;
    for (int c = 0; c < columns; ++c) {
      const auto t0 = cache.firstNs + std::llround(nsPerColumn * c);
      const auto t1 = cache.firstNs + std::llround(nsPerColumn * (c + 1));
      const TimelineModel::Range range = model.visible(lane.id, t0, t1);
      cache.counts[static_cast<std::size_t>(c)] += static_cast<std::uint32_t>(range.end - range.begin);
    }
  }
}

}  // namespace

void drawOverview(TimelineViewState& view, OverviewCache& cache, const TimelineContext& ctx,
                  ImVec2 min, ImVec2 max, Box& windowBox) {
  const TimelineModel& model = *ctx.model;
  const int columns = std::max(1, static_cast<int>(max.x - min.x));
  const bool changed = cache.firstId != model.firstRetainedId() || cache.endId != model.endId();
  if (cache.columns != columns || (changed && monotonicNs() - cache.computedAtNs > kRefreshNs)) {
    recount(cache, model, columns);
  }
  ImDrawList* draw = ctx.draw;
  draw->AddRectFilled(min, max, ctx.theme->laneAlternate);
  std::uint32_t peak = 1;
  for (const std::uint32_t n : cache.counts) peak = std::max(peak, n);
  const float height = max.y - min.y - 2;
  const double logPeak = std::log1p(static_cast<double>(peak));
  for (int c = 0; c < columns && c < static_cast<int>(cache.counts.size()); ++c) {
    const std::uint32_t n = cache.counts[static_cast<std::size_t>(c)];
    if (n == 0) continue;
    const auto h = static_cast<float>(std::log1p(static_cast<double>(n)) / logPeak) * height;
    const float x = min.x + static_cast<float>(c);
    draw->AddRectFilled({x, max.y - 1 - std::max(h, 1.0f)}, {x + 1, max.y - 1}, ctx.theme->read);
  }
  // The visible window, on the strip's scale.
  const double span = static_cast<double>(cache.lastNs - cache.firstNs);
  const auto xAt = [&](std::int64_t ns) {
    const double f = static_cast<double>(ns - cache.firstNs) / span;
    return min.x + static_cast<float>(std::clamp(f, -0.01, 1.01)) * (max.x - min.x);
  };
  const float x0 = xAt(ctx.startNs), x1 = std::max(xAt(ctx.endNs()), x0 + 3);
  draw->AddRectFilled({x0, min.y}, {x1, max.y}, (ctx.theme->selection & 0x00ffffffu) | 0x30000000u);
  draw->AddRect({x0, min.y}, {x1, max.y}, ctx.theme->selection, 0, 0, 1.5f);
  windowBox = {x0, min.y, x1 - x0, max.y - min.y};

  ImGui::SetCursorScreenPos(min);
  ImGui::InvisibleButton("overview", {max.x - min.x, max.y - min.y});
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", tr("the whole trace: click or drag to move there"));
  if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    // The window's middle follows the pointer.
    const float x = std::clamp(ImGui::GetIO().MousePos.x, min.x, max.x);
    const auto center =
        cache.firstNs + std::llround(static_cast<double>((x - min.x) / (max.x - min.x)) * span);
    view.startNs = center - std::llround(ctx.nsPerPixel * static_cast<double>(ctx.width) / 2);
    view.followLive = false;
    view.userTookView = true;
    view.frameFromNs = -1;
  }
}

}  // namespace eps::gui
