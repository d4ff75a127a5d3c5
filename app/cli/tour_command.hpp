// `epollscope --headless --open TOUR.tour.toml [--check]`: imports the tour's strace log (the
// first line is the import's, "imported LOG: N lines, M calls, T threads"), then prints each
// step with its check and the observed values. With --check it exits 1 when a step's check
// fails; a tour or log that cannot be read exits 2 with one line naming the file and place.
#pragma once

#include "app/cli/options.hpp"

namespace eps::app {
int runTourHeadless(const Options& options);
}
