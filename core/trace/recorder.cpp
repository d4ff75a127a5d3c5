#include "core/trace/recorder.hpp"

#include <time.h>

#include <algorithm>

namespace eps {

std::int64_t monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

TraceWriter::TraceWriter(Recorder& owner, std::string name, Actor actor, std::uint8_t thread,
                         std::size_t capacity)
    : owner_(owner), name_(std::move(name)), actor_(actor), thread_(thread), ring_(capacity) {}

std::uint64_t TraceWriter::record(TraceEvent event) {
  event.seq = owner_.nextSeq();
  if (event.tNs == 0) event.tNs = monotonicNs();
  event.actor = actor_;
  event.thread = thread_;
  ring_.push(event);
  return event.seq;
}

Recorder::Recorder(std::size_t ringCapacity) : ringCapacity_(ringCapacity) {}

TraceWriter& Recorder::addWriter(std::string name, Actor actor, std::uint8_t thread) {
  std::lock_guard lock(writersMutex_);
  writers_.push_back(std::unique_ptr<TraceWriter>(
      new TraceWriter(*this, std::move(name), actor, thread, ringCapacity_)));
  return *writers_.back();
}

std::size_t Recorder::drainInto(std::vector<TraceEvent>& out) {
  scratch_.clear();
  std::size_t sources = 0;
  {
    std::lock_guard lock(writersMutex_);
    for (auto& writer : writers_) {
      if (writer->ring_.drainInto(scratch_) > 0) ++sources;
    }
  }
  // Each ring is already in sequence order; one stable sort merges them (cheap when only
  // one producer was active, the common case).
  if (sources > 1) {
    std::sort(scratch_.begin(), scratch_.end(),
              [](const TraceEvent& x, const TraceEvent& y) { return x.seq < y.seq; });
  }
  out.insert(out.end(), scratch_.begin(), scratch_.end());
  return scratch_.size();
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
