// --state-out's "cursor": the time cursor (event index, time) and the kernel state rebuilt
// at it (interest lists, queues, ready lists, holdings, diagnoses, the engine's position),
// so a test compares what the window shows with its own replay of the same trace.
#pragma once

#include <nlohmann/json.hpp>

#include "app/gui/state/time_cursor.hpp"
#include "core/engine/engine.hpp"

namespace eps::gui {

nlohmann::json kernelStateJson(const KernelState& state, std::int64_t atNs);
nlohmann::json cursorJson(TimeCursor& cursor, const TimelineModel& model);
// The engine's own view of the real kernel (Engine::sockets()).
nlohmann::json engineSocketsJson(const std::vector<SocketView>& sockets);

}  // namespace eps::gui
