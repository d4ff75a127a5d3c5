#include "app/gui/scenario.hpp"

#include <cstdlib>
#include <functional>
#include <thread>

namespace eps::gui {
namespace {

using namespace std::chrono_literals;

struct Spec {
  std::string name;
  int stage = 99;  // play everything
};

Spec parse(const std::string& text) {
  Spec spec;
  const auto colon = text.find(':');
  spec.name = text.substr(0, colon);
  if (colon != std::string::npos) spec.stage = std::atoi(text.c_str() + colon + 1);
  return spec;
}

bool waitPaused(Controls& controls) {
  return controls.engine().waitPaused(5000ms);
}

bool waitUntil(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 5000ms;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// Bytes waiting in the receive queue of the engine's (single) connection.
std::int64_t waitingBytes(Controls& controls) {
  for (const SocketView& view : controls.engine().sockets()) {
    if (!view.listener) return view.recvQueue;
  }
  return -1;
}

// Waits until the engine made no call for `quiet` while asleep in epoll_wait.
bool waitAsleep(Controls& controls, std::chrono::milliseconds quiet) {
  const auto deadline = std::chrono::steady_clock::now() + 5000ms;
  std::uint64_t calls = controls.engine().status().callsMade;
  auto since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    const EngineStatus status = controls.engine().status();
    if (status.callsMade != calls || !status.inCall || !isReadinessWait(status.pendingCall)) {
      calls = status.callsMade;
      since = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - since >= quiet) {
      return true;
    }
  }
  return false;
}

// EPOLL-FACTS §2.2: ET, one 100-byte read per wakeup, 4096 bytes sent. Stage 1: the bytes
// have arrived, the engine is paused before epoll_wait. Stage 2: one wakeup, one read.
// Stage 3: the engine runs on and sleeps while 3996 bytes wait, stranded.
std::string lostWakeup(const Spec& spec, Controls& controls) {
  Engine& engine = controls.engine();
  const int client = controls.clients().connect();
  if (!controls.clients().waitConnected(client, 5000ms)) return "the client could not connect";
  engine.stepWakeup();  // the accept wakeup
  if (!waitPaused(controls)) return "the engine did not pause after accepting";
  controls.clients().send(client, 4096);
  if (!controls.clients().waitSettled(5000ms)) return "the 4096 bytes did not arrive";
  // Let the paused engine's sampler record them, as a class would see them arrive.
  if (!waitUntil([&] { return waitingBytes(controls) == 4096; })) {
    return "the kernel view did not show the 4096 bytes";
  }
  if (spec.stage <= 1) return "";
  engine.stepWakeup();
  if (!waitPaused(controls)) return "the engine did not pause after one wakeup";
  if (spec.stage <= 2) return "";
  engine.run();
  if (!waitAsleep(controls, 300ms)) return "the engine did not go to sleep";
  return "";
}

// EPOLL-FACTS §2.4: LT with EPOLLOUT always registered on an idle connection.
std::string busyLoop(Controls& controls) {
  const int client = controls.clients().connect();
  if (!controls.clients().waitConnected(client, 5000ms)) return "the client could not connect";
  std::this_thread::sleep_for(300ms);  // the story is "it spins for a while": let it
  controls.engine().pause();
  return waitPaused(controls) ? "" : "the engine did not pause";
}

}  // namespace

std::string prepareScenario(const std::string& text, EngineOptions& options) {
  const Spec spec = parse(text);
  if (spec.name == "lost-wakeup") {
    options.knobs.connTrigger = Trigger::Edge;
    options.knobs.read = ReadPolicy::Once;
    options.knobs.readChunk = 100;
    options.startPaused = true;
    return "";
  }
  if (spec.name == "busy-loop") {
    options.knobs.write = WritePolicy::Always;
    return "";
  }
  return "--scenario: '" + spec.name + "' is not one of lost-wakeup|busy-loop";
}

std::string runScenario(const std::string& text, Controls& controls) {
  const Spec spec = parse(text);
  if (spec.name == "lost-wakeup") return lostWakeup(spec, controls);
  if (spec.name == "busy-loop") return busyLoop(controls);
  return "--scenario: '" + spec.name + "' is not one of lost-wakeup|busy-loop";
}

}  // namespace eps::gui
