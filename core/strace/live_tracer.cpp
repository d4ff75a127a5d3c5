#include "core/strace/live_tracer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <system_error>

#include "core/base/terminal_text.hpp"
#include "core/strace/chunk_lines.hpp"

namespace eps {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kReadChunk = std::size_t{64} << 10;
constexpr std::size_t kMaxErrText = 4096;           // of strace's stderr, for the error line
constexpr std::size_t kMaxQueuedEvents = 4'000'000;  // between reader and caller
constexpr std::size_t kMaxPrelude = std::size_t{64} << 10;
constexpr auto kPollTick = 5ms;

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

std::int64_t steadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string fateOf(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by SIG") + sigabbrev_np(WTERMSIG(status));
  return "ended";
}

// Reaps `pid` within `bound`, SIGKILL after it; the wait status, or -1 when it was not ours.
int reap(pid_t pid, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  int status = 0;
  while (true) {
    const pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == pid) return status;
    if (got < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      return ::waitpid(pid, &status, 0) == pid ? status : -1;
    }
    std::this_thread::sleep_for(kPollTick);
  }
}

}  // namespace

LiveTracer::LiveTracer(const LiveTraceTarget& target)
    : importer_(std::make_unique<StraceImporter>()) {
  const bool launch = !target.program.empty();
  const std::string flag =
      launch ? std::string("--trace") : "--attach " + std::to_string(target.attachPid);
  const std::optional<std::string> strace = findExecutable("strace");
  if (!strace) throw LiveTraceError(flag + ": strace not found on PATH (Debian package strace)");
  if (launch) {
    const std::optional<std::string> path = findExecutable(target.program[0]);
    if (!path) {
      throw LiveTraceError("--trace: " + terminalText(target.program[0], 200) +
                           ": no such program (not an executable file, nor one on PATH)");
    }
    try {
      held_ = holdProgram(*path, target.program, target.programStdout);
    } catch (const std::system_error& error) {
      throw LiveTraceError(std::string("--trace: cannot start the program: ") + error.what());
    }
    launched_ = true;
    pid_ = held_.pid;
    commandLine_ = joined(target.program);
  } else {
    pid_ = target.attachPid;
    if (pid_ <= 0) throw LiveTraceError(flag + ": expected a process id above 0");
    if (pid_ == ::getpid()) throw LiveTraceError(flag + ": that is epollscope itself");
    if (::kill(pid_, 0) != 0) {
      throw LiveTraceError(flag + (errno == ESRCH ? ": no such process"
                                                  : ": not permitted to trace it (" +
                                                        std::string(std::strerror(errno)) + ")"));
    }
    if (const int tracer = tracerPidOf(pid_); tracer > 0) {
      throw LiveTraceError(flag + ": already traced by process " + std::to_string(tracer) +
                           " (a debugger or another strace)");
    }
    commandLine_ = commandLineOf(pid_);
    execSeen_ = true;  // nothing of ours runs in it before its calls
    fate_ = "left running";
  }
  waitSampler_ = std::make_unique<TracedWaitSampler>(pid_);
  startStrace(*strace);
  waitAttached(flag);
}

LiveTracer::~LiveTracer() {
  stop();
}

void LiveTracer::startStrace(const std::string& strace) {
  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0)
    abandon(std::string("cannot make a pipe: ") + std::strerror(errno));
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    abandon(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  outFd_ = out[0];
  errFd_ = err[0];
  // The reader thread forks strace. strace's PR_SET_PDEATHSIG (live_spawn.cpp) fires when the
  // THREAD that forked it exits, not the process (prctl(2)): forked by a short-lived caller
  // thread (a lesson's step, played on a worker), strace would detach as that thread ended.
  // The reader lives exactly as long as the trace.
  std::promise<pid_t> spawned;
  std::future<pid_t> pid = spawned.get_future();
  const std::vector<std::string> args{
      "-f", "-ttt", "-T", "-yy", "-qq", "-o", "/proc/self/fd/3", "-p", std::to_string(pid_)};
  reader_ = std::thread([this, strace, args, out, err, &spawned] {
    try {
      spawned.set_value(spawnStrace(strace, args, out[1], err[1]));
    } catch (const std::system_error&) {
      spawned.set_exception(std::current_exception());
    }
    // Only strace holds the write ends now: its exit is the end of both pipes.
    ::close(out[1]);
    ::close(err[1]);
    read();
  });
  try {
    stracePid_ = pid.get();
  } catch (const std::system_error& error) {
    abandon(std::string("cannot start strace: ") + error.what());
  }
}

