// For entry points that only take a path (the tour loader, the strace importer's file
// reader): the input written to one file per process in a tmpfs folder, rewritten each run.
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include "tests/fuzz/fuzz_target.hpp"

namespace eps::fuzz {

// Ownership: one per target, used by the fuzzing thread; removes its file when destroyed.
class TempInput {
 public:
  // `suffix` ends the file's name (the tour loader wants ".tour.toml").
  explicit TempInput(std::string_view suffix) {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir != nullptr && *dir != '\0' ? dir : "/dev/shm") + "/epollscope-fuzz-" +
            std::to_string(::getpid()) + std::string(suffix);
  }
  ~TempInput() { ::unlink(path_.c_str()); }
  TempInput(const TempInput&) = delete;
  TempInput& operator=(const TempInput&) = delete;

  // Replaces the file's content with `bytes`; returns its path.
  const std::string& write(std::string_view bytes) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    require(!out.fail(), "cannot write the temporary input " + path_);
    return path_;
  }

 private:
  std::string path_;
};

}  // namespace eps::fuzz
