// A lesson that traces a bundled example (`example NAME`, lessons/16-*): the program on the
// timeline is not the engine, so the toolbar says what is traced and where it listens, and
// the panels of the engine's knobs and kernel view say where the example's state is instead
// of showing the idle engine's.
#include <string>

#include "app/gui/panels/panels.hpp"

namespace eps::gui {
namespace {

std::string tracedNow(const LessonPlayer& player) {
  const std::string now = player.exampleNow();
  if (now.empty()) return tr("no example running (play a step)");
  return trPrintf("tracing %s", now.c_str());
}

}  // namespace

bool tracesExample(Frame& frame) {
  const LessonMode* lesson = frame.workspace.lesson();
  return lesson != nullptr && lesson->player().lesson().tracesExamples;
}

void drawExampleToolbar(Frame& frame) {
  const LessonPlayer& player = frame.workspace.lesson()->player();
  if (ImGui::Button(tr("Reset (R)"))) resetEngine(frame);
  noteWidget(frame.ui, "reset");
  sameLineIfFits(tr("File"));
  drawFileControls(frame);
  sameLineIfFits(tr("View"));
  viewMenu(frame);
  const std::string doing = tracedNow(player);
  frame.ui.report.toolbarStatus = doing;
  sameLineIfFits(ImGui::CalcTextSize(doing.c_str()).x + ImGui::GetFontSize());
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.ready), "%s", doing.c_str());
  if (const int port = player.examplePort(); port > 0) drawConnectCommand(port);
}

void drawExamplePanel(Frame& frame, const Rect& rect) {
  if (!beginPanel(tr("Traced example###knobs"), rect)) return ImGui::End();
  wrappedText(tracedNow(frame.workspace.lesson()->player()));
  wrappedTextDisabled(
      tr("A program of its own (assets/examples/), run under strace as `epollscope --trace -- "
         "PROGRAM` runs one. The engine takes no part: its knobs do not apply here."));
  ImGui::End();
}

void drawExampleKernelPanel(Frame& frame, const Rect& rect) {
  (void)frame;
  if (!beginPanel(tr("Kernel view###kernel"), rect)) return ImGui::End();
  wrappedText(tr("The example's sockets, sampled while it sleeps in epoll_wait:"));
  wrappedTextDisabled(
      tr("each sample is a 'queues fd N' line in the event log and a bar of bytes in the kernel "
         "on the socket's lane; a stranding says 'measured from a sample'."));
  ImGui::End();
}

}  // namespace eps::gui
