// The window's controls under real input: signals close it in every mode, shortcuts work
// whatever was clicked last, the lanes scroll to the last of many connections, a lesson's
// "previous" and "restart" keep the timeline.
#ifdef EPOLLSCOPE_WITH_GUI
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>
#include <fstream>

#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {


json shown(WindowDriver& window, const std::string& mode) {
  if (window.waitFor([&](const json& s) { return s["mode"] == mode; }, mode).is_null()) return nullptr;
  return window.settle();
}

// SIGINT and SIGTERM close the window with 0 in every mode, and the trace asked for is written.
TEST(WindowControl, SigintAndSigtermExitZeroInEveryMode) {
  SKIP_WITHOUT_WINDOWS();
  const std::string session = std::filesystem::temp_directory_path() /
                              ("window-control-" + std::to_string(::getpid()) + ".eps");
  {
    // A session to reopen, saved by a scripted window run.
    WindowDriver saver({1280, 720, {"--lesson", kSource + "/lessons/02-et-lost-wakeup.toml",
                                    "--lesson-step", "1", "--frames", "2", "--save-session",
                                    session}});
    ASSERT_EQ(saver.waitExit(), 0) << saver.output();
  }
  struct Mode {
    std::string name, mode;
    std::vector<std::string> args;
  };
  const std::vector<Mode> modes = {
      {"live", "live", {}},
      {"lesson", "lesson", {"--lesson", kSource + "/lessons/01-lt-partial-read.toml"}},
      {"import", "file", {"--open", kSource + "/assets/traces/redis.strace"}},
      {"tour", "file", {"--open", kSource + "/assets/traces/nginx.tour.toml"}},
      {"session", "file", {"--open", session}},
  };
  for (const Mode& mode : modes) {
    for (const int sig : {SIGINT, SIGTERM}) {
      std::vector<std::string> args = mode.args;
      args.insert(args.end(), {"--trace-out", "t.json"});
      WindowDriver window({1280, 720, args});
      ASSERT_FALSE(shown(window, mode.mode).is_null()) << mode.name << ": " << window.failure();
      EXPECT_EQ(window.signalAndWait(sig), 0) << mode.name << " " << strsignal(sig) << "\n"
                                              << window.output();
      std::ifstream trace(window.dir() + "/t.json");
      EXPECT_TRUE(trace && json::accept(trace)) << mode.name << ": the trace is written whole";
    }
  }
  std::filesystem::remove(session);
}

// A button click leaves the keyboard to the shortcuts: P after clicking "Pause".
TEST(WindowControl, ShortcutsWorkAfterAButtonClick) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {}});
  ASSERT_FALSE(shown(window, "live").is_null()) << window.failure();
  ASSERT_TRUE(window.clickWidget("run-pause"));
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["engineMode"] == "paused"; }, "paused").is_null())
      << window.failure();
  window.key("p");
  EXPECT_FALSE(window.waitFor([](const json& s) { return s["engineMode"] == "running"; },
                              "P to run again").is_null())
      << window.failure();
  ASSERT_TRUE(window.clickWidget("step-call"));  // pauses and steps one call
  window.settle();
  const json before = window.waitFor([](const json& s) { return s["engineMode"] == "paused"; }, "paused");
  ASSERT_FALSE(before.is_null()) << window.failure();
  window.key("s");
  // The stepped call is made: it returns, or (epoll_wait with nothing to report: no command of
  // the pause wakes it through the control eventfd) the engine sleeps in it.
  EXPECT_FALSE(window.waitFor([&](const json& s) {
    return s["callsMade"] > before["callsMade"] || s["inCall"].get<bool>();
  }, "S to step a call after a click")
                   .is_null())
      << window.failure();
}

