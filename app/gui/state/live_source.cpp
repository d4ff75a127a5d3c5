#include "app/gui/state/live_source.hpp"

#include "core/base/terminal_text.hpp"

namespace eps::gui {
namespace {

void updateCounts(ViewedTrace& viewed, std::uint64_t events) {
  viewed.counts = std::to_string(events) + " events, " +
                  std::to_string(viewed.laneLabels.empty() ? 0 : viewed.laneLabels.size() - 1) +
                  " named lanes, " + std::to_string(viewed.writers.size()) + " threads";
}

}  // namespace

LiveSource::LiveSource(const LiveTraceTarget& target)
    : tracer_(std::make_unique<LiveTracer>(target)), attach_(target.program.empty()) {}

std::string LiveSource::describe(Translator say) const {
  const std::string what = terminalText(tracer_->commandLine(), 200);
  if (running_)
    return trPrintfWith(say, "tracing PID %d: %s", static_cast<int>(pid()), what.c_str());
  return trPrintfWith(say, "traced PID %d (%s): %s", static_cast<int>(pid()),
                      tracer_->programFate().c_str(), what.c_str());
}

bool LiveSource::take(ViewedTrace& viewed, std::vector<TraceEvent>& out) {
  if (!running_) return false;
  const std::size_t before = out.size();
  bool labels = false;
  for (StraceDelta& batch : tracer_->takeBatches()) {
    if (!batch.newLabels.empty()) {
      viewed.laneLabels.resize(batch.firstLabel + batch.newLabels.size());
      std::move(batch.newLabels.begin(), batch.newLabels.end(),
                viewed.laneLabels.begin() + static_cast<std::ptrdiff_t>(batch.firstLabel));
      labels = true;
    }
    viewed.writers.insert(viewed.writers.end(), batch.newThreads.begin(), batch.newThreads.end());
    out.insert(out.end(), batch.events.begin(), batch.events.end());
  }
  events_ += out.size() - before;
  if (tracer_->ended()) finish(viewed, out);  // the program ended, or strace did
  updateCounts(viewed, events_);
  return labels || out.size() > before || !running_;
}

std::string LiveSource::stop(ViewedTrace& viewed, std::vector<TraceEvent>& out) {
  if (running_) {
    take(viewed, out);
    if (running_) {
      tracer_->stop();
      finish(viewed, out);
    }
  }
  return error_;
}

// After strace ended: the events not yet taken, every label and thread, the importer's counts.
void LiveSource::finish(ViewedTrace& viewed, std::vector<TraceEvent>& out) {
  running_ = false;
  tracer_->stop();  // reaps strace (and a launched program); returns at once when it ended
  try {
    StraceImport rest = tracer_->finish();
    events_ += rest.events.size();
    out.insert(out.end(), rest.events.begin(), rest.events.end());
    viewed.laneLabels = std::move(rest.labels);
    viewed.writers = std::move(rest.threads);
    viewed.stats = rest.stats;
    viewed.stats.droppedEvents += tracer_->droppedEvents();
    viewed.badLines = std::move(rest.badLines);
  } catch (const StraceImportError& error) {
    error_ = std::string("strace's output: ") + error.what();
  }
  updateCounts(viewed, events_);
}

ViewedTrace liveViewedTrace(const LiveSource& source) {
  ViewedTrace viewed;
  viewed.path = "live trace of PID " + std::to_string(source.pid()) + ": " +
                terminalText(source.commandLine(), 300);
  viewed.logPath = viewed.path;
  viewed.counts = "0 events";
  return viewed;
}

}  // namespace eps::gui
