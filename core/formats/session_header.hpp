// The JSON header line of a session file (format in core/formats/session_file.hpp): everything but
// the events. Internal to the session reader and writer.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/formats/session_file.hpp"

namespace eps::session {

// A header that cannot be read; the message is the problem alone ("\"port\" must be ...").
class HeaderProblem : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The header line, without its '\n'. Text fields that are not valid UTF-8 (a lane label from
// an odd log) are written with U+FFFD in place of the bad bytes.
// `savedAt` and `host` stand in for the data's own when those are empty.
std::string headerLine(const SessionData& data, std::uint64_t eventCount,
                       const std::string& savedAt = {}, const std::string& host = {});

// Fills every field of `data` but the events from the parsed header and returns the event
// count it announces. Throws HeaderProblem.
std::uint64_t readHeader(const nlohmann::json& header, SessionData& data);

// Parses a header line. Throws nlohmann::json::exception, or HeaderProblem when the JSON nests
// deeper or holds many more values than any header does (a line of "[[[[..." or of
// "[0,0,0,..." would otherwise cost a tree of millions of nodes).
nlohmann::json parseHeaderJson(std::string_view line);

// Checks what writeSession would write, its size against kSessionHeaderMaxBytes included;
// throws HeaderProblem.
void checkHeaderData(const SessionData& data);

// The knobs a describeKnobs() text names; "" into `error` on success.
Knobs parseKnobsText(const std::string& text, std::string& error);

}  // namespace eps::session
