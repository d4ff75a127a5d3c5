#include "core/strace/joiner.hpp"

#include <algorithm>
#include <utility>

namespace eps {

StraceLineKind StraceJoiner::feed(std::string_view line, std::vector<StraceCall>& out) {
  ++lines_;
  const StraceLineKind kind = parseStraceLine(line, line_);
  if (kind != StraceLineKind::NotUnderstood) unwrapTimeOfDay();
  if (kind == StraceLineKind::NotUnderstood) {
    ++notUnderstood_;
  } else if (kind == StraceLineKind::Exit) {
    // The task is gone: a call it left unfinished will never resume.
    const auto found = waiting_.find(line_.pid);
    if (found != waiting_.end()) {
      found->second.unfinished = true;
      out.push_back(std::move(found->second));
      waiting_.erase(found);
    }
  } else if (kind == StraceLineKind::Syscall) {
    if (line_.resumed) {
      resume(line_.call, out);
    } else if (line_.unfinished) {
      auto [slot, inserted] = waiting_.try_emplace(line_.pid);
      if (!inserted) {  // a second start without a resume: the first never finished
        slot->second.unfinished = true;
        out.push_back(std::move(slot->second));
      }
      slot->second = std::move(line_.call);
      slot->second.unfinished = false;
    } else {
      out.push_back(std::move(line_.call));
    }
  }
  return kind;
}

void StraceJoiner::unwrapTimeOfDay() {
  constexpr std::int64_t kDayNs = 86'400'000'000'000;
  // A -ttt epoch timestamp is far above one day; only -tt (and -t) times of day can wrap.
  if (line_.tsNs < 0 || line_.tsNs >= kDayNs) return;
  std::int64_t ns = line_.tsNs + dayOffsetNs_;
  if (lastTimeOfDayNs_ >= 0 && ns < lastTimeOfDayNs_ - kDayNs / 2) {
    dayOffsetNs_ += kDayNs;
    ns += kDayNs;
    ++midnightWraps_;
  } else if (lastTimeOfDayNs_ >= 0 && ns > lastTimeOfDayNs_ + kDayNs / 2 && dayOffsetNs_ > 0) {
    ns -= kDayNs;  // a line strace wrote late, from before midnight (threads interleave)
  }
  lastTimeOfDayNs_ = std::max(lastTimeOfDayNs_, ns);
  line_.tsNs = ns;
  line_.tsSeconds = static_cast<double>(ns) / 1e9;
  if (line_.kind == StraceLineKind::Syscall) {
    line_.call.tsNs = ns;
    line_.call.tsSeconds = line_.tsSeconds;
  }
}

void StraceJoiner::resume(StraceCall& call, std::vector<StraceCall>& out) {
  const auto found = waiting_.find(call.pid);
  if (found == waiting_.end() || found->second.name != call.name) {
    if (found != waiting_.end()) {
      found->second.unfinished = true;
      out.push_back(std::move(found->second));
      waiting_.erase(found);
    }
    out.push_back(std::move(call));  // its start is not in the log: partial arguments
    return;
  }
  StraceCall& start = found->second;
  start.argsText += call.argsText;
  if (line_.unfinished) return;  // resumed and cut short again: keep waiting
  start.args = splitStraceArgs(start.argsText);
  start.ret = call.ret;
  start.retDecoration = std::move(call.retDecoration);
  start.retNote = std::move(call.retNote);
  start.err = call.err;
  start.errName = std::move(call.errName);
  start.durSeconds = call.durSeconds;
  start.durNs = call.durNs;
  start.resumed = true;
  start.unfinished = false;
  out.push_back(std::move(start));
  waiting_.erase(found);
}

void StraceJoiner::finish(std::vector<StraceCall>& out) {
  const std::size_t first = out.size();
  for (auto& [pid, call] : waiting_) {
    call.unfinished = true;
    out.push_back(std::move(call));
  }
  waiting_.clear();
  // The map's order is arbitrary; the log's is by start time.
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const StraceCall& x, const StraceCall& y) {
              return x.tsNs != y.tsNs ? x.tsNs < y.tsNs : x.pid < y.pid;
            });
}

}  // namespace eps
