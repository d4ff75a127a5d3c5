// How much of a file from elsewhere epollscope will take in, in one place. A lesson, a tour or
// a session may come from anyone (a course page, a colleague's mail); a file past these sizes
// is refused with a message naming it and the cap, before it is read whole, so a hostile or
// broken file (a 1 GB sparse file, /dev/zero, a FIFO that never ends) costs at most the cap.
#pragma once

#include <cstddef>

namespace eps {

// The largest lesson in lessons/ is ~11 KB: a hundred times that is still a lesson.
inline constexpr std::size_t kLessonFileMaxBytes = std::size_t{1} << 20;  // 1 MiB
// The tours in assets/traces/ are ~6 KB.
inline constexpr std::size_t kTourFileMaxBytes = std::size_t{1} << 20;  // 1 MiB
// A session's JSON header line (session_file.hpp). Its largest parts are the kept payloads
// (PayloadStore's 4 MB as hex is ~7 MB) and an import's lane labels (below): 16 MiB holds
// both. nlohmann's tree of a header takes up to ~20 times its text, so this also bounds the
// memory reading one costs (~320 MB at worst).
inline constexpr std::size_t kSessionHeaderMaxBytes = std::size_t{16} << 20;  // 16 MiB
// strace imports: lane labels made of -yy decorations. Past this many distinct labels, lanes
// keep their generic name ("fd 7") and the labels not kept are counted.
inline constexpr std::size_t kImportMaxLabels = 4096;
// A decoration longer than this (a long file path) is cut, with "..." at the end.
inline constexpr std::size_t kImportMaxLabelBytes = 256;

// "1 MiB", "16 MiB": a cap as the messages name it.
constexpr std::size_t mebibytes(std::size_t bytes) {
  return bytes >> 20;
}

}  // namespace eps
