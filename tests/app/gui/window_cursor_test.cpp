// The time cursor through real X input: a click on the ruler places it, ] and [ step it call
// by call, and the kernel state --state-out reports at it equals this test's own replay
// (core/kernelstate) of the same trace loaded through the core API: an imported strace log,
// a saved session, and a lesson (saved from the window's File popup), whose state "now" also
// equals the engine's real kernel view at the end of its lost-wakeup step.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/formats/session_file.hpp"
#include "core/kernelstate/kernel_state.hpp"
#include "core/strace/import.hpp"
#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

using namespace std::chrono_literals;

// "" when the window's reported state equals the replay of `events` to the same count.
std::string differenceFromReplay(const json& cursor, const std::vector<TraceEvent>& events) {
  const std::size_t count = cursor["count"].get<std::size_t>();
  if (count > events.size()) return "the cursor is past the trace's events";
  const KernelState state = replayTo(events, count);
  const json& shown = cursor["state"];
  if (shown["sockets"].size() != state.sockets.size()) return "socket count";
  for (const json& socket : shown["sockets"]) {
    const SocketState* mine = state.socket(socket["fd"].get<int>());
    const std::string at = "fd " + socket["fd"].dump() + ": ";
    if (mine == nullptr) return at + "missing";
    if (socket["known"].get<bool>() != mine->queues.known) return at + "known";
    if (mine->queues.known && (socket["recv"] != mine->queues.recv ||
                               socket["send"] != mine->queues.send)) {
      return at + "queues";
    }
    if (socket["held"] != mine->held) return at + "held";
    if (socket["onReadyList"] != state.onReadyList(mine->fd)) return at + "ready list";
  }
  if (shown["epolls"].size() != state.epolls.size()) return "epoll instances";
  for (const json& instance : shown["epolls"]) {
    const auto found = state.epolls.find(instance["epfd"].get<int>());
    if (found == state.epolls.end()) return "epoll instance missing";
    if (instance["interest"].size() != found->second.interest.size()) return "interest list";
    for (const json& entry : instance["interest"]) {
      const auto mine = found->second.interest.find(entry["fd"].get<int>());
      if (mine == found->second.interest.end() || entry["mask"] != mine->second.mask ||
          entry["armed"] != mine->second.armed) {
        return "interest of fd " + entry["fd"].dump();
      }
    }
    if (instance["ready"].size() != found->second.ready.size()) return "ready list size";
  }
  if (shown["diagnoses"].size() != state.diagnoses.size()) return "diagnoses";
  if (shown["positions"].size() != state.positions.size()) return "positions";
  return "";
}

// Clicks the ruler at `fraction` of its width and waits for the cursor to move there.
json clickRuler(WindowDriver& window, float fraction) {
  const json before = window.settle();
  const json& ruler = before["timeline"]["ruler"];
  window.click(ruler["x"].get<float>() + ruler["w"].get<float>() * fraction,
               ruler["y"].get<float>() + ruler["h"].get<float>() / 2);
  return window.waitFor([](const json& s) { return s["cursor"]["set"].get<bool>(); },
                        "the cursor placed");
}

