// The glyph vocabulary, drawn: epoll_wait spans, ready marks, accept/read/write boxes with
// their bytes, EAGAIN in orange, epoll_ctl squares lettered A/M/D, closes as crosses,
// folded blocks with a count, receive-queue depth under each lane, stranded spans in red.
#include <fcntl.h>
#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <string>
#include <vector>

#include "app/gui/timeline/context.hpp"
#include "core/base/knobs.hpp"
#include "core/base/names.hpp"
#include "core/base/option_names.hpp"
#include "core/trace/event_text.hpp"
#include "core/trace/recorder.hpp"

namespace eps::gui {
namespace {

constexpr float kMinGlyph = 6;

// Draws `text` if it fits in maxWidth and does not run into the lane's previous label.
void label(const TimelineContext& ctx, const LaneRow& row, ImVec2 at, Color color,
           const std::string& text, float maxWidth) {
  if (maxWidth < ctx.fontSize * 1.5f || at.x < row.labelEnd) return;
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  if (size.x > maxWidth) return;
  ctx.draw->AddText(at, color, text.c_str());
  row.labelEnd = at.x + size.x + 4;
}

Color callColor(const Theme& t, const TraceEvent& e) {
  // The fd limit counts free numbers with fcntl(F_GETFD): EBADF is its "free", not a failure.
  if (e.call == Call::Fcntl && e.b == F_GETFD && e.err == EBADF) return t.textDim;
  if (e.ret < 0) return e.err == EAGAIN ? t.eagain : t.error;
  switch (e.call) {
    case Call::Accept4:
      return t.accept;
    case Call::Read:
      return e.ret == 0 ? t.close : t.read;
    case Call::Write:
      return t.write;
    case Call::EpollCtl:
      return t.ctl;
    case Call::Close:
    case Call::Shutdown:
      return t.close;
    case Call::EpollWait:  // asleep, or awake all along (events were already waiting)
    case Call::Poll:
    case Call::Ppoll:
    case Call::Select:
    case Call::Pselect6:
      return waitReturnedAtOnce(e) ? t.waitBusy : t.waitSpan;
    default:
      return t.textDim;
  }
}

std::string callLabel(const TraceEvent& e) {
  if (e.ret < 0) return errnoName(e.err);
  switch (e.call) {
    case Call::Read:
      return e.ret == 0 ? "EOF" : "read " + std::to_string(bytesMoved(e));  // bytes, not messages
    case Call::Write:
      return "write " + std::to_string(bytesMoved(e));
    case Call::Accept4:
      return "accept " + std::to_string(e.ret);
    case Call::EpollWait:
      return e.ret == 0 ? tr("timeout") : "epoll_wait -> " + std::to_string(e.ret);
    case Call::Poll:
    case Call::Ppoll:
    case Call::Select:
    case Call::Pselect6:
      return e.ret == 0 ? tr("timeout")
                        : std::string(callNameOf(e)) + " -> " + std::to_string(e.ret);
    case Call::Setsockopt:  // "setsockopt TCP_NODELAY": the option is the point
    case Call::Fcntl:
    case Call::Prlimit64:
      return std::string(callNameOf(e)) + " " + callDetail(e);
    default:
      return std::string(callNameOf(e));
  }
}

void drawCtl(const TimelineContext& ctx, float x, const LaneRow& row, const TraceEvent& e) {
  const float size = row.height * 0.42f;
  const ImVec2 min(x - size / 2, row.top + row.height * 0.28f);
  ctx.draw->AddRectFilled(min, {min.x + size, min.y + size}, ctx.theme->ctl, 2);
  const char* letter = e.op == EPOLL_CTL_ADD ? "A" : e.op == EPOLL_CTL_MOD ? "M" : "D";
  ctx.draw->AddText({min.x + size * 0.22f, min.y - 1}, ctx.theme->background, letter);
}

void drawCall(const TimelineContext& ctx, const LaneRow& row, const TraceEvent& e, float x0,
              float x1) {
  const Theme& t = *ctx.theme;
  if (e.call == Call::EpollCtl) return drawCtl(ctx, x0, row, e);
  if (e.call == Call::Close) {
    const float r = row.height * 0.22f, cy = row.top + row.height * 0.5f;
    ctx.draw->AddLine({x0 - r, cy - r}, {x0 + r, cy + r}, t.close, 2);
    ctx.draw->AddLine({x0 - r, cy + r}, {x0 + r, cy - r}, t.close, 2);
    return;
  }
  const bool wait = isReadinessWait(e.call);
  const float top = row.top + row.height * (wait ? 0.2f : 0.3f);
  const float bottom = row.top + row.height * (wait ? 0.8f : 0.7f);
  const float right = std::max(x1, x0 + kMinGlyph);
  const Color color = callColor(t, e);
  if (e.ret < 0 && e.err == EAGAIN && right - x0 <= kMinGlyph + 1) {
    const float cx = x0 + 3, cy = (top + bottom) / 2, r = (bottom - top) * 0.6f;  // a diamond
    ctx.draw->AddQuadFilled({cx, cy - r}, {cx + r, cy}, {cx, cy + r}, {cx - r, cy}, color);
  } else {
    ctx.draw->AddRectFilled({x0, top}, {right, bottom}, color, wait ? 0 : 2);
  }
  if (wait && e.ret > 0) {
    ctx.draw->AddLine({right, row.top + 2}, {right, row.top + row.height - 2}, t.waitReturned, 2);
  }
  label(ctx, row, {x0 + 3, top + 1}, wait ? t.text : t.background, callLabel(e), right - x0 - 4);
}

void drawInstant(const TimelineContext& ctx, const LaneRow& row, const TraceEvent& e, float x) {
  const Theme& t = *ctx.theme;
  switch (e.kind) {
    case EventKind::Ready: {  // a downward triangle: epoll_wait reported this socket
      const float w = 5, top = row.top + 1;
      ctx.draw->AddTriangleFilled({x - w, top}, {x + w, top}, {x, top + w * 1.6f}, t.ready);
      return;
    }
    case EventKind::Busy:
      ctx.draw->AddRectFilled({x - 2, row.top + 2}, {x + 2, row.top + row.height - 2}, t.busy);
      label(ctx, row, {x + 4, row.top + 2}, t.busy,
            trPrintf("busy: %lld wakeups/s doing nothing", static_cast<long long>(e.b)), 10000);
      return;
    case EventKind::ClientAction:
      ctx.draw->AddRectFilled({x - 2, row.top + 6}, {x + 2, row.top + row.height - 6}, t.client);
      label(ctx, row, {x + 4, row.top + 4}, t.client,
            std::string(clientOpName(static_cast<ClientOp>(e.op))) +
                (e.a > 0 ? " " + std::to_string(e.a) : ""),
            200);
      return;
    case EventKind::ClientData:
      ctx.draw->AddCircleFilled({x, row.top + row.height * 0.75f}, 3, t.clientData);
      return;
    default:
      ctx.draw->AddCircleFilled({x, row.top + row.height * 0.5f}, 3, t.textDim);
      return;
  }
}

void drawBlocked(const TimelineContext& ctx, const LaneRow& row, const TraceEvent& e) {
  const float x1 = ctx.xOf(e.tNs);
  const float x0 = ctx.xOf(e.tNs - e.a);
  ctx.draw->AddRectFilled({x0, row.top + 2}, {x1, row.top + 6}, ctx.theme->blocked);
  label(ctx, row, {x0 + 3, row.top + row.height - ctx.fontSize - 1}, ctx.theme->blocked,
        trPrintf("blocked %lld ms: every other client waits",
                 static_cast<long long>(e.a / 1'000'000)),
        x1 - x0);
}

// A block of many events at this zoom: its body says what most of it is (waits, data, or
// other calls), thin strips say what it also holds (reported: yellow on top; EAGAIN:
// orange, errors: red, at the bottom), so one EAGAIN among thousands does not paint it all.
void drawFolded(const TimelineContext& ctx, const LaneRow& row, const TimelineBlock& block) {
  const Theme& t = *ctx.theme;
  const float x0 = ctx.xOf(block.startNs);
  const float x1 = std::max(ctx.xOf(block.endNs), x0 + kMinGlyph);
  const float top = row.top + row.height * 0.3f, bottom = row.top + row.height * 0.7f;
  Color body = t.folded;
  if (block.flags & kBlockHasWait) body = t.waitSpan;
  // Waits that returned at once, folded (a busy loop's thousands): never drawn as sleep. A
  // sleep is wide and rarely folds with them.
  if (block.flags & kBlockHasQuickWait) body = t.waitBusy;
  if (block.flags & kBlockHasData) body = t.read;
  ctx.draw->AddRectFilled({x0, top}, {x1, bottom}, body, 1);
  if (block.flags & kBlockHasReady)
    ctx.draw->AddRectFilled({x0, row.top + 1}, {x1, row.top + 4}, t.ready);
  if (block.flags & (kBlockHasEagain | kBlockHasError)) {
    const Color strip = (block.flags & kBlockHasError) ? t.error : t.eagain;
    ctx.draw->AddRectFilled({x0, bottom}, {x1, bottom + 3}, strip);
  }
  label(ctx, row, {x0 + 2, top}, t.background, "x" + std::to_string(block.count), x1 - x0 - 3);
}

}  // namespace

void drawLaneBlocks(const TimelineContext& ctx, const LaneRow& row,
                    std::vector<TimelineBlock>& scratch) {
  scratch.clear();
  ctx.model->fold(row.lane, ctx.startNs, ctx.nsPerPixel, static_cast<int>(ctx.width), kMinGlyph,
                  scratch);
  for (const TimelineBlock& block : scratch) {
    if (block.count > 1) {
      drawFolded(ctx, row, block);
      continue;
    }
    const TraceEvent& e = ctx.model->event(block.firstId);
    const float x0 = ctx.xOf(block.startNs);
    if (e.kind == EventKind::Call) {
      drawCall(ctx, row, e, x0, ctx.xOf(block.endNs));
    } else if (e.kind == EventKind::Blocked) {
      drawBlocked(ctx, row, e);
    } else if (e.kind != EventKind::Stranded) {  // stranded: drawn as a span
      drawInstant(ctx, row, e, x0);
    }
  }
}

void drawLaneDepth(const TimelineContext& ctx, const LaneRow& row,
                   std::vector<DepthColumn>& scratch) {
  scratch.clear();
  const int columns = static_cast<int>(ctx.width);
  ctx.model->depthColumns(row.lane, ctx.startNs, ctx.nsPerPixel, columns, scratch);
  std::int64_t peak = 1;
  for (const DepthColumn& c : scratch) peak = std::max(peak, c.valid ? c.max : 0);
  const float base = row.top + row.height - 2;
  const float scale = row.height * 0.45f / static_cast<float>(peak);
  for (std::size_t i = 0; i < scratch.size(); ++i) {
    const DepthColumn& c = scratch[i];
    if (!c.valid || c.max <= 0) continue;
    const float x = ctx.canvasMin.x + static_cast<float>(i);
    ctx.draw->AddRectFilled({x, base - static_cast<float>(c.max) * scale}, {x + 1, base},
                            ctx.theme->depthFill);
  }
  if (!scratch.empty() && scratch.back().valid && scratch.back().max > 0) {
    const bool listener = ctx.model->lanes()[row.lane].kind == LaneKind::Listener;
    const auto depth = static_cast<long long>(scratch.back().max);
    const std::string text = listener ? trPrintf("%lld connections queued", depth)
                                      : trPrintf("%lld B in the kernel", depth);
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    ctx.draw->AddText({ctx.canvasMin.x + ctx.width - size.x - 4, base - size.y},
                      ctx.theme->depthLine, text.c_str());
  }
}

void drawLaneStranded(const TimelineContext& ctx, const LaneRow& row) {
  const std::int64_t now = std::max(ctx.model->lastNs(), monotonicNs());
  for (const StrandedSpan& span : ctx.model->strandedSpans(row.lane, ctx.startNs, ctx.endNs())) {
    const float x0 = ctx.xOf(span.startNs);
    const float x1 = ctx.xOf(span.endNs < 0 ? now : span.endNs);
    ctx.draw->AddRectFilled({x0, row.top + 1}, {x1, row.top + row.height - 1},
                            (ctx.theme->stranded & 0x00ffffffu) | 0x50000000u);
    ctx.draw->AddRect({x0, row.top + 1}, {x1, row.top + row.height - 1}, ctx.theme->stranded);
    const auto count = static_cast<long long>(span.count);
    const std::string text = span.connections
                                 ? trPrintf("%lld connections waiting - no wakeup coming", count)
                                 : trPrintf("%lld bytes waiting - no wakeup coming", count);
    const float visible0 = std::max(x0, ctx.canvasMin.x);
    label(ctx, row, {visible0 + 4, row.top + 2}, ctx.theme->text, text, x1 - visible0 - 6);
  }
}

namespace {

// A ruler label at time `t` for ticks `stepNs` apart: no more digits than the step needs.
std::string rulerLabel(std::int64_t t, std::int64_t originNs, std::int64_t stepNs) {
  char text[40];
  const double ms = static_cast<double>(t - originNs) / 1e6;
  if (stepNs >= 1'000'000'000) {
    std::snprintf(text, sizeof text, "%.0f s", ms / 1000);
  } else if (stepNs >= 1'000'000) {
    std::snprintf(text, sizeof text, "%.0f ms", ms);
  } else if (stepNs >= 1'000) {
    std::snprintf(text, sizeof text, "%.3f ms", ms);
  } else {
    std::snprintf(text, sizeof text, "%.6f ms", ms);
  }
  return text;
}

}  // namespace

void drawRuler(const TimelineContext& ctx, float top, float bottom) {
  // A tick every 1, 2 or 5 x 10^k ns, far enough apart for the widest label (the font's size
  // decides: at a projector's font labels are wider).
  std::int64_t stepNs = 1;
  const std::int64_t widest = std::max(std::abs(ctx.endNs() - ctx.originNs),
                                       std::abs(ctx.startNs - ctx.originNs)) + ctx.originNs;
  for (std::int64_t decade = 1; stepNs == 1 && decade < 1'000'000'000'000; decade *= 10) {
    for (const std::int64_t m : {1, 2, 5}) {
      const float label = ImGui::CalcTextSize(rulerLabel(widest, ctx.originNs, m * decade).c_str()).x;
      if (static_cast<double>(m * decade) / ctx.nsPerPixel >=
          static_cast<double>(std::max(90.0f, label + ctx.fontSize))) {
        stepNs = m * decade;
        break;
      }
    }
  }
  const std::int64_t first = (ctx.startNs - ctx.originNs) / stepNs * stepNs + ctx.originNs;
  for (std::int64_t t = first; t <= ctx.endNs(); t += stepNs) {
    const float x = ctx.xOf(t);
    if (x < ctx.canvasMin.x) continue;
    ctx.draw->AddLine({x, top}, {x, bottom}, ctx.theme->grid);
    const std::string text = rulerLabel(t, ctx.originNs, stepNs);
    // A label that would run off the canvas is left out rather than cut.
    if (x + 3 + ImGui::CalcTextSize(text.c_str()).x > ctx.canvasMin.x + ctx.width) continue;
    ctx.draw->AddText({x + 3, top}, ctx.theme->textDim, text.c_str());
  }
}

void drawConfigMarkers(const TimelineContext& ctx, float top, float bottom) {
  float lastLabelEnd = -1e9f;
  for (const std::uint64_t id : ctx.model->configMarkers(ctx.startNs, ctx.endNs())) {
    const TraceEvent& e = ctx.model->event(id);
    const float x = ctx.xOf(e.tNs);
    const bool step = e.kind == EventKind::Step;
    const Color color = step ? ctx.theme->ready : ctx.theme->config;
    ctx.draw->AddLine({x, top}, {x, bottom}, color, step ? 2.5f : 1.5f);
    const auto knob = static_cast<KnobId>(e.op);
    const std::string text =
        step ? trPrintf("step %lld", static_cast<long long>(e.a + 1))
             : std::string(knobInfo(knob).name) + "=" + knobNumberText(knob, e.a);
    if (x < lastLabelEnd) continue;  // keep labels from piling up
    ctx.draw->AddText({x + 3, step ? top + 1 : bottom - ctx.fontSize - 2}, color, text.c_str());
    lastLabelEnd = x + ImGui::CalcTextSize(text.c_str()).x + 8;
  }
}

}  // namespace eps::gui

