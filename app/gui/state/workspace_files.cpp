// The Workspace's files: opening an strace log, a tour or a saved session in place of the
// engine, going back, and exporting or saving what the timeline holds.
#include <unistd.h>

#include <functional>

#include "app/gui/state/workspace.hpp"
#include "core/base/output_file.hpp"

namespace eps::gui {

std::string Workspace::openFile(const std::string& path) {
  if (loading()) return "still opening " + loadingPath_;
  if (auto* lesson = std::get_if<LessonMode>(&mode_); lesson && lesson->player().busy()) {
    return "wait for the lesson's step to finish";
  }
  loadingPath_ = path;
  loader_ = std::async(std::launch::async, [path] { return loadViewedTrace(path); });
  return "";
}

// Called by pump(): when the loader is done, shows its file in place of the engine (or keeps
// the mode there is and remembers the error). True when the timeline changed.
bool Workspace::takeLoaded() {
  if (!loader_.valid() || loader_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return false;
  }
  ViewedLoad load = loader_.get();
  if (!load.trace) {
    loadError_ = load.error;
    return false;
  }
  mode_.emplace<FileMode>(FileMode{std::move(*load.trace), 0, nullptr});
  timeline_.clear();
  timeline_.setLaneLabels(std::get<FileMode>(mode_).viewed.laneLabels);
  timeline_.append(load.events);
  return true;
}

std::string Workspace::closeView() {
  if (file() == nullptr) return "";
  // The file stays on screen unless the engine really starts again (its port may have been
  // taken meanwhile): the panels of free play need an engine.
  std::string error;
  LiveMode live = LiveMode::start(options_, error);
  if (!error.empty()) return "cannot start the engine again: " + error;
  mode_.emplace<LiveMode>(std::move(live));
  timeline_.clear();
  return "";
}

TraceMeta Workspace::exportMeta() const {
  TraceMeta meta;
  meta.port = port();
  meta.pid = static_cast<int>(::getpid());
  meta.payloads = payloads();
  if (const FileMode* shown = file()) {
    const ViewedTrace& viewed = shown->viewed;
    meta.writers = viewed.writers;
    meta.laneLabels = &viewed.laneLabels;
    meta.source = viewed.session ? viewed.session->source
                  : shown->live  ? viewed.path
                                 : "strace log " + viewed.logPath;
    meta.dropped = viewed.stats.droppedEvents + timeline_.droppedByCap();
    return meta;
  }
  if (const auto* lesson = std::get_if<LessonMode>(&mode_)) {
    meta.writers = lesson->player().writers();
  } else if (const auto* live = std::get_if<LiveMode>(&mode_)) {
    meta.writers = live->writers();
    meta.dropped = live->droppedByRings();
  }
  meta.knobs = describeKnobs(controls()->engine().knobs());
  meta.dropped += timeline_.droppedByCap();
  return meta;
}

namespace {

std::string writeFile(const std::string& path, const std::function<void(std::ostream&)>& writer) {
  const std::string reason = writeOutputFile(path, writer);
  return reason.empty() ? "" : outputFailure("", path, reason);
}

// A file saved again keeps what it said; a log (or a live trace) says where it came from.
void describeFile(const FileMode& shown, SessionData& data) {
  const ViewedTrace& viewed = shown.viewed;
  data.laneLabels = viewed.laneLabels;
  if (!viewed.session) {
    data.source = shown.live ? viewed.path : "strace log " + viewed.logPath;
    return;
  }
  data.knobs = viewed.session->knobs;
  data.source = viewed.session->source;
  data.lesson = viewed.session->lesson;
  data.clients = viewed.session->clients;
}

}  // namespace

SessionData Workspace::sessionData() const {
  const TraceMeta meta = exportMeta();
  SessionData data;
  data.events = timeline_.retainedEvents();
  data.writers = meta.writers;
  data.knobs = meta.knobs;
  data.port = meta.port;
  data.pid = meta.pid;
  data.dropped = meta.dropped;
  if (const PayloadStore* reads = payloads()) data.payloads = reads->entries();
  if (const FileMode* shown = file()) {
    describeFile(*shown, data);
    return data;
  }
  if (const auto* lesson = std::get_if<LessonMode>(&mode_)) {
    const Lesson& played = lesson->player().lesson();
    data.source = "lesson " + played.path;
    data.lesson = {played.path, played.title.en, static_cast<int>(lesson->player().current()),
                   static_cast<int>(played.steps.size())};
  } else {
    data.source = "engine";
  }
  data.clients = controls()->clients().allStats();
  return data;
}

std::string Workspace::saveSession(const std::string& path) {
  try {
    saveSessionFile(path, sessionData());
  } catch (const SessionFileError& error) {
    return error.what();
  }
  return "";
}

std::string Workspace::exportChromeTrace(const std::string& path) {
  const std::vector<TraceEvent> events = timeline_.retainedEvents();
  const TraceMeta meta = exportMeta();
  return writeFile(path, [&](std::ostream& out) { writeChromeTrace(out, events, meta); });
}

std::string Workspace::exportCallsCsv(const std::string& path) {
  const std::vector<TraceEvent> events = timeline_.retainedEvents();
  const TraceMeta meta = exportMeta();
  return writeFile(path, [&](std::ostream& out) { writeCallsCsv(out, events, meta); });
}

}  // namespace eps::gui
