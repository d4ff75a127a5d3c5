// Whole-file text for the tests that check what a file holds before and after a write.
// Header-only, shared by the core and app test programs.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace eps::testing {

inline std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace eps::testing
