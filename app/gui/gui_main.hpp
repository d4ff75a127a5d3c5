// The window's entry point: set up, loop, tear down.
#pragma once

#include "app/cli/options.hpp"

namespace eps::gui {
int runWindow(const app::Options& options);
}
