// The layout under a projector's font: the window fits the screen, the panels tile it without
// overlapping and keep room for their content, a splitter dragged by the mouse resizes them,
// and the sizes come back the next time the window opens.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "tests/helpers/window_driver.hpp"

namespace eps::test {
namespace {

struct Box {
  double x, y, w, h;
};

Box boxOf(const json& j) {
  return {j["x"].get<double>(), j["y"].get<double>(), j["w"].get<double>(), j["h"].get<double>()};
}

bool overlap(const Box& a, const Box& b) {
  return a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 &&
         b.y < a.y + a.h - 0.5;
}

TEST(WindowLayout, AtFontTwoOnA1280x720ScreenThePanelsTileTheWindow) {
  SKIP_WITHOUT_WINDOWS();
  WindowDriver window({1280, 720, {"--font-scale", "2.0", "--high-contrast", "--scenario", "lost-wakeup"}});
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["frame"] > 3; }, "a frame").is_null())
      << window.failure();
  const json s = window.settle();
  EXPECT_EQ(s["window"]["width"].get<int>(), 1280) << "fitted to the screen, not 1600x900";
  EXPECT_EQ(s["window"]["height"].get<int>(), 720);
  std::vector<std::pair<std::string, Box>> panels;
  for (const auto& [name, box] : s["panels"].items()) panels.emplace_back(name, boxOf(box));
  ASSERT_EQ(panels.size(), 7u);
  const double em = 15 * 2.0;  // the font's size at scale 2
  for (const auto& [name, box] : panels) {
    EXPECT_GE(box.x, 0) << name;
    EXPECT_GE(box.y, 0) << name;
    EXPECT_LE(box.x + box.w, 1280.5) << name << " stays inside the window";
    EXPECT_LE(box.y + box.h, 720.5) << name;
    EXPECT_GE(box.h, em * 2) << name << " keeps room for a line or two";
    for (const auto& [other, otherBox] : panels) {
      if (other != name) {
        EXPECT_FALSE(overlap(box, otherBox)) << name << " overlaps " << other;
      }
    }
  }
  EXPECT_GE(boxOf(s["panels"]["log"]).h, em * 7) << "the event log keeps its lines";
  const json& lanes = s["timeline"]["lanes"];
  ASSERT_FALSE(lanes.empty());
  EXPECT_TRUE(lanes[0]["drawn"].get<bool>());
}

// Dragging the splitter under the timeline makes it taller; the size is kept in layout.ini
// and the next window opens with it.
TEST(WindowLayout, ASplitterDraggedResizesThePanelsAndIsRemembered) {
  SKIP_WITHOUT_WINDOWS();
  double resized = 0;
  std::string config, layout;
  {
    WindowDriver window({1280, 720, {}});
    ASSERT_FALSE(window.waitFor([](const json& s) { return s["frame"] > 3; }, "a frame").is_null());
    const json s = window.settle();
    const Box timeline = boxOf(s["panels"]["timeline"]);
    const Box log = boxOf(s["panels"]["log"]);
    const float x = static_cast<float>(timeline.x + timeline.w / 2);
    const float y = static_cast<float>((timeline.y + timeline.h + log.y) / 2);  // the gap
    window.drag(x, y, x, y + 80);
    const json after = window.settle();
    resized = boxOf(after["panels"]["timeline"]).h;
    EXPECT_NEAR(resized, timeline.h + 80, 4) << "the timeline follows the splitter";
    EXPECT_NEAR(boxOf(after["panels"]["log"]).h, log.h - 80, 4);
    ASSERT_EQ(window.signalAndWait(SIGTERM), 0) << window.output();
    config = window.dir() + "/config/epollscope/layout.ini";
    std::ifstream saved(config);
    ASSERT_TRUE(saved) << "layout.ini written when the window closed";
    layout.assign(std::istreambuf_iterator<char>(saved), std::istreambuf_iterator<char>());
  }
  // The next window (another user folder, the same file) opens with the timeline as it was.
  WindowDriver window({1280, 720, {}, {}, layout});
  ASSERT_FALSE(window.waitFor([](const json& s) { return s["frame"] > 3; }, "a frame").is_null());
  EXPECT_NEAR(boxOf(window.settle()["panels"]["timeline"]).h, resized, 2) << "remembered";
}

// A projector's font on 1280x720: lesson 2's step text is read whole, in either language,
// without scrolling (the side column and the lesson panel make room for it), and the knobs and
// the clients keep their titles. At font 1 the default proportions stand.
TEST(WindowLayout, AtFontTwoALessonStepsTextFitsWithoutScrolling) {
  SKIP_WITHOUT_WINDOWS();
  const std::string lesson = kSource + "/lessons/02-et-lost-wakeup.toml";
  for (const bool chinese : {true, false}) {
    std::vector<std::string> args = {"--font-scale", "2.0", "--lesson", lesson, "--lesson-step", "2"};
    if (chinese) args.push_back("--chinese");
    WindowDriver window({1280, 720, args});
    const json s = window.waitFor(
        [](const json& st) {
          return st.contains("lesson") && st["lesson"]["step"] == 2 &&
                 st["lesson"]["textShown"].get<double>() > 0;
        },
        "lesson 2 after its second step");
    ASSERT_FALSE(s.is_null()) << window.failure();
    const json settled = window.settle(4);
    ASSERT_FALSE(settled.is_null()) << window.failure();
    const json& text = settled["lesson"];
    EXPECT_LE(text["textNeeded"].get<double>(), text["textShown"].get<double>())
        << (chinese ? "Chinese" : "English") << ": the step's text scrolls";
    const double em = 15 * 2.0;
    for (const char* panel : {"knobs", "clients"}) {
      EXPECT_GE(boxOf(settled["panels"][panel]).h, em * 1.5) << panel << " keeps its title";
    }
    EXPECT_GE(boxOf(settled["panels"]["timeline"]).w, em * 20) << "the timeline keeps its width";
  }
  WindowDriver plain({1280, 720, {"--lesson", lesson}});
  const json s = plain.waitFor([](const json& st) { return st.contains("lesson"); }, "a lesson");
  ASSERT_FALSE(s.is_null()) << plain.failure();
  const json settled = plain.settle(4);
  EXPECT_NEAR(boxOf(settled["panels"]["lesson"]).w, 285, 1) << "19 font heights, 22% of 1280";
  EXPECT_NEAR(boxOf(settled["panels"]["lesson"]).h, 0.52 * (720 - boxOf(settled["panels"]["toolbar"]).h), 8)
      << "the lesson's default share at font 1";
}

}  // namespace
}  // namespace eps::test
#endif
