// What the window shows in place of the live engine's panels while a file is open: a toolbar
// that names the file and goes back to the live engine, the tour (or the import's summary)
// where the lesson panel was, and what the importer made of the log where the kernel view was
// (a log has no kernel samples: its diagnoses are inferred).
#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>

#include "app/gui/panels/panels.hpp"
#include "core/strace/summary.hpp"

namespace eps::gui {

void showTourStep(UiState& ui, const ViewedTrace& viewed, std::size_t step) {
  if (step >= viewed.stepSpans.size() || !viewed.stepSpans[step]) return;
  const auto [first, last] = *viewed.stepSpans[step];
  // A little room either side, and at least 2 ms, so a single call is not the whole width.
  const double span = std::max<double>(static_cast<double>(last - first) * 1.25, 2e6);
  ui.timeline.followLive = false;
  ui.timeline.fitRequested = false;
  ui.timeline.zoomSpanNs = span;
  ui.timeline.zoomCenterNs = first + (last - first) / 2;
}

namespace {

void tourStep(Frame& frame, FileMode& file) {
  const ViewedTrace& viewed = file.viewed;
  const TraceTour& tour = *viewed.tour;
  int& current = file.tourStep;
  current = std::clamp(current, 0, static_cast<int>(tour.steps.size()) - 1);
  const TourStep& step = tour.steps[static_cast<std::size_t>(current)];
  ImGui::Separator();
  const bool zh = speaksChinese();
  wrappedText(trPrintf("Step %d of %zu: %s", current + 1, tour.steps.size(),
                       step.title.in(zh).c_str()));
  ImGui::TextDisabled("%s", trPrintf("log lines %d-%d", step.firstLine, step.lastLine).c_str());
  wrappedText(step.text.in(zh));
  const CheckOutcome& outcome = viewed.outcomes[static_cast<std::size_t>(current)];
  wrappedText(
      std::string(outcome.passed ? tr("holds:") : tr("does not hold:")) + " " + step.checkSource,
      outcome.passed ? frame.theme.read : frame.theme.eagain);
  wrappedTextDisabled(trPrintf("observed: %s", outcome.observed.c_str()));
  ImGui::BeginDisabled(current == 0);
  if (ImGui::Button(tr("previous")))
    showTourStep(frame.ui, viewed, static_cast<std::size_t>(--current));
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(current + 1 >= static_cast<int>(tour.steps.size()));
  if (ImGui::Button(tr("next")))
    showTourStep(frame.ui, viewed, static_cast<std::size_t>(++current));
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr("show on timeline")))
    showTourStep(frame.ui, viewed, static_cast<std::size_t>(current));
}

// What a session was recorded from, as the recorder wrote it ("engine", "lesson PATH",
// "strace log PATH", or the traced program), in the window's language.
std::string shownSource(const std::string& source) {
  if (source == "engine") return tr("the engine");
  for (const char* kind : {"lesson %s", "strace log %s"}) {
    const std::string_view head = std::string_view(kind).substr(0, std::string_view(kind).find('%'));
    if (source.size() > head.size() && source.compare(0, head.size(), head) == 0) {
      return trPrintf(kind, source.c_str() + head.size());
    }
  }
  return source;
}

void sessionSummary(const SessionData& data) {
  wrappedText(trPrintf("Session: %s", shownSource(data.source).c_str()));
  wrappedTextDisabled(trPrintf("saved %s on %s", data.savedAt.c_str(), data.host.c_str()));
  if (!data.lesson.file.empty()) {
    wrappedText(trPrintf("Lesson \"%s\": %d of %d steps played", data.lesson.title.c_str(),
                         data.lesson.step, data.lesson.steps));
  }
  if (!data.knobs.empty()) {
    ImGui::Separator();
    ImGui::TextUnformatted(tr("Knobs:"));
    wrappedText(data.knobs);
  }
  if (data.dropped > 0)
    wrappedText(trPrintf("%llu events were dropped before saving",
                         static_cast<unsigned long long>(data.dropped)));
}