// Twelve external peers (as `nc 127.0.0.1 PORT` would be): the last one's lane is below the
// panel; the wheel over the lane names scrolls down to it.
TEST(WindowControl, TheWheelOverTheLaneNamesScrollsToTheTwelfthConnection) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {}});
  const json first = shown(window, "live");
  ASSERT_FALSE(first.is_null()) << window.failure();
  std::vector<int> peers;
  int lastPort = 0;
  for (int i = 0; i < 12; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(first["port"].get<int>()));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    sockaddr_in local{};
    socklen_t length = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
    lastPort = ntohs(local.sin_port);
    peers.push_back(fd);
  }
  const std::string suffix = ":" + std::to_string(lastPort);
  const auto lastLane = [&](const json& s) -> json {
    for (const json& lane : s["timeline"]["lanes"]) {
      const std::string name = lane["name"];
      if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return lane;
      }
    }
    return nullptr;
  };
  const json before = window.waitFor([&](const json& s) { return !lastLane(s).is_null(); }, "its lane");
  ASSERT_FALSE(before.is_null()) << window.failure();
  EXPECT_FALSE(lastLane(before)["drawn"].get<bool>()) << "below the panel at first";
  const json& labels = before["timeline"]["labels"];
  window.wheel(labels["x"].get<float>() + 20, labels["y"].get<float>() + 30, -12);
  const json after = window.waitFor([&](const json& s) { return lastLane(s)["drawn"].get<bool>(); },
                                    "the twelfth connection's lane to be drawn");
  ASSERT_FALSE(after.is_null()) << window.failure();
  const json& canvas = after["timeline"]["canvas"];
  const json lane = lastLane(after);
  EXPECT_GE(lane["y"].get<float>(), canvas["y"].get<float>() - 1);
  EXPECT_LE(lane["y"].get<float>() + lane["height"].get<float>(),
            canvas["y"].get<float>() + canvas["h"].get<float>() + 1);
  for (const int fd : peers) ::close(fd);
}

// "< previous" and "restart" replay the lesson: the timeline shows the replayed story.
TEST(WindowControl, PreviousAndRestartKeepTheLanesOnTheTimeline) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--lesson", kSource + "/lessons/02-et-lost-wakeup.toml",
                                   "--lesson-step", "2"}});
  ASSERT_FALSE(shown(window, "lesson").is_null()) << window.failure();
  const auto storyOnScreen = [](const json& s) {
    if (s["lesson"]["busy"].get<bool>()) return false;
    const json& t = s["timeline"];
    int drawnWithEvents = 0;
    for (const json& lane : t["lanes"]) drawnWithEvents += lane["drawn"].get<bool>() ? 1 : 0;
    return drawnWithEvents >= 3 && t["startNs"].get<double>() <= t["lastNs"].get<double>() &&
           t["endNs"].get<double>() >= t["firstNs"].get<double>();
  };
  for (const char* button : {"lesson-previous", "lesson-restart"}) {
    ASSERT_TRUE(window.clickWidget(button)) << window.failure();
    window.waitFor([](const json& s) { return s["lesson"]["busy"].get<bool>(); }, "the replay", 3s);
    const json s = window.waitFor(storyOnScreen, std::string("the story on screen after ") + button);
    EXPECT_FALSE(s.is_null()) << window.failure();
  }
}

// Reset starts the engine afresh: the old clients and their controls go with it.
TEST(WindowControl, ResetForgetsTheOldClients) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {}});
  ASSERT_FALSE(shown(window, "live").is_null()) << window.failure();
  ASSERT_TRUE(window.clickWidget("add-client")) << window.failure();
  ASSERT_FALSE(window.waitFor([](const json& s) {
                 return s["clients"].size() == 1 && s["selectedClient"] == 1 &&
                        s["widgets"].contains("client-send-bytes");
               }, "a client, selected, with its controls").is_null())
      << window.failure();
  ASSERT_TRUE(window.clickWidget("reset")) << window.failure();
  const json after = window.waitFor([](const json& s) {
    return s["clients"].empty() && s["selectedClient"] == 0 && !s["widgets"].contains("client-send-bytes");
  }, "no client and no controls after Reset");
  EXPECT_FALSE(after.is_null()) << window.failure();
}

