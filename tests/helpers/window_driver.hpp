// Drives the real epollscope window as a person would: its own Xvfb display, the real binary
// on it, real X pointer, wheel and key events from xdotool, and the outcome read from the
// view state the app writes after every frame (--state-out). No fixed sleeps: every wait is
// for a condition in that state (or the process's exit), with a generous bound.
//
// Ownership: one per test, used by the test's thread. The destructor ends whatever is still
// running (app, then Xvfb) and removes its folder.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "xvfb_display.hpp"

namespace eps::test {

using nlohmann::json;
using namespace std::chrono_literals;

// The source tree (lessons, traces), for the app's arguments.
inline const std::string kSource = EPOLLSCOPE_SOURCE_DIR;

// Window tests skip, saying why, on a machine without Xvfb or xdotool.
#define SKIP_WITHOUT_WINDOWS()                                              \
  if (const std::string why = ::eps::test::WindowDriver::skipReason(); !why.empty()) { \
    GTEST_SKIP() << why;                                                    \
  }

class WindowDriver {
 public:
  struct Options {
    int width = 1280, height = 720;
    std::vector<std::string> args = {};  // the app's arguments (--state-out is added)
    std::string cwd = {};                // where the app runs ("" : the driver's folder)
    std::string layoutIni = {};          // the splitters' sizes the window finds, if any
  };

  // Why this machine cannot run window tests ("" when it can).
  static std::string skipReason() {
    for (const char* tool : {"Xvfb", "xdotool"}) {
      if (std::system(("command -v " + std::string(tool) + " >/dev/null 2>&1").c_str()) != 0) {
        return std::string(tool) + " is not installed (third_party/install-deps.sh installs it)";
      }
    }
    return "";
  }

