// The lesson panel: pick a lesson, read it in English or Chinese, predict first (the choice is
// locked before the step runs, the answer shown only after, beside the step's checks), run the
// step, see each check tick or cross with the value observed; previous (a true step back: a
// replay), next, restart.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "app/gui/panels/panels.hpp"

namespace eps::gui {
namespace {

std::vector<std::string> lessonFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void picker(Frame& frame) {
  UiState& ui = frame.ui;
  const std::string shown = ui.lessonFile.empty()
                                ? tr("choose a lesson")
                                : std::filesystem::path(ui.lessonFile).filename().string();
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.6f, ImGui::GetFontSize() * 8));
  if (ImGui::BeginCombo("##lesson", shown.c_str())) {
    // Listed only while the list is open: no directory reads on every frame.
    for (const std::string& file : lessonFiles(ui.lessonsDir)) {
      const std::string name = std::filesystem::path(file).filename().string();
      if (ImGui::Selectable(name.c_str(), file == ui.lessonFile)) {
        const std::string error = frame.workspace.openLesson(file);
        ui.statusMessage = error;
        if (error.empty()) ui.lessonFile = file;
        ui.showPicture = ui.showPicture || frame.workspace.lessonOpensPicture();
      }
    }
    ImGui::EndCombo();
  }
  if (frame.workspace.lesson()) {
    sameLineIfFits(tr("free play"));
    if (ImGui::Button(tr("free play"))) {
      if (std::string error = frame.workspace.closeLesson(); !error.empty()) {
        ui.statusMessage = std::move(error);
      }
      if (!frame.workspace.lesson()) ui.lessonFile.clear();  // closed (not while a step plays)
    }
    noteWidget(ui, "free-play");
  }
}

// A paired lesson: which engine each side is, and the side by side view back after Close.
void pairedSides(Frame& frame, const LessonPlayer& player) {
  const Lesson& lesson = player.lesson();
  if (!lesson.compare) return;
  const bool zh = frame.ui.language == Language::Chinese;
  wrappedTextDisabled(trPrintf("Played on two engines side by side: A %s, B %s",
                               (*lesson.compare)[0].label.in(zh).c_str(),
                               (*lesson.compare)[1].label.in(zh).c_str()));
  CompareUi& c = frame.ui.compare;
  if (c.showing && c.job == player.compareJob()) return;
  if (ImGui::Button(tr("Show side by side"))) {
    c.job = player.compareJob();
    c.showing = true;
  }
  noteWidget(frame.ui, "lesson-side-by-side");
}

// The predict-first question: the learner's choice is locked before the engine runs the step.
// The answer waits for the run (answerBeside): what the kernel does is what settles it.
void predictFirst(Frame& frame, const LessonStep& step, Prediction& prediction) {
  if (!step.predict) return;
  const bool zh = frame.ui.language == Language::Chinese;
  const PredictFirst& p = *step.predict;
  ImGui::Separator();
  wrappedText(std::string(tr("Predict first:")) + " " + p.question.in(zh));
  for (std::size_t i = 0; i < p.choices.size(); ++i) {
    // The choice's text wraps beside its button: a radio button's own label would be clipped.
    ImGui::BeginDisabled(prediction.committed);
    ImGui::PushID(static_cast<int>(i));
    ImGui::RadioButton("##choice", &prediction.chosen, static_cast<int>(i));
    noteWidget(frame.ui, "lesson-choice-" + std::to_string(i));
    ImGui::PopID();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginGroup();  // the choice's lines start beside its button
    wrappedText(p.choices[i].in(zh));
    ImGui::EndGroup();
  }
  if (!prediction.committed) {
    ImGui::BeginDisabled(prediction.chosen < 0);
    if (ImGui::Button(tr("Lock my answer"))) prediction.committed = true;
    noteWidget(frame.ui, "lesson-lock");
    ImGui::EndDisabled();
    return;
  }
  wrappedTextDisabled(tr("Locked. Run the step: the answer comes with its checks."));
}

// Once the step has run and its checks are in: whether the learner's locked choice was right,
// the answer and why. (A step played by a script, --lesson-step, was never predicted.)
void answerBeside(Frame& frame, const LessonStep& step, const Prediction& prediction,
                  std::size_t index) {
  if (!step.predict) return;
  const bool zh = frame.ui.language == Language::Chinese;
  const PredictFirst& p = *step.predict;
  const bool predicted = prediction.committed && prediction.chosen >= 0 &&
                         static_cast<std::size_t>(prediction.chosen) < p.choices.size();
  const bool right = predicted && prediction.chosen == p.answer;
  if (predicted) {
    ImGui::TextColored(
        ImGui::ColorConvertU32ToFloat4(right ? frame.theme.read : frame.theme.eagain), "%s",
        right ? tr("Your prediction was right.") : tr("Not quite: your prediction was"));
    if (!right) {
      wrappedText("  " + p.choices[static_cast<std::size_t>(prediction.chosen)].in(zh));
    }
  }
  wrappedText(
      trPrintf("The answer: %s", p.choices[static_cast<std::size_t>(p.answer)].in(zh).c_str()));
  wrappedText(p.explanation.in(zh));
  frame.ui.report.lessonAnswerStep = static_cast<int>(index);
  frame.ui.report.lessonAnswerRight = right;
}

