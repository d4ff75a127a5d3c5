#include "app/cli/headless.hpp"

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <stdexcept>

#include "app/cli/outputs.hpp"
#include "core/base/peer_names.hpp"
#include "core/formats/export.hpp"
#include "core/formats/session_file.hpp"
#include "core/trace/event_log.hpp"

namespace eps::app {
namespace {

// Events kept for the exports: the NEWEST ones (a busy loop makes over a million events a
// second, so a long run keeps its last seconds); older ones are counted as dropped. 64
// chunks of EventLog::kChunkEvents, about 340 MB at 80 B per event.
constexpr std::size_t kMaxKeptEvents = 64 * EventLog::kChunkEvents;
// The collector drains the rings this often: at full speed a producer fills a fraction of
// its ring per tick, so a descheduled collector has slack before anything is dropped.
constexpr long kCollectTickNs = 5'000'000;

}  // namespace

int waitTerminationSignal(long tickNs) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  const timespec tick{0, tickNs};
  const int signal = ::sigtimedwait(&set, nullptr, &tick);
  return signal > 0 ? signal : 0;
}

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
  EventLog collected(kMaxKeptEvents);
  while (monotonicNs() < endNs && waitTerminationSignal(kCollectTickNs) == 0) {
    recorder.drainInto(collected);
  }
  engine.stop();
  recorder.drainInto(collected);
  if (collected.evicted() > 0) {
    std::cerr << "epollscope: kept the newest " << collected.size() << " of "
              << collected.appended() << " events\n";
  }

  SessionData session;
  session.dropped = recorder.dropped() + collected.evicted();
  session.events = collected.takeAll();
  session.writers = recorder.writers();
  session.knobs = describeKnobs(options.engine.knobs);
  session.port = port;
  session.pid = static_cast<int>(::getpid());
  session.source = "engine";
  session.payloads = recorder.payloads().entries();
  if (const std::uint64_t lost = recorder.dropped(); lost > 0) {
    std::cerr << "epollscope: " << lost << " events dropped (a trace ring was full)\n";
  }
  return writeSessionOutputs(options, session, &recorder.payloads()) ? 0 : 2;
}

}  // namespace eps::app
