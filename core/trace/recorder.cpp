#include "core/trace/recorder.hpp"

#include <time.h>

#include <algorithm>

namespace eps {
namespace {

// How long the merge waits for a seq a producer took but has not published, and how many
// events it holds back meanwhile. Publishing is a few instructions after taking it, so this
// only matters if that thread was descheduled in between; past either bound the merge moves
// on, and the late event is emitted (out of order, never lost) when it shows up.
constexpr std::int64_t kInFlightPatienceNs = 200'000'000;
constexpr std::size_t kMaxHeldEvents = std::size_t{1} << 20;

}  // namespace

std::int64_t monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

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
  held_.resize(writers_.size());
  std::size_t total = 0;
  for (std::size_t w = 0; w < writers_.size(); ++w) {
    TraceRing& ring = writers_[w]->ring_;
    const std::size_t held = held_[w].size();
    if (const std::size_t count = ring.available(); count + held > 0) {
      sources_.push_back({w, &ring, held, count, 0});
      total += count + held;
    }
  }
  return total;
}

std::size_t Recorder::indexOfLowestSeq() const {
  std::size_t lowest = 0;
  for (std::size_t i = 1; i < sources_.size(); ++i) {
    if (front(sources_[i]).seq < front(sources_[lowest]).seq) lowest = i;
  }
  return lowest;
}

bool Recorder::inFlightGapExpired() {
  if (heldTotal_ > kMaxHeldEvents) return true;
  if (gapSeq_ != nextSeq_) {
    gapSeq_ = nextSeq_;
    gapSinceNs_ = monotonicNs();
    return false;
  }
  return monotonicNs() - gapSinceNs_ > kInFlightPatienceNs;
}

// A source every event of which was emitted: its ring slots go back, its held events go.
void Recorder::finish(Source& source) {
  source.ring->release(source.count);
  heldTotal_ -= held_[source.writer].size();
  held_[source.writer].clear();
}

// The merge stopped before `source` was done: what is left of it moves out of the ring into
// held_ (its ring then has room), to be merged first by the next drain.
void Recorder::holdBack(Source& source) {
  std::vector<TraceEvent>& held = held_[source.writer];
  const std::size_t before = held.size();
  const std::size_t fromHeld = std::min(source.next, source.held);
  held.erase(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(fromHeld));
  for (std::size_t i = source.next - fromHeld; i < source.count; ++i) {
    held.push_back(source.ring->at(i));
  }
  heldTotal_ = heldTotal_ - before + held.size();
  source.ring->release(source.count);
}

// Each producer's events are in seq order; seqs are dense across producers, so the next
// event to emit is the front holding nextSeq_. The producer that had it usually has the one
// after too (a busy thread records runs), so the current source is tried before the others.
template <typename Emit>
std::size_t Recorder::merge(Emit&& emit) {
  std::size_t emitted = 0;
  std::size_t current = 0;
  while (!sources_.empty()) {
    if (front(sources_[current]).seq > nextSeq_) {
      current = indexOfLowestSeq();
      if (front(sources_[current]).seq > nextSeq_ && !inFlightGapExpired()) break;
    }
    Source& source = sources_[current];
    const TraceEvent& event = front(source);
    emit(event);
    nextSeq_ = std::max(nextSeq_, event.seq + 1);
    ++emitted;
    if (++source.next == source.held + source.count) {
      finish(source);
      source = sources_.back();
      sources_.pop_back();
      current = 0;
    }
  }
  for (Source& source : sources_) holdBack(source);
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
