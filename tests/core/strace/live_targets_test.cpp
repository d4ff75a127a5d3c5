// What the window offers to trace live: a typed command line split as a shell splits a simple
// one, and this user's processes read from /proc (a real child of the test among them).
#include "core/strace/live_targets.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

namespace eps {
namespace {

using Words = std::vector<std::string>;

Words split(const std::string& line) {
  std::string error;
  Words words = splitCommandLine(line, error);
  EXPECT_EQ(error, "") << line;
  return words;
}

TEST(LiveTargets, SplitsAtBlanksAndKeepsQuotedTextWhole) {
  EXPECT_EQ(split("  python3   -c  'print(1)' "), (Words{"python3", "-c", "print(1)"}));
  EXPECT_EQ(split(R"(echo "a b" 'c "d"' e\ f)"), (Words{"echo", "a b", "c \"d\"", "e f"}));
  EXPECT_EQ(split(R"(x "say \"hi\" \n" y'z')"), (Words{"x", "say \"hi\" \\n", "yz"}));
  EXPECT_EQ(split("a '' b"), (Words{"a", "", "b"}));
  EXPECT_EQ(split("ls | wc"), (Words{"ls", "|", "wc"})) << "no shell: an operator is a word";
  EXPECT_EQ(split(""), Words{});
}

TEST(LiveTargets, AnUnclosedQuoteOrTrailingBackslashIsNamed) {
  std::string error;
  EXPECT_TRUE(splitCommandLine("python3 -c 'print(1)", error).empty());
  EXPECT_EQ(error, "unclosed single quote");
  EXPECT_TRUE(splitCommandLine("echo \"a", error).empty());
  EXPECT_EQ(error, "unclosed double quote");
  EXPECT_TRUE(splitCommandLine("echo a\\", error).empty());
  EXPECT_EQ(error, "a backslash ends the command line: nothing for it to escape");
}

TEST(LiveTargets, OwnProcessesListsAnotherProcessButNotSelfOrItsChildren) {
  const pid_t sleeper = ::fork();
  ASSERT_GE(sleeper, 0);
  if (sleeper == 0) {
    ::execl("/bin/sleep", "sleep", "30", nullptr);
    ::_exit(127);
  }
  // Listed from the point of view of a process that is not its parent (pid 1's view: 1).
  std::vector<ProcessEntry> found;
  for (int tries = 0; tries < 500; ++tries) {  // until the exec shows in its cmdline
    found = ownProcesses(1, 100000);
    const auto it = std::find_if(found.begin(), found.end(),
                                 [&](const ProcessEntry& p) { return p.pid == sleeper; });
    if (it != found.end() && it->command == "sleep 30") break;
    ::usleep(10000);
  }
  const auto it = std::find_if(found.begin(), found.end(),
                               [&](const ProcessEntry& p) { return p.pid == sleeper; });
  ASSERT_NE(it, found.end());
  EXPECT_EQ(it->command, "sleep 30");
  EXPECT_TRUE(
      std::is_sorted(found.begin(), found.end(),
                     [](const ProcessEntry& a, const ProcessEntry& b) { return a.pid > b.pid; }));
  const std::vector<ProcessEntry> mine = ownProcesses(::getpid(), 100000);
  EXPECT_TRUE(std::none_of(mine.begin(), mine.end(), [&](const ProcessEntry& p) {
    return p.pid == sleeper || p.pid == ::getpid();
  })) << "epollscope's own children (strace, a traced program) are not candidates";
  EXPECT_LE(ownProcesses(1, 1).size(), 1u);
  ::kill(sleeper, SIGKILL);
  ::waitpid(sleeper, nullptr, 0);
}

}  // namespace
}  // namespace eps
