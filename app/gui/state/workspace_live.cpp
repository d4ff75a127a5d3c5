// The Workspace's live traces: a program traced through strace, shown as a file that grows
// (live_source.hpp), started from the command line or File, stopped from the toolbar.
#include "app/gui/state/workspace.hpp"

namespace eps::gui {

Workspace::Workspace(FileMode traced, EngineOptions options)
    : options_(std::move(options)), mode_(std::in_place_type<FileMode>, std::move(traced)) {}

std::string Workspace::traceLive(const LiveTraceTarget& target) {
  if (loading()) return "still opening " + loadingPath_;
  if (auto* lesson = std::get_if<LessonMode>(&mode_); lesson && lesson->player().busy()) {
    return "wait for the lesson's step to finish";
  }
  try {
    auto source = std::make_unique<LiveSource>(target);
    source->begin();
    // The engine, or an earlier trace, goes.
    mode_.emplace<FileMode>(liveFileMode(std::move(source)));
  } catch (const LiveTraceError& error) {
    return error.what();
  }
  timeline_.clear();
  return "";
}

const LiveSource* Workspace::liveTrace() const {
  const FileMode* shown = file();
  return shown ? shown->live.get() : nullptr;
}

std::string Workspace::stopLiveTrace() {
  FileMode* shown = file();
  if (shown == nullptr || !shown->live) return "";
  scratch_.clear();
  const std::string error = shown->live->stop(shown->viewed, scratch_);
  timeline_.setLaneLabels(shown->viewed.laneLabels);
  timeline_.append(scratch_);
  return error;
}

// Called by pump(): what the live trace mapped since the last frame. True when it changed.
bool Workspace::takeLive(FileMode& shown) {
  scratch_.clear();
  if (!shown.live->take(shown.viewed, scratch_)) return false;
  // Labels first: the events of a batch name lanes the same batch brought.
  timeline_.setLaneLabels(shown.viewed.laneLabels);
  timeline_.append(scratch_);
  return true;
}

}  // namespace eps::gui
