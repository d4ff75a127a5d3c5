#include "core/kernelstate/replay.hpp"

#include <algorithm>

namespace eps {
namespace {

bool isEngineCall(const TraceEvent& e) {
  return e.kind == EventKind::Call && e.actor == Actor::Engine;
}

}  // namespace

void KernelReplay::append(std::span<const TraceEvent> events) {
  events_.reserve(events_.size() + events.size());
  for (const TraceEvent& e : events) {
    const std::int64_t before = prefixMaxNs_.empty() ? e.tNs : prefixMaxNs_.back();
    events_.push_back(e);
    prefixMaxNs_.push_back(std::max(before, e.tNs));
  }
}

void KernelReplay::clear() { *this = KernelReplay{}; }

// Checkpoints are taken lazily, the first time a seek passes them.
void KernelReplay::extendCheckpoints(std::size_t upTo) {
  if (checkpoints_.empty()) checkpoints_.emplace_back();
  while ((checkpoints_.size()) * kCheckpointEvery <= upTo) {
    KernelState state = checkpoints_.back();
    const std::size_t from = (checkpoints_.size() - 1) * kCheckpointEvery;
    for (std::size_t i = from; i < from + kCheckpointEvery; ++i) applyEvent(state, events_[i], i);
    applied_ += kCheckpointEvery;
    checkpoints_.push_back(std::move(state));
  }
}

const KernelState& KernelReplay::seek(std::size_t count) {
  count = std::min(count, events_.size());
  if (count < current_.applied || count - current_.applied > kCheckpointEvery) {
    extendCheckpoints(count);
    current_ = checkpoints_[count / kCheckpointEvery];
  }
  for (std::size_t i = current_.applied; i < count; ++i) {
    applyEvent(current_, events_[i], i);
    ++applied_;
  }
  return current_;
}

std::size_t KernelReplay::countAt(std::int64_t t) const {
  return static_cast<std::size_t>(
      std::upper_bound(prefixMaxNs_.begin(), prefixMaxNs_.end(), t) - prefixMaxNs_.begin());
}

std::size_t KernelReplay::nextCall(std::size_t index) const {
  for (std::size_t i = index == npos ? 0 : index + 1; i < events_.size(); ++i) {
    if (isEngineCall(events_[i])) return i;
  }
  return npos;
}

std::size_t KernelReplay::previousCall(std::size_t index) const {
  for (std::size_t i = std::min(index, events_.size()); i-- > 0;) {
    if (isEngineCall(events_[i])) return i;
  }
  return npos;
}

}  // namespace eps
