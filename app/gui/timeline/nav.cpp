// Moving around the timeline as in Tracy and Perfetto: the wheel zooms around the time under
// the cursor (that time stays under the cursor), a drag pans, Shift+drag or a drag on the
// ruler selects a range; and the view's own requests: fit everything, follow the newest
// events, zoom to a span, and frame what just happened after a lesson step or a client action.
#include <algorithm>
#include <cmath>

#include "app/gui/timeline/context.hpp"
#include "core/trace/recorder.hpp"

namespace eps::gui {
namespace {

constexpr double kMinNsPerPixel = 0.05;
constexpr double kMaxNsPerPixel = 1e11;
constexpr double kWheelStep = 0.8;  // one notch in: 80% of the span
// New activity is framed for this long after the last step or client action: a step's
// echo, the wakeups it causes and its settling all land inside.
constexpr std::int64_t kFrameActivityNs = 1'500'000'000;
constexpr double kMargin = 0.04;          // of the width, either side of a framed span
constexpr double kLiveRightShare = 0.25;  // of the width, right of the newest event, live

std::int64_t lastNsOf(const TimelineModel& model) {
  return std::max(model.lastNs(), model.firstNs() + 1000);
}

}  // namespace

void frameSpan(TimelineViewState& view, std::int64_t fromNs, std::int64_t toNs, float width,
               double rightShare) {
  const double span = std::max(static_cast<double>(toNs - fromNs), 1000.0);
  const double share = 1 - kMargin - std::max(rightShare, kMargin);  // of the width, for the span
  view.nsPerPixel =
      std::clamp(span / share / static_cast<double>(width), kMinNsPerPixel, kMaxNsPerPixel);
  view.startNs = fromNs - std::llround(span / share * kMargin);
}

void noteNewActivity(TimelineViewState& view, const TimelineModel& model, std::uint64_t fromId) {
  if (view.userTookView) return;
  for (std::uint64_t id = std::max(fromId, model.firstRetainedId()); id < model.endId(); ++id) {
    const TraceEvent& e = model.event(id);
    if (e.kind != EventKind::ClientAction && e.kind != EventKind::Step) continue;
    if (view.frameFromNs < 0 || monotonicNs() > view.frameUntilNs) view.frameFromNs = e.tNs;
    view.frameFromNs = std::min(view.frameFromNs, e.tNs);
    view.frameUntilNs = monotonicNs() + kFrameActivityNs;
    view.followLive = false;
  }
}

void updateView(TimelineViewState& view, const TimelineModel& model, float width, bool live) {
  const std::int64_t first = model.firstNs();
  const std::int64_t last = lastNsOf(model);
  // Live, the right quarter is kept for what is still going on after the last event (the
  // engine asleep, bytes stranded) and its labels.
  const double right = live ? kLiveRightShare : 0;
  if (view.zoomSpanNs > 0) {
    view.nsPerPixel = std::max(view.zoomSpanNs / static_cast<double>(width), kMinNsPerPixel);
    view.startNs = view.zoomCenterNs - std::llround(view.zoomSpanNs / 2);
    view.zoomSpanNs = 0;
    view.followLive = false;
    view.frameFromNs = -1;
  } else if (view.fitRequested) {
    frameSpan(view, std::max(first, view.fitFromNs), last, width, right);
    view.fitRequested = false;
    view.followLive = false;
    view.userTookView = false;
    view.frameFromNs = -1;
  } else if (view.frameFromNs >= 0 && !view.userTookView) {
    frameSpan(view, std::max(view.frameFromNs, first), last, width, right);
    if (monotonicNs() > view.frameUntilNs) view.frameFromNs = -1;
  } else if (view.followLive) {
    // Following is giving the view back (L): what happens next is framed again.
    view.userTookView = false;
    // The newest events at the right, the recent past (followSpanNs) to their left.
    const double span = std::min(view.followSpanNs, static_cast<double>(last - first));
    frameSpan(view, last - std::llround(span), last, width, right);
  }
}

float handleTimelineInput(TimelineViewState& view, TimelineContext& ctx, bool hovered,
                          bool active, bool rulerLike) {
  const ImGuiIO& io = ImGui::GetIO();
  float scrolled = 0;
  if (hovered && io.MouseWheel != 0 && !io.KeyShift) {
    // The time under the cursor, in this frame's view, stays under the cursor.
    const double offset = static_cast<double>(io.MousePos.x - ctx.canvasMin.x);
    const double at = static_cast<double>(ctx.startNs) + offset * ctx.nsPerPixel;
    const double factor = std::pow(kWheelStep, static_cast<double>(io.MouseWheel));
    view.nsPerPixel = std::clamp(ctx.nsPerPixel * factor, kMinNsPerPixel, kMaxNsPerPixel);
    view.startNs = std::llround(at - offset * view.nsPerPixel);
    view.followLive = false;
    view.userTookView = true;
    view.frameFromNs = -1;
  }
  const bool selecting = rulerLike || io.KeyShift;
  if (active && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && selecting) {
    view.draggingRange = true;
    view.rangeAnchorNs = ctx.nsAt(io.MousePos.x);
  }
  if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2)) {
    if (view.draggingRange) {
      const std::int64_t at = ctx.nsAt(io.MousePos.x);
      view.hasRange = true;
      view.rangeStartNs = std::min(view.rangeAnchorNs, at);
      view.rangeEndNs = std::max(view.rangeAnchorNs, at);
    } else {
      view.startNs -= std::llround(static_cast<double>(io.MouseDelta.x) * view.nsPerPixel);
      scrolled = -io.MouseDelta.y;
      view.followLive = false;
      view.userTookView = true;
      view.frameFromNs = -1;
    }
  }
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) view.draggingRange = false;
  ctx.startNs = view.startNs;
  ctx.nsPerPixel = view.nsPerPixel;
  return scrolled;
}

}  // namespace eps::gui
