// The window, for real: rendered under Xvfb with a scripted story (ET read-once strands
// data), saved as a PNG, and checked to be the expected size and not blank.
#ifdef EPOLLSCOPE_WITH_GUI
#include <gtest/gtest.h>
#include <stb_image.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "tests/helpers/xvfb_display.hpp"

namespace {

// The window on a display of its own, at the size the tests render (see xvfb_display.hpp).
std::string onDisplay(const eps::test::XvfbDisplay& display) {
  return "DISPLAY=" + display.name() + " ";
}

bool noXvfb() { return std::system("command -v Xvfb >/dev/null 2>&1") != 0; }

int run(const std::string& command, std::string* output = nullptr) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[1024];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    if (output != nullptr) *output += buffer;
  }
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(GuiSmoke, RendersTheLostWakeupStoryToAPngThatIsNotBlank) {
  if (noXvfb()) GTEST_SKIP() << "Xvfb is not installed";
  const eps::test::XvfbDisplay display(1600, 900);
  ASSERT_FALSE(display.name().empty()) << "Xvfb did not start";
  const std::string png = ::testing::TempDir() + "gui_smoke.png";
  std::remove(png.c_str());
  std::string output;
  // Under AddressSanitizer the GL driver (llvmpipe, loaded and unloaded with dlopen) leaks a
  // few bytes that LeakSanitizer can only attribute to an unloaded library, so no suppression
  // can name it: leak detection is off for this one process; every other ASan check stays on.
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string env = "ASAN_OPTIONS='" + std::string(asan ? asan : "") + ":detect_leaks=0' ";
  const int code =
      run(env + onDisplay(display) + std::string(EPOLLSCOPE_BINARY) +
              " --scenario lost-wakeup --frames 20 --screenshot " + png,
          &output);
  ASSERT_EQ(code, 0) << output;
  int width = 0, height = 0, channels = 0;
  unsigned char* pixels = stbi_load(png.c_str(), &width, &height, &channels, 4);
  ASSERT_NE(pixels, nullptr) << "the screenshot is a readable PNG";
  EXPECT_EQ(width, 1600);
  EXPECT_EQ(height, 900);
  std::set<unsigned> colours;
  for (int i = 0; i < width * height; i += 97) {
    const unsigned char* p = pixels + static_cast<std::ptrdiff_t>(i) * 4;
    colours.insert(unsigned{p[0]} << 16 | unsigned{p[1]} << 8 | p[2]);
  }
  stbi_image_free(pixels);
  EXPECT_GT(colours.size(), 50u) << "a blank or single-colour image";
}

// The window opens a tour of a real server's strace log in place of the live engine; a file
// that is not a log is refused with one line naming it.
TEST(GuiSmoke, OpensATourOfARealServerAndRefusesAFileThatIsNotALog) {
  if (noXvfb()) GTEST_SKIP() << "Xvfb is not installed";
  const eps::test::XvfbDisplay display(1600, 900);
  ASSERT_FALSE(display.name().empty()) << "Xvfb did not start";
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string window = "ASAN_OPTIONS='" + std::string(asan ? asan : "") +
                             ":detect_leaks=0' " + onDisplay(display) +
                             std::string(EPOLLSCOPE_BINARY);
  const std::string tour = std::string(EPOLLSCOPE_SOURCE_DIR) + "/assets/traces/nginx.tour.toml";
  const std::string png = ::testing::TempDir() + "gui_tour.png";
  std::string output;
  ASSERT_EQ(
      run(window + " --open " + tour + " --lesson-step 6 --frames 5 --screenshot " + png, &output),
      0)
      << output;
  EXPECT_NE(output.find("opened " + tour + ": 124 lines, 76 calls, 1 threads"), std::string::npos)
      << output;
  const std::string notLog = std::string(EPOLLSCOPE_SOURCE_DIR) + "/CMakeLists.txt";
  output.clear();
  EXPECT_EQ(run(window + " --open " + notLog + " --frames 5", &output), 2) << output;
  EXPECT_NE(output.find("epollscope: " + notLog + ":1: not an strace log"), std::string::npos)
      << output;
}

// The window saves its session (here after three lesson steps, scripted with --frames); the
// file opens headless with the lesson's position and the client's counters.
TEST(GuiSmoke, SavesASessionThatOpensWithTheLessonPosition) {
  if (noXvfb()) GTEST_SKIP() << "Xvfb is not installed";
  const eps::test::XvfbDisplay display(1600, 900);
  ASSERT_FALSE(display.name().empty()) << "Xvfb did not start";
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string lesson = std::string(EPOLLSCOPE_SOURCE_DIR) + "/lessons/02-et-lost-wakeup.toml";
  const std::string saved = ::testing::TempDir() + "gui_session.eps";
  std::remove(saved.c_str());
  std::string output;
  ASSERT_EQ(run("ASAN_OPTIONS='" + std::string(asan ? asan : "") +
                    ":detect_leaks=0' " + onDisplay(display) +
                    std::string(EPOLLSCOPE_BINARY) + " --lesson " + lesson +
                    " --lesson-step 3 --frames 3 --save-session " + saved,
                &output),
            0)
      << output;
  output.clear();
  ASSERT_EQ(run(std::string(EPOLLSCOPE_BINARY) + " --headless --open " + saved, &output), 0)
      << output;
  EXPECT_EQ(output.rfind("opened session " + saved + ": ", 0), 0u) << output;
  EXPECT_NE(output.find("\"ET: a partial read strands the rest\", step 3 of 4"), std::string::npos)
      << output;
  EXPECT_NE(output.find("client 1: sent 4097, echoed 200, outstanding 3897"), std::string::npos)
      << output;
}

TEST(GuiSmoke, WithoutADisplayItSaysHowToRunAndExitsTwo) {
  std::string output;
  const int code =
      run("env -u DISPLAY -u WAYLAND_DISPLAY " + std::string(EPOLLSCOPE_BINARY), &output);
  EXPECT_EQ(code, 2);
  EXPECT_NE(output.find("--headless"), std::string::npos) << output;
  EXPECT_NE(output.find("xvfb-run"), std::string::npos) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << "one line: " << output;
}

}  // namespace
#endif
