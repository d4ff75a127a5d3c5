// Trace tours: the shipped tours of real servers hold over their logs, and a tour file that
// cannot be used is refused with its place and the problem.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/strace/counters.hpp"
#include "core/strace/import.hpp"
#include "core/strace/line.hpp"
#include "core/strace/tour.hpp"

namespace eps {
namespace {

const std::string kTraces = std::string(EPOLLSCOPE_SOURCE_DIR) + "/assets/traces";

std::string writeTemp(const std::string& name, const std::string& text) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("epollscope-tour-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

std::map<std::string, std::int64_t, std::less<>> countsOf(const std::string& log) {
  return countImport(importStraceFile(kTraces + "/" + log));
}

TEST(TraceTour, EveryShippedTourHoldsOverItsLog) {
  int tours = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kTraces)) {
    if (!isTourPath(entry.path().string())) continue;
    ++tours;
    const TourLoad load = loadTraceTour(entry.path().string());
    ASSERT_TRUE(load.tour) << load.error;
    const StraceImport log = importStraceFile(load.tour->logPath);
    EXPECT_EQ(log.stats.notUnderstood, 0u) << load.tour->logPath;
    const auto outcomes = checkTour(*load.tour, countImport(log));
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      EXPECT_TRUE(outcomes[i].passed)
          << entry.path() << " step " << i + 1 << ": " << load.tour->steps[i].checkSource << " ["
          << outcomes[i].observed << "]";
    }
  }
  EXPECT_GE(tours, 3);
}

// What the tours teach, pinned directly: nginx is edge-triggered per connection, redis
// level-triggered, memcached one epoll instance per thread.
TEST(TraceTour, RealServersShowTheirTriggerModes) {
  const auto nginx = countsOf("nginx.strace");
  EXPECT_EQ(nginx.at("et_registrations"), 7);
  EXPECT_EQ(nginx.at("write_eagains"), 1);
  EXPECT_EQ(nginx.at("partial_writes"), 1);  // writev's iovec asked 32768, wrote 8192
  const auto redis = countsOf("redis.strace");
  EXPECT_EQ(redis.at("et_registrations"), 0);
  EXPECT_GT(redis.at("lt_registrations"), 0);
  const auto memcached = countsOf("memcached.strace");
  EXPECT_EQ(memcached.at("epoll_instances"), 3);
  EXPECT_EQ(memcached.at("threads"), 6);  // two workers, the main thread and three helpers
}

struct BadTour {
  const char* text;
  const char* error;  // after "PATH:"
};

TEST(TraceTour, UnusableToursAreRefusedWithPlaceAndProblem) {
  const std::string head =
      "title = \"t\"\nlog = \"nginx.strace\"\nrecorded = \"r\"\nsummary = \"s\"\n";
  const std::string step = "[[step]]\ntitle = \"a\"\ntext = \"b\"\n";
  const BadTour cases[] = {
      {"title = \"t\"\n", "1:1: a tour needs 'log'"},
      {"title = \"t\"\nlog = \"x\"\nrecorded = \"r\"\nsummary = \"s\"\n",
       "1:1: a tour needs at least one [[step]]"},
      {"colour = 1\n", "1:1: unknown key 'colour' in a tour"},
  };
  for (const BadTour& bad : cases) {
    const std::string path = writeTemp("bad.tour.toml", bad.text);
    EXPECT_EQ(loadTraceTour(path).error, path + ":" + bad.error);
  }
  std::string path =
      writeTemp("lines.tour.toml", head + step + "lines = [9, 3]\ncheck = \"reads == 1\"\n");
  EXPECT_EQ(loadTraceTour(path).error,
            path + ":8:9: 'lines' must have 1 <= first <= last, got [9, 3]");
  path = writeTemp("check.tour.toml", head + step + "lines = [1, 2]\ncheck = \"wakups == 1\"\n");
  EXPECT_EQ(loadTraceTour(path).error,
            path + ":9:9: check: column 1: unknown counter 'wakups' (did you mean 'wakeups'? see "
                   "assets/traces/README.md)");
  // A lesson's counter is no tour's: the log has no kernel state to read.
  path = writeTemp("lesson.tour.toml",
                   head + step + "lines = [1, 2]\ncheck = \"reads == 1 && stranded_bytes == 0\"\n");
  EXPECT_EQ(loadTraceTour(path).error,
            path + ":9:9: check: column 15: unknown counter 'stranded_bytes' (see "
                   "assets/traces/README.md)");
  path = writeTemp("syntax.tour.toml", "title = \n");
  EXPECT_EQ(loadTraceTour(path).error.rfind(path + ":1:", 0), 0u);
  EXPECT_FALSE(loadTraceTour("/nonexistent/x.tour.toml").error.empty());
}

