// Sessions on the command line: --save-session after an engine run, a lesson and an import;
// --open S.eps prints "opened session S: N events, M calls, T threads" and a summary, and its
// exports are byte for byte those of the run that saved it; a damaged or newer file exits 2
// with one line naming the file and the line.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include "tests/app/cli/cli_run.hpp"

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace {

using eps::test::CliRun;
using eps::test::runBinary;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string writeFile(const std::string& name, const std::string& text) {
  return eps::test::writeTempFile(name, text);
}

std::string temp(const std::string& name) {
  return ::testing::TempDir() + name;
}

// Opens `session` and checks its first line and that its exports equal `trace`/`csv`.
void expectReopensAs(const std::string& session, const std::string& trace, const std::string& csv,
                     CliRun& run) {
  const std::string trace2 = temp("reopened.json");
  const std::string csv2 = temp("reopened.csv");
  run = runBinary("--headless --open " + session + " --trace-out " + trace2 + " --csv-out " + csv2);
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const std::regex first("opened session " + session +
                         ": [1-9][0-9]* events, [1-9][0-9]* calls, "
                         "[1-9][0-9]* threads\n.*");
  EXPECT_TRUE(std::regex_match(run.out.substr(0, run.out.find('\n') + 1), first)) << run.out;
  EXPECT_FALSE(readFile(trace).empty());
  EXPECT_EQ(readFile(trace2), readFile(trace)) << "the Chrome export is the run's own";
  EXPECT_EQ(readFile(csv2), readFile(csv));
}

TEST(SessionCli, AnEngineRunSavedAndReopenedExportsTheSameBytes) {
  const std::string session = temp("engine.eps");
  const std::string trace = temp("engine.json");
  const std::string csv = temp("engine.csv");
  CliRun run = runBinary("--headless --duration 0.3 --conn-trigger et --save-session " + session +
                         " --trace-out " + trace + " --csv-out " + csv);
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.rfind("listening on 127.0.0.1:", 0), 0u) << run.out;
  expectReopensAs(session, trace, csv, run);
  EXPECT_NE(run.out.find("\nsource: engine\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("knobs: listen-trigger=lt conn-trigger=et "), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("\nlesson: none\n"), std::string::npos) << run.out;
}

TEST(SessionCli, ALessonSavesItsPositionAndItsClients) {
  const std::string lesson =
      std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/01-lt-partial-read.toml";
  const std::string session = temp("lesson.eps");
  const std::string trace = temp("lesson.json");
  const std::string csv = temp("lesson.csv");
  CliRun run = runBinary("--lesson " + lesson + " --check --save-session " + session +
                         " --trace-out " + trace + " --csv-out " + csv);
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  expectReopensAs(session, trace, csv, run);
  EXPECT_NE(run.out.find("\nsource: lesson " + lesson + "\n"), std::string::npos) << run.out;
  EXPECT_TRUE(std::regex_search(
      run.out, std::regex("\nlesson: " + lesson + " \"[^\"]+\", step ([0-9]+) of \\1\n")))
      << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("\nclients: [1-9]\n  client 1: sent [1-9]")))
      << run.out;
}

TEST(SessionCli, AnImportSavedAndReopened) {
  const std::string log = writeFile(
      "session_import.log",
      "301 1795368574.000100 epoll_create1(EPOLL_CLOEXEC) = 3<anon_inode:[eventpoll]> "
      "<0.000010>\n"
      "301 1795368574.000300 epoll_wait(3<anon_inode:[eventpoll]>, [], 64, 100) = 0 <0.100100>\n");
  const std::string session = temp("import.eps");
  const std::string trace = temp("import.json");
  const std::string csv = temp("import.csv");
  CliRun run = runBinary("--headless --open " + log + " --save-session " + session +
                         " --trace-out " + trace + " --csv-out " + csv);
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.rfind("imported " + log + ": ", 0), 0u) << run.out;
  expectReopensAs(session, trace, csv, run);
  EXPECT_EQ(run.out.rfind("opened session " + session + ": 2 events, 2 calls, 1 threads\n", 0), 0u)
      << run.out;
  EXPECT_NE(run.out.find("\nsource: strace log " + log + "\n"), std::string::npos) << run.out;
}

TEST(SessionCli, DamagedOrNewerSessionsExitTwoWithOneLine) {
  const std::string good = temp("good.eps");
  CliRun run = runBinary("--headless --duration 0.1 --save-session " + good);
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const std::string text = readFile(good);
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  ASSERT_GE(lines, 4u);

  // Cut after the header and the first event: the events after it are missing.
  const std::size_t thirdEnd = text.find('\n', text.find('\n', text.find('\n') + 1) + 1);
  const std::string cut = writeFile("cut.eps", text.substr(0, thirdEnd + 1));
  run = runBinary("--headless --open " + cut);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, "");
  const std::regex missing("epollscope: " + cut +
                           ":3: damaged: [0-9]+ of [0-9]+ events missing \\(the file ends at line "
                           "3\\)\n");
  EXPECT_TRUE(std::regex_match(run.err, missing)) << run.err;

  const std::string newer =
      writeFile("newer.eps", "epollscope-session 7\n" + text.substr(text.find('\n') + 1));
  run = runBinary("--headless --open " + newer);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err, "epollscope: " + newer +
                         ":1: saved by a newer epollscope (format 7; this one reads 1)\n");
}

TEST(SessionCli, SaveSessionFlagErrors) {
  CliRun run = runBinary("--save-session x.eps --paused");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err,
            "epollscope: --save-session needs --headless, --check or --frames (the window saves "
            "from File)\n");
  const std::string nowhere = temp("no/such/dir/s.eps");
  run = runBinary("--headless --duration 0.1 --save-session " + nowhere);
  EXPECT_EQ(run.exitCode, 2);
  // Before the run starts: one line naming the flag, the file and the missing folder.
  EXPECT_EQ(run.err, "epollscope: cannot write --save-session " + nowhere + ": folder " +
                         temp("no/such/dir") + ": No such file or directory\n");
  EXPECT_EQ(run.out, "");
  run = runBinary("--help");
  EXPECT_NE(run.out.find("--save-session"), std::string::npos);
}

}  // namespace