// [ then [ then ] then [: a step back and forward again gives the same state, each matching
// the replay.
void stepBackAndForth(WindowDriver& window, const std::vector<TraceEvent>& events) {
  const auto keyAndRead = [&](const std::string& key, std::size_t from) {
    window.key(key);
    return window.waitFor([from](const json& s) {
      return s["cursor"]["count"].get<std::size_t>() != from;
    }, "the cursor stepped with " + key);
  };
  const std::size_t start = window.settle()["cursor"]["count"].get<std::size_t>();
  const json a = keyAndRead("bracketleft", start);
  ASSERT_FALSE(a.is_null()) << window.failure();
  const json b = keyAndRead("bracketleft", a["cursor"]["count"].get<std::size_t>());
  ASSERT_FALSE(b.is_null()) << window.failure();
  EXPECT_LT(b["cursor"]["count"].get<std::size_t>(), a["cursor"]["count"].get<std::size_t>());
  const json forward = keyAndRead("bracketright", b["cursor"]["count"].get<std::size_t>());
  ASSERT_FALSE(forward.is_null()) << window.failure();
  EXPECT_EQ(forward["cursor"]["count"], a["cursor"]["count"]) << "back one call, forward one";
  EXPECT_EQ(forward["cursor"]["state"], a["cursor"]["state"]);
  const json back = keyAndRead("bracketleft", forward["cursor"]["count"].get<std::size_t>());
  ASSERT_FALSE(back.is_null()) << window.failure();
  EXPECT_EQ(back["cursor"]["state"], b["cursor"]["state"]) << "and back again";
  EXPECT_EQ(differenceFromReplay(back["cursor"], events), "");
  EXPECT_EQ(differenceFromReplay(forward["cursor"], events), "");
  window.key("Escape");
  EXPECT_FALSE(window.waitFor([](const json& s) { return !s["cursor"]["set"].get<bool>(); },
                              "Escape clears the cursor").is_null());
}

TEST(WindowCursor, OnAnImportedLogTheCursorShowsTheReplayedState) {
  SKIP_WITHOUT_WINDOWS();
  const std::string log = kSource + "/assets/traces/nginx.strace";
  WindowDriver window({1280, 720, {"--open", log}});
  ASSERT_FALSE(window.waitFor([](const json& s) {
    return s["mode"] == "file" && s["timeline"]["events"].get<int>() > 0 &&
           s["cursor"]["events"].get<int>() == s["timeline"]["events"].get<int>();
  }, "the log shown").is_null()) << window.failure();
  StraceImportOptions options;
  options.source = log;
  const std::vector<TraceEvent> events = importStraceFile(log, options).events;
  const json placed = clickRuler(window, 0.6f);
  ASSERT_FALSE(placed.is_null()) << window.failure();
  EXPECT_GT(placed["cursor"]["count"].get<std::size_t>(), 0u);
  EXPECT_EQ(differenceFromReplay(placed["cursor"], events), "");
  stepBackAndForth(window, events);
  // A drag on the ruler still measures a range, and places no cursor.
  const json shown = window.settle();
  const json& ruler = shown["timeline"]["ruler"];
  const float y = ruler["y"].get<float>() + ruler["h"].get<float>() / 2;
  const float x = ruler["x"].get<float>(), w = ruler["w"].get<float>();
  window.drag(x + w * 0.2f, y, x + w * 0.4f, y);
  const json ranged = window.waitFor([](const json& s) { return s["timeline"].contains("range"); },
                                     "a range measured");
  ASSERT_FALSE(ranged.is_null()) << window.failure();
  EXPECT_FALSE(ranged["cursor"]["set"].get<bool>());
  // Alt+click on the lanes places the cursor, and selects no event.
  const json& canvas = ranged["timeline"]["canvas"];
  const float cx = canvas["x"].get<float>() + canvas["w"].get<float>() * 0.3f;
  const float cy = canvas["y"].get<float>() + 10;
  window.drag(cx, cy, cx, cy, "alt");
  const json alt = window.waitFor([](const json& s) { return s["cursor"]["set"].get<bool>(); },
                                  "Alt+click placed the cursor");
  ASSERT_FALSE(alt.is_null()) << window.failure();
  EXPECT_TRUE(alt["selection"].is_null());
  EXPECT_EQ(differenceFromReplay(alt["cursor"], events), "");
}