// A tour is shared like a document: its `log` may name only a file in the tour's own folder,
// however it is written (absolute, "..", a symbolic link that leads out).
TEST(TraceTour, TheLogMustStayInTheToursFolder) {
  const std::string rest =
      "recorded = \"r\"\nsummary = \"s\"\n[[step]]\ntitle = \"a\"\n"
      "text = \"b\"\nlines = [1, 1]\ncheck = \"reads >= 0\"\n";
  const auto tourWith = [&](const std::string& log) {
    return writeTemp("log.tour.toml", "title = \"t\"\nlog = \"" + log + "\"\n" + rest);
  };
  std::string path = tourWith("/etc/passwd");
  EXPECT_EQ(loadTraceTour(path).error,
            path + ":2:7: 'log' must be a path relative to the tour's folder, not an absolute one");
  path = tourWith("logs/../../x.strace");
  EXPECT_EQ(loadTraceTour(path).error,
            path + ":2:7: 'log' must not leave the tour's folder ('..')");
  const auto folder = std::filesystem::path(path).parent_path();
  std::filesystem::remove(folder / "out");
  std::filesystem::create_directory_symlink("/etc", folder / "out");
  path = tourWith("out/passwd");
  EXPECT_EQ(loadTraceTour(path).error,
            path + ":2:7: 'log' leads out of the tour's folder (through a symbolic link)");
  std::filesystem::create_directories(folder / "logs");
  path = tourWith("logs/server.strace");
  const TourLoad inside = loadTraceTour(path);
  ASSERT_TRUE(inside.tour) << inside.error;
  EXPECT_EQ(inside.tour->logPath, (folder / "logs/server.strace").string());
}

