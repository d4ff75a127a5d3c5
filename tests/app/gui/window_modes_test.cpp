// The window between its modes (free play, a lesson, a file): a mode whose engine cannot
// start leaves the window up and says why.
#ifdef EPOLLSCOPE_WITH_GUI
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

// A listener on 127.0.0.1:port, or -1.
int listenOn(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_port = htons(static_cast<std::uint16_t>(port));
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 || ::listen(fd, 8) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// While a lesson plays, free play's port is free, and anyone may take it. Going back to free
// play then cannot start the engine there: the window stays up in free play, says why, and
// Reset serves on the port again once it is free. (The engine's absence was once a crash.)
TEST(WindowModes, FreePlayWhosePortWasTakenSaysSoAndResetServesAgain) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--lesson", kSource + "/lessons/01-lt-partial-read.toml"}});
  const json lesson = window.waitFor([](const json& s) { return s["mode"] == "lesson"; }, "lesson");
  ASSERT_FALSE(lesson.is_null()) << window.failure();
  const int port = lesson["port"].get<int>();
  const int taker = listenOn(port);
  ASSERT_GE(taker, 0) << "127.0.0.1:" << port << " should be free while the lesson plays";
  window.settle();
  ASSERT_TRUE(window.clickWidget("free-play")) << window.failure();
  const json refused = window.waitFor(
      [](const json& s) {
        return s["mode"] == "live" &&
               s["status"].get<std::string>().find("cannot start the engine again") == 0;
      },
      "free play, saying its engine could not start");
  ::close(taker);
  ASSERT_FALSE(refused.is_null()) << window.failure() << "\n" << window.output();
  EXPECT_EQ(refused["engineMode"], "stopped") << "the toolbar says so too";
  window.key("r");
  const json serving = window.waitFor(
      [](const json& s) { return s["mode"] == "live" && s["engineMode"] == "running"; },
      "Reset to serve again");
  ASSERT_FALSE(serving.is_null()) << window.failure() << "\n" << window.output();
  EXPECT_EQ(serving["port"].get<int>(), port) << "free play keeps its port";
}

}  // namespace
}  // namespace eps::test
#endif
