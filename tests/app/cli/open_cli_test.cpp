// `epollscope --headless --open LOG`: the import's side of the headless contract. The first
// line, the exports, and exit 2 with one line naming the file for logs that cannot be read.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <nlohmann/json.hpp>
#include "tests/app/cli/cli_run.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using eps::test::CliRun;
using eps::test::runBinary;

std::string writeFile(const std::string& name, const std::string& text) {
  return eps::test::writeTempFile(name, text);
}

// Real -ttt -T -yy lines: an ET connection read once (100 of more), then epoll_wait again.
const char* const kLog =
    "301 1795368574.000100 epoll_create1(EPOLL_CLOEXEC) = 3<anon_inode:[eventpoll]> <0.000010>\n"
    "301 1795368574.000200 epoll_ctl(3<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
    "5<TCP:[127.0.0.1:8080->127.0.0.1:41234]>, {events=EPOLLIN|EPOLLET, data={u32=5, u64=5}}) = "
    "0 <0.000010>\n"
    "301 1795368574.000300 epoll_wait(3<anon_inode:[eventpoll]>, [{events=EPOLLIN, data={u32=5, "
    "u64=5}}], 64, -1) = 1 <0.000500>\n"
    "301 1795368574.000900 read(5<TCP:[127.0.0.1:8080->127.0.0.1:41234]>, \"xxxxxxxx\"..., 100) "
    "= 100 <0.000010>\n"
    "301 1795368574.001000 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f0000000000 "
    "<0.000010>\n"
    "this line is not strace's\n"
    "301 1795368574.001100 epoll_wait(3<anon_inode:[eventpoll]>, [], 64, 100) = 0 <0.100100>\n";

TEST(OpenCli, ImportsALogWritesTheExportsAndSummarises) {
  const std::string log = writeFile("open_cli.log", kLog);
  const std::string trace = ::testing::TempDir() + "open_cli.json";
  const std::string csv = ::testing::TempDir() + "open_cli.csv";
  const CliRun run =
      runBinary("--headless --open " + log + " --trace-out " + trace + " --csv-out " + csv);
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.rfind("imported " + log + ": 7 lines, 5 calls, 1 threads\n", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("other calls (not in the trace): 1"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("not understood: 1 lines\n  line 6: this line is not strace's"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("inferred diagnoses: 1 possibly stranded, 0 busy runs"), std::string::npos)
      << run.out;

  std::ifstream in(trace);
  const nlohmann::json json = nlohmann::json::parse(in);
  int waits = 0;
  bool sawStranded = false;
  bool sawConnectionTrack = false;
  for (const auto& event : json["traceEvents"]) {
    const std::string name = event.value("name", "");
    if (name == "epoll_wait" && event.value("ph", "") == "X") ++waits;
    if (name == "stranded") {
      sawStranded = true;
      EXPECT_EQ(event["cat"], "diagnosis,inferred");
      EXPECT_EQ(event["args"]["inferred"], true);
      EXPECT_EQ(event["args"]["last_read_ret"], 100);
    }
    if (name == "thread_name" &&
        event["args"]["name"] == "fd 5 TCP:[127.0.0.1:8080->127.0.0.1:41234]") {
      sawConnectionTrack = true;
    }
  }
  EXPECT_EQ(waits, 2);
  EXPECT_TRUE(sawStranded);
  EXPECT_TRUE(sawConnectionTrack);
  EXPECT_EQ(json["metadata"]["source"], "strace log " + log);

  std::ifstream csvIn(csv);
  std::string header, first;
  std::getline(csvIn, header);
  std::getline(csvIn, first);
  EXPECT_EQ(header, "seq,t_us,dur_us,thread,tid,call,fd,ret,errno,bytes,events,op");
  EXPECT_EQ(first, "1,0.000,10.000,0,301,epoll_create1,-1,3,,,,");
}

TEST(OpenCli, UnusableLogsExitTwoWithOneLineNamingTheFile) {
  const std::string missing = ::testing::TempDir() + "no_such.log";
  CliRun run = runBinary("--headless --open " + missing);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "epollscope: cannot open " + missing + ": No such file or directory\n");

  const std::string empty = writeFile("empty.log", "");
  run = runBinary("--headless --open " + empty);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err.rfind("epollscope: " + empty + ": empty file", 0), 0u) << run.err;

  std::string prose;
  for (int i = 0; i < 25; ++i) prose += "Dear diary, day " + std::to_string(i) + "\n";
  const std::string notStrace = writeFile("diary.txt", prose);
  run = runBinary("--headless --open " + notStrace);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err.rfind("epollscope: " + notStrace + ":1: not an strace log", 0), 0u) << run.err;

  run = runBinary("--headless --open " + std::string(EPOLLSCOPE_BINARY));
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find(":1: binary data, not an strace log"), std::string::npos) << run.err;

  run = runBinary("--check --open " + empty);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err, "epollscope: --check needs --lesson FILE|DIR or --open TOUR.tour.toml\n");
}

// A tour of a real server's log: the import's first line, each step's check, exit 1 when a
// check does not hold and 2 when the tour cannot be read.
TEST(OpenCli, ATourChecksItsStepsOverItsLog) {
  const std::string traces = std::string(EPOLLSCOPE_SOURCE_DIR) + "/assets/traces/";
  CliRun run = runBinary("--headless --open " + traces + "nginx.tour.toml --check");
  EXPECT_EQ(run.exitCode, 0) << run.out << run.err;
  EXPECT_EQ(
      run.out.rfind("imported " + traces + "nginx.strace: 124 lines, 76 calls, 1 threads\n", 0), 0u)
      << run.out;
  EXPECT_NE(run.out.find("checks: 7 passed, 0 failed"), std::string::npos) << run.out;

  // `log` is relative to the tour's folder (and may not leave it): a copy of the log beside
  // the tours written below.
  std::filesystem::copy_file(traces + "nginx.strace", ::testing::TempDir() + "nginx.strace",
                             std::filesystem::copy_options::overwrite_existing);
  const std::string head =
      "title = \"t\"\nlog = \"nginx.strace\"\nrecorded = \"r\"\n"
      "summary = \"s\"\n[[step]]\ntitle = \"a\"\ntext = \"b\"\n"
      "lines = [1, 2]\n";
  const std::string wrong =
      writeFile("wrong.tour.toml", head + "check = \"et_registrations == 0\"\n");
  run = runBinary("--headless --open " + wrong + " --check");
  EXPECT_EQ(run.exitCode, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("FAIL step 1"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[et_registrations=7]"), std::string::npos) << run.out;

  const std::string bad = writeFile("bad.tour.toml", head + "check = \"et == 0\"\n");
  run = runBinary("--headless --open " + bad + " --check");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err,
            "epollscope: " + bad +
                ":9:9: check: column 1: unknown counter 'et' (see assets/traces/README.md)\n");
}

}  // namespace
