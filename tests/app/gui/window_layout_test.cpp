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

}  // namespace
}  // namespace eps::test
#endif
