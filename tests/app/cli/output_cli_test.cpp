// Output files on the command line: a failed export is never reported as success (exit 2, one
// line naming the flag, the path and the reason), the previous file survives a failed write,
// anything but a regular file is refused before the run starts, and --duration takes only a
// finite number of seconds in (0, a year].
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/app/cli/cli_run.hpp"
#include "tests/helpers/file_text.hpp"

namespace {

namespace fs = std::filesystem;
using eps::test::CliRun;
using eps::test::runBinary;

const std::string kRefusedDevice =
    "is a character device; refused (only a regular file is replaced)";

// A fresh folder per test.
class OutputCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("output_cli_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

using eps::testing::readAll;
using eps::testing::writeText;

// A device cannot be written as a file: refused at once, before the engine starts (stdout has
// no "listening on"), exit 2, one line naming the flag, the path and why.
TEST_F(OutputCli, DevFullIsRefusedBeforeTheRunForCsvAndTrace) {
  for (const std::string flag : {"--csv-out", "--trace-out"}) {
    const CliRun run = runBinary("--headless --duration 30 " + flag + " /dev/full", 20);
    EXPECT_EQ(run.exitCode, 2) << flag;
    EXPECT_EQ(run.err, "epollscope: cannot write " + flag + " /dev/full: " + kRefusedDevice + "\n");
    EXPECT_EQ(run.out, "") << "refused before the engine started";
  }
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
}

// "-" is standard output, and its writes are checked too: /dev/full behind the redirection
// is "No space left on device", not a silent exit 0.
TEST_F(OutputCli, StandardOutputOnAFullDeviceIsAnError) {
  for (const std::string flag : {"--csv-out", "--trace-out"}) {
    const CliRun run = runBinary("--headless --duration 0.1 " + flag + " - >/dev/full");
    EXPECT_EQ(run.exitCode, 2) << flag;
    const std::string line = "epollscope: cannot write " + flag + " -: No space left on device\n";
    ASSERT_GE(run.err.size(), line.size()) << run.err;
    EXPECT_EQ(run.err.substr(run.err.size() - line.size()), line) << run.err;
  }
  EXPECT_FALSE(fs::exists("-"));
}

TEST_F(OutputCli, StandardOutputTakesTheCsvAfterTheFirstLine) {
  const CliRun run = runBinary("--headless --duration 0.1 --csv-out -");
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.rfind("listening on 127.0.0.1:", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("\nseq,t_us,dur_us,thread,tid,call,fd,ret,errno,bytes,events,op\n"),
            std::string::npos)
      << run.out;
}

// A real full disk: a 64 KiB tmpfs, filled, in a private mount namespace (needs unshare(1)
// and the right to mount; skipped honestly where refused). The export fails with ENOSPC, the
// previous file keeps its bytes and no temporary is left in the folder.
TEST_F(OutputCli, AFullDiskFailsTheExportAndKeepsThePreviousFile) {
  const std::string disk = path("disk");
  fs::create_directories(disk);
  const std::string report = path("report.txt");
  const std::string script =
      "mount -t tmpfs -o size=64k none " + disk + " || exit 77; printf \"previous\\n\" > " + disk +
      "/prev.csv; dd if=/dev/zero of=" + disk + "/filler bs=4k 2>/dev/null; " + EPOLLSCOPE_BINARY +
      " --headless --duration 0.1 --csv-out " + disk + "/prev.csv --trace-out " + disk +
      "/prev.json >/dev/null 2>" + path("err.txt") + "; echo \"exit $?\" >" + report + "; cat " +
      disk + "/prev.csv >>" + report + "; ls -A " + disk + " >>" + report;
  const int status = std::system(("unshare --mount sh -c '" + script + "' 2>/dev/null").c_str());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(report)) {
    GTEST_SKIP() << "cannot mount a private tmpfs here (unshare --mount refused)";
  }
  EXPECT_EQ(readAll(report), "exit 2\nprevious\nfiller\nprev.csv\n");
  const std::string err = readAll(path("err.txt"));
  EXPECT_NE(err.find("epollscope: cannot write --csv-out " + disk +
                     "/prev.csv: No space left on device\n"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("epollscope: cannot write --trace-out " + disk +
                     "/prev.json: No space left on device\n"),
            std::string::npos)
      << err;
}

TEST_F(OutputCli, AMissingFolderFailsAtOnceNotAfterTheRun) {
  const std::string nowhere = path("no/such/x.csv");
  // Before the paths were checked first, this ran the whole minute (the timeout ends it).
  const CliRun run = runBinary("--headless --duration 60 --csv-out " + nowhere, 20);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err, "epollscope: cannot write --csv-out " + nowhere + ": folder " +
                         path("no/such") + ": No such file or directory\n");
  EXPECT_EQ(run.out, "");
}

TEST_F(OutputCli, TwoOutputsIntoOneFileAreRefused) {
  const CliRun run =
      runBinary("--headless --duration 0.1 --trace-out " + path("x") + " --csv-out " + path("x"));
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err,
            "epollscope: cannot write --csv-out " + path("x") + ": also named by --trace-out\n");
}

TEST_F(OutputCli, ASessionIsNotSavedOverASymlinkAFifoOrADevice) {
  writeText(path("real.eps"), "precious\n");
  fs::create_symlink(path("real.eps"), path("link.eps"));
  ASSERT_EQ(::mkfifo(path("fifo.eps").c_str(), 0644), 0);
  const bool haveDevice = ::mknod(path("null.eps").c_str(), S_IFCHR | 0666, ::makedev(1, 3)) == 0;
  for (const std::string name : {"link.eps", "fifo.eps", "null.eps"}) {
    if (name == "null.eps" && !haveDevice) continue;
    const CliRun run = runBinary("--headless --duration 0.1 --save-session " + path(name));
    EXPECT_EQ(run.exitCode, 2) << name;
    EXPECT_EQ(run.err.rfind("epollscope: cannot write --save-session " + path(name) + ": is a ", 0),
              0u)
        << run.err;
    EXPECT_NE(run.err.find("; refused"), std::string::npos) << run.err;
  }
  EXPECT_TRUE(fs::is_symlink(path("link.eps")));
  EXPECT_EQ(readAll(path("real.eps")), "precious\n");
  EXPECT_TRUE(fs::is_fifo(path("fifo.eps")));
  if (haveDevice) {
    EXPECT_TRUE(fs::is_character_file(path("null.eps")));
  }
}

// Each bad value: exit 2 at once (`timeout` turns "runs forever" into a failure, not a hang),
// one short line naming the flag and the value.
TEST(DurationFlag, OnlyAFiniteNumberOfSecondsUpToAYearIsAccepted) {
  for (const std::string& value : std::vector<std::string>{
           "1e10", "nan", "inf", "-1", "1e400", "0", "-0", "5s", "1e-400", std::string(300, '9')}) {
    const CliRun run = runBinary("--headless --duration='" + value + "'", 20);
    EXPECT_EQ(run.exitCode, 2) << value;
    EXPECT_EQ(run.out, "") << value;
    const std::string shown = value.size() > 24 ? value.substr(0, 24) + "..." : value;
    EXPECT_EQ(run.err, "epollscope: --duration " + shown +
                           ": expected seconds, more than 0 and at most 31536000 (a year)\n")
        << value;
  }
}

TEST(DurationFlag, AFractionRuns) {
  const CliRun run = runBinary("--headless --duration 0.05");
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.rfind("listening on 127.0.0.1:", 0), 0u) << run.out;
}

}  // namespace
