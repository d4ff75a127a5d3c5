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

bool waitPaused(Session& session) {
  return session.engine().waitPaused(5000ms);
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
std::int64_t waitingBytes(Session& session) {
  for (const SocketView& view : session.engine().sockets()) {
    if (!view.listener) return view.recvQueue;
  }
  return -1;
}

// Waits until the engine made no call for `quiet` while asleep in epoll_wait.
bool waitAsleep(Session& session, std::chrono::milliseconds quiet) {
  const auto deadline = std::chrono::steady_clock::now() + 5000ms;
  std::uint64_t calls = session.engine().status().callsMade;
  auto since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    const EngineStatus status = session.engine().status();
    if (status.callsMade != calls || !status.inCall || status.pendingCall != Call::EpollWait) {
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
std::string lostWakeup(const Spec& spec, Session& session) {
  Engine& engine = session.engine();
  const int client = session.addClient();
  if (!session.clients().waitConnected(client, 5000ms)) return "the client could not connect";
  engine.stepWakeup();  // the accept wakeup
  if (!waitPaused(session)) return "the engine did not pause after accepting";
  session.clients().send(client, 4096);
  if (!session.clients().waitSettled(5000ms)) return "the 4096 bytes did not arrive";
  // Let the paused engine's sampler record them, as a class would see them arrive.
  if (!waitUntil([&] { return waitingBytes(session) == 4096; })) {
    return "the kernel view did not show the 4096 bytes";
  }
  if (spec.stage <= 1) return "";
  engine.stepWakeup();
  if (!waitPaused(session)) return "the engine did not pause after one wakeup";
  if (spec.stage <= 2) return "";
  engine.run();
  if (!waitAsleep(session, 300ms)) return "the engine did not go to sleep";
  return "";
}

// EPOLL-FACTS §2.4: LT with EPOLLOUT always registered on an idle connection.
std::string busyLoop(Session& session) {
  const int client = session.addClient();
  if (!session.clients().waitConnected(client, 5000ms)) return "the client could not connect";
  std::this_thread::sleep_for(300ms);  // the story is "it spins for a while": let it
  session.engine().pause();
  return waitPaused(session) ? "" : "the engine did not pause";
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

std::string runScenario(const std::string& text, Session& session) {
  const Spec spec = parse(text);
  if (spec.name == "lost-wakeup") return lostWakeup(spec, session);
  if (spec.name == "busy-loop") return busyLoop(session);
  return "--scenario: '" + spec.name + "' is not one of lost-wakeup|busy-loop";
}

}  // namespace eps::gui