void checkTicks(Frame& frame, const StepResult& result) {
  if (!result.failure.empty()) {
    // The sentence in the window's language around the runner's own words (an action as the
    // lesson wrote it, a bound that ran out).
    wrappedText("\u2717 " + trPrintf("the step could not be played: %s", result.failure.c_str()),
                frame.theme.error);
  }
  for (const CheckResult& check : result.checks) {
    const Color color = check.passed ? frame.theme.read : frame.theme.error;
    // Wrapped, never clipped: at a projector's font a check is two lines.
    wrappedText(std::string(check.passed ? "\u2713 " : "\u2717 ") + check.source + "  (" +
                    check.observed + ")",
                color);
  }
}

void navigation(Frame& frame, LessonPlayer& player, bool mayRun) {
  const std::size_t current = player.current();
  const std::size_t total = player.lesson().steps.size();
  ImGui::BeginDisabled(player.busy());
  ImGui::BeginDisabled(current == 0);
  if (ImGui::Button(tr("< previous"))) player.stepBack();
  noteWidget(frame.ui, "lesson-previous");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(current >= total || !mayRun);
  if (ImGui::Button(tr("run this step >"))) player.playCurrent();
  noteWidget(frame.ui, "lesson-run");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr("restart"))) player.restart();
  noteWidget(frame.ui, "lesson-restart");
  ImGui::EndDisabled();
  if (player.busy()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr("the engine is running the step..."));
  }
}

// Called in the lesson's scrolled part right after the step's text: where the text ends there
// (scroll-independent) against what of that part is on screen, for --state-out, and the
// panel's height that shows it all (the part's top in the panel, the text, padding), for the
// layout: a projector's font must not hide the narrative below the fold.
void measureStepText(UiState& ui, float panelTop) {
  const ImGuiStyle& style = ImGui::GetStyle();
  ui.report.lessonTextNeeded = ImGui::GetCursorPosY() - style.ItemSpacing.y;
  ui.report.lessonTextShown = ImGui::GetWindowHeight();
  ui.layout.lessonNeeds = ImGui::GetWindowPos().y - panelTop + ui.report.lessonTextNeeded +
                          style.WindowPadding.y * 2 + style.ItemSpacing.y;
}

// The lesson's title and its buttons stay at the top; the text, the question and the checks
// scroll below them, so "run this step" is never below the fold at a projector's font.
void lessonBody(Frame& frame, LessonPlayer& player) {
  const bool zh = frame.ui.language == Language::Chinese;
  const Lesson& lesson = player.lesson();
  const std::size_t total = lesson.steps.size();
  // Show the step to run next, or, at the end, the last one played.
  const std::size_t shown = std::min(player.current(), total - 1);
  const LessonStep& step = lesson.steps[shown];
  const bool done = player.current() > shown;
  Prediction& prediction = player.prediction(shown);
  const bool mayRun = done || !step.predict || prediction.committed;
  wrappedText(lesson.title.in(zh));
  pairedSides(frame, player);
  navigation(frame, player, mayRun);
  if (!mayRun) {
    wrappedTextDisabled(tr("answer the question below first"));
  }
  ImGui::Separator();
  const float panelTop = ImGui::GetWindowPos().y;
  ImGui::BeginChild("lesson text");
  if (shown == 0 && !done) {
    wrappedTextDisabled(lesson.summary.in(zh));
    ImGui::Separator();
  }
  wrappedText(trPrintf("Step %zu / %zu: %s", shown + 1, total, step.title.in(zh).c_str()));
  wrappedText(step.text.in(zh));
  measureStepText(frame.ui, panelTop);
  if (!done) predictFirst(frame, step, prediction);
  for (std::size_t i = 0; i < total; ++i) {
    if (const auto result = player.resultOf(i);
        result && (i == shown || i + 1 == player.current())) {
      ImGui::Separator();
      ImGui::TextUnformatted(trPrintf("checks of step %zu", i + 1).c_str());
      checkTicks(frame, *result);
      answerBeside(frame, lesson.steps[i], player.prediction(i), i);
    }
  }
  if (player.pausedBusyLoop()) {
    wrappedText(
        tr("The engine was still spinning (busy loop): paused so the lesson stays on the "
           "timeline. Press Run (P) to watch it spin."));
  }
  if (player.current() >= total && !player.busy()) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.read), "%s",
                       tr("End of the lesson."));
  }
  ImGui::EndChild();
}

}  // namespace

void drawLessonPanel(Frame& frame, const Rect& rect) {
  frame.ui.report.lessonAnswerStep = -1;  // answerBeside says which step's answer it drew
  frame.ui.layout.lessonNeeds = 0;  // lessonBody measures what the shown step needs
  if (!beginPanel("##lesson", rect)) return ImGui::End();
  picker(frame);
  if (LessonMode* lesson = frame.workspace.lesson()) {
    lessonBody(frame, lesson->player());
  } else {
    wrappedText(
        tr("Free play: drive the engine with the knobs and the clients. Choose a "
           "lesson above to be walked through one."));
    // The note's height, read whole (the layout gives it the room at a projector's font).
    frame.ui.layout.lessonNeeds = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y +
                                  ImGui::GetStyle().WindowPadding.y;
  }
  ImGui::End();
}

}  // namespace eps::gui
