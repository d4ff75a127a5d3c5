#include "core/trace/recorder.hpp"

#include <algorithm>

namespace eps {
namespace {

// How long the merge waits for a seq a producer took but has not published. Publishing is a
// few instructions after taking it, so this only matters if that thread was descheduled in
// between; past it the merge moves on, and the late event is emitted when it shows up.
constexpr std::int64_t kInFlightPatienceNs = 200'000'000;

}  // namespace

TraceWriter::TraceWriter(Recorder& owner, std::string name, Actor actor, std::uint8_t thread,
                         std::size_t capacity)
    : seq_(owner.seq_), name_(std::move(name)), actor_(actor), thread_(thread), ring_(capacity) {}

Recorder::Recorder(std::size_t ringCapacity) : ringCapacity_(ringCapacity) {}

TraceWriter& Recorder::addWriter(std::string name, Actor actor, std::uint8_t thread) {
  std::lock_guard lock(writersMutex_);
  writers_.push_back(std::unique_ptr<TraceWriter>(
      new TraceWriter(*this, std::move(name), actor, thread, ringCapacity_)));
  return *writers_.back();
}

std::size_t Recorder::gatherSources() {
  sources_.clear();
  std::size_t total = 0;
  for (auto& writer : writers_) {
    if (const std::size_t count = writer->ring_.available(); count > 0) {
      sources_.push_back({&writer->ring_, count, 0});
      total += count;
    }
  }
  return total;
}

std::size_t Recorder::indexOfLowestSeq() const {
  std::size_t lowest = 0;
  for (std::size_t i = 1; i < sources_.size(); ++i) {
    const Source& s = sources_[i];
    if (s.ring->at(s.next).seq < sources_[lowest].ring->at(sources_[lowest].next).seq) lowest = i;
  }
  return lowest;
}

bool Recorder::inFlightGapExpired() {
  if (gapSeq_ != nextSeq_) {
    gapSeq_ = nextSeq_;
    gapSinceNs_ = monotonicNs();
    return false;
  }
  return monotonicNs() - gapSinceNs_ > kInFlightPatienceNs;
}

// Each ring is in seq order; seqs are dense across rings, so the next event to emit is the
// front holding nextSeq_. The producer that had it usually has the one after too (a busy
// thread records runs), so the current source is tried before scanning the others.
template <typename Emit>
std::size_t Recorder::merge(Emit&& emit) {
  std::size_t emitted = 0;
  std::size_t current = 0;
  while (!sources_.empty()) {
    if (sources_[current].ring->at(sources_[current].next).seq > nextSeq_) {
      current = indexOfLowestSeq();
      const Source& s = sources_[current];
      if (s.ring->at(s.next).seq > nextSeq_ && !inFlightGapExpired()) break;
    }
    Source& source = sources_[current];
    const TraceEvent& event = source.ring->at(source.next++);
    emit(event);
    nextSeq_ = std::max(nextSeq_, event.seq + 1);
    ++emitted;
    if (source.next == source.count) {
      source.ring->release(source.count);
      source = sources_.back();
      sources_.pop_back();
      current = 0;
    }
  }
  for (Source& source : sources_) source.ring->release(source.next);
  sources_.clear();
  return emitted;
}

std::size_t Recorder::drainInto(std::vector<TraceEvent>& out) {
  std::lock_guard lock(writersMutex_);
  out.reserve(out.size() + gatherSources());
  return merge([&out](const TraceEvent& event) { out.push_back(event); });
}

std::size_t Recorder::drainInto(EventLog& out) {
  std::lock_guard lock(writersMutex_);
  gatherSources();
  return merge([&out](const TraceEvent& event) { out.append(event); });
}

std::uint64_t Recorder::dropped() const {
  std::lock_guard lock(writersMutex_);
  std::uint64_t total = 0;
  for (const auto& writer : writers_) total += writer->ring_.dropped();
  return total;
}

std::vector<Recorder::WriterInfo> Recorder::writers() const {
  std::lock_guard lock(writersMutex_);
  std::vector<WriterInfo> out;
  for (const auto& writer : writers_) {
    out.push_back({writer->name_, writer->actor_, writer->thread_, writer->tid()});
  }
  return out;
}

}  // namespace eps