namespace eps::gui {

namespace {
struct LegendEntry {
  Color color;
  std::string text;
};
// Calls, errnos and event kinds are spelled by core/base/names, as everywhere else they are
// shown: the legend says what the lanes and the event log say.
std::vector<LegendEntry> legendEntries(const Theme& t) {
  const std::string wait(callName(Call::EpollWait));
  return {
      {t.waitSpan, trPrintf("%s (asleep)", wait.c_str())},
      {t.waitBusy, trPrintf("%s (returned at once)", wait.c_str())},
      {t.ready, tr("ready (reported)")},
      {t.accept, std::string(callName(Call::Accept4))},
      {t.read, std::string(callName(Call::Read))},
      {t.write, std::string(callName(Call::Write))},
      {t.eagain, errnoName(EAGAIN)},
      {t.error, tr("error")},
      {t.ctl, std::string(callName(Call::EpollCtl)) + " A/M/D"},
      {t.close, std::string(callName(Call::Close)) + " / EOF"},
      {t.stranded, tr("stranded: no wakeup coming")},
      {t.depthLine, tr("bytes in the kernel")},
      {t.config, tr("knob changed")},
      {t.client, tr("client action")},
  };
}
}  // namespace

float legendWidth() {
  float width = 0;
  for (const LegendEntry& e : legendEntries(darkTheme())) {
    width += ImGui::GetFontSize() * 0.7f + 3 + ImGui::CalcTextSize(e.text.c_str()).x + 14;
  }
  return width;
}

void drawLegend(const Theme& t, bool column) {
  const std::vector<LegendEntry> entries = legendEntries(t);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float box = ImGui::GetFontSize() * 0.7f;
  bool first = true;
  for (const LegendEntry& entry : entries) {
    // Entries flow onto as many lines as the panel's width needs.
    if (!first && (column || ImGui::GetContentRegionAvail().x < box + 3 + ImGui::CalcTextSize(entry.text.c_str()).x)) {
      ImGui::NewLine();
    }
    first = false;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float up = (ImGui::GetFontSize() - box) / 2;
    draw->AddRectFilled({at.x, at.y + up}, {at.x + box, at.y + up + box}, entry.color, 2);
    ImGui::Dummy({box + 3, ImGui::GetFontSize()});
    ImGui::SameLine(0, 0);
    ImGui::TextUnformatted(entry.text.c_str());
    ImGui::SameLine(0, 14);
  }
  ImGui::NewLine();
}

}  // namespace eps::gui
