// Lesson 17 played through the real window, the epoll picture opened by the lesson's
// views = ["picture"]: at the end of each
// step the picture's kernel state (the --state-out cursor state the picture draws from) puts
// the connection on the ready list where the kernel has it there, and off where it has not.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <string>

#include "tests/helpers/lesson_steps.hpp"
#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

// The lesson's one connection in the state at "now": the socket that is no listener.
json connection(const json& state) {
  for (const json& socket : state["cursor"]["state"]["sockets"]) {
    if (!socket["listener"].get<bool>()) return socket;
  }
  return nullptr;
}

// Its ready entry on some epoll instance, or null.
json readyEntry(const json& state, int fd) {
  for (const json& instance : state["cursor"]["state"]["epolls"]) {
    for (const json& entry : instance["ready"]) {
      if (entry["fd"].get<int>() == fd) return entry;
    }
  }
  return nullptr;
}

class ReadyListLesson : public ::testing::Test {
 protected:
  // No --epoll-picture: the lesson's views = ["picture"] opens it.
  WindowDriver window{{1280, 720, {"--lesson", kSource + "/lessons/17-ready-list.toml"}}};

  // Answers step `step`'s predict question (if `choice` >= 0), runs it, and waits until it
  // has been played without an error.
  ::testing::AssertionResult play(int step, int choice = -1) {
    if (choice >= 0) {
      if (auto locked = lockChoice(window, choice); !locked)
        return locked << " (step " << step + 1 << ")";
    }
    const json played = runStep(window, step);
    if (played.is_null()) return ::testing::AssertionFailure() << window.failure();
    const std::string error = played["lesson"]["error"].get<std::string>();
    if (!error.empty())
      return ::testing::AssertionFailure() << "step " << step + 1 << ": " << error;
    return ::testing::AssertionSuccess();
  }

  // The picture's state once the connection's receive queue shows `recv` bytes and its place
  // on the ready list is `onList` (null if that never comes).
  json connectionAt(std::int64_t recv, bool onList, const std::string& what) {
    return window.waitFor(
        [&](const json& s) {
          const json conn = connection(s);
          return !conn.is_null() && conn["known"].get<bool>() && conn["recv"] == recv &&
                 conn["onReadyList"].get<bool>() == onList;
        },
        what, 20s);
  }
};

TEST_F(ReadyListLesson, ThePictureShowsLevelBackOnTheListAndEdgeOffIt) {
  SKIP_WITHOUT_WINDOWS();
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["mode"] == "lesson"; }, "lesson")
                   .is_null()) << window.failure();
  EXPECT_TRUE(window.settle()["showPicture"].get<bool>()) << "views = [\"picture\"]";
  ASSERT_TRUE(play(0));
  // Bytes arrive while the engine is paused: the kernel appended the socket, no wait ran.
  ASSERT_TRUE(play(1, 1));
  const json arrived = connectionAt(500, true, "500 B waiting, on the ready list");
  ASSERT_FALSE(arrived.is_null()) << window.failure();
  // LT, after one wakeup and a partial read: back on the list, put there by a level.
  ASSERT_TRUE(play(2, 2));
  const json lt = connectionAt(400, true, "LT: 400 B waiting, back on the ready list");
  ASSERT_FALSE(lt.is_null()) << window.failure();
  const int fd = connection(lt)["fd"].get<int>();
  const json entry = readyEntry(lt, fd);
  ASSERT_FALSE(entry.is_null()) << lt["cursor"].dump();
  EXPECT_FALSE(entry["edge"].get<bool>()) << "a level put it back: " << entry.dump();
  // The step ended with the engine paused before its next epoll_wait: the picture says so, as
  // the toolbar does, not the last call the trace holds (the write of the echo).
  EXPECT_EQ(lt["pictureEngine"].get<std::string>().rfind("paused before epoll_wait", 0), 0u)
      << lt["pictureEngine"] << " / toolbar: " << lt["toolbar"];
  ASSERT_TRUE(play(3));
  ASSERT_FALSE(connectionAt(300, true, "LT again: 300 B, on the list").is_null()) << window.failure();
  ASSERT_TRUE(play(4));  // drained
  ASSERT_FALSE(connectionAt(0, false, "drained: off the list").is_null()) << window.failure();
  ASSERT_TRUE(play(5));  // edge-triggered from here
  // Bytes arrive while paused: on the list again, put there by their edge.
  ASSERT_TRUE(play(6));
  const json edge = connectionAt(500, true, "ET: 500 B arrived while paused, on the list");
  ASSERT_FALSE(edge.is_null()) << window.failure();
  // ET, the same partial read: off the list, with bytes waiting, and it stays off while paused.
  ASSERT_TRUE(play(7, 1));
  const json et = connectionAt(400, false, "ET: 400 B waiting, off the ready list");
  ASSERT_FALSE(et.is_null()) << window.failure();
  const json later = window.settle(30);
  EXPECT_FALSE(connection(later)["onReadyList"].get<bool>()) << later["cursor"].dump();
  EXPECT_EQ(connection(later)["recv"], 400);
}

}  // namespace
}  // namespace eps::test
#endif
