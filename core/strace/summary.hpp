// The sentences an import summary says about what the trace does not draw: the calls it keeps
// no record for, by name; the bytes the data calls moved; io_uring. Written once here for the
// headless summary (app/cli/import_command.cpp) and the window's (viewer_panels.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/phrases.hpp"
#include "core/strace/import.hpp"

namespace eps {

inline constexpr std::string_view kIoUringNote =
    "this program uses io_uring: its I/O is not visible to strace";

// "timerfd_settime 3, futex 120 (2 failed), ..." most frequent first, at most `maxNames`
// names, then "and N more names"; empty when there were none.
std::string otherCallsText(const StraceImportStats& stats, std::size_t maxNames,
                           Phrases say = nullptr);
// "12 reads moved 1200 bytes in, 12 writes moved 1200 bytes out", and a note when recvmmsg /
// sendmmsg results lacked the msg_len values their bytes are counted from.
std::string dataCallsText(const StraceImportStats& stats, Phrases say = nullptr);

}  // namespace eps
