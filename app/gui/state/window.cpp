#include "app/gui/state/window.hpp"

#include <glad/gl.h>
// glad first: it defines the GL API GLFW would otherwise declare.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/base/output_file.hpp"

namespace eps::gui {
namespace {
std::string lastGlfwError;
// The UI thread's own CPU time: what building a frame costs, not what the GPU or the
// scheduler adds.
std::int64_t cpuNowNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
void markInput(GLFWwindow* window) {
  static_cast<Window*>(glfwGetWindowUserPointer(window))->noteInput();
}
void onGlfwError(int code, const char* description) {
  lastGlfwError = "GLFW error " + std::to_string(code) + ": " + description;
}
}  // namespace

Window::~Window() {
  // The software rasterizer's threads may still be drawing the last frame: let them finish
  // before the context and its buffers go.
  if (window_ != nullptr) glFinish();
  if (imguiReady_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  if (window_ != nullptr) glfwDestroyWindow(window_);
  glfwTerminate();
}

std::string Window::open(int width, int height, const char* title) {
  glfwSetErrorCallback(onGlfwError);
  if (glfwInit() != GLFW_TRUE) {
    return "no display (" + lastGlfwError +
           "); run with --headless, or in a virtual display: xvfb-run -a epollscope ...";
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);  // high-DPI: size in screen coordinates
  // Fitted to the monitor's work area: a 1280x720 projector gets a 1280x720 window, a
  // 1920x1080 screen a 1920x1080 one; the size asked for when no monitor says its area.
  int areaX = 0, areaY = 0, areaW = 0, areaH = 0;
  if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
    glfwGetMonitorWorkarea(monitor, &areaX, &areaY, &areaW, &areaH);
  }
  if (areaW > 0 && areaH > 0) {
    width = areaW;
    height = areaH;
  }
  window_ = glfwCreateWindow(width, height, title, nullptr, nullptr);
  if (window_ == nullptr) return "cannot open a window (" + lastGlfwError + ")";
  if (areaW > 0 && areaH > 0) glfwSetWindowPos(window_, areaX, areaY);
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(1);
  if (gladLoadGL(glfwGetProcAddress) == 0) return "cannot load OpenGL 3.3 core functions";
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // a fixed layout: nothing to remember between runs
  // Dear ImGui's backend installs its input callbacks; ours are installed first and chained
  // by it (install_callbacks=true keeps the previous ones), so any input marks a redraw.
  glfwSetWindowUserPointer(window_, this);
  glfwSetCursorPosCallback(window_, [](GLFWwindow* w, double, double) { markInput(w); });
  glfwSetMouseButtonCallback(window_, [](GLFWwindow* w, int, int, int) { markInput(w); });
  glfwSetScrollCallback(window_, [](GLFWwindow* w, double, double) { markInput(w); });
  glfwSetKeyCallback(window_, [](GLFWwindow* w, int key, int, int action, int) {
    static_cast<Window*>(glfwGetWindowUserPointer(w))->noteKey(key, action);
    markInput(w);
  });
  glfwSetCharCallback(window_, [](GLFWwindow* w, unsigned) { markInput(w); });
  glfwSetWindowSizeCallback(window_, [](GLFWwindow* w, int, int) { markInput(w); });
  glfwSetWindowFocusCallback(window_, [](GLFWwindow* w, int) { markInput(w); });
  glfwSetCursorEnterCallback(window_, [](GLFWwindow* w, int) { markInput(w); });
  glfwSetWindowRefreshCallback(window_, [](GLFWwindow* w) { markInput(w); });
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  imguiReady_ = true;
  return "";
}

bool Window::shouldClose() const {
  return glfwWindowShouldClose(window_) != 0;
}

// Dear ImGui 1.86 reads keys as a state sampled once a frame (the input queue came in 1.87):
// a key pressed and released between two frames, as a quick tap or a scripted one is, would
// never be seen down. Such a tap is held down for one frame and let go the next.
void Window::noteKey(int key, int action) {
  if (key < 0 || key >= static_cast<int>(pressedSincePoll_.size())) return;
  const auto k = static_cast<std::size_t>(key);
  if (action == GLFW_PRESS) pressedSincePoll_[k] = true;
  if (action == GLFW_RELEASE) (pressedSincePoll_[k] ? tapped_ : releasedSincePoll_).push_back(key);
}

// The backend derives the modifiers from io.KeysDown in its key callback; a held or released
// tap changes them here, so Ctrl+= tapped in one go is Ctrl held with = for that frame.
namespace {
void updateModifiers(ImGuiIO& io) {
  io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
  io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
  io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
  io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
}
}  // namespace

void Window::holdTappedKeys() {
  ImGuiIO& io = ImGui::GetIO();
  // Keys let go in the same moment another went down were held with it (the Ctrl of a
  // Ctrl+= whose Ctrl is released before the =, as xdotool sends it): down for that frame too.
  const bool anyPressed =
      std::find(pressedSincePoll_.begin(), pressedSincePoll_.end(), true) != pressedSincePoll_.end();
  if (anyPressed) tapped_.insert(tapped_.end(), releasedSincePoll_.begin(), releasedSincePoll_.end());
  releasedSincePoll_.clear();
  for (const int key : tapped_) {
    io.KeysDown[key] = true;
    releaseAfterFrame_.push_back(key);
  }
  if (!tapped_.empty()) updateModifiers(io);
  tapped_.clear();
  pressedSincePoll_.fill(false);
}

bool Window::waitEvents(double seconds) {
  inputArrived_ = false;
  if (!releaseAfterFrame_.empty()) {
    for (const int key : releaseAfterFrame_) ImGui::GetIO().KeysDown[key] = false;
    updateModifiers(ImGui::GetIO());
    releaseAfterFrame_.clear();
  }
  if (seconds <= 0) {
    glfwPollEvents();
  } else {
    glfwWaitEventsTimeout(seconds);
  }
  holdTappedKeys();
  return inputArrived_;
}

void Window::beginFrame() {
  frameStartNs_ = cpuNowNs();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void Window::endFrame() {
  ImGui::Render();
  lastFrameCpuNs_ = cpuNowNs() - frameStartNs_;
  int width = 0, height = 0;
  glfwGetFramebufferSize(window_, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::present() {
  glfwSwapBuffers(window_);
}

float Window::contentScale() const {
  float x = 1, y = 1;
  glfwGetWindowContentScale(window_, &x, &y);
  return x > 0 ? x : 1.0f;
}

void Window::setFullscreen(bool fullscreen) {
  if (fullscreen == fullscreen_) return;
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  if (fullscreen && monitor != nullptr) {
    glfwGetWindowPos(window_, &windowedX_, &windowedY_);
    glfwGetWindowSize(window_, &windowedW_, &windowedH_);
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    fullscreen_ = true;
  } else if (!fullscreen) {
    glfwSetWindowMonitor(window_, nullptr, windowedX_, windowedY_, windowedW_, windowedH_, 0);
    fullscreen_ = false;
  }
}

std::string Window::saveScreenshot(const std::string& path) const {
  int width = 0, height = 0;
  glfwGetFramebufferSize(window_, &width, &height);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) *
                                    static_cast<std::size_t>(height) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  stbi_flip_vertically_on_write(1);  // GL's origin is bottom-left, PNG's top-left
  // Encoded in memory, then written by writeOutputFile, whole or not at all (stbi_write_png
  // would fopen the path itself: following links, unchecked).
  std::string png;
  const auto append = [](void* text, void* data, int size) {
    static_cast<std::string*>(text)->append(static_cast<const char*>(data),
                                            static_cast<std::size_t>(size));
  };
  if (stbi_write_png_to_func(append, &png, width, height, 4, pixels.data(), width * 4) == 0) {
    return outputFailure("", path, "the PNG encoder failed");
  }
  const std::string reason = writeOutputFile(path, [&](std::ostream& out) { out << png; });
  return reason.empty() ? "" : outputFailure("", path, reason);
}

}  // namespace eps::gui
