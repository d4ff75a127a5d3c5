// The event log's detail pane: the selected event in full — the call as strace prints it,
// with the bytes a read returned (`read(9, 65536) = 14 "hello from nc\n"`), on which socket
// and whose (a built-in client or an external peer), how long it took, and what it means.
// With nothing selected it follows the latest connection read that returned data, so a class sees what
// someone typed into `nc` the moment the engine reads it.
#include <string>

#include "app/gui/panels/panels.hpp"
#include "core/trace/event_text.hpp"

namespace eps::gui {
namespace {

// How far back to look for the latest read with data: bounded so a busy loop's millions of
// events cost a fixed amount per frame.
constexpr std::uint64_t kLatestReadScan = 20'000;

std::optional<std::uint64_t> latestDataRead(const TimelineModel& model) {
  const std::uint64_t first = model.firstRetainedId();
  const std::uint64_t end = model.endId();
  const std::uint64_t stop = end - first > kLatestReadScan ? end - kLatestReadScan : first;
  for (std::uint64_t id = end; id > stop; --id) {
    const TraceEvent& e = model.event(id - 1);
    if (e.kind != EventKind::Call || e.call != Call::Read || e.ret <= 0) continue;
    // A connection's bytes, not the engine's own wake-ups (its eventfd) or an import's files.
    if (model.lanes()[model.laneOf(id - 1)].kind == LaneKind::Connection) return id - 1;
  }
  return std::nullopt;
}

// "fd 9 ← external :43210" for the socket's lane, when the event sits on one.
std::string whereText(const TimelineModel& model, std::uint64_t id) {
  const std::uint32_t lane = model.laneOf(id);
  if (lane >= model.lanes().size()) return "";
  return model.lanes()[lane].name;
}

}  // namespace

void drawEventDetails(Frame& frame) {
  const TimelineModel& model = frame.workspace.timeline();
  std::optional<std::uint64_t> id = frame.ui.selected;
  const bool pinned = id && *id >= model.firstRetainedId() && *id < model.endId();
  if (!pinned) id = latestDataRead(model);
  ImGui::Separator();
  if (!id) {
    wrappedTextDisabled(tr("details: click an event; reads show the bytes they returned"));
    return;
  }
  const TraceEvent& e = model.event(*id);
  wrappedTextDisabled(
      std::string(pinned ? tr("selected") : tr("latest read with data (click to pin)")) + "  " +
      whereText(model, *id));
  wrappedText(eventLine(e, frame.workspace.payloads(), tr));
  const std::string explanation = eventExplanation(e, tr);
  if (const auto took = eventDurationText(e, tr); !took.empty()) wrappedTextDisabled(took);
  if (!explanation.empty()) wrappedText(explanation);
}

}  // namespace eps::gui
