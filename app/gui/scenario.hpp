// Scripted scenarios for screenshots and the window's smoke test: a story played with real
// clients against the real engine before the frames are drawn. `--scenario NAME[:STAGE]`
// stops the story at a stage, so a screenshot can show one moment of it.
#pragma once

#include <string>

#include "app/gui/state/modes.hpp"

namespace eps::gui {

// Adjusts the engine's starting options for the scenario; returns an error for an unknown one.
std::string prepareScenario(const std::string& spec, EngineOptions& options);
// Plays the scenario (blocking, every wait bounded); returns "" or what went wrong.
std::string runScenario(const std::string& spec, Controls& controls);

}  // namespace eps::gui
