// Files from elsewhere that are built to hurt: each is refused with one line naming the file,
// promptly and within a memory limit, and nothing from them reaches the terminal unescaped.
// The memory limit (RLIMIT_AS through prlimit) cannot hold an ASan or TSan build, which
// reserve terabytes of shadow address space: there the runs go without it, and the prompt,
// clean refusal is what is checked.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/app/cli/cli_run.hpp"

namespace {

using eps::test::CliRun;
using eps::test::runBinary;
using eps::test::writeTempFile;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kCanLimitMemory = false;
#else
constexpr bool kCanLimitMemory = true;
#endif

// Today's refusals take milliseconds; without them these inputs took 1 GB and more, or hung.
std::string bounded() {
  const std::string limit =
      kCanLimitMemory ? "prlimit --as=" + std::to_string(1L << 30) + " -- " : "";
  return "timeout -k 10 120 " + limit;  // -k: the binary catches SIGTERM
}

bool hasRawControl(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\n') || byte == 0x7f) return true;
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      return true;  // C1 as UTF-8
    }
  }
  return false;
}

TEST(HostileInput, ASessionNumberPastADoubleIsADamagedHeader) {
  const std::string path =
      writeTempFile("hostile_1e999.eps", "epollscope-session 1\n{\"format\":1e999}\n");
  const CliRun run = runBinary("--headless --open " + path);
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_EQ(run.err,
            "epollscope: " + path + ":2: damaged: the header holds a number out of range\n");
}

TEST(HostileInput, ASessionHeaderOfNestedArraysIsRefusedWithinBoundedMemory) {
  const std::string path = writeTempFile(
      "hostile_nested.eps", "epollscope-session 1\n" + std::string((16 << 20) - 1024, '[') + "\n");
  const CliRun run = runBinary("--headless --open " + path, bounded());
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_EQ(run.err, "epollscope: " + path + ":2: header nests deeper than 16 levels\n");
}

TEST(HostileInput, ALessonFromDevZeroIsCutAtTheCap) {
  const CliRun run = runBinary("--headless --lesson /dev/zero --check", bounded());
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_EQ(run.err,
            "epollscope: /dev/zero: larger than 1 MiB, the most a lesson may be (reading "
            "stopped there)\n");
}

TEST(HostileInput, AGigabyteSparseLessonIsRefusedUnread) {
  const std::string path = writeTempFile("hostile_sparse.toml", "");
  std::filesystem::resize_file(path, std::uintmax_t{1} << 30);
  const CliRun run = runBinary("--headless --lesson " + path + " --check", bounded());
  std::filesystem::remove(path);
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_EQ(run.err, "epollscope: " + path +
                         ": larger than 1 MiB, the most a lesson may be (refused without "
                         "reading it)\n");
}

TEST(HostileInput, ALessonFifoWithoutAWriterDoesNotHang) {
  const std::string path = ::testing::TempDir() + "hostile_fifo_" + std::to_string(::getpid());
  std::filesystem::remove(path);
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const CliRun run = runBinary("--headless --lesson " + path + " --check", bounded());
  std::filesystem::remove(path);
  EXPECT_EQ(run.exitCode, 2) << run.err;  // timeout's 124 when the open waited for a writer
  EXPECT_EQ(run.err.rfind("epollscope: " + path + ":", 0), 0u) << run.err;
}

// A session saved by an import, its text fields then rewritten with terminal controls: ESC
// sequences (retitle the window, clear the screen) and C1's CSI. The trailer loses its
// checksum, as a file edited by hand may.
TEST(HostileInput, ASessionSummaryShowsControlsEscaped) {
  const std::string log = writeTempFile(
      "hostile.log",
      "301 1795368574.000100 epoll_create1(EPOLL_CLOEXEC) = 3<anon_inode:[eventpoll]> <0.00001>\n");
  const std::string saved = ::testing::TempDir() + "hostile_saved.eps";
  ASSERT_EQ(runBinary("--headless --open " + log + " --save-session " + saved).exitCode, 0);
  std::ifstream in(saved);
  std::string magic, header, line;
  std::getline(in, magic);
  std::getline(in, header);
  std::string events;
  std::uint64_t count = 0;
  while (std::getline(in, line) && !line.starts_with("end ")) {
    events += line + "\n";
    ++count;
  }
  nlohmann::json json = nlohmann::json::parse(header);
  json["host"] = "\x1b]0;owned\x07";
  json["source"] = "\x1b[2J\x1b[Hall clear";
  json["lesson"] = {{"file",
                     "l.toml\xc2\x9b"
                     "31m"},
                    {"title", "t\x1b[8m"},
                    {"step", 0},
                    {"steps", 1}};
  const std::string path =
      writeTempFile("hostile_controls.eps", magic + "\n" + json.dump() + "\n" + events + "end " +
                                                std::to_string(count) + "\n");
  const CliRun run = runBinary("--headless --open " + path);
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_FALSE(hasRawControl(run.out)) << run.out;
  EXPECT_NE(run.out.find("on \\x1b]0;owned\\x07 (pid"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("source: \\x1b[2J\\x1b[Hall clear\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("lesson: l.toml\\u009b31m \"t\\x1b[8m\""), std::string::npos) << run.out;
}

TEST(HostileInput, ALessonErrorQuotingAControlShowsItEscaped) {
  const std::string path = writeTempFile("hostile_key.toml", "\"\\u001b]0;owned\\u0007\" = 1\n");
  const CliRun run = runBinary("--headless --lesson " + path + " --check");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_FALSE(hasRawControl(run.err)) << run.err;
  EXPECT_NE(run.err.find("\\x1b]0;owned\\x07"), std::string::npos) << run.err;
}

TEST(HostileInput, AnImportErrorQuotingTheLogShowsC1Escaped) {
  std::string text;
  for (int i = 0; i < 30; ++i)
    text +=
        "\xc2\x9b"
        "2J not strace\n";
  const std::string path = writeTempFile("hostile_c1.log", text);
  const CliRun run = runBinary("--headless --open " + path);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_FALSE(hasRawControl(run.err)) << run.err;
  EXPECT_NE(run.err.find("\\u009b2J not strace"), std::string::npos) << run.err;
}

// A tour may not point its log at a file outside its folder, and nothing of such a file is
// echoed: before, the import's error quoted its first line.
TEST(HostileInput, ATourLogOutsideItsFolderIsRefusedUnread) {
  const std::string path = writeTempFile(
      "hostile.tour.toml",
      "title = \"t\"\nlog = \"/etc/passwd\"\nrecorded = \"r\"\nsummary = \"s\"\n[[step]]\n"
      "title = \"a\"\ntext = \"b\"\nlines = [1, 1]\ncheck = \"reads >= 0\"\n");
  const CliRun run = runBinary("--headless --open " + path + " --check");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err, "epollscope: " + path +
                         ":2:7: 'log' must be a path relative to the tour's folder, not an "
                         "absolute one\n");
  EXPECT_EQ(run.out.find("root:"), std::string::npos);
}

}  // namespace
