// What the engine is doing, as its status reports it (core/engine/engine.hpp). Here in base so
// its name is spelled once, with the other names (names.hpp).
#pragma once

#include <cstdint>

namespace eps {

enum class EngineMode : std::uint8_t { Starting, Running, Paused, Stepping, Stopped };

}  // namespace eps