void LiveTracer::waitAttached(const std::string& flag) {
  const auto deadline = std::chrono::steady_clock::now() + kAttachBound;
  while (true) {
    const int tracer = tracerPidOf(pid_);
    if (tracer == stracePid_) return;
    if (tracer < 0) abandon(flag + ": the process ended before strace attached");
    if (waitEnded(kPollTick)) abandon(flag + ": strace could not attach: " + straceError());
    if (std::chrono::steady_clock::now() > deadline) {
      abandon(flag + ": strace did not attach within " +
              std::to_string(kAttachBound.count() / 1000) + " s");
    }
  }
}

// The first line strace wrote on its stderr ("strace: attach: ptrace(PTRACE_SEIZE, 1):
// Operation not permitted"), or what is known without it.
std::string LiveTracer::straceError() {
  const std::lock_guard lock(mutex_);
  const std::string first = errText_.substr(0, errText_.find('\n'));
  return first.empty() ? "it exited without saying why" : terminalText(first, 300);
}

void LiveTracer::abandon(const std::string& message) {
  if (launched_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    if (held_.releaseFd >= 0) ::close(held_.releaseFd);
    if (held_.execFd >= 0) ::close(held_.execFd);
    held_ = {};
  }
  if (stracePid_ > 0) ::kill(stracePid_, SIGKILL);
  if (reader_.joinable()) reader_.join();
  reapAll();
  stopped_ = true;
  throw LiveTraceError(message);
}

void LiveTracer::begin() {
  if (!launched_ || held_.releaseFd < 0) return;
  const std::string problem = releaseProgram(held_);
  if (!problem.empty()) {
    throw LiveTraceError("--trace: cannot run " + terminalText(commandLine_, 200) + ": " +
                         problem);
  }
}

void LiveTracer::read() {
  StraceChunkLines lines(*importer_, StraceImportOptions{}.maxLineBytes);
  std::string buffer(kReadChunk, '\0');
  pollfd fds[2] = {{outFd_, POLLIN, 0}, {errFd_, POLLIN, 0}};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    // Sampling runs only here, between chunks, at most every kSampleIntervalNs while a wait
    // is open: a program streaming calls is never slowed by it.
    const int timeout = waitSampler_->timeoutMs(lines.partial(), steadyNs());
    if (::poll(fds, 2, timeout) < 0) continue;  // EINTR: the pipes' end is what ends the loop
    for (pollfd& ready : fds) {
      if (ready.fd < 0 || ready.revents == 0) continue;
      const ssize_t got = ::read(ready.fd, buffer.data(), buffer.size());
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ready.fd = -1;
        continue;
      }
      const std::string_view chunk(buffer.data(), static_cast<std::size_t>(got));
      if (&ready == &fds[1]) {
        const std::lock_guard lock(mutex_);
        errText_.append(chunk.substr(0, kMaxErrText - std::min(kMaxErrText, errText_.size())));
      } else {
        readOutput(chunk, lines);
        waitSampler_->onOutput(steadyNs());
      }
    }
    if (fds[0].fd >= 0) sampleWhileWaiting(lines);
  }
  readOutput({}, lines);
  const std::lock_guard lock(mutex_);
  ended_ = true;
  endedSignal_.notify_all();
}

