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

const char* tr(const UiState& ui, const char* en, const char* zh) {
  return ui.language == Language::Chinese ? zh : en;
}

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
                                ? tr(ui, "choose a lesson", "选择一课")
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
      }
    }
    ImGui::EndCombo();
  }
  if (frame.workspace.lesson()) {
    sameLineIfFits(tr(ui, "free play", "自由练习"));
    if (ImGui::Button(tr(ui, "free play", "自由练习"))) {
      if (std::string error = frame.workspace.closeLesson(); !error.empty()) {
        ui.statusMessage = std::move(error);
      }
      if (!frame.workspace.lesson()) ui.lessonFile.clear();  // closed (not while a step plays)
    }
    noteWidget(ui, "free-play");
  }
}

// The predict-first question: the learner's choice is locked before the engine runs the step.
// The answer waits for the run (answerBeside): what the kernel does is what settles it.
void predictFirst(Frame& frame, const LessonStep& step, Prediction& prediction) {
  if (!step.predict) return;
  const bool zh = frame.ui.language == Language::Chinese;
  const PredictFirst& p = *step.predict;
  ImGui::Separator();
  ImGui::TextWrapped("%s %s", tr(frame.ui, "Predict first:", "先预测："),
                     p.question.in(zh).c_str());
  for (std::size_t i = 0; i < p.choices.size(); ++i) {
    // The choice's text wraps beside its button: a radio button's own label would be clipped.
    ImGui::BeginDisabled(prediction.committed);
    ImGui::PushID(static_cast<int>(i));
    ImGui::RadioButton("##choice", &prediction.chosen, static_cast<int>(i));
    noteWidget(frame.ui, "lesson-choice-" + std::to_string(i));
    ImGui::PopID();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextWrapped("%s", p.choices[i].in(zh).c_str());
  }
  if (!prediction.committed) {
    ImGui::BeginDisabled(prediction.chosen < 0);
    if (ImGui::Button(tr(frame.ui, "Lock my answer", "锁定答案"))) prediction.committed = true;
    noteWidget(frame.ui, "lesson-lock");
    ImGui::EndDisabled();
    return;
  }
  ImGui::TextDisabled("%s", tr(frame.ui, "Locked. Run the step: the answer comes with its checks.",
                               "已锁定。运行这一步：答案和检查结果一起揭晓。"));
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
        right ? tr(frame.ui, "Your prediction was right.", "你的预测对了。")
              : tr(frame.ui, "Not quite: your prediction was", "不完全对：你的预测是"));
    if (!right) {
      ImGui::TextWrapped("  %s", p.choices[static_cast<std::size_t>(prediction.chosen)].in(zh).c_str());
    }
  }
  ImGui::TextWrapped("%s %s", tr(frame.ui, "The answer:", "答案："),
                     p.choices[static_cast<std::size_t>(p.answer)].in(zh).c_str());
  ImGui::TextWrapped("%s", p.explanation.in(zh).c_str());
  frame.ui.report.lessonAnswerStep = static_cast<int>(index);
  frame.ui.report.lessonAnswerRight = right;
}

void checkTicks(Frame& frame, const StepResult& result) {
  if (!result.failure.empty()) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.error), "\u2717 %s",
                       result.failure.c_str());
  }
  for (const CheckResult& check : result.checks) {
    const Color color = check.passed ? frame.theme.read : frame.theme.error;
    // Wrapped, never clipped: at a projector's font a check is two lines.
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(color));
    ImGui::TextWrapped("%s %s  (%s)", check.passed ? "\u2713" : "\u2717", check.source.c_str(),
                       check.observed.c_str());
    ImGui::PopStyleColor();
  }
}

void navigation(Frame& frame, LessonPlayer& player, bool mayRun) {
  const std::size_t current = player.current();
  const std::size_t total = player.lesson().steps.size();
  ImGui::BeginDisabled(player.busy());
  ImGui::BeginDisabled(current == 0);
  if (ImGui::Button(tr(frame.ui, "< previous", "< 上一步"))) player.stepBack();
  noteWidget(frame.ui, "lesson-previous");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(current >= total || !mayRun);
  if (ImGui::Button(tr(frame.ui, "run this step >", "运行这一步 >"))) player.playCurrent();
  noteWidget(frame.ui, "lesson-run");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr(frame.ui, "restart", "重新开始"))) player.restart();
  noteWidget(frame.ui, "lesson-restart");
  ImGui::EndDisabled();
  if (player.busy()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s",
                        tr(frame.ui, "the engine is running the step...", "引擎正在运行这一步……"));
  }
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
  ImGui::TextWrapped("%s", lesson.title.in(zh).c_str());
  navigation(frame, player, mayRun);
  if (!mayRun) {
    ImGui::TextDisabled("%s", tr(frame.ui, "answer the question below first", "先回答下面的问题"));
  }
  ImGui::Separator();
  ImGui::BeginChild("lesson text");
  if (shown == 0 && !done) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", lesson.summary.in(zh).c_str());
    ImGui::PopStyleColor();
    ImGui::Separator();
  }
  ImGui::TextWrapped("%s %zu / %zu: %s", tr(frame.ui, "Step", "第"), shown + 1, total,
                     step.title.in(zh).c_str());
  ImGui::TextWrapped("%s", step.text.in(zh).c_str());
  if (!done) predictFirst(frame, step, prediction);
  for (std::size_t i = 0; i < total; ++i) {
    if (const auto result = player.resultOf(i);
        result && (i == shown || i + 1 == player.current())) {
      ImGui::Separator();
      ImGui::Text("%s %zu", tr(frame.ui, "checks of step", "检查：第"), i + 1);
      checkTicks(frame, *result);
      answerBeside(frame, lesson.steps[i], player.prediction(i), i);
    }
  }
  if (player.pausedBusyLoop()) ImGui::TextWrapped("%s", player.busyLoopNote(zh));
  if (player.current() >= total && !player.busy()) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.read), "%s",
                       tr(frame.ui, "End of the lesson.", "本课结束。"));
  }
  ImGui::EndChild();
}

}  // namespace

void drawLessonPanel(Frame& frame, const Rect& rect) {
  frame.ui.report.lessonAnswerStep = -1;  // answerBeside says which step's answer it drew
  if (!beginPanel("##lesson", rect)) return ImGui::End();
  picker(frame);
  if (LessonMode* lesson = frame.workspace.lesson()) {
    lessonBody(frame, lesson->player());
  } else {
    ImGui::TextWrapped("%s",
                       tr(frame.ui,
                          "Free play: drive the engine with the knobs and the clients. Choose a "
                          "lesson above to be walked through one.",
                          "自由练习：用左边的旋钮和客户端驱动引擎。在上面选一课，跟着一步步学。"));
  }
  ImGui::End();
}

}  // namespace eps::gui
