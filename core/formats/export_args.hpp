// The "args" objects of the Chrome trace export, one writer per kind of event, and the helpers
// the JSON and CSV exports share. Internal to the exports (trace_export*.cpp); each call writes
// into the exporting thread's JsonWriter.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/base/json_writer.hpp"
#include "core/base/option_names.hpp"
#include "core/base/trace_event.hpp"
#include "core/trace/payload_store.hpp"

namespace eps {

// A call failed (ret < 0 with an errno): only then does it carry "errno".
inline bool callFailed(const TraceEvent& event) {
  return event.ret < 0 && event.err != 0;
}

// The earliest timestamp: exports are written relative to it, so a trace starts near 0
// whatever the machine's uptime (the earliest rather than the first because producers stamp
// tNs and take seq separately, so the first in sequence may be a few ns later than another).
std::int64_t exportOriginNs(std::span<const TraceEvent> events);

// Each writes `"args": {...}` into the open event object (and leaves that object open).
// `ready` is the epoll_wait's returned list, "7:EPOLLIN,9:EPOLLOUT" (empty for other calls).
// A read whose bytes `payloads` kept also gets "data" (escaped) and, when only a prefix was
// kept, "data_truncated": true.
void writeCallArgs(JsonWriter& json, const TraceEvent& event, std::string_view ready,
                   const PayloadStore* payloads);
void writeInstantArgs(JsonWriter& json, const TraceEvent& event);  // diagnoses, control, echo
void writeClientArgs(JsonWriter& json, const TraceEvent& event);   // a built-in client's action
void writeSampleArgs(JsonWriter& json, const TraceEvent& event);   // a counter's numeric values
// One probe call a sample made (option_names.hpp), as an instant named after the call.
void writeProbeArgs(JsonWriter& json, const TraceEvent& sample, const ProbeCall& call);

}  // namespace eps