// Feeds strace's output to the importer (a refusal is kept for finish(), and the rest is
// drained unread so strace never blocks on a full pipe); an empty chunk is the end.
void LiveTracer::readOutput(std::string_view chunk, StraceChunkLines& lines) {
  {
    const std::lock_guard lock(mutex_);
    if (!importError_.empty()) return;
  }
  try {
    if (!execSeen_) {
      // --trace: what the held child did before its execve is ours, not the program's.
      prelude_.append(chunk);
      const std::size_t exec = prelude_.find(" execve(");
      if (exec == std::string::npos) {
        const std::size_t lastLine = prelude_.rfind('\n');
        if (lastLine != std::string::npos) prelude_.erase(0, lastLine + 1);
        if (prelude_.size() > kMaxPrelude) prelude_.clear();
        return;
      }
      const std::size_t lineStart = prelude_.rfind('\n', exec);
      chunk = std::string_view(prelude_).substr(lineStart == std::string::npos ? 0 : lineStart + 1);
      execSeen_ = true;
    }
    if (chunk.empty()) {
      lines.end();
    } else {
      lines.feed(chunk);
    }
    prelude_.clear();
    publish();
  } catch (const StraceImportError& error) {
    const std::lock_guard lock(mutex_);
    importError_ = error.what();
  }
}

void LiveTracer::sampleWhileWaiting(const StraceChunkLines& lines) {
  {
    const std::lock_guard lock(mutex_);
    if (!importError_.empty()) return;
  }
  if (!execSeen_) return;
  waitSampler_->maybeSample(lines.partial(), steadyNs(), outFd_, *importer_);
  publish();
}

void LiveTracer::publish() {
  StraceDelta delta = importer_->takeEvents();
  if (delta.events.empty() && delta.newLabels.empty() && delta.newThreads.empty()) return;
  const std::lock_guard lock(mutex_);
  if (queuedEvents_ + delta.events.size() > kMaxQueuedEvents) {
    dropped_ += delta.events.size();
    delta.events.clear();
  }
  queuedEvents_ += delta.events.size();
  queue_.push_back(std::move(delta));
}

std::vector<StraceDelta> LiveTracer::takeBatches() {
  const std::lock_guard lock(mutex_);
  std::vector<StraceDelta> batches(std::make_move_iterator(queue_.begin()),
                                   std::make_move_iterator(queue_.end()));
  queue_.clear();
  queuedEvents_ = 0;
  return batches;
}

bool LiveTracer::ended() {
  const std::lock_guard lock(mutex_);
  return ended_;
}

bool LiveTracer::waitEnded(std::chrono::milliseconds bound) {
  std::unique_lock lock(mutex_);
  return endedSignal_.wait_for(lock, bound, [this] { return ended_; });
}

std::uint64_t LiveTracer::droppedEvents() {
  const std::lock_guard lock(mutex_);
  return dropped_;
}

void LiveTracer::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (launched_) {
    if (held_.releaseFd >= 0) ::close(held_.releaseFd);  // never released: it exits unrun
    held_.releaseFd = -1;
    ::kill(pid_, SIGTERM);  // unreaped until reapAll(): the pid cannot be reused meanwhile
    if (!waitEnded(kStopBound)) {
      // It ignores SIGTERM, or children it forked keep strace busy: end it, detach the rest.
      ::kill(pid_, SIGKILL);
      ::kill(stracePid_, SIGINT);
    }
  } else {
    ::kill(stracePid_, SIGINT);  // strace detaches and exits; the program runs on
  }
  if (!waitEnded(kStopBound)) ::kill(stracePid_, SIGKILL);
  if (reader_.joinable()) reader_.join();
  reapAll();
}

void LiveTracer::reapAll() {
  if (stracePid_ > 0) reap(stracePid_, kStopBound);
  stracePid_ = -1;
  if (launched_ && pid_ > 0) {
    const int status = reap(pid_, kStopBound);
    fate_ = status < 0 ? "ended" : fateOf(status);
  } else if (pid_ > 0) {
    fate_ = ::kill(pid_, 0) == 0 ? "left running" : "ended";
  }
  if (held_.execFd >= 0) ::close(held_.execFd);
  held_.execFd = -1;
  if (outFd_ >= 0) ::close(outFd_);
  if (errFd_ >= 0) ::close(errFd_);
  outFd_ = errFd_ = -1;
}

StraceImport LiveTracer::finish() {
  stop();
  {
    const std::lock_guard lock(mutex_);
    if (!importError_.empty()) throw StraceImportError(importError_);
  }
  const StraceImportStats& stats = importer_->stats();
  if (stats.lines == stats.emptyLines) {
    StraceImport nothing;  // the program made no call while traced
    nothing.labels.emplace_back();
    return nothing;
  }
  return importer_->finish();
}

}  // namespace eps
