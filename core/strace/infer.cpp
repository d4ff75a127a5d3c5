#include "core/strace/infer.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>

#include "core/strace/import.hpp"

namespace eps {
namespace {

TraceEvent inferred(EventKind kind, std::uint8_t thread, std::int64_t tNs) {
  TraceEvent event;
  event.kind = kind;
  event.tNs = tNs;
  event.thread = thread;
  event.flags = kEventImported | kEventInferred;
  return event;
}

}  // namespace

void ImportInference::onRegister(FdKey fd, std::uint32_t mask) {
  masks_[fd] = mask;
  // EPOLL_CTL_MOD polls the fd again (EPOLL-FACTS): waiting data is reported anew, so a
  // partial read before it strands nothing.
  for (ThreadState& thread : threads_) {
    std::erase_if(thread.inputs, [fd](const LastInput& input) { return input.fd == fd; });
  }
}

void ImportInference::onForget(FdKey fd) {
  masks_.erase(fd);
  for (ThreadState& thread : threads_) {
    std::erase_if(thread.inputs, [fd](const LastInput& input) { return input.fd == fd; });
  }
}

bool ImportInference::edgeTriggered(FdKey fd) const {
  const auto found = masks_.find(fd);
  return found != masks_.end() && (found->second & EPOLLET) != 0;
}

ImportInference::ThreadState& ImportInference::state(std::uint8_t thread) {
  if (threads_.size() <= thread) threads_.resize(thread + 1u);
  return threads_[thread];
}

void ImportInference::beforeWait(std::uint8_t thread, std::int64_t tNs,
                                 std::vector<TraceEvent>& out, StraceImportStats& stats) {
  ThreadState& s = state(thread);
  for (const LastInput& input : s.inputs) {
    // 0 (end of file) and -1 (EAGAIN or an error) both say there is nothing more to read.
    if (input.ret <= 0 || !edgeTriggered(input.fd)) continue;
    TraceEvent event = inferred(EventKind::Stranded, thread, tNs);
    event.fd = fdOfKey(input.fd);
    event.conn = input.label;
    event.op =
        static_cast<std::uint8_t>(input.accept ? StrandedWhat::Connections : StrandedWhat::Bytes);
    event.b = input.ret;
    out.push_back(event);
    ++stats.strandedInferred;
  }
  s.inputs.clear();
  endHandling(thread, s, tNs, out, stats);
}

// The handling of a wakeup ends at `endNs`: an idle level-triggered one extends the run,
// anything else ends it.
void ImportInference::endHandling(std::uint8_t thread, ThreadState& s, std::int64_t endNs,
                                  std::vector<TraceEvent>& out, StraceImportStats& stats) {
  if (!s.handling) return;
  s.handling = false;
  if (!s.levelTriggered || s.productive) {
    endRun(thread, s, out, stats);
    return;
  }
  if (s.idleRun++ == 0) s.idleRunStartNs = s.wakeNs;
  s.idleRunEndNs = endNs;
}

void ImportInference::afterWait(std::uint8_t thread, std::int64_t tNs, std::int64_t ready,
                                bool levelTriggered, std::vector<TraceEvent>& out,
                                StraceImportStats& stats) {
  ThreadState& s = state(thread);
  if (ready <= 0) {
    // A timeout or an error is not a busy wakeup: the run, if any, is over.
    endRun(thread, s, out, stats);
    return;
  }
  s.handling = true;
  s.acceptedOn.clear();
  s.levelTriggered = levelTriggered;
  s.productive = false;
  s.wakeNs = tNs;
}

void ImportInference::onInput(std::uint8_t thread, FdKey fd, std::uint32_t label, std::int64_t ret,
                              bool accept) {
  ThreadState& s = state(thread);
  if (ret > 0 || (accept && ret >= 0)) s.productive = true;
  if (!s.handling) return;
  const auto found = std::find_if(s.inputs.begin(), s.inputs.end(),
                                  [fd](const LastInput& input) { return input.fd == fd; });
  // An accepted fd 0 still means "a connection came": keep it positive.
  LastInput input{fd, label, accept && ret >= 0 ? std::max<std::int64_t>(ret, 1) : ret, accept};
  if (found == s.inputs.end()) {
    s.inputs.push_back(input);
  } else {
    *found = input;
  }
}

void ImportInference::onOutput(std::uint8_t thread, std::int64_t ret) {
  if (ret > 0) state(thread).productive = true;
}

void ImportInference::endRun(std::uint8_t thread, ThreadState& s, std::vector<TraceEvent>& out,
                             StraceImportStats& stats) {
  const std::uint64_t run = s.idleRun;
  s.idleRun = 0;
  if (run == 0 || run < busyRunMin_) return;
  TraceEvent event = inferred(EventKind::Busy, thread, s.idleRunStartNs);
  event.durNs = std::max<std::int64_t>(s.idleRunEndNs - s.idleRunStartNs, 0);
  event.a = static_cast<std::int64_t>(run);
  event.b = static_cast<std::int64_t>(static_cast<double>(run) * 1e9 /
                                      static_cast<double>(std::max<std::int64_t>(event.durNs, 1)));
  out.push_back(event);
  ++stats.busyRunsInferred;
  stats.busyWakeupsInferred += run;
}

void ImportInference::onAccept(std::uint8_t thread, FdKey fd, std::uint32_t label, std::int64_t tNs,
                               std::int64_t ret, int err, std::vector<TraceEvent>& out,
                               StraceImportStats& stats) {
  ThreadState& s = state(thread);
  // Only the first accept of a wakeup's handling says what the thread was woken for; later
  // ones are a loop draining the backlog, whose final EAGAIN is expected.
  if (!s.handling ||
      std::find(s.acceptedOn.begin(), s.acceptedOn.end(), fd) != s.acceptedOn.end()) {
    return;
  }
  s.acceptedOn.push_back(fd);
  auto [it, fresh] = herds_.try_emplace(fd);
  HerdWatch& herd = it->second;
  if (ret >= 0) {
    if (!fresh) reportHerd(fd, herd, out, stats);
    herd = {tNs, ret, thread, label, 0};
    return;
  }
  if (!fresh && err == EAGAIN && herd.winner != thread && herd.acceptNs >= s.wakeNs) {
    ++herd.losers;
  }
}

void ImportInference::reportHerd(FdKey fd, const HerdWatch& herd, std::vector<TraceEvent>& out,
                                 StraceImportStats& stats) {
  if (herd.losers == 0) return;
  TraceEvent event = inferred(EventKind::Herd, herd.winner, herd.acceptNs);
  event.fd = fdOfKey(fd);
  event.conn = herd.label;
  event.a = herd.losers;
  event.c = herd.acceptedFd;
  out.push_back(event);
  ++stats.herdsInferred;
}

bool ImportInference::settleBySample(std::uint8_t thread, FdKey fd) {
  if (thread >= threads_.size() || !edgeTriggered(fd)) return false;
  auto& inputs = threads_[thread].inputs;
  const auto found = std::find_if(inputs.begin(), inputs.end(),
                                  [fd](const LastInput& input) { return input.fd == fd; });
  if (found == inputs.end()) return false;
  const bool suspect = found->ret > 0;
  inputs.erase(found);
  return suspect;
}

void ImportInference::finish(std::vector<TraceEvent>& out, StraceImportStats& stats) {
  // In the order of their connections, so an import is the same every time.
  std::vector<std::pair<FdKey, HerdWatch>> left(herds_.begin(), herds_.end());
  std::sort(left.begin(), left.end(),
            [](const auto& x, const auto& y) { return x.second.acceptNs < y.second.acceptNs; });
  for (const auto& [fd, herd] : left) reportHerd(fd, herd, out, stats);
  herds_.clear();
  for (std::size_t index = 0; index < threads_.size(); ++index) {
    const auto thread = static_cast<std::uint8_t>(index);
    ThreadState& s = threads_[index];
    endHandling(thread, s, std::max(s.wakeNs, s.idleRunEndNs), out, stats);
    endRun(thread, s, out, stats);
  }
}

}  // namespace eps
