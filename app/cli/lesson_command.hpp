// `epollscope --lesson FILE|DIR --check`: plays lessons headless against the real kernel and
// reports every check. Exit 0 when all hold, 1 with the failing checks printed, 2 for a file
// that is not a valid lesson (nothing runs).
#pragma once

#include "app/cli/options.hpp"

namespace eps::app {
int runLessonsHeadless(const Options& options);
}