void sessionClients(const SessionData& data) {
  ImGui::TextUnformatted(trPrintf("Built-in clients: %zu", data.clients.size()).c_str());
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (data.clients.empty() || !ImGui::BeginTable("clients", 6, flags)) return;
  for (const char* header : {"client", "port", "sent", "echoed", "mismatched", "state"}) {
    ImGui::TableSetupColumn(tr(header));
  }
  ImGui::TableHeadersRow();
  for (const ClientStats& c : data.clients) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%d", c.id);
    ImGui::TableNextColumn();
    ImGui::Text("%u", static_cast<unsigned>(c.localPort));
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(c.sent));
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(c.echoed));
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(c.mismatched));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(c.closed      ? tr("closed")
                           : c.connected ? tr("connected")
                                         : tr("connecting"));
  }
  ImGui::EndTable();
}

void importSummary(const ViewedTrace& viewed) {
  const StraceImportStats& s = viewed.stats;
  wrappedText(trPrintf("%llu lines, %llu calls, %zu threads",
                       static_cast<unsigned long long>(s.lines),
                       static_cast<unsigned long long>(s.callsImported), viewed.writers.size()));
  wrappedText(trPrintf("inferred: %llu possibly stranded, %llu busy runs, %llu herds",
                       static_cast<unsigned long long>(s.strandedInferred),
                       static_cast<unsigned long long>(s.busyRunsInferred),
                       static_cast<unsigned long long>(s.herdsInferred)));
}

}  // namespace

void drawViewerToolbar(Frame& frame, const Rect& rect) {
  if (!beginPanel("##toolbar", rect, ImGuiWindowFlags_NoScrollbar)) return ImGui::End();
  const FileMode* file = frame.workspace.file();
  if (file == nullptr) return ImGui::End();
  const ViewedTrace& viewed = file->viewed;
  if (ImGui::Button(tr("Back to the live engine"))) {  // closes the file: `viewed` goes with it
    frame.ui.statusMessage = frame.workspace.closeView();
    frame.ui.timeline.followLive = true;
    return ImGui::End();
  }
  sameLineIfFits(tr("File"));
  drawFileControls(frame);
  if (frame.workspace.file() != file) return ImGui::End();  // File started a trace instead
  const LiveSource* traced = file->live.get();
  if (traced != nullptr && traced->running()) {
    sameLineIfFits(tr("Stop tracing"));
    // --trace: the program ends; --attach: strace detaches and the program runs on.
    if (ImGui::Button(tr("Stop tracing"))) {
      const std::string error = frame.workspace.stopLiveTrace();
      frame.ui.statusMessage = error.empty() ? traced->describe() : error;
    }
    noteWidget(frame.ui, "stop-tracing");
  }
  frame.ui.report.toolbarStatus = traced ? traced->describe() : "viewing " + viewed.logPath;
  const std::string viewing =
      traced ? traced->describe(tr) : trPrintf("viewing %s", viewed.logPath.c_str());
  sameLineIfFits(ImGui::CalcTextSize(viewing.c_str()).x);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.ready), "%s", viewing.c_str());
  const char* what = viewed.session ? tr("(a saved session)")
                     : traced
                         ? tr("(live: times are strace's, durations inflated by tracing)")
                         : tr("(strace log: times are strace's, durations inflated by tracing)");
  sameLineIfFits(what);
  ImGui::TextDisabled("%s", what);
  sameLineIfFits(tr("View"));
  viewMenu(frame);
  statusLine(frame.ui);
  // The timeline keeps the newest events of a huge log; what it let go is said, not hidden.
  if (const std::uint64_t capped = frame.workspace.timeline().droppedByCap(); capped > 0) {
    const std::string text = trPrintf("dropped: %llu oldest events (retention cap)",
                                      static_cast<unsigned long long>(capped));
    sameLineIfFits(text.c_str());
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.eagain), "%s", text.c_str());
  }
  measureToolbar(frame.ui);
  ImGui::End();
}

