// Two runs side by side on the command line: --compare-lesson plays a lesson's script on two
// engines (knobs changed by --knobs-a / --knobs-b) and prints both sides' counters with the
// differences marked; --compare-sessions does the same for two saved sessions. Bad input is one
// line naming the flag or file, exit 2.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tests/app/cli/cli_run.hpp"

namespace {

using eps::test::runBinary;

const std::string kLessons = std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/";

std::string firstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// The row of `counter` in the section that starts at `section`: "  name  A  B  [*]".
std::string rowIn(const std::string& out, const std::string& section, const std::string& counter) {
  const std::size_t from = out.find(section);
  if (from == std::string::npos) return "";
  const std::regex row("\\n  " + counter + " +[^\\n]*");
  std::smatch match;
  const std::string rest = out.substr(from);
  return std::regex_search(rest, match, row) ? match.str().substr(1) : "";
}

TEST(CompareCli, LtAgainstEtPrintsBothSidesCountersWithTheDifferencesMarked) {
  const auto run = runBinary("--headless --compare-lesson " + kLessons +
                                 "02-et-lost-wakeup.toml --knobs-a conn-trigger=lt --knobs-b "
                                 "conn-trigger=et",
                             120);
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  EXPECT_TRUE(std::regex_match(firstLine(run.out),
                               std::regex(R"(listening on 127\.0\.0\.1:\d+ and 127\.0\.0\.1:\d+)")))
      << firstLine(run.out);
  EXPECT_NE(run.out.find("A: engine, knobs listen-trigger=lt conn-trigger=lt"), std::string::npos);
  EXPECT_NE(run.out.find("B: engine, knobs listen-trigger=lt conn-trigger=et"), std::string::npos);
  // Step 2: ET reads 100 bytes once and strands the rest; LT reads all 4096.
  EXPECT_TRUE(std::regex_search(rowIn(run.out, "step 2/4", "stranded_bytes"),
                                std::regex(R"(^  stranded_bytes +0 +3996  \*$)")))
      << run.out;
  EXPECT_TRUE(std::regex_search(rowIn(run.out, "step 2/4", "bytes_read"),
                                std::regex(R"(^  bytes_read +4096 +100  \*$)")))
      << run.out;
  // The whole run: both accept one client (no mark); ET's rescue MOD is B's alone.
  EXPECT_TRUE(std::regex_search(rowIn(run.out, "whole run:", "accepts"),
                                std::regex(R"(^  accepts +1 +1$)")))
      << run.out;
  EXPECT_TRUE(std::regex_search(rowIn(run.out, "whole run:", "epoll_ctl_mods"),
                                std::regex(R"(^  epoll_ctl_mods +0 +1  \*$)")))
      << run.out;
  EXPECT_TRUE(std::regex_search(rowIn(run.out, "whole run:", "last_read_errno"),
                                std::regex(R"(EAGAIN  \*$)")))
      << "errno counters read as names: " << run.out;
  EXPECT_NE(run.out.find("aligned on 9 script markers"), std::string::npos) << run.out;
}

TEST(CompareCli, BadKnobChangesAndMissingPartnersAreOneLineNamingTheFlag) {
  const std::string lesson = kLessons + "02-et-lost-wakeup.toml";
  const auto typo =
      runBinary("--headless --compare-lesson " + lesson + " --knobs-b conn-trigr=et", 30);
  EXPECT_EQ(typo.exitCode, 2);
  EXPECT_EQ(typo.err, "epollscope: --knobs-b: 'conn-trigr=et': no knob named conn-trigr\n");
  EXPECT_EQ(typo.out, "");
  const auto value =
      runBinary("--headless --compare-lesson " + lesson + " --knobs-a read=often", 30);
  EXPECT_EQ(value.exitCode, 2);
  EXPECT_EQ(value.err.rfind("epollscope: --knobs-a: ", 0), 0u) << value.err;
  EXPECT_NE(value.err.find("often"), std::string::npos) << value.err;
  const auto alone = runBinary("--headless --knobs-b read=once", 30);
  EXPECT_EQ(alone.exitCode, 2);
  EXPECT_EQ(alone.err, "epollscope: --knobs-b needs --compare-lesson FILE\n");
  const auto both = runBinary("--headless --compare-lesson " + lesson + " --lesson " + lesson, 30);
  EXPECT_EQ(both.exitCode, 2);
  EXPECT_NE(both.err.find("cannot be combined"), std::string::npos) << both.err;
}

TEST(CompareCli, TwoSavedSessionsAreComparedWithoutKernelCounters) {
  const std::string a = ::testing::TempDir() + "compare-a.eps";
  const std::string b = ::testing::TempDir() + "compare-b.eps";
  ASSERT_EQ(
      runBinary("--lesson " + kLessons + "01-lt-partial-read.toml --check --save-session " + a, 120)
          .exitCode,
      0);
  ASSERT_EQ(
      runBinary("--lesson " + kLessons + "02-et-lost-wakeup.toml --check --save-session " + b, 120)
          .exitCode,
      0);
  const auto run = runBinary("--headless --compare-sessions " + a + " " + b, 60);
  ASSERT_EQ(run.exitCode, 0) << run.out << run.err;
  EXPECT_TRUE(std::regex_match(firstLine(run.out),
                               std::regex(R"(opened sessions A: \d+ events and B: \d+ events)")))
      << firstLine(run.out);
  EXPECT_NE(run.out.find("whole run:"), std::string::npos);
  EXPECT_EQ(rowIn(run.out, "whole run:", "recv_queue"), "")
      << "a saved session has no kernel view: its kernel counters are not compared";
  EXPECT_TRUE(std::regex_search(rowIn(run.out, "whole run:", "accepts"),
                                std::regex(R"(^  accepts +1 +1$)")))
      << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex(R"(aligned on [1-9]\d* script markers)")))
      << "both sessions' lesson steps line up: " << run.out;
}

TEST(CompareCli, ADamagedSessionIsOneLineNamingTheFile) {
  const std::string good = ::testing::TempDir() + "compare-good.eps";
  ASSERT_EQ(
      runBinary("--lesson " + kLessons + "02-et-lost-wakeup.toml --check --save-session " + good,
                120)
          .exitCode,
      0);
  const std::string bad =
      eps::test::writeTempFile("compare-bad.eps", "epollscope-session 1\n{\"format\": 1,\n");
  const auto run = runBinary("--headless --compare-sessions " + good + " " + bad, 30);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find(bad), std::string::npos) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

}  // namespace
