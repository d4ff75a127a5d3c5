// The engine knobs' flags are built from the knob table (core/base/knobs.cpp); the CLI
// contract (DESIGN "Headless CLI") keeps their names and help exactly. knob_help.txt is the
// "Engine knobs:" section of `epollscope --help` as it was before the table was restructured:
// a change to a knob's name, values or help must be made here too, on purpose.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/helpers/file_text.hpp"

namespace {

std::string helpText() {
  std::string out;
  FILE* pipe = ::popen((std::string(EPOLLSCOPE_BINARY) + " --help 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  EXPECT_EQ(::pclose(pipe), 0);
  return out;
}

TEST(KnobHelp, EngineKnobsSectionIsUnchanged) {
  const std::string help = helpText();
  const std::size_t begin = help.find("Engine knobs:\n");
  ASSERT_NE(begin, std::string::npos) << help;
  const std::size_t end = help.find("\n\n", begin);
  const std::string section =
      help.substr(begin, end == std::string::npos ? std::string::npos : end + 1 - begin);
  EXPECT_EQ(section, eps::testing::readAll(std::string(EPOLLSCOPE_SOURCE_DIR) +
                                           "/tests/app/cli/knob_help.txt"));
}

}  // namespace
