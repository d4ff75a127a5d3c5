// The OS window: GLFW, an OpenGL 3.3 core context loaded by glad, and Dear ImGui's GLFW and
// OpenGL3 backends. Set up once, torn down in reverse.
#pragma once

#include <array>
#include <cstdint>
#include <vector>
#include <string>

struct GLFWwindow;

namespace eps::gui {

// Ownership: owned by runWindow on the main thread; every method runs on that thread.
class Window {
 public:
  Window() = default;
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  // Opens the window; on failure returns a one-line reason ("no display: ...").
  std::string open(int width, int height, const char* title);

  bool shouldClose() const;
  // Waits for input, at most `seconds` (0: poll). Returns true when input arrived.
  bool waitEvents(double seconds);
  void noteInput() { inputArrived_ = true; }  // from the GLFW input callbacks
  void noteKey(int key, int action);          // from the GLFW key callback
  void beginFrame();
  void endFrame();  // renders into the back buffer (a screenshot reads it here)
  void present();   // swaps buffers
  float contentScale() const;
  // CPU time of the last frame from NewFrame to Render (the UI thread's own CPU clock).
  std::int64_t lastFrameCpuNs() const {
    return lastFrameCpuNs_;
  }  // high-DPI: 1.0 on a 96-dpi screen
  void setFullscreen(bool fullscreen);
  bool fullscreen() const { return fullscreen_; }
  // Reads the back buffer just rendered and writes it as a PNG; returns an error or "".
  std::string saveScreenshot(const std::string& path) const;

 private:
  GLFWwindow* window_ = nullptr;
  bool imguiReady_ = false;
  bool fullscreen_ = false;
  bool inputArrived_ = false;
  void holdTappedKeys();
  std::array<bool, 512> pressedSincePoll_{};  // Dear ImGui 1.86's io.KeysDown has 512
  std::vector<int> tapped_;                    // pressed and released since the last poll
  std::vector<int> releasedSincePoll_;         // released since the last poll, pressed before
  std::vector<int> releaseAfterFrame_;
  std::int64_t frameStartNs_ = 0;
  std::int64_t lastFrameCpuNs_ = 0;  // set by the input callbacks below, cleared by waitEvents
  int windowedX_ = 0, windowedY_ = 0, windowedW_ = 0, windowedH_ = 0;
};

}  // namespace eps::gui
