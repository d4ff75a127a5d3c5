#include "core/engine.hpp"

#include <dirent.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/engine_loop.hpp"
#include "core/engine_sampler.hpp"

namespace eps {

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

  Recorder& recorder;
  TraceWriter& writer;
  TraceWriter& samplerWriter;
  EngineOptions options;
  std::unique_ptr<WaitSampler> sampler;
  CommandQueue commands;
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
  impl.thread = std::thread([&impl, &ready] {
    impl.writer.setTid(static_cast<int>(::syscall(SYS_gettid)));
    {
      std::lock_guard lock(impl.shared.mutex);
      impl.shared.tid = impl.writer.tid();
    }
    EngineLoop loop(impl.recorder, impl.writer, impl.commands, impl.shared, impl.options);
    try {
      ready.set_value(loop.setup());
    } catch (...) {
      loop.teardown();
      impl.commands.close();
      ready.set_exception(std::current_exception());
      return;
    }
    try {
      loop.serve();
    } catch (const std::exception&) {
      // epoll_wait itself failed: nothing sane to continue with; fall through to teardown.
    }
    loop.teardown();
    impl.commands.close();
  });
  impl.started = true;
  try {
    const int boundPort = portFuture.get();
    impl.sampler = std::make_unique<WaitSampler>(impl.samplerWriter, impl.shared);
    return boundPort;
  } catch (...) {
    impl.thread.join();
    impl.started = false;
    throw;
  }
}

void Engine::stop() {
  if (!impl_->started) return;
  impl_->sampler.reset();
  impl_->push(Command::Type::Stop);
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->started = false;
}

void Engine::setKnobs(const Knobs& knobs) {
  Command command;
  command.type = Command::Type::SetKnobs;
  command.knobs = knobs;
  impl_->commands.push(command);
}

void Engine::run() {
  impl_->push(Command::Type::Run);
}
void Engine::pause() {
  impl_->push(Command::Type::Pause);
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
    const EngineStatus& status = impl_->shared.status;
    return (status.mode == EngineMode::Paused && !status.inCall) ||
           status.mode == EngineMode::Stopped;
  });
}

EngineStatus Engine::status() const {
  std::lock_guard lock(impl_->shared.mutex);
  return impl_->shared.status;
}

std::vector<SocketView> Engine::sockets() const {
  std::lock_guard lock(impl_->shared.mutex);
  return impl_->shared.sockets;
}

Knobs Engine::knobs() const {
  std::lock_guard lock(impl_->shared.mutex);
  return impl_->shared.knobs;
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

std::string_view engineModeName(EngineMode mode) {
  switch (mode) {
    case EngineMode::Starting:
      return "starting";
    case EngineMode::Running:
      return "running";
    case EngineMode::Paused:
      return "paused";
    case EngineMode::Stepping:
      return "stepping";
    case EngineMode::Stopped:
      return "stopped";
  }
  return "?";
}

namespace {

std::optional<std::set<int>> usedFds() {
  std::set<int> used;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') used.insert(std::atoi(entry->d_name));
  }
  used.erase(::dirfd(dir));  // the scan's own descriptor is free again once closed
  ::closedir(dir);
  return used;
}

}  // namespace

int lowestFreeFd() {
  const auto used = usedFds();
  if (!used) return -1;
  int candidate = 0;
  while (used->count(candidate) != 0) ++candidate;
  return candidate;
}

int fdLimitAllowing(int more) {
  // A new descriptor takes the lowest free number, and open() fails with EMFILE once that
  // number would reach the limit: the limit is the (more+1)-th free number.
  const auto used = usedFds();
  if (!used) return -1;
  int candidate = 0;
  for (int freeSeen = 0;; ++candidate) {
    if (used->count(candidate) != 0) continue;
    if (freeSeen++ == more) return candidate;
  }
}

}  // namespace eps
