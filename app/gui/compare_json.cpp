#include "app/gui/compare_json.hpp"

#include <algorithm>

namespace eps::gui {
namespace {

using nlohmann::json;

json boxJson(const Box& b) {
  return {{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}};
}

json countsJson(const LessonCounts& counts) {
  json out = json::object();
  for (const CounterInfo& info : lessonCounters()) {
    out[std::string(info.name)] = counts[static_cast<LessonCounter>(info.id)];
  }
  return out;
}

// The rows a side's band draws, and how many waits it drew on its first row.
json bandJson(const Band& band) {
  const auto waits = std::count_if(band.spans.begin(), band.spans.end(),
                                   [](const BandSpan& s) { return s.item == BandItem::Wait; });
  return {{"rows", band.rows}, {"waits", waits}};
}

json sideJson(const ComparedSide& side, const CompareReport& report, std::size_t index,
              const Band& band) {
  json steps = json::array();
  for (const LessonCounts& step : side.steps) steps.push_back(countsJson(step));
  return {{"name", side.name},
          {"label", side.label.en},
          {"drawnBand", bandJson(band)},
          {"knobs", side.knobs},
          {"source", side.source},
          {"failure", side.failure},
          {"events", side.events.size()},
          {"run", countsJson(side.run)},
          {"steps", steps},
          {"band", boxJson(report.bands[index])},
          {"markerX", report.markerX[index]}};
}

json resultJson(const CompareResult& r, const CompareReport& report) {
  json markers = json::array();
  for (const std::size_t i : r.aligned) markers.push_back(r.comparison.markers[i].label);
  json differing = json::array();
  for (const LessonCounter id : r.comparison.differing()) differing.push_back(counterInfo(id).name);
  return {{"error", r.error},
          {"script", r.comparison.script},
          {"markers", r.comparison.markers.size()},
          {"aligned", markers},
          {"differing", differing},
          {"sides",
           {sideJson(r.comparison.sides[0], report, 0, r.bands[0]),
            sideJson(r.comparison.sides[1], report, 1, r.bands[1])}}};
}

}  // namespace

json compareJson(const UiState& ui) {
  const CompareUi& c = ui.compare;
  const CompareReport& report = ui.report.compare;
  json out = {{"setupOpen", c.setupOpen},
              {"showing", c.showing},
              {"drawn", report.drawn},
              {"tableStep", c.tableStep},
              {"table", boxJson(report.table)},
              {"rowsDrawn", report.rowsDrawn},
              {"nameRoom", report.nameRoom},
              {"highlightedNameWidth", report.highlightedNameWidth},
              {"highlighted", report.highlighted}};
  const auto result = c.job ? c.job->result() : nullptr;
  out["running"] = c.job != nullptr && result == nullptr;
  if (result) out["result"] = resultJson(*result, report);
  return out;
}

}  // namespace eps::gui