// A step names lines of the log; the timeline shows times. Each step spans from its first
// timed line's start to its last timed line's end; untimed and overlong lines place nothing.
TEST(TraceTour, StepSpansAreTheTimesOfTheirLines) {
  TraceTour tour;
  for (const auto& [first, last] :
       {std::pair{1, 3}, {2, 2}, {4, 5}, {9, 9}, {6, 6}, {7, 7}}) {
    TourStep step;
    step.firstLine = first;
    step.lastLine = last;
    tour.steps.push_back(step);
  }
  const std::string overlong = "100  0.500000 read(5, \"" +
                               std::string(StraceImportOptions{}.maxLineBytes, 'a') +
                               "\", 1) = 1 <0.100000>";
  std::istringstream log("100  1.000000 epoll_wait(4, [], 512, 0) = 0 <0.000010>\n"
                         "not a line strace writes\n"
                         "100  2.500000 read(5, \"ab\", 2) = 2 <0.000500>\n" +
                         overlong + "\n100  3.000000 close(5) = 0 <0.000001>\n" +
                         "200  4.000000 epoll_wait(4,  <unfinished ...>\n"
                         "200  6.000000 <... epoll_wait resumed>[], 512, -1) = 0 <2.000000>\n");
  const auto spans = tourStepSpans(tour, log);
  ASSERT_EQ(spans.size(), 6u);
  ASSERT_TRUE(spans[0]);
  EXPECT_EQ(spans[0]->startNs, 1'000'000'000);
  EXPECT_EQ(spans[0]->endNs, 2'500'500'000);
  EXPECT_FALSE(spans[1]) << "a step of untimed lines has no place on the timeline";
  ASSERT_TRUE(spans[2]);
  EXPECT_EQ(spans[2]->startNs, 3'000'000'000) << "the overlong line must not be parsed";
  EXPECT_EQ(spans[2]->endNs, 3'000'001'000);
  EXPECT_FALSE(spans[3]) << "a step past the log's end";
  ASSERT_TRUE(spans[4]);
  EXPECT_EQ(spans[4]->startNs, 4'000'000'000) << "an unfinished call: the moment it began";
  EXPECT_EQ(spans[4]->endNs, 4'000'000'000);
  ASSERT_TRUE(spans[5]);
  EXPECT_EQ(spans[5]->startNs, 6'000'000'000) << "a resumed line: the moment the call returned";
  EXPECT_EQ(spans[5]->endNs, 6'000'000'000) << "its -T is the whole call's, not time after it";
}

// The shipped tours: every step has a place on the timeline, inside the time the log covers
// (a step with a "<... resumed>" line once reached seconds past the log's end).
TEST(TraceTour, ShippedStepsLieWithinTheirLogsTime) {
  for (const auto& entry : std::filesystem::directory_iterator(kTraces)) {
    if (!isTourPath(entry.path().string())) continue;
    const TourLoad load = loadTraceTour(entry.path().string());
    ASSERT_TRUE(load.tour) << load.error;
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    std::ifstream in(load.tour->logPath);
    for (std::string line; std::getline(in, line);) {
      const StraceLine parsed = parseStraceLine(line);
      if (parsed.tsNs < 0) continue;
      first = std::min(first, parsed.tsNs);
      last = std::max(last, parsed.tsNs);
    }
    const auto spans = tourStepSpans(*load.tour);
    ASSERT_EQ(spans.size(), load.tour->steps.size());
    for (std::size_t i = 0; i < spans.size(); ++i) {
      ASSERT_TRUE(spans[i]) << entry.path() << " step " << i + 1;
      EXPECT_LE(spans[i]->startNs, spans[i]->endNs) << entry.path() << " step " << i + 1;
      EXPECT_GE(spans[i]->startNs, first) << entry.path() << " step " << i + 1;
      EXPECT_LE(spans[i]->endNs, last) << entry.path() << " step " << i + 1;
    }
  }
}

// A tour's title, summary and texts are a string (shown as written in both languages) or
// { en = "...", zh = "..." }, in either TOML form; a half-written pair is refused with its place.
TEST(TraceTour, TextsAreAStringOrBothLanguages) {
  const std::string rest = "log = \"nginx.strace\"\nrecorded = \"r\"\n";
  const std::string step = "[[step]]\nlines = [1, 2]\ncheck = \"reads >= 0\"\n";
  std::string path = writeTemp(
      "both.tour.toml", "title = { en = \"T\", zh = \"\u6807\u9898\" }\n" + rest +
                            "summary = \"plain\"\n" + step +
                            "title.en = \"A\"\ntitle.zh = \"\u7532\"\ntext = \"b\"\n");
  const TourLoad load = loadTraceTour(path);
  ASSERT_TRUE(load.tour) << load.error;
  EXPECT_EQ(load.tour->title.in(true), "\u6807\u9898");
  EXPECT_EQ(load.tour->title.in(false), "T");
  EXPECT_EQ(load.tour->summary.in(true), "plain");  // as written
  EXPECT_EQ(load.tour->steps[0].title.in(true), "\u7532");
  EXPECT_EQ(load.tour->steps[0].text.in(true), "b");
  const std::string tail = rest + "summary = \"s\"\n" + step + "title = \"a\"\ntext = \"b\"\n";
  const BadTour cases[] = {
      {"title = { en = \"t\" }\n", "1:9: 'title' needs both 'en' and 'zh', it lacks 'zh'"},
      {"title = { en = \"t\", zh = \"z\", fr = \"x\" }\n",
       "1:31: unknown key 'fr' in 'title' (it takes en and zh)"},
      {"title = { en = \"\", zh = \"z\" }\n", "1:16: 'title.en' must be a non-empty string"},
      {"title = 3\n", "1:9: 'title' must be a string or { en = \"...\", zh = \"...\" }"},
  };
  for (const BadTour& bad : cases) {
    path = writeTemp("half.tour.toml", bad.text + tail);
    EXPECT_EQ(loadTraceTour(path).error, path + ":" + bad.error);
  }
}

// The shipped tours speak both languages: every title and text has its Chinese.
TEST(TraceTour, EveryShippedTourHasChineseForEveryText) {
  for (const auto& entry : std::filesystem::directory_iterator(kTraces)) {
    if (!isTourPath(entry.path().string())) continue;
    const TourLoad load = loadTraceTour(entry.path().string());
    ASSERT_TRUE(load.tour) << load.error;
    const TraceTour& tour = *load.tour;
    EXPECT_FALSE(tour.title.zh.empty()) << entry.path() << ": title";
    EXPECT_FALSE(tour.summary.zh.empty()) << entry.path() << ": summary";
    for (std::size_t i = 0; i < tour.steps.size(); ++i) {
      EXPECT_FALSE(tour.steps[i].title.zh.empty()) << entry.path() << " step " << i + 1;
      EXPECT_FALSE(tour.steps[i].text.zh.empty()) << entry.path() << " step " << i + 1;
    }
  }
}

}  // namespace
}  // namespace eps
