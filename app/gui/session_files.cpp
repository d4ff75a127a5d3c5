// The Session's files: opening an strace log or tour in place of the live engine, going back,
// and exporting what the timeline holds.
#include <unistd.h>

#include <fstream>

#include "app/gui/session.hpp"

namespace eps::gui {

std::string Session::openFile(const std::string& path) {
  if (loading()) return "still opening " + loadingPath_;
  if (lesson_ && lesson_->busy()) return "wait for the lesson's step to finish";
  loadingPath_ = path;
  loader_ = std::async(std::launch::async, [path] { return loadViewedTrace(path); });
  return "";
}

// Called by pump(): when the loader is done, shows its file (or keeps the live view and
// remembers the error). True when the timeline changed.
bool Session::takeLoaded() {
  if (!loader_.valid() || loader_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return false;
  }
  ViewedLoad load = loader_.get();
  if (!load.trace) {
    loadError_ = load.error;
    return false;
  }
  if (lesson_) {
    engine_.reset();
    clients_.reset();
    lesson_.reset();
  }
  stopAll();
  recorder_.reset();
  viewed_ = std::move(load.trace);
  timeline_.clear();
  timeline_.setLaneLabels(viewed_->laneLabels);
  timeline_.append(load.events);
  return true;
}

void Session::closeView() {
  if (!viewed_) return;
  viewed_.reset();
  timeline_.clear();
  start();
}

TraceMeta Session::exportMeta() const {
  TraceMeta meta;
  meta.port = port_;
  meta.pid = static_cast<int>(::getpid());
  if (viewed_) {
    meta.writers = viewed_->writers;
    meta.laneLabels = &viewed_->laneLabels;
    meta.source = "strace log " + viewed_->logPath;
    meta.dropped = viewed_->stats.droppedEvents + timeline_.droppedByCap();
    return meta;
  }
  if (lesson_) {
    meta.writers = lesson_->writers();
  } else if (recorder_) {
    meta.writers = recorder_->writers();
    meta.dropped = recorder_->dropped();
  }
  if (engine_) meta.knobs = describeKnobs(engine_->knobs());
  meta.dropped += timeline_.droppedByCap();
  return meta;
}

namespace {

std::string writeFile(const std::string& path, const auto& writer) {
  std::ofstream out(path, std::ios::binary);
  if (out) writer(out);
  out.close();
  return out ? "" : "cannot write " + path;
}

}  // namespace

std::string Session::exportChromeTrace(const std::string& path) {
  const std::vector<TraceEvent> events = timeline_.retainedEvents();
  const TraceMeta meta = exportMeta();
  return writeFile(path, [&](std::ostream& out) { writeChromeTrace(out, events, meta); });
}

std::string Session::exportCallsCsv(const std::string& path) {
  const std::vector<TraceEvent> events = timeline_.retainedEvents();
  const TraceMeta meta = exportMeta();
  return writeFile(path, [&](std::ostream& out) { writeCallsCsv(out, events, meta); });
}

}  // namespace eps::gui
