// Lesson 16 in the window: a bundled example traced live while the lesson plays. Each step is
// played on a worker thread that ends with it; the example must stay traced after that
// thread is gone (strace's parent-death signal is per thread), and a client added with the
// mouse talks to the example, whose calls reach the timeline.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

// Lanes of the example's accepted connections: strace's -yy names them
// "fd N TCP:[127.0.0.1:PORT->127.0.0.1:PEER]" (the numbers depend on what it inherited).
int connectionLanes(const json& s) {
  int count = 0;
  for (const json& lane : s["timeline"]["lanes"]) {
    const std::string name = lane["name"].get<std::string>();
    count += name.find(" TCP:[127.0.0.1:") != std::string::npos &&
                     name.find("->127.0.0.1:") != std::string::npos
                 ? 1
                 : 0;
  }
  return count;
}

TEST(WindowExampleLesson, AClientAddedByHandTalksToTheTracedExample) {
  SKIP_WITHOUT_WINDOWS();
  if (std::system("strace -qq -o /dev/null true >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "strace cannot trace a program here";
  }
  WindowDriver window(
      {1280,
       720,
       {"--lesson", kSource + "/lessons/16-your-own-server.toml", "--lesson-step", "1"}});
  const json first = window.waitFor(
      [](const json& s) {
        return s["mode"] == "lesson" && !s["lesson"]["busy"].get<bool>() &&
               s["lesson"]["step"] == 1 && connectionLanes(s) == 1;
      },
      "step 1 played: the example accepted its first client");
  ASSERT_FALSE(first.is_null()) << window.failure();
  EXPECT_EQ(first["toolbar"].get<std::string>().rfind("tracing et_one_read --port ", 0), 0u)
      << first["toolbar"];
  ASSERT_TRUE(window.clickWidget("add-client")) << window.failure();
  const json second = window.waitFor(
      [](const json& s) { return s["clients"].size() == 2 && connectionLanes(s) == 2; },
      "the example's accept4 of the added client, on its own lane");
  EXPECT_FALSE(second.is_null()) << window.failure();
}

}  // namespace
}  // namespace eps::test
#endif
