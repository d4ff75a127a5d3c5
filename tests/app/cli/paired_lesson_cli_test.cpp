// A paired lesson headless (lesson 18, poll against epoll): --check plays each step on both
// engines and prints its checks as any lesson's; a wrong figure fails with both sides' values
// and its place; a check without a side is refused with its place before anything runs; the
// one-trace exports are refused for two traces.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Result {
  int exitCode = -1;
  std::string out;
};

Result run(const std::string& arguments) {
  Result result;
  const std::string command = std::string(EPOLLSCOPE_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr)
    result.out += buffer;
  const int status = pipe != nullptr ? ::pclose(pipe) : -1;
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

const std::string kLesson = std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/18-poll-vs-epoll.toml";

std::string copyWith(const std::string& name, const std::string& from, const std::string& to) {
  std::ifstream in(kLesson);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(PairedLessonCli, EveryStepIsCheckedOnBothSides) {
  const Result result = run("--lesson " + kLesson + " --check");
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_EQ(result.out.rfind("lesson poll-vs-epoll: ", 0), 0u) << result.out;
  EXPECT_NE(result.out.find("  step 2/2: One client talks"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("    ok   b.fds_passed == 265   (b.fds_passed=265)"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("checks: 12 passed, 0 failed"), std::string::npos) << result.out;
}

TEST(PairedLessonCli, AWrongFigureFailsWithTheValueSeenAndItsPlace) {
  const std::string path =
      copyWith("paired-wrong.toml", "\"b.fds_passed == 265\"", "\"b.fds_passed == 260\"");
  const Result result = run("--lesson " + path + " --check");
  EXPECT_EQ(result.exitCode, 1) << result.out;
  EXPECT_NE(result.out.find("    FAIL b.fds_passed == 260   (b.fds_passed=265)  " + path + ":"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("    b: engine: "), std::string::npos) << "both sides' state";
}

TEST(PairedLessonCli, ACheckWithoutASideIsRefusedBeforeAnythingRuns) {
  const std::string path =
      copyWith("paired-unsided.toml", "\"a.fds_passed == 0\", \"b.fds_passed == 265\"",
               "\"fds_passed == 0\", \"b.fds_passed == 265\"");
  const Result result = run("--lesson " + path + " --check");
  EXPECT_EQ(result.exitCode, 2) << result.out;
  EXPECT_NE(result.out.find(path + ":38:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("'fds_passed' names no side: in a paired lesson write a.fds_passed "
                            "or b.fds_passed"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("step 1/2"), std::string::npos) << "nothing ran";
}

TEST(PairedLessonCli, OneTraceExportsAreRefusedForTwoTraces) {
  const Result result =
      run("--lesson " + kLesson + " --check --trace-out " + ::testing::TempDir() + "p.json");
  EXPECT_EQ(result.exitCode, 2) << result.out;
  EXPECT_NE(result.out.find("a paired lesson ([compare]) plays two engines"), std::string::npos)
      << result.out;
}

}  // namespace
