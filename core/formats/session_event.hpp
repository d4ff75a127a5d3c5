// One event line of a session file (format in core/formats/session_file.hpp): writing it, parsing it
// back, and checking every field's range. Internal to the session reader and writer.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/trace_event.hpp"
#include "core/trace/recorder.hpp"

namespace eps::session {

// The event line's columns, in order; the header repeats them and the reader checks them.
inline constexpr std::string_view kEventFields =
    "seq t_ns dur_ns kind call actor thread flags fd ret errno events conn op a b c";
inline constexpr int kEventFieldCount = 17;

// What an event is checked against: the producers and the lane labels of its session.
// Ownership: a value built once per file, read by one thread.
class EventContext {
 public:
  EventContext(const std::vector<Recorder::WriterInfo>& writers, std::size_t laneLabels);
  // "" when every field is in range, else "field NAME: problem".
  std::string check(const TraceEvent& event) const;

 private:
  std::string noLabel(std::int64_t label) const;

  bool anyThread_;  // no writers listed (a synthetic trace): any thread index goes
  std::bitset<256> threads_;
  std::size_t laneLabels_;
};

// Appends the event's line, '\n' included.
void appendEventLine(std::string& out, const TraceEvent& event);

// Parses a line (without its '\n'); "" on success, else "field N NAME: problem" or a count
// of fields. Only the syntax: ranges are EventContext::check's.
std::string parseEventLine(std::string_view line, TraceEvent& event);

}  // namespace eps::session