// A client's action in free play: the view frames what it caused (the send, the wakeup, the
// reads and the echo), not the last ten seconds in which it is a pixel wide.
TEST(WindowControl, TheViewFramesWhatAClientActionCaused) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {}});
  ASSERT_FALSE(shown(window, "live").is_null()) << window.failure();
  ASSERT_TRUE(window.clickWidget("add-client")) << window.failure();
  const auto echoed = [](int bytes) {
    return [bytes](const json& st) {
      for (const json& c : st["clients"]) {
        if (c["echoed"].get<int>() >= bytes) return true;
      }
      return false;
    };
  };
  ASSERT_TRUE(window.clickWidget("client-send-bytes")) << window.failure();
  ASSERT_FALSE(window.waitFor(echoed(4096), "the first echo").is_null()) << window.failure();
  // Seconds of sleep between two actions: the trace grows long, the second action is short.
  ASSERT_FALSE(window.waitFor([](const json& st) {
                 const std::string doing = st["toolbar"];
                 const auto at = doing.find("for ");
                 return doing.rfind("asleep", 0) == 0 && at != std::string::npos &&
                        std::stod(doing.substr(at + 4)) >= 2.5;
               }, "the engine asleep for 2.5 s").is_null())
      << window.failure();
  ASSERT_TRUE(window.clickWidget("client-send-bytes")) << window.failure();
  ASSERT_FALSE(window.waitFor(echoed(8192), "the second echo").is_null()) << window.failure();
  const json framed = window.waitFor([](const json& st) {
    const json& t = st["timeline"];
    return t["endNs"].get<double>() >= t["lastNs"].get<double>() &&
           t["endNs"].get<double>() - t["startNs"].get<double>() < 1.5e9 &&
           t["lastNs"].get<double>() - t["firstNs"].get<double>() > 2.5e9;
  }, "the second action framed, not the whole trace");
  ASSERT_FALSE(framed.is_null()) << window.failure();
  EXPECT_FALSE(framed["timeline"]["userTookView"].get<bool>());
  // The event log lists what happened in the order it began.
  EXPECT_TRUE(framed["log"]["timesNonDecreasing"].get<bool>());
  EXPECT_GT(framed["log"]["lines"].get<int>(), 10);
}

// Two knob edits made while the engine is blocked (a blocking read waiting for bytes that do
// not come): both take effect, in order, once it comes back. It comes back when the client
// sends again, not when a timer runs out: the longest block-timeout (10 s) only bounds a
// test whose clicks are slow (a sanitizer build on a loaded machine).
TEST(WindowControl, TwoKnobEditsQueuedWhileTheEngineIsBlockedBothApply) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window(
      {1280, 720, {"--sockets", "blocking", "--block-timeout", "10000", "--conn-trigger", "et"}});
  ASSERT_FALSE(shown(window, "live").is_null()) << window.failure();
  ASSERT_TRUE(window.clickWidget("add-client")) << window.failure();
  ASSERT_TRUE(window.clickWidget("client-send-bytes")) << window.failure();
  // The engine reads the 4096 bytes, then reads again to drain: on a blocking socket that
  // read waits (until the 4 s receive timeout).
  ASSERT_FALSE(window.waitFor([](const json& s) {
                 return s["toolbar"].get<std::string>().rfind("in read", 0) == 0;
               }, "the engine blocked in read").is_null())
      << window.failure();
  ASSERT_TRUE(window.clickWidget("knob:read", 0.2f)) << window.failure();
  ASSERT_TRUE(window.clickWidget("knob:read=once")) << window.failure();
  ASSERT_TRUE(window.clickWidget("knob:write", 0.2f)) << window.failure();
  ASSERT_TRUE(window.clickWidget("knob:write=always")) << window.failure();
  const json queued = window.state();
  ASSERT_EQ(queued["toolbar"].get<std::string>().rfind("in read", 0), 0u)
      << "the block ended before the edits were checked: " << queued["toolbar"];
  EXPECT_EQ(queued["knobs"].get<std::string>().find("read=once"), std::string::npos)
      << "still blocked: nothing applied yet";
  ASSERT_TRUE(window.clickWidget("client-send-bytes")) << window.failure();  // the read returns
  const json applied = window.waitFor([](const json& s) {
    const std::string knobs = s["knobs"];
    return knobs.find("read=once") != std::string::npos && knobs.find("write=always") != std::string::npos;
  }, "both edits applied", 30s);
  EXPECT_FALSE(applied.is_null()) << window.failure();
}

