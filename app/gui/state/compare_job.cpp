#include "app/gui/state/compare_job.hpp"

#include <exception>

#include "core/compare/compare_inputs.hpp"

namespace eps::gui {
namespace {

// The markers the axis aligns on: every action, and a step's own marker only when no action
// of that step follows it (else both would get a stretch, one of them microseconds wide).
std::vector<std::size_t> alignedMarkers(const Comparison& c) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < c.markers.size(); ++i) {
    const bool actionFollows = i + 1 < c.markers.size() && !c.markers[i + 1].step;
    if (!c.markers[i].step || !actionFollows) out.push_back(i);
  }
  return out;
}

void buildAxis(CompareResult& r) {
  const auto& sides = r.comparison.sides;
  if (sides[0].events.empty() || sides[1].events.empty()) return;
  r.aligned = alignedMarkers(r.comparison);
  std::vector<std::array<std::int64_t, 2>> times;
  for (const std::size_t i : r.aligned) times.push_back(r.comparison.markers[i].tNs);
  r.axis.emplace(
      std::move(times),
      std::array<std::int64_t, 2>{sides[0].events.front().tNs, sides[1].events.front().tNs},
      std::array<std::int64_t, 2>{sides[0].events.back().tNs, sides[1].events.back().tNs});
  for (std::size_t side = 0; side < 2; ++side)
    r.bands[side] = buildBand(sides[side].events, *r.axis, side);
}

}  // namespace

CompareJob::Request compareRequest(const CompareUi& ui) {
  CompareJob::Request request;
  request.sessions = ui.sessions;
  request.lesson = ui.lesson;
  request.knobsA = ui.knobsA;
  request.knobsB = ui.knobsB;
  request.sessionA = ui.sessionA;
  request.sessionB = ui.sessionB;
  return request;
}

CompareJob::CompareJob(Request request, bool wait) : request_(std::move(request)) {
  if (wait) {
    result_ = work(request_);
    return;
  }
  worker_ = std::jthread([this] {
    std::shared_ptr<const CompareResult> done = work(request_);
    std::lock_guard lock(mutex_);
    result_ = std::move(done);
  });
}

CompareJob::CompareJob(Request request) : request_(std::move(request)) {}

void CompareJob::publish(Comparison comparison) {
  auto result = std::make_shared<CompareResult>();
  result->comparison = std::move(comparison);
  result->stepByStep = true;
  buildAxis(*result);
  std::lock_guard lock(mutex_);
  result_ = std::move(result);
}

CompareJob::~CompareJob() = default;  // the jthread joins

std::shared_ptr<const CompareResult> CompareJob::result() const {
  std::lock_guard lock(mutex_);
  return result_;
}

std::shared_ptr<const CompareResult> CompareJob::work(const Request& request) {
  auto result = std::make_shared<CompareResult>();
  try {
    if (request.sessions) {
      const CompareInputs in = readSessionCompare(request.sessionA, request.sessionB);
      result->error = in.error;
      if (in.error.empty()) result->comparison = compareRecorded(*in.sessionA, *in.sessionB);
    } else {
      const CompareInputs in = readLessonCompare(request.lesson, {request.knobsA, request.knobsB},
                                                 {"knobs A", "knobs B"});
      result->error = in.error;
      if (in.error.empty()) {
        PairedRun paired(*in.lesson, in.knobsA, in.knobsB);
        result->error = paired.start();
        if (result->error.empty()) result->comparison = paired.play();
      }
    }
  } catch (const std::exception& error) {  // Interrupted: the window is closing
    result->error = error.what();
  }
  if (result->error.empty()) buildAxis(*result);
  return result;
}

}  // namespace eps::gui
