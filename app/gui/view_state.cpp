// --state-out FILE: after every drawn frame, what the window shows as JSON (visible time range,
// ns per pixel, lanes with their rows, selection, range figures, search, lesson step, knobs,
// clients, the status line, window and panel sizes). Tests that drive the real window with X
// input read it to aim and to check outcomes; it is written whole and renamed over FILE, so a
// reader never sees half a file (writeOutputFile; no fsync, see app/cli/outputs.cpp).
#include "app/gui/view_state.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>

#include "app/cli/outputs.hpp"
#include "app/gui/compare_json.hpp"
#include "app/gui/cursor_json.hpp"
#include "app/gui/state/range_figures.hpp"
#include "app/gui/text/ui_text.hpp"
#include "core/base/knobs.hpp"
#include "core/base/names.hpp"

namespace eps::gui {
namespace {

using nlohmann::json;

json boxJson(const Box& b) {
  return {{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}};
}

json timelineJson(UiState& ui, const TimelineModel& model) {
  const TimelineViewState& v = ui.timeline;
  const FrameReport& r = ui.report;
  json lanes = json::array();
  for (const LaneReport& lane : r.lanes) {
    lanes.push_back({{"id", lane.id},
                     {"name", lane.name},
                     {"kind", lane.kind},
                     {"y", lane.y},
                     {"height", lane.height},
                     {"drawn", lane.drawn},
                     {"pinned", lane.pinned},
                     {"collapsed", lane.collapsed},
                     {"matchesDrawn", lane.matchesDrawn}});
  }
  json out = {{"startNs", v.startNs},
              {"nsPerPixel", v.nsPerPixel},
              {"endNs", v.startNs + static_cast<std::int64_t>(v.nsPerPixel * static_cast<double>(r.timelineCanvas.w))},
              {"originNs", model.firstNs()},
              {"firstNs", model.firstNs()},
              {"lastNs", model.lastNs()},
              {"events", model.endId() - model.firstRetainedId()},
              {"followLive", v.followLive},
              {"userTookView", v.userTookView},
              {"canvas", boxJson(r.timelineCanvas)},
              {"labels", boxJson(r.laneLabels)},
              {"ruler", boxJson(r.ruler)},
              {"overview", boxJson(r.overview)},
              {"overviewWindow", boxJson(r.overviewWindow)},
              {"lanesContentHeight", r.lanesContentHeight},
              {"scrollY", r.lanesScrollY},
              {"scrollMaxY", r.lanesScrollMaxY},
              {"hiddenLanes", r.hiddenLanes},
              {"socketsOnly", v.socketsOnly},
              {"hideFiles", v.hideFiles},
              {"showControl", v.showControl},
              {"hideControl", v.hideControl},
              {"lanes", lanes}};
  if (v.hasRange) {
    // What the panel shows (its cache), so a script checks what the user reads.
    const RangeFigures& f = ui.rangeFigures.get(model, v.rangeStartNs, v.rangeEndNs);
    out["range"] = {{"startNs", v.rangeStartNs}, {"endNs", v.rangeEndNs},
                    {"calls", f.calls},          {"wakeups", f.wakeups},
                    {"eagains", f.eagains},      {"bytes", f.bytes},
                    {"durationNs", f.durationNs}};
  }
  json matches = json::array();
  for (std::size_t i = 0; i < ui.search.matches.size() && i < 10'000; ++i) {
    matches.push_back(ui.search.matches.idAt(i));
  }
  out["search"] = {{"text", ui.search.text},
                   {"matches", ui.search.matches.size()},
                   {"ids", matches},
                   {"current", ui.search.current}};
  return out;
}

json selectionJson(const UiState& ui, const TimelineModel& model) {
  if (!ui.selected || *ui.selected < model.firstRetainedId() || *ui.selected >= model.endId()) {
    return nullptr;
  }
  const TraceEvent& e = model.event(*ui.selected);
  return {{"id", *ui.selected},
          {"kind", std::string(eventKindName(e.kind))},
          {"call", std::string(callNameOf(e))},
          {"fd", e.fd},
          {"tNs", e.tNs},
          {"lane", model.laneOf(*ui.selected)}};
}

json liveJson(Workspace& workspace, const FrameReport& report) {
  json out = json::object();
  const Controls* controls = workspace.controls();
  if (controls == nullptr) return out;
  out["knobs"] = describeKnobs(controls->engine().knobs());
  const EngineStatus status = controls->engine().status();
  out["engineMode"] = std::string(engineModeName(status.mode));
  out["callsMade"] = status.callsMade;
  // In a call now (asleep in epoll_wait, blocked in a read), and which.
  out["inCall"] = status.inCall;
  out["pendingCall"] = std::string(callName(status.pendingCall));
  out["port"] = workspace.port();
  out["sockets"] = engineSocketsJson(controls->engine().sockets());
  json clients = json::array();
  for (const ClientStats& s : controls->clients().allStats()) {
    clients.push_back({{"id", s.id},
                       {"sent", s.sent},
                       {"echoed", s.echoed},
                       {"closed", s.closed},
                       {"eof", s.eof},
                       {"resetByPeer", s.resetByPeer}});
  }
  out["clients"] = clients;
  if (LessonMode* lesson = workspace.lesson()) {
    LessonPlayer& player = lesson->player();
    const std::size_t step = player.current();
    const auto& steps = player.lesson().steps;
    const bool needsAnswer = step < steps.size() && steps[step].predict &&
                             !player.prediction(step).committed;
    const bool locked = step < steps.size() && steps[step].predict &&
                        player.prediction(step).committed;
    out["lesson"] = {{"title", player.lesson().title.in(false)},
                     {"needsAnswer", needsAnswer},
                     {"locked", locked},
                     {"answerShownFor", report.lessonAnswerStep},
                     {"answerRight", report.lessonAnswerRight},
                     {"textNeeded", report.lessonTextNeeded},
                     {"textShown", report.lessonTextShown},
                     {"step", player.current()},
                     {"steps", player.lesson().steps.size()},
                     {"busy", player.busy()},
                     {"paired", player.lesson().paired()},
                     {"error", player.lastError()}};
  }
  return out;
}

// The event log's lines as listed: their ids, and whether their times ever run backwards.
json logJson(const UiState& ui) {
  const StartOrder& order = ui.logCache.order;
  bool nonDecreasing = true;
  json listed = json::array();
  for (std::size_t i = 0; i < order.size(); ++i) {
    nonDecreasing = nonDecreasing && (i == 0 || order.timeAt(i) >= order.timeAt(i - 1));
    if (listed.size() < 10'000) listed.push_back(order.idAt(i));
  }
  return {{"lines", order.size()}, {"ids", listed}, {"timesNonDecreasing", nonDecreasing},
          {"text", ui.logFilter.text}};
}

}  // namespace

std::string writeViewState(const std::string& path, Frame& frame, std::uint64_t frameNumber) {
  UiState& ui = frame.ui;
  const TimelineModel& model = frame.workspace.timeline();
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  json panels = json::object();
  for (const auto& [name, box] : ui.report.panels) panels[name] = boxJson(box);
  json widgets = json::object();
  for (const auto& [name, box] : ui.report.widgets) widgets[name] = boxJson(box);
  const LiveSource* traced = frame.workspace.liveTrace();
  json state = {{"frame", frameNumber},
                {"window", {{"width", display.x}, {"height", display.y}}},
                {"mode", traced                     ? traced->mode()
                         : frame.workspace.file()   ? "file"
                         : frame.workspace.lesson() ? "lesson"
                                                    : "live"},
                {"fontScale", ui.fontScale},
                {"highContrast", ui.highContrast},
                {"language", ui.language == Language::Chinese ? "zh" : "en"},
                {"untranslated", missingTranslations()},
                {"status", ui.statusMessage},
                {"toolbar", ui.report.toolbarStatus},
                {"panels", panels},
                {"widgets", widgets},
                {"timeline", timelineJson(ui, model)},
                {"selection", selectionJson(ui, model)},
                {"selectedClient", ui.selectedClient},
                {"log", logJson(ui)},
                {"showPicture", ui.showPicture},
                {"pictureEngine", ui.report.pictureEngine},
                {"cursor", cursorJson(ui.cursor, model)}};
  state.update(liveJson(frame.workspace, ui.report));
  state["compare"] = compareJson(ui);
  if (traced != nullptr) {
    state["trace"] = {{"mode", traced->mode()},
                      {"pid", traced->pid()},
                      {"running", traced->running()},
                      {"command", traced->commandLine()}};
  }
  return app::writeFlagOutput("--state-out", path,
                              [&](std::ostream& out) { out << state.dump(1) << "\n"; });
}

}  // namespace eps::gui
