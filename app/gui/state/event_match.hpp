// One matcher for the event log's filter and the timeline's search, so the timeline
// highlights exactly the lines the log would list for the same text.
#pragma once

#include <string>

#include "app/gui/state/ui_state.hpp"
#include "core/base/trace_event.hpp"
#include "core/trace/payload_store.hpp"

namespace eps::gui {

// The filter's kinds and socket, and `text` found in the event's log line (what a peer typed
// included, escaped as shown), in English or, while the window speaks Chinese, as shown.
bool eventMatches(const LogFilter& filter, const std::string& text, const TraceEvent& event,
                  const PayloadStore* payloads);

}  // namespace eps::gui
