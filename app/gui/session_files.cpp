// The Session's files: opening an strace log or tour in place of the live engine, going back,
// and exporting what the timeline holds.
#include <unistd.h>

#include <functional>

#include "app/gui/session.hpp"
#include "core/base/output_file.hpp"

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
  dropLesson();
  stopAll();
  recorder_.reset();
  viewed_ = std::move(load.trace);
  payloads_ = viewed_->payloads;  // a session's reads; an strace log has none
  timeline_.clear();
  timeline_.setLaneLabels(viewed_->laneLabels);
  timeline_.append(load.events);
  return true;
}

std::string Session::closeView() {
  if (!viewed_) return "";
  // The file stays on screen unless the engine really starts again (its port may have been
  // taken meanwhile): the panels of the live view need an engine.
  if (std::string error = start(); !error.empty()) {
    clients_.reset();
    engine_.reset();
    recorder_.reset();
    return "cannot start the engine again: " + error;
  }
  viewed_.reset();
  payloads_.reset();
  timeline_.clear();
  return "";
}

TraceMeta Session::exportMeta() const {
  TraceMeta meta;
  meta.port = port_;
  meta.pid = static_cast<int>(::getpid());
  meta.payloads = payloads_.get();
  if (viewed_) {
    meta.writers = viewed_->writers;
    meta.laneLabels = &viewed_->laneLabels;
    meta.source = viewed_->session ? viewed_->session->source : "strace log " + viewed_->logPath;
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

std::string writeFile(const std::string& path, const std::function<void(std::ostream&)>& writer) {
  const std::string reason = writeOutputFile(path, writer);
  return reason.empty() ? "" : outputFailure("", path, reason);
}

}  // namespace

SessionData Session::sessionData() const {
  const TraceMeta meta = exportMeta();
  SessionData data;
  data.events = timeline_.retainedEvents();
  data.writers = meta.writers;
  data.knobs = meta.knobs;
  data.port = meta.port;
  data.pid = meta.pid;
  data.dropped = meta.dropped;
  if (payloads_) data.payloads = payloads_->entries();
  if (viewed_ && viewed_->session) {  // saved again: keep what it said
    data.laneLabels = viewed_->laneLabels;
    data.knobs = viewed_->session->knobs;
    data.source = viewed_->session->source;
    data.lesson = viewed_->session->lesson;
    data.clients = viewed_->session->clients;
  } else if (viewed_) {
    data.laneLabels = viewed_->laneLabels;
    data.source = "strace log " + viewed_->logPath;
  } else if (lesson_) {
    const Lesson& lesson = lesson_->lesson();
    data.source = "lesson " + lesson.path;
    data.lesson = {lesson.path, lesson.title.en, static_cast<int>(lesson_->current()),
                   static_cast<int>(lesson.steps.size())};
  } else {
    data.source = "engine";
  }
  if (!viewed_ && clients_) data.clients = clients_->allStats();
  return data;
}

std::string Session::saveSession(const std::string& path) {
  try {
    saveSessionFile(path, sessionData());
  } catch (const SessionFileError& error) {
    return error.what();
  }
  return "";
}

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
