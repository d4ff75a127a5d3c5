// A trace opened from a file instead of recorded live: an strace log, a tour of one
// (assets/traces/*.tour.toml), or a saved session (core/formats/session_file.hpp). Loaded off
// the UI thread (a log may be gigabytes), then shown on the timeline in place of the engine.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/checks/check_expr.hpp"
#include "core/formats/session_file.hpp"
#include "core/strace/import.hpp"
#include "core/strace/tour.hpp"
#include "core/trace/payload_store.hpp"
#include "core/trace/recorder.hpp"

namespace eps::gui {

// Ownership: a value; built by loadViewedTrace on a loader thread, then owned by the
// Workspace's FileMode and read on the UI thread only.
struct ViewedTrace {
  std::string path;  // what was opened (the tour, or the log)
  std::string logPath;
  std::string counts;  // "124 lines, 66 calls, 1 threads" (a session: "N events, ...")
  std::vector<std::string> laneLabels;
  std::vector<Recorder::WriterInfo> writers;
  StraceImportStats stats;
  std::vector<StraceBadLine> badLines;
  std::optional<TraceTour> tour;
  std::vector<CheckOutcome> outcomes;  // tour steps' checks over the whole log
  std::vector<std::optional<TourStepSpan>> stepSpans;  // where each tour step is on the timeline
  // A saved session: everything but its events (source, knobs, lesson position, clients),
  // and the bytes of its reads for the event log.
  std::optional<SessionData> session;
  std::shared_ptr<PayloadStore> payloads;
};

struct ViewedLoad {
  std::optional<ViewedTrace> trace;
  std::vector<TraceEvent> events;  // handed to the timeline, then dropped
  std::string error;               // "FILE:LINE: problem" when nothing could be opened
};

// Opens `path`: a tour (by its name, *.tour.toml) or an strace log. Never throws.
ViewedLoad loadViewedTrace(const std::string& path);

}  // namespace eps::gui
