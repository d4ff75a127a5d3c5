#include "app/gui/state/workspace.hpp"

#include "core/lessons/lesson.hpp"

namespace eps::gui {

Workspace::Workspace(LiveMode live, EngineOptions options)
    : options_(std::move(options)), mode_(std::in_place_type<LiveMode>, std::move(live)) {
  // A reset keeps the port, so `nc 127.0.0.1 PORT` stays right.
  options_.port = std::get<LiveMode>(mode_).port();
}

Controls* Workspace::controls() {
  if (auto* live = std::get_if<LiveMode>(&mode_)) return &live->controls();
  if (auto* lesson = std::get_if<LessonMode>(&mode_)) return &lesson->controls();
  return nullptr;
}

const Controls* Workspace::controls() const {
  if (const auto* live = std::get_if<LiveMode>(&mode_)) return &live->controls();
  if (const auto* lesson = std::get_if<LessonMode>(&mode_)) return &lesson->controls();
  return nullptr;
}

bool Workspace::pump() {
  if (takeLoaded()) return true;
  scratch_.clear();
  if (auto* live = std::get_if<LiveMode>(&mode_)) {
    live->controls().refreshClientPorts();
    if (!live->drain(scratch_)) return false;
  } else if (auto* lesson = std::get_if<LessonMode>(&mode_)) {
    const bool fresh = lesson->takeNewEvents(scratch_);
    if (fresh) timeline_.clear();  // a replay began a fresh trace
    if (auto labels = lesson->takeLaneLabels(fresh)) timeline_.setLaneLabels(std::move(*labels));
    if (scratch_.empty()) return false;
  } else if (FileMode* shown = file(); shown && shown->live) {
    return takeLive(*shown);
  } else {
    return false;  // a file: everything arrived when it was taken
  }
  timeline_.append(scratch_);
  return true;
}

std::string Workspace::startFreePlay() {
  std::string error;
  mode_.emplace<LiveMode>(LiveMode::start(options_, error));
  return error.empty() ? "" : "cannot start the engine again: " + error;
}

std::string Workspace::reset() {
  if (auto* lesson = std::get_if<LessonMode>(&mode_)) {
    lesson->player().restart();
    return "";
  }
  auto* live = std::get_if<LiveMode>(&mode_);
  if (live == nullptr) return "";
  options_.knobs = live->controls().engine().knobs();
  mode_.emplace<std::monostate>();  // its clients, engine and recorder go, freeing the port
  timeline_.clear();
  return startFreePlay();
}

std::string Workspace::openLesson(const std::string& path) {
  LessonLoad loaded = loadLessonFile(path);
  // The sentence is the window's (shownStatus translates it); the place and the problem are
  // the loader's, quoting the file.
  if (loaded.error) return "cannot load the lesson: " + loaded.error->text();
  mode_.emplace<std::monostate>();  // one engine at a time: free play's (or a lesson's) goes
  timeline_.clear();
  std::string error;
  std::optional<LessonMode> lesson = LessonMode::start(std::move(*loaded.lesson), error);
  if (!lesson) {
    startFreePlay();  // a failure of its own, if any, shows in the toolbar as "stopped"
    return "cannot start the lesson: " + error;
  }
  mode_.emplace<LessonMode>(std::move(*lesson));
  pump();
  return "";
}

bool Workspace::lessonOpensPicture() {
  const LessonMode* open = lesson();
  return open != nullptr && open->player().lesson().opensPicture;
}

std::string Workspace::closeLesson() {
  auto* lesson = std::get_if<LessonMode>(&mode_);
  if (lesson == nullptr || lesson->player().busy()) return "";
  mode_.emplace<std::monostate>();  // the lesson's runner stops its engine and clients
  timeline_.clear();
  return startFreePlay();
}

std::uint64_t Workspace::droppedByRings() const {
  const auto* live = std::get_if<LiveMode>(&mode_);
  return live ? live->droppedByRings() : 0;
}

const PayloadStore* Workspace::payloads() const {
  if (const auto* live = std::get_if<LiveMode>(&mode_)) return live->payloads();
  if (const auto* lesson = std::get_if<LessonMode>(&mode_)) return lesson->payloads();
  if (const FileMode* shown = file()) return shown->viewed.payloads.get();  // a log has none
  return nullptr;
}

}  // namespace eps::gui
