// Lessons headless: a broken copy of a lesson fails with the observed value; a malformed
// lesson is refused with its place and nothing runs.
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

Result runCheck(const std::string& lesson) {
  Result result;
  const std::string command =
      std::string(EPOLLSCOPE_BINARY) + " --lesson " + lesson + " --check 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr)
    result.out += buffer;
  const int status = pipe != nullptr ? ::pclose(pipe) : -1;
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string writeTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

const std::string kLostWakeup =
    std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/02-et-lost-wakeup.toml";

TEST(LessonCli, TheLessonHolds) {
  const Result result = runCheck(kLostWakeup);
  EXPECT_EQ(result.exitCode, 0) << result.out;
  EXPECT_NE(result.out.find(" 0 failed"), std::string::npos) << result.out;
}

TEST(LessonCli, ABrokenCopyFailsWithTheObservedValue) {
  std::string text = readFile(kLostWakeup);
  const std::string right = "\"stranded_bytes == 3996\"";
  const auto at = text.find(right);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, right.size(), "\"stranded_bytes == 4000\"");
  const Result result = runCheck(writeTemp("broken-lesson.toml", text));
  EXPECT_EQ(result.exitCode, 1) << result.out;
  EXPECT_NE(result.out.find("FAIL stranded_bytes == 4000   (stranded_bytes=3996)"),
            std::string::npos)
      << result.out;
  // Below a failed step: where the engine and the client stood when its checks ran.
  EXPECT_NE(result.out.find("\n    engine: running, "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\n    client 1: sent "), std::string::npos) << result.out;
  const auto said = result.out.find("    engine: ");
  EXPECT_EQ(said, result.out.rfind("    engine: ")) << "once, for the failed step: " << result.out;
  EXPECT_GT(said, result.out.find("FAIL")) << result.out;
}

TEST(LessonCli, AMalformedLessonIsRefusedWithItsPlaceAndNothingRuns) {
  std::string text = readFile(kLostWakeup);
  const auto at = text.find("check = [\"accepts == 1\"]");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 5, "chek ");
  const std::string path = writeTemp("malformed-lesson.toml", text);
  const Result result = runCheck(path);
  EXPECT_EQ(result.exitCode, 2) << result.out;
  EXPECT_NE(result.out.find(path + ":"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("unknown key 'chek'"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("lesson et-lost-wakeup"), std::string::npos) << "nothing runs";
}

}  // namespace