  explicit WindowDriver(Options options) : options_(std::move(options)) {
    dir_ = std::filesystem::temp_directory_path() /
           ("epollscope-window-" + std::to_string(::getpid()) + "-" + std::to_string(++serial()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "config" / "epollscope");
    if (!options_.layoutIni.empty()) {
      std::ofstream(dir_ / "config" / "epollscope" / "layout.ini") << options_.layoutIni;
    }
    statePath_ = (dir_ / "state.json").string();
    display_ = std::make_unique<XvfbDisplay>(options_.width, options_.height);
    startApp();
  }

  ~WindowDriver() {
    if (appPid_ > 0) {
      ::kill(appPid_, SIGKILL);
      ::waitpid(appPid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  WindowDriver(const WindowDriver&) = delete;
  WindowDriver& operator=(const WindowDriver&) = delete;

  std::string dir() const { return dir_.string(); }
  std::string output() const {
    std::ifstream in(dir_ / "out.txt");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // The newest complete state (null before the first frame).
  json state() const {
    std::ifstream in(statePath_);
    if (!in) return nullptr;
    try {
      return json::parse(in);
    } catch (const json::exception&) {
      return nullptr;  // replaced while being read: the next read sees the new one
    }
  }

  // Waits until `condition` holds on a state; fails the bound with the last state in `why`.
  json waitFor(const std::function<bool(const json&)>& condition, const std::string& what,
               std::chrono::milliseconds bound = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    json last;
    while (std::chrono::steady_clock::now() < deadline) {
      last = state();
      if (!last.is_null()) {
        try {
          if (condition(last)) return last;
        } catch (const json::exception&) {
          // a field not there yet: keep waiting
        }
      }
      if (exited()) break;
      std::this_thread::sleep_for(10ms);
    }
    if (!last.is_null()) {  // the id lists are long and say little in a failure
      if (last.contains("log")) last["log"].erase("ids");
      if (last.contains("timeline")) last["timeline"]["search"].erase("ids");
    }
    failure_ = "timed out waiting for " + what + "; app output:\n" + output() +
               "\nlast state: " + (last.is_null() ? "none" : last.dump());
    return nullptr;
  }
  const std::string& failure() const { return failure_; }

  // A frame drawn after the input sent so far (the app draws a few frames after any input).
  json settle(int frames = 3) {
    const json now = state();
    const std::uint64_t from = now.is_null() ? 0 : now["frame"].get<std::uint64_t>();
    return waitFor([from, frames](const json& s) { return s["frame"].get<std::uint64_t>() >= from + frames; },
                   "frames to be drawn");
  }

  // Real X input, in window pixels.
  // (--sync waits for the pointer to arrive; xdotool 3.20160805 waits seconds when it is
  // already there, so a move to where it is is not sent.)
  void move(float x, float y) {
    const std::string at = xy(x, y);
    if (at == pointer_) return;
    xdotool("mousemove --sync " + at);
    pointer_ = at;
  }
  void click(float x, float y, int button = 1) {
    move(x, y);
    settle(1);
    xdotool("click " + std::to_string(button));
    settle(2);  // the press and release are seen before what comes next
  }
  // Wheel notches at (x, y): positive up (zoom in), negative down.
  void wheel(float x, float y, int notches, const std::string& heldKey = "") {
    move(x, y);
    settle(1);
    if (!heldKey.empty()) xdotool("keydown " + heldKey);
    xdotool("click --repeat " + std::to_string(std::abs(notches)) + " --delay 30 " +
            (notches > 0 ? "4" : "5"));
    if (!heldKey.empty()) xdotool("keyup " + heldKey);
  }
  // Presses at (x0, y0), moves in steps to (x1, y1), releases; each step waits for a frame.
  void drag(float x0, float y0, float x1, float y1, const std::string& heldKey = "") {
    move(x0, y0);
    settle(1);
    if (!heldKey.empty()) xdotool("keydown " + heldKey);
    xdotool("mousedown 1");
    settle(1);
    constexpr int kSteps = 6;
    for (int i = 1; i <= kSteps; ++i) {
      const float f = static_cast<float>(i) / kSteps;
      move(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f);
      settle(1);
    }
    xdotool("mouseup 1");
    // A frame between the release and the key's: Dear ImGui 1.86 has no input queue, so a
    // key released in the frame of the mouse release is already up when that frame sees it.
    if (!heldKey.empty()) {
      settle(1);
      xdotool("keyup " + heldKey);
    }
    settle();
  }
  void key(const std::string& keys) {
    xdotool("key " + keys);
    settle(2);
  }
  // `delayMs` per character. A character outside the keyboard's map is typed by remapping a
  // spare key, pressing it and mapping it back after the delay (xdotool's xdo_enter_text_window):
  // a window that reads the key after the map went back reads nothing, so such characters want
  // a delay the window's frame can keep up with on a loaded machine.
  void type(const std::string& text, int delayMs = 20) {
    xdotool("type --delay " + std::to_string(delayMs) + " '" + text + "'");
    settle(2);
  }
  // Clicks the middle of a widget the state names (its "widgets" map).
  // `fx`: where across it (a combo's box is on its left, its label on the right).
  bool clickWidget(const std::string& name, float fx = 0.5f) {
    // Where it stays for two frames: right after a font or layout change, panels move.
    json box;
    for (int tries = 0; tries < 50; ++tries) {
      const json s = waitFor([&](const json& st) { return st["widgets"].contains(name); },
                             "widget " + name);
      if (s.is_null()) return false;
      if (s["widgets"][name] == box) break;
      box = s["widgets"][name];
      settle(2);
    }
    click(box["x"].get<float>() + box["w"].get<float>() * fx,
          box["y"].get<float>() + box["h"].get<float>() / 2);
    return true;
  }

  // Scrolls the panel with the wheel, as a reader would, until the widget is on screen.
  bool scrollToWidget(const std::string& name, const std::string& panel) {
    for (int i = 0; i < 20; ++i) {
      const json s = settle();
      if (s.is_null()) return false;
      if (s["widgets"].contains(name)) return true;
      const json& box = s["panels"][panel];
      wheel(box["x"].get<float>() + box["w"].get<float>() / 2,
            box["y"].get<float>() + box["h"].get<float>() * 0.75f, -2);
    }
    failure_ = "widget " + name + " not found scrolling " + panel;
    return false;
  }

  // Sends `sig` and waits for the exit: the exit code, or -1 (killed by a signal / timeout).
  int signalAndWait(int sig, std::chrono::milliseconds bound = 30s) {
    ::kill(appPid_, sig);
    return waitExit(bound);
  }
  int waitExit(std::chrono::milliseconds bound = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
      if (exited()) return exitCode_;
      std::this_thread::sleep_for(10ms);
    }
    return -2;
  }
  bool running() { return !exited(); }

 private:
  static int& serial() {
    static int n = 0;
    return n;
  }

  static std::string xy(float x, float y) {
    return std::to_string(std::lround(x)) + " " + std::to_string(std::lround(y));
  }

  void xdotool(const std::string& command) {
    const std::string line =
        "DISPLAY=" + display_->name() + " xdotool " + command + " >/dev/null 2>&1";
    if (std::system(line.c_str()) != 0) failure_ = "xdotool failed: " + command;
  }

  bool exited() {
    if (appPid_ <= 0) return true;
    int status = 0;
    const pid_t done = ::waitpid(appPid_, &status, WNOHANG);
    if (done != appPid_) return false;
    exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    appPid_ = -1;
    return true;
  }

  // Xvfb picks a free display number and writes it to a pipe (-displayfd).
  void startApp() {
    std::vector<std::string> args = {EPOLLSCOPE_BINARY, "--state-out", statePath_};
    args.insert(args.end(), options_.args.begin(), options_.args.end());
    const std::string out = (dir_ / "out.txt").string();
    const std::string cwd = options_.cwd.empty() ? dir_.string() : options_.cwd;
    // Under AddressSanitizer the GL driver leaks what LeakSanitizer cannot attribute (see
    // gui_smoke_test.cpp): leak detection is off for the window process only.
    const char* asan = std::getenv("ASAN_OPTIONS");
    const std::string asanOptions = std::string(asan ? asan : "") + ":detect_leaks=0";
    const std::string config = (dir_ / "config").string();
    appPid_ = ::fork();
    if (appPid_ == 0) {
      const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      if (::chdir(cwd.c_str()) != 0) ::_exit(126);
      ::setenv("DISPLAY", display_->name().c_str(), 1);
      ::setenv("XDG_CONFIG_HOME", config.c_str(), 1);  // the layout file stays in the test
      ::setenv("ASAN_OPTIONS", asanOptions.c_str(), 1);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }

  Options options_;
  std::filesystem::path dir_;
  std::string statePath_;
  std::unique_ptr<XvfbDisplay> display_;  // ends after the app, which the destructor ends
  pid_t appPid_ = -1;
  int exitCode_ = -1;
  std::string failure_;
  std::string pointer_;  // where the last move put the pointer
};

}  // namespace eps::test