void drawTourPanel(Frame& frame, FileMode& file, const Rect& rect) {
  if (!beginPanel(tr("Tour###tour"), rect)) return ImGui::End();
  const ViewedTrace& viewed = file.viewed;
  if (viewed.session) {
    sessionSummary(*viewed.session);
  } else if (viewed.tour) {
    wrappedText(viewed.tour->title.in(speaksChinese()));
    importSummary(viewed);
    if (ImGui::CollapsingHeader(tr("About this log###about"))) {
      wrappedText(viewed.tour->summary.in(speaksChinese()));
      ImGui::TextDisabled("%s", tr("recorded with:"));
      wrappedText(viewed.tour->recorded);
    }
    tourStep(frame, file);
  } else {
    if (file.live) {
      wrappedText(viewed.path);
    } else {
      wrappedText(std::filesystem::path(viewed.logPath).filename().string());
    }
    // While strace writes, the importer's counts are its reader's: what arrived is counted.
    if (file.live && file.live->running()) {
      ImGui::TextUnformatted(viewed.counts.c_str());  // strace's words: numbers and nouns
    } else {
      importSummary(viewed);
    }
    ImGui::Separator();
    wrappedText(
        tr("One lane per descriptor, named and sorted by strace's -yy (files hidden: Lanes > hide "
           "files), one wait lane per thread and epoll instance. Diagnoses marked 'inferred' are "
           "guessed from the calls alone."));
    // A live trace samples the program's sockets while it waits; a log has no samples.
    wrappedText(file.live ? tr("While the program sleeps in a wait its sockets are sampled: a "
                               "stranding seen there is 'measured from a sample'.")
                          : tr("A log has no kernel samples."));
  }
  ImGui::End();
}

void drawImportPanel(Frame& frame, const FileMode& file, const Rect& rect) {
  const ViewedTrace& viewed = file.viewed;
  if (!beginPanel(viewed.session ? tr("Clients when saved###import") : tr("Import###import"),
                  rect)) {
    return ImGui::End();
  }
  if (viewed.session) {
    sessionClients(*viewed.session);
    return ImGui::End();
  }
  // The importer's counts belong to the tracer's reader thread until strace ends: zeros here
  // would be a lie, so they are promised instead.
  if (file.live && file.live->running()) {
    ImGui::TextUnformatted(viewed.counts.c_str());
    wrappedText(
        tr("The importer's counts (ready records, other calls, signals, lines not understood) "
           "are shown when the trace stops."));
    return ImGui::End();
  }
  const StraceImportStats& s = viewed.stats;
  wrappedText(trPrintf("ready records %llu   other calls %llu   unfinished %llu",
                       static_cast<unsigned long long>(s.readyImported),
                       static_cast<unsigned long long>(s.otherCalls),
                       static_cast<unsigned long long>(s.unfinished)));
  wrappedText(trPrintf(
      "signals %llu   exits %llu   processes %llu", static_cast<unsigned long long>(s.signals),
      static_cast<unsigned long long>(s.exits), static_cast<unsigned long long>(s.processes)));
  wrappedText(trPrintf("data calls: %s", dataCallsText(s, tr).c_str()));
  if (s.otherCalls > 0) wrappedText(trPrintf("other calls: %s", otherCallsText(s, 12, tr).c_str()));
  if (s.usesIoUring) {
    wrappedText(tr(kIoUringNote.data()), frame.theme.eagain);
  }
  if (s.droppedEvents > 0) {
    wrappedText(trPrintf("%llu events beyond the import's cap were dropped",
                         static_cast<unsigned long long>(s.droppedEvents)),
                frame.theme.eagain);
  }
  ImGui::Separator();
  ImGui::TextUnformatted(
      trPrintf("not understood: %llu lines", static_cast<unsigned long long>(s.notUnderstood))
          .c_str());
  for (const StraceBadLine& bad : viewed.badLines) {
    ImGui::TextDisabled(
        "%s", trPrintf("line %llu:", static_cast<unsigned long long>(bad.number)).c_str());
    ImGui::SameLine();
    ImGui::BeginGroup();
    wrappedText(bad.text);
    ImGui::EndGroup();
  }
  ImGui::End();
}

}  // namespace eps::gui
