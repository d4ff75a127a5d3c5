// Ctrl-C and SIGTERM end the modes that are not an event loop (an strace import, a headless
// lesson), promptly, with a message, the shell's 128 + signal status, and nothing written.
#include <fcntl.h>
#include <poll.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "tests/app/cli/cli_child.hpp"
#include "tests/app/cli/cli_run.hpp"

namespace {

using eps::test::Child;
using eps::test::waitFor;
using namespace std::chrono_literals;

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// /dev/zero is an endless log: one overlong line. Before, only SIGKILL ended the import.
TEST(Interrupt, SigintEndsAnEndlessImportWith130AndWritesNothing) {
  const std::string trace = ::testing::TempDir() + "interrupt_import.json";
  std::remove(trace.c_str());
  Child child({"--headless", "--open", "/dev/zero", "--trace-out", trace});
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(waitFor([&] { return child.bytesRead() > (16 << 20); }))
      << "the import is reading /dev/zero";
  ::kill(child.pid(), SIGINT);
  EXPECT_EQ(child.waitExit(10000ms), 130) << child.err();
  EXPECT_NE(child.err().find("interrupted by SIGINT"), std::string::npos) << child.err();
  EXPECT_FALSE(exists(trace)) << "an interrupted import writes nothing";
}

// A lesson that waits a minute: SIGTERM ends it within the test's bound, not the wait's.
TEST(Interrupt, SigtermEndsAHeadlessLessonWith143AndWritesNothing) {
  const std::string lesson = eps::test::writeTempFile("interrupt_lesson.toml", R"(id = "long"
title = { en = "A long wait", zh = "A long wait" }
summary = { en = "Waits.", zh = "Waits." }

[[step]]
title = { en = "Wait", zh = "Wait" }
text = { en = "A minute.", zh = "A minute." }
do = ["connect 1", "wait 60000"]
check = ["accepts == 1"]
)");
  const std::string session = ::testing::TempDir() + "interrupt_lesson.eps";
  std::remove(session.c_str());
  Child child({"--headless", "--lesson", lesson, "--save-session", session});
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(child.waitLine("lesson long")) << child.err();
  ::kill(child.pid(), SIGTERM);
  EXPECT_EQ(child.waitExit(10000ms), 143) << child.err();
  EXPECT_NE(child.err().find("interrupted by SIGTERM"), std::string::npos) << child.err();
  EXPECT_FALSE(exists(session)) << "an interrupted lesson writes nothing";
}

// A lesson that traces a bundled example: SIGINT ends it with 130 like any lesson, and the
// example, epollscope's child, goes with it.
TEST(Interrupt, SigintEndsALessonThatTracesAnExampleWith130) {
  if (std::system("strace -qq -o /dev/null true >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "strace cannot trace a program here";
  }
  const std::string lesson = eps::test::writeTempFile("interrupt_example.toml", R"(id = "traced"
title = { en = "A traced wait", zh = "A traced wait" }
summary = { en = "Waits.", zh = "Waits." }

[[step]]
title = { en = "Wait", zh = "Wait" }
text = { en = "A minute.", zh = "A minute." }
do = ["example et_one_read", "connect 1", "wait 60000"]
check = ["accepts == 1"]
)");
  Child child({"--headless", "--lesson", lesson});
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(child.waitLine("lesson traced")) << child.err();
  ::kill(child.pid(), SIGINT);
  EXPECT_EQ(child.waitExit(10000ms), 130) << child.err();
  EXPECT_NE(child.err().find("interrupted by SIGINT"), std::string::npos) << child.err();
}

}  // namespace