TEST(WindowCursor, OnASavedSessionTheCursorShowsTheReplayedState) {
  SKIP_WITHOUT_WINDOWS();
  const std::string dir = ::testing::TempDir();
  const std::string session = dir + "/cursor-lesson02.eps";
  const std::string lesson = kSource + "/lessons/02-et-lost-wakeup.toml";
  ASSERT_EQ(std::system((std::string(EPOLLSCOPE_BINARY) + " --headless --lesson " + lesson +
                         " --save-session " + session + " > /dev/null").c_str()),
            0);
  WindowDriver window({1280, 720, {"--open", session}});
  ASSERT_FALSE(window.waitFor([](const json& s) {
    return s["mode"] == "file" && s["timeline"]["events"].get<int>() > 0;
  }, "the session shown").is_null()) << window.failure();
  const std::vector<TraceEvent> events = readSession(session).events;
  const json placed = clickRuler(window, 0.5f);
  ASSERT_FALSE(placed.is_null()) << window.failure();
  EXPECT_EQ(differenceFromReplay(placed["cursor"], events), "");
  stepBackAndForth(window, events);
  // E shows the epoll picture; its button takes the cursor away.
  ASSERT_FALSE(clickRuler(window, 0.5f).is_null()) << window.failure();
  window.key("e");
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["showPicture"].get<bool>(); },
                              "the epoll picture shown").is_null()) << window.failure();
  ASSERT_TRUE(window.clickWidget("cursor-clear")) << window.failure();
  EXPECT_FALSE(window.waitFor([](const json& s) { return !s["cursor"]["set"].get<bool>(); },
                              "back to now").is_null()) << window.failure();
}

// Lesson 02 after its lost-wakeup step: "now" equals the engine's own kernel view (3996 bytes
// stranded, the engine asleep in epoll_wait); the cursor's state equals the replay of the
// session the window saves.
TEST(WindowCursor, InLessonTwoTheLostWakeupMatchesTheEngineAndTheReplay) {
  SKIP_WITHOUT_WINDOWS();
  const std::string lesson = kSource + "/lessons/02-et-lost-wakeup.toml";
  WindowDriver window({1280, 720, {"--lesson", lesson, "--lesson-step", "2"}});
  // The engine's queues and the trace's samples agree once the wait sampler has looked.
  const json settled = window.waitFor([](const json& s) {
    if (s["mode"] != "lesson" || s["lesson"]["step"] != 2) return false;
    const json& now = s["cursor"]["state"];
    for (const json& view : s["sockets"]) {
      if (view["listener"].get<bool>()) continue;
      bool same = false;
      for (const json& socket : now["sockets"]) {
        same = same || (socket["fd"] == view["fd"] && socket["known"].get<bool>() &&
                        socket["recv"] == view["recv"] && socket["send"] == view["send"] &&
                        socket["held"] == view["held"]);
      }
      if (!same) return false;
    }
    return true;
  }, "the state now equal to the engine's kernel view", 20s);
  ASSERT_FALSE(settled.is_null()) << window.failure();
  const json& now = settled["cursor"]["state"];
  ASSERT_EQ(now["diagnoses"].size(), 1u) << now.dump(1);
  EXPECT_EQ(now["diagnoses"][0]["kind"], "stranded");
  EXPECT_EQ(now["diagnoses"][0]["count"], 3996);
  EXPECT_TRUE(now["positions"][0]["asleep"].get<bool>());
  for (const json& view : settled["sockets"]) {
    if (!view["listener"].get<bool>()) {
      EXPECT_EQ(view["stranded"], 3996);
    }
  }
  ASSERT_TRUE(window.clickWidget("file")) << window.failure();
  ASSERT_TRUE(window.clickWidget("save-session")) << window.failure();
  ASSERT_FALSE(window.waitFor([](const json& s) {
    return s["status"].get<std::string>().rfind("wrote ", 0) == 0;
  }, "the session saved").is_null()) << window.failure();
  window.key("Escape");
  const std::vector<TraceEvent> events = readSession(window.dir() + "/epollscope-session.eps").events;
  const json placed = clickRuler(window, 0.7f);
  ASSERT_FALSE(placed.is_null()) << window.failure();
  EXPECT_EQ(differenceFromReplay(placed["cursor"], events), "");
  stepBackAndForth(window, events);
}

}  // namespace
}  // namespace eps::test
