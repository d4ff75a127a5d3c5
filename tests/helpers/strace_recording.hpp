// Records a real program at test time under `strace -f -ttt -T -yy -o LOG`, for the importer's
// tests. A machine that refuses (no strace, ptrace forbidden) gives an empty path and a reason
// to skip with. Also imports a log written out in a test, line by line.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>

#include "core/strace/import.hpp"

namespace eps::test {

// Runs `command` under strace, writing DIR/NAME.log; the log's path, or empty with `why` set.
inline std::string straceRecord(const std::filesystem::path& dir, const std::string& name,
                                const std::string& command, std::string& why) {
  if (access("/usr/bin/strace", X_OK) != 0) {
    why = "strace is not installed";
    return "";
  }
  const std::string log = (dir / (name + ".log")).string();
  const std::string err = (dir / (name + ".err")).string();
  // LeakSanitizer cannot work under ptrace and fails the traced program's exit: in a
  // sanitizer build the traced command runs without leak detection (the suite keeps it).
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string line = "ASAN_OPTIONS='" + std::string(asan ? asan : "") +
                           ":detect_leaks=0' /usr/bin/strace -f -ttt -T -yy -o " + log + " " +
                           command + " >/dev/null 2>" + err;
  const int status = std::system(line.c_str());
  if (status != 0 || !std::filesystem::exists(log) || std::filesystem::file_size(log) == 0) {
    std::ifstream in(err);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    why = "strace cannot trace here (status " + std::to_string(status) + "): " + text;
    return "";
  }
  return log;
}

// Imports `text` as the lines of an strace log.
inline StraceImport importText(const std::string& text, StraceImportOptions options = {}) {
  StraceImporter importer(std::move(options));
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) importer.feed(line);
  return importer.finish();
}

}  // namespace eps::test
