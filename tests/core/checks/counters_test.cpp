// The counter registry: one row per counter, and the READMEs' counter tables say exactly what
// the registry says — a counter added without a README row, or a README row that names no
// counter (or says something else), fails here.
#include "core/checks/counters.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "tests/helpers/file_text.hpp"

namespace eps {
namespace {

using Rows = std::map<std::string, std::string>;  // counter name -> meaning as shown

// The rows of the table whose header is `header` ("| Counter | Meaning |"): each
// "| `name` | meaning |" up to the first line that is not a table row.
Rows readmeRows(const std::string& path, const std::string& header) {
  const std::string text = testing::readAll(std::string(EPOLLSCOPE_SOURCE_DIR) + "/" + path);
  const std::size_t at = text.find(header + "\n");
  if (at == std::string::npos) {
    ADD_FAILURE() << path << " has no table headed " << header;
    return {};
  }
  std::istringstream lines(text.substr(at + header.size() + 1));
  Rows rows;
  std::string line;
  std::getline(lines, line);  // |---|---|
  while (std::getline(lines, line) && line.starts_with("| `")) {
    const std::size_t nameEnd = line.find('`', 3);
    const std::size_t meaning = line.find(" | ", nameEnd);
    if (nameEnd == std::string::npos || meaning == std::string::npos || !line.ends_with(" |")) {
      ADD_FAILURE() << path << ": a row not of the form | `name` | meaning |: " << line;
      continue;
    }
    const std::string name = line.substr(3, nameEnd - 3);
    const std::size_t from = meaning + 3;
    EXPECT_TRUE(rows.emplace(name, line.substr(from, line.size() - 2 - from)).second)
        << path << ": two rows for " << name;
  }
  return rows;
}

Rows registryRows(std::span<const CounterInfo> table) {
  Rows rows;
  for (const CounterInfo& info : table) rows.emplace(std::string(info.name), counterText(info));
  return rows;
}

// Both ways: every counter has its row, every row is a counter, and they say the same.
void expectSameRows(const Rows& readme, const Rows& registry, const std::string& path) {
  for (const auto& [name, meaning] : registry) {
    const auto row = readme.find(name);
    if (row == readme.end()) {
      ADD_FAILURE() << path << " has no row for the counter " << name << ": | `" << name << "` | "
                    << meaning << " |";
    } else {
      EXPECT_EQ(row->second, meaning) << path << ", the row of " << name;
    }
  }
  for (const auto& [name, meaning] : readme) {
    EXPECT_TRUE(registry.count(name) != 0)
        << path << " has a row for " << name << ", which is no counter (core/checks/counters.cpp)";
  }
}

TEST(CounterRegistry, LessonsReadmeTableIsTheRegistry) {
  expectSameRows(readmeRows("lessons/README.md", "| Counter | Meaning |"),
                 registryRows(lessonCounters()), "lessons/README.md");
}

TEST(CounterRegistry, TracesReadmeTableIsTheRegistry) {
  expectSameRows(readmeRows("assets/traces/README.md", "| counter | meaning |"),
                 registryRows(tourCounters()), "assets/traces/README.md");
}

TEST(CounterRegistry, EveryRowHasAUniqueNameAMeaningAndAKindOfItsTable) {
  for (const auto table : {lessonCounters(), tourCounters()}) {
    std::set<std::string_view> names;
    for (const CounterInfo& info : table) {
      EXPECT_TRUE(names.insert(info.name).second) << "duplicate " << info.name;
      EXPECT_FALSE(info.meaning.empty()) << info.name;
    }
  }
  for (const CounterInfo& info : lessonCounters()) {
    EXPECT_NE(info.kind, CounterKind::LogTally) << info.name;
    EXPECT_EQ(lessonCounterFromName(info.name), static_cast<LessonCounter>(info.id));
  }
  for (const CounterInfo& info : tourCounters()) {
    EXPECT_EQ(info.kind, CounterKind::LogTally) << info.name;
    EXPECT_EQ(tourCounterFromName(info.name), static_cast<TourCounter>(info.id));
  }
  EXPECT_EQ(lessonCounterFromName("stranded"), std::nullopt);
  EXPECT_EQ(counterText(counterInfo(LessonCounter::StrandedBytes)),
            "now: bytes stranded on connections");
}

TEST(CounterRegistry, NearestCounterIsOfferedOnlyWhenClose) {
  EXPECT_EQ(nearestCounter(lessonCounters(), "wakeup"), "wakeups");
  EXPECT_EQ(nearestCounter(lessonCounters(), "raeds"), "reads");
  EXPECT_EQ(nearestCounter(lessonCounters(), "stranded_byte"), "stranded_bytes");
  EXPECT_EQ(nearestCounter(tourCounters(), "wakups"), "wakeups");
  EXPECT_EQ(nearestCounter(lessonCounters(), "x"), "");
  EXPECT_EQ(nearestCounter(lessonCounters(), "throughput"), "");
}

}  // namespace
}  // namespace eps
