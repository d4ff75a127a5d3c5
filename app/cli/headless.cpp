#include "app/cli/headless.hpp"

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <stdexcept>

#include "app/cli/outputs.hpp"
#include "core/base/peer_names.hpp"
#include "core/formats/export.hpp"
#include "core/formats/session_file.hpp"

namespace eps::app {
namespace {

// Events kept for the exports; beyond this they are counted as dropped (a busy loop makes
// over a million events a second).
constexpr std::size_t kMaxKeptEvents = 4'000'000;
constexpr long kCollectTickNs = 20'000'000;

// Waits one collector tick for SIGINT/SIGTERM; true when one arrived.
bool terminationArrived() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  const timespec tick{0, kCollectTickNs};
  return ::sigtimedwait(&set, nullptr, &tick) > 0;
}

struct Collected {
  std::vector<TraceEvent> events;
  std::uint64_t dropped = 0;
};

void collect(Recorder& recorder, Collected& collected) {
  const std::size_t before = collected.events.size();
  recorder.drainInto(collected.events);
  if (collected.events.size() > kMaxKeptEvents) {
    collected.dropped += collected.events.size() - std::max(before, kMaxKeptEvents);
    collected.events.resize(std::max(before, kMaxKeptEvents));
  }
}

}  // namespace

void blockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int runHeadless(const Options& options) {
  Recorder recorder;
  Engine engine(recorder, options.engine);
  int port = 0;
  try {
    port = engine.start();
  } catch (const std::exception& error) {
    std::cerr << "epollscope: " << error.what() << "\n";
    return 2;
  }
  std::cout << "listening on 127.0.0.1:" << port << std::endl;
  std::cerr << connectBanner(port) << "\n"
            << "knobs: " << describeKnobs(options.engine.knobs) << "\n";
  if (options.paceMs > 0) engine.setPace(std::chrono::milliseconds(options.paceMs));

  // durationSeconds is at most a year (parseDuration), so the nanoseconds fit in an int64.
  const std::int64_t endNs =
      options.durationSeconds > 0
          ? monotonicNs() + static_cast<std::int64_t>(options.durationSeconds * 1e9)
          : INT64_MAX;
  Collected collected;
  while (monotonicNs() < endNs && !terminationArrived()) collect(recorder, collected);
  engine.stop();
  collect(recorder, collected);

  SessionData session;
  session.events = std::move(collected.events);
  session.writers = recorder.writers();
  session.dropped = recorder.dropped() + collected.dropped;
  session.knobs = describeKnobs(options.engine.knobs);
  session.port = port;
  session.pid = static_cast<int>(::getpid());
  session.source = "engine";
  session.payloads = recorder.payloads().entries();
  if (session.dropped > 0) std::cerr << "epollscope: " << session.dropped << " events dropped\n";
  return writeSessionOutputs(options, session, &recorder.payloads()) ? 0 : 2;
}

}  // namespace eps::app
