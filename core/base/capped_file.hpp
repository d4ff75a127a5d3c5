// Reading a whole small file (a lesson, a tour) without trusting its size: at most the cap is
// ever read, whatever the path names (a regular file, /dev/zero, a FIFO, a directory).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace eps {

struct CappedRead {
  std::optional<std::string> text;  // the whole file, when it fits
  std::string error;                // otherwise the problem alone, naming the cap when over it
};

// Reads `path` whole when it holds at most `capBytes` bytes. `what` names the file in errors
// ("lesson"). A regular file larger than the cap is refused before any byte is read; any
// other kind (a device, a pipe) is read up to the cap and refused when there is more. A FIFO
// with no writer reads as empty rather than waiting for one.
CappedRead readCappedFile(const std::string& path, std::size_t capBytes, std::string_view what);

}  // namespace eps