// Lesson 11 takes the engine's descriptors away (EMFILE); the window's own stay: at every step
// the font can change (the atlas reloads its font file), the session saves, the tours list.
TEST(WindowControl, LessonElevenAtEveryStepLeavesTheWindowItsDescriptors) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--lesson", kSource + "/lessons/11-emfile.toml"}});
  const json first = shown(window, "lesson");
  ASSERT_FALSE(first.is_null()) << window.failure();
  const int steps = first["lesson"]["steps"].get<int>();
  ASSERT_GE(steps, 4);
  for (int step = 0; step < steps; ++step) {
    const json before = window.settle();
    if (before["lesson"]["needsAnswer"].get<bool>()) {
      ASSERT_TRUE(window.scrollToWidget("lesson-choice-0", "lesson")) << window.failure();
      ASSERT_TRUE(window.clickWidget("lesson-choice-0")) << window.failure();
      ASSERT_TRUE(window.scrollToWidget("lesson-lock", "lesson")) << window.failure();
      ASSERT_TRUE(window.clickWidget("lesson-lock")) << window.failure();
    }
    // Clicked again if the step has not started within a few seconds, as a person would.
    for (int click = 0; click < 3; ++click) {
      ASSERT_TRUE(window.clickWidget("lesson-run")) << window.failure();
      const json started = window.waitFor([step](const json& s) {
        return s["lesson"]["busy"].get<bool>() || s["lesson"]["step"].get<int>() > step;
      }, "step " + std::to_string(step + 1) + " started", 10s);
      if (!started.is_null()) break;
    }
    const json played = window.waitFor([step](const json& s) {
      return s["lesson"]["step"].get<int>() == step + 1 && !s["lesson"]["busy"].get<bool>();
    }, "step " + std::to_string(step + 1) + " played", 60s);
    ASSERT_FALSE(played.is_null()) << window.failure();
    const float font = played["fontScale"].get<float>();
    window.key("ctrl+equal");
    ASSERT_FALSE(window.waitFor([font](const json& s) { return s["fontScale"].get<float>() > font; },
                                "a larger font").is_null())
        << "step " << step + 1 << ": " << window.failure();
    ASSERT_TRUE(window.running()) << "step " << step + 1 << ": the window died\n" << window.output();
    ASSERT_TRUE(window.clickWidget("file")) << window.failure();
    EXPECT_FALSE(window.waitFor([](const json& s) { return s["widgets"].contains("tour:nginx.tour.toml"); },
                                "the tours listed").is_null())
        << "step " << step + 1;
    ASSERT_TRUE(window.clickWidget("save-session")) << window.failure();
    const json saved = window.waitFor([](const json& s) {
      return s["status"].get<std::string>().rfind("wrote ", 0) == 0;
    }, "the session saved");
    ASSERT_FALSE(saved.is_null()) << "step " << step + 1 << ": " << window.failure();
    for (int press = 0; press < 3; ++press) {  // Escape closes the File popup
      window.key("Escape");
      const json closed = window.waitFor(
          [](const json& st) { return !st["widgets"].contains("save-session"); }, "the popup closed",
          5s);
      if (!closed.is_null()) break;
    }
    std::filesystem::remove(window.dir() + "/epollscope-session.eps");
    window.key("ctrl+0");
  }
  // The lesson's start is still on the timeline: step 1's busy loop was paused, not left to
  // push it out.
  const json end = window.settle();
  EXPECT_EQ(end["timeline"]["events"].get<std::uint64_t>() > 0, true);
}

// Each knob's widget follows its row of the knob table: max-events offers its word "grow",
// which applies when clicked; workers (0|2..4) has no word and offers none.
TEST(WindowControl, KnobWidgetsFollowTheKnobTable) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {}});
  ASSERT_FALSE(shown(window, "live").is_null()) << window.failure();
  ASSERT_TRUE(window.scrollToWidget("knob:max-events:grow", "knobs")) << window.failure();
  ASSERT_TRUE(window.clickWidget("knob:max-events:grow", 0.1f)) << window.failure();
  EXPECT_FALSE(window.waitFor([](const json& s) {
                 return s["knobs"].get<std::string>().find("max-events=grow") != std::string::npos;
               }, "max-events=grow applied").is_null())
      << window.failure();
  ASSERT_TRUE(window.scrollToWidget("knob:workers", "knobs")) << window.failure();
  const json shownNow = window.settle();
  for (const auto& [name, box] : shownNow["widgets"].items()) {
    EXPECT_NE(name.rfind("knob:workers:", 0), 0u) << "workers has no word, yet offers " << name;
  }
}

}  // namespace
}  // namespace eps::test
#endif
