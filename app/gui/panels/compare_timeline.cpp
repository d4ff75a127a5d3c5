// The compare view's two timelines, one above the other, on one axis aligned on the script:
// the k-th aligned marker of A and of B at the same x (core/timeline/aligned_axis.hpp), a
// labelled line through both; in each stretch, time since its marker on a log scale. Each side
// draws its epoll_wait calls, listener and connections, bytes stranded in red. Items narrower
// than a pixel fold into the one already drawn there: the cost is bounded by pixels.
#include <algorithm>
#include <cmath>
#include <string>

#include "app/gui/panels/panels.hpp"

namespace eps::gui {
namespace {

// Rows grow to fill the height the view has (at small fonts), between these sizes. Many
// connections (lesson 18's fifty) shrink the rows down to kRowMinEms so both sides stay in
// view; a row's label is then drawn only where it does not overlap the one above.
constexpr float kRowEms = 1.1f, kRowMaxEms = 2.4f, kRowMinEms = 0.08f, kBelowEms = 4;
constexpr std::size_t kLabelLines = 3;  // marker labels, staggered
constexpr float kRulerLines = kLabelLines + 1.3f;
constexpr std::int64_t kTicksNs[] = {1'000'000, 10'000'000, 100'000'000};
constexpr const char* kTickText[] = {"1ms", "10ms", "100ms"};

// The stretch before the first marker (the engine starting up) gets this share of a stretch's
// width: the story is in what the script's actions set off.
constexpr double kPreludeShare = 0.35;

struct Plot {
  ImDrawList* draw;
  const AlignedAxis& axis;
  float x0, width;
  float x(double position) const {
    const double units = kPreludeShare + static_cast<double>(axis.stretches()) - 1;
    const double at = position < 1 ? position * kPreludeShare : kPreludeShare + position - 1;
    return x0 + static_cast<float>(at / units) * width;
  }
};

Color itemColor(const Theme& t, BandItem item) {
  switch (item) {
    case BandItem::Wait:
      return t.waitSpan;
    case BandItem::Ready:
      return t.ready;
    case BandItem::Accept:
      return t.accept;
    case BandItem::Read:
      return t.read;
    case BandItem::ReadEagain:
      return t.eagain;
    case BandItem::Write:
      return t.write;
    case BandItem::Ctl:
      return t.ctl;
    case BandItem::Close:
      return t.close;
    case BandItem::Stranded:
      return t.stranded;
  }
  return t.text;
}

// The marker labels (staggered on kLabelLines lines, each clipped to the room before the next label
// on its line) and the 1/10/100 ms ticks of each stretch.
void ruler(const Plot& p, const Theme& theme, const CompareResult& r, float top, float em) {
  const float lineH = em * 1.05f;
  for (std::size_t s = 0; s < p.axis.stretches(); ++s) {
    for (std::size_t i = 0; i < std::size(kTicksNs); ++i) {
      if (kTicksNs[i] >= p.axis.stretchNs(s)) break;
      const float x = p.x(p.axis.positionInStretch(s, kTicksNs[i]));
      const float next = p.x(static_cast<double>(s + 1));
      const float ticksY = top + (kLabelLines + 1) * lineH;
      p.draw->AddLine({x, ticksY - em * 0.3f}, {x, ticksY}, theme.textDim);
      const float w = ImGui::CalcTextSize(kTickText[i]).x;
      const float after = i + 1 < std::size(kTicksNs) && kTicksNs[i + 1] < p.axis.stretchNs(s)
                              ? p.x(p.axis.positionInStretch(s, kTicksNs[i + 1]))
                              : next;
      if (x + w + 4 < after) p.draw->AddText({x + 2, ticksY - lineH}, theme.textDim, kTickText[i]);
    }
  }
  for (std::size_t k = 0; k < r.aligned.size(); ++k) {
    const float x = p.x(AlignedAxis::markerPosition(k));
    const float y = top + static_cast<float>(k % kLabelLines) * lineH;
    const float limit = k + kLabelLines < r.aligned.size()
                            ? p.x(AlignedAxis::markerPosition(k + kLabelLines)) - 4
                            : p.x0 + p.width;
    p.draw->PushClipRect({x, y}, {std::max(limit, x + 1), y + lineH}, true);
    p.draw->AddText({x + 3, y}, theme.text, r.comparison.markers[r.aligned[k]].label.c_str());
    p.draw->PopClipRect();
  }
}

// One side: its title, its rows' labels and items; returns the band's height.
float band(Frame& frame, const Plot& p, const CompareResult& r, std::size_t side, float top,
           float left, float rowH) {
  const Theme& theme = frame.theme;
  const float em = ImGui::GetFontSize();
  const ComparedSide& s = r.comparison.sides[side];
  const CompareJob::Request* request =
      frame.ui.compare.job ? &frame.ui.compare.job->request() : nullptr;
  const std::string changes = request == nullptr ? ""
                              : request->sessions
                                  ? (side == 0 ? request->sessionA : request->sessionB)
                                  : (side == 0 ? request->knobsA : request->knobsB);
  const float titleH = std::max(rowH, em * kRowEms);
  p.draw->AddText({left, top + (titleH - em) * 0.5f}, theme.text,
                  (s.name + "  " + changes).c_str());
  const Band& b = r.bands[side];
  const float rowsTop = top + titleH;
  float labelsEnd = rowsTop;  // below the last label drawn
  for (std::size_t row = 0; row < b.rows.size(); ++row) {
    const float y = rowsTop + static_cast<float>(row) * rowH;
    p.draw->AddRectFilled({p.x0, y}, {p.x0 + p.width, y + std::max(rowH - 1, 1.0f)},
                          row % 2 ? theme.laneAlternate : theme.laneBackground);
    const float labelY = std::max(y + (rowH - em) * 0.5f, labelsEnd);
    if (labelY + em > rowsTop + rowH * static_cast<float>(b.rows.size()) + em * 0.5f) continue;
    if (rowH < em && labelY > y + rowH) continue;  // its place is taken by the label above
    p.draw->AddText({left + em * 0.4f, labelY}, theme.textDim, b.rows[row].c_str());
    labelsEnd = labelY + em;
  }
  // Stranded spans under the calls, then the calls; at most one item per pixel per row.
  for (const bool stranded : {true, false}) {
    std::vector<float> lastX(b.rows.size(), -1);
    for (const BandSpan& span : b.spans) {
      if ((span.item == BandItem::Stranded) != stranded) continue;
      const float x0 = std::floor(p.x(span.from)), x1 = std::max(p.x(span.to), x0 + 1);
      if (x1 <= lastX[span.row] && span.item != BandItem::Stranded) continue;
      lastX[span.row] = x1;
      const float y = rowsTop + static_cast<float>(span.row) * rowH;
      const bool thin = span.item == BandItem::Wait || span.item == BandItem::Stranded;
      const float inset = thin ? rowH * 0.3f : rowH * 0.12f;
      p.draw->AddRectFilled({x0, y + inset}, {x1, y + rowH - inset}, itemColor(theme, span.item));
    }
  }
  return titleH + rowH * static_cast<float>(b.rows.size());
}

// The colours' names, wrapped to the plot's width; returns the height used.
float legend(const Theme& theme, ImDrawList* draw, ImVec2 at, float right, float em) {
  const float left = at.x, top = at.y;
  const std::pair<const char*, Color> items[] = {{"epoll_wait", theme.waitSpan},
                                                 {"read", theme.read},
                                                 {"EAGAIN", theme.eagain},
                                                 {"write", theme.write},
                                                 {tr("stranded"), theme.stranded}};
  for (const auto& [name, color] : items) {
    const float width = em * 1.6f + ImGui::CalcTextSize(name).x;
    if (at.x > left && at.x + width > right) at = {left, at.y + em * 1.2f};
    draw->AddRectFilled({at.x, at.y + em * 0.2f}, {at.x + em * 0.8f, at.y + em * 0.9f}, color);
    draw->AddText({at.x + em, at.y}, theme.textDim, name);
    at.x += width;
  }
  return at.y + em * 1.2f - top;
}

}  // namespace

void drawCompareTimelines(Frame& frame, const CompareResult& r, const Rect& rect) {
  const float em = ImGui::GetFontSize();
  float labelW = ImGui::CalcTextSize(r.comparison.sides[0].name.c_str()).x;
  for (const Band& b : r.bands) {
    for (const std::string& row : b.rows)
      labelW = std::max(labelW, ImGui::CalcTextSize(row.c_str()).x);
  }
  labelW += em;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const Plot p{draw, *r.axis, rect.min.x + labelW,
               std::max(rect.size.x - labelW - em * 0.3f, 1.0f)};
  const float rulerTop = rect.min.y;
  ruler(p, frame.theme, r, rulerTop, em);
  float y = rulerTop + em * kRulerLines + em * 0.4f;
  const std::size_t rows = r.bands[0].rows.size() + r.bands[1].rows.size() + 2;  // + titles
  const float free = rect.min.y + rect.size.y - y - em * kBelowEms;
  float rowH = std::clamp(free / static_cast<float>(rows), em * kRowEms, em * kRowMaxEms);
  if (rowH * static_cast<float>(rows) > free) {  // too many: the rows shrink, the titles keep
    rowH = std::max((free - 2 * em * kRowEms) / static_cast<float>(rows - 2), em * kRowMinEms);
  }
  CompareReport& report = frame.ui.report.compare;
  for (std::size_t side = 0; side < 2; ++side) {
    const float h = band(frame, p, r, side, y, rect.min.x, rowH);
    report.bands[side] = {rect.min.x, y, rect.size.x, h};
    for (std::size_t k = 0; k < r.aligned.size(); ++k) {
      report.markerX[side].push_back(
          p.x(r.axis->position(side, r.comparison.markers[r.aligned[k]].tNs[side])));
    }
    y += h + em * 0.3f;
  }
  // The script's markers: one line through both sides.
  const float linesTop = rulerTop + em * kRulerLines;
  for (std::size_t k = 0; k < r.aligned.size(); ++k) {
    const float x = p.x(AlignedAxis::markerPosition(k));
    draw->AddLine({x, linesTop}, {x, y - em * 0.3f}, frame.theme.config, 1.5f);
  }
  y += legend(frame.theme, draw, {p.x0, y}, rect.min.x + rect.size.x, em);
  if (y + em * 2.2f > rect.min.y + rect.size.y) return;  // the note only where it fits whole
  ImGui::SetCursorScreenPos({p.x0, y});
  ImGui::PushTextWrapPos(rect.min.x + rect.size.x);
  ImGui::PushStyleColor(ImGuiCol_Text, frame.theme.textDim);
  wrappedText(tr("aligned on the script's actions; log time after each"));
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

}  // namespace eps::gui
