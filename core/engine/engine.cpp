#include "core/engine/engine.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/engine/engine_bug.hpp"
#include "core/engine/event_loop.hpp"
#include "core/engine/sampler.hpp"

namespace eps {
namespace {

// An exception escaping the engine thread is a bug: every call's expected results are data,
// the impossible ones abort where they happen (engine_bug.hpp), and a Stop ends serve()
// normally. It is reported, naming the exception, and the process aborts, rather than carried
// to a caller: no caller is waiting for it (start() returned long ago; stop() runs in
// destructors, where a throw terminates anyway), and an engine that silently stops serving
// would leave the window showing a running engine, the clients hanging and the trace
// truncated, with nothing saying why. Aborting keeps the core and the message.
void serveOrAbort(EventLoop& loop) {
  abortOnException([&loop] { loop.serve(); });
}

}  // namespace

struct Engine::Impl {
  Impl(Recorder& sink, EngineOptions opts)
      : recorder(sink),
        writer(sink.addWriter("engine", Actor::Engine)),
        samplerWriter(sink.addWriter("sampler", Actor::Engine)),
        options(std::move(opts)) {
    shared.knobs = options.knobs;
  }

  std::uint64_t push(Command::Type type) {
    Command command;
    command.type = type;
    return commands.push(command);
  }

  void pushKnobs(const Command& command) {
    std::lock_guard lock(knobsMutex);
    const std::uint64_t applied = commands.appliedTicket();
    std::erase_if(queuedKnobs, [applied](const Command& c) { return c.ticket <= applied; });
    queuedKnobs.push_back(command);
    queuedKnobs.back().ticket = commands.push(command);
  }

  // The engine thread, with the descriptor table it made its own, is gone: the command
  // eventfd's copy in the process's table is the one descriptor left to close here.
  void joinEngineThread() {
    if (thread.joinable()) thread.join();
    std::lock_guard lock(shared.mutex);
    if (shared.processWakeFd >= 0) ::close(shared.processWakeFd);
    shared.processWakeFd = -1;
  }

  void runEngineThread(std::promise<int>& ready);

  Recorder& recorder;
  TraceWriter& writer;
  TraceWriter& samplerWriter;
  EngineOptions options;
  CommandQueue commands;
  std::mutex knobsMutex;
  std::vector<Command> queuedKnobs;  // guarded by knobsMutex: knob commands maybe not applied
  EngineShared shared;
  std::thread thread;
  bool started = false;
};

Engine::Engine(Recorder& recorder, EngineOptions options)
    : impl_(std::make_unique<Impl>(recorder, std::move(options))) {}

Engine::~Engine() {
  stop();
}

int Engine::start() {
  if (impl_->started) return port();
  // A write to a peer that reset raises SIGPIPE, which would kill the process; the engine
  // wants the EPIPE result instead (EPOLL-FACTS §3 rule 8). Process-wide, set once.
  ::signal(SIGPIPE, SIG_IGN);
  std::promise<int> ready;
  auto portFuture = ready.get_future();
  Impl& impl = *impl_;
  impl.thread = std::thread([&impl, &ready] { impl.runEngineThread(ready); });
  impl.started = true;
  try {
    return portFuture.get();
  } catch (...) {
    impl.joinEngineThread();
    impl.started = false;
    throw;
  }
}

// The engine thread: its own descriptor table from setup on (engine/fd_table.hpp), so the
// wait sampler, which probes the engine's sockets by number, is started from here too.
void Engine::Impl::runEngineThread(std::promise<int>& ready) {
  writer.setTid(static_cast<int>(::syscall(SYS_gettid)));
  {
    std::lock_guard lock(shared.mutex);
    shared.tid = writer.tid();
  }
  EventLoop loop(recorder, writer, commands, shared, options);
  try {
    ready.set_value(loop.setup());
  } catch (...) {
    loop.teardown();
    commands.close();
    ready.set_exception(std::current_exception());
    return;
  }
  {
    std::optional<WaitSampler> sampler;  // untraced: nothing to sample for
    if (!options.untraced) sampler.emplace(samplerWriter, shared);
    serveOrAbort(loop);
  }  // the sampler stops before any descriptor it probes is closed
  loop.teardown();
  commands.close();
}

void Engine::stop() {
  if (!impl_->started) return;
  impl_->push(Command::Type::Stop);
  impl_->joinEngineThread();
  impl_->started = false;
}

void Engine::setKnobs(const Knobs& knobs) {
  Command command;
  command.type = Command::Type::SetKnobs;
  command.knobs = knobs;
  impl_->pushKnobs(command);
}

void Engine::setKnob(KnobId knob, std::int64_t value) {
  Command command;
  command.type = Command::Type::SetKnob;
  command.knob = knob;
  command.value = value;
  impl_->pushKnobs(command);
}

void Engine::allowMoreFds(int more) {
  Command command;
  command.type = Command::Type::AllowFds;
  command.moreFds = more;
  impl_->commands.push(command);
}

void Engine::run() {
  impl_->push(Command::Type::Run);
}
void Engine::pause(PauseWhy why) {
  Command command;
  command.type = Command::Type::Pause;
  command.pauseWhy = why;
  impl_->commands.push(command);
}
void Engine::stepCall() {
  impl_->push(Command::Type::StepCall);
}
void Engine::stepWakeup() {
  impl_->push(Command::Type::StepWakeup);
}

void Engine::setPace(std::chrono::milliseconds delay) {
  Command command;
  command.type = Command::Type::SetPace;
  command.paceMs = static_cast<int>(delay.count());
  impl_->commands.push(command);
}

bool Engine::waitApplied(std::chrono::milliseconds bound) {
  return impl_->commands.waitApplied(impl_->commands.lastTicket(), bound);
}

bool Engine::waitPaused(std::chrono::milliseconds bound) {
  // First the commands queued before this call (a step just asked for), or the pause seen
  // would be the one from before the step.
  if (!waitApplied(bound)) return false;
  std::unique_lock lock(impl_->shared.mutex);
  return impl_->shared.changed.wait_for(lock, bound, [this] {
    const EngineStatus status = impl_->shared.status.load();
    return (status.mode == EngineMode::Paused && !status.inCall) ||
           status.mode == EngineMode::Stopped;
  });
}

EngineStatus Engine::status() const {
  return impl_->shared.status.load();
}

std::vector<SocketView> Engine::sockets() const {
  std::lock_guard lock(impl_->shared.mutex);
  return impl_->shared.sockets;
}

Knobs Engine::knobs() const {
  std::lock_guard lock(impl_->shared.mutex);
  return impl_->shared.knobs;
}

Knobs Engine::pendingKnobs() const {
  // The ticket first: a command applied after it is read is then both in the knobs and
  // overlaid again (the same value), never missing from both.
  const std::uint64_t applied = impl_->commands.appliedTicket();
  Knobs knobs = this->knobs();
  std::lock_guard lock(impl_->knobsMutex);
  for (const Command& command : impl_->queuedKnobs) {
    if (command.ticket <= applied) continue;
    if (command.type == Command::Type::SetKnobs) knobs = command.knobs;
    if (command.type == Command::Type::SetKnob) setKnobNumber(knobs, command.knob, command.value);
  }
  return knobs;
}

int Engine::port() const {
  std::lock_guard lock(impl_->shared.mutex);
  return impl_->shared.port;
}

int Engine::epollFd() const {
  std::lock_guard lock(impl_->shared.mutex);
  return impl_->shared.epfd;
}

int Engine::engineTid() const {
  std::lock_guard lock(impl_->shared.mutex);
  return impl_->shared.tid;
}

}  // namespace eps
