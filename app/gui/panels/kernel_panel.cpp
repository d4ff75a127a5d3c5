// The kernel view: per socket what the program never sees — the interest mask registered
// with epoll (and whether a ONESHOT registration has fired), the receive and send queues,
// the listener's accept backlog, the bytes the engine holds, and the diagnosis. Now, from the
// engine; with a time cursor set, as the trace rebuilds them at the cursor (core/kernelstate).
#include <sys/epoll.h>

#include <string>

#include "app/gui/panels/panels.hpp"
#include "core/base/names.hpp"

namespace eps::gui {
namespace {

std::string stateText(const SocketView& view) {
  if (view.stranded > 0) {
    const auto count = static_cast<long long>(view.stranded);
    return view.listener ? trPrintf("%lld conns stranded", count)
                         : trPrintf("%lld B stranded", count);
  }
  if (view.listener) return tr("listening");
  if (view.peerEof) return tr("peer sent FIN");
  if (!view.armed) return tr("ONESHOT fired");
  if (view.lastReadEagain) return tr("drained (EAGAIN)");
  return tr("open");
}

// A queue's size; -1 (the state at the time cursor, before any sample of it): unknown.
void queueCell(const char* prefix, std::int64_t value) {
  if (value < 0) return ImGui::TextDisabled("%s%s", prefix, tr("unknown"));
  ImGui::Text("%s%lld", prefix, static_cast<long long>(value));
}

void row(Frame& frame, const Controls& controls, const SocketView& view) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::Text("%d", view.fd);
  ImGui::TableNextColumn();
  if (view.listener) {
    ImGui::TextUnformatted(tr("listener"));
  } else {
    ImGui::TextUnformatted(controls.peerName(view.peerPort).c_str());
  }
  ImGui::TableNextColumn();
  const std::uint32_t plain = view.interest & ~(EPOLLET | EPOLLONESHOT);
  ImGui::TextUnformatted(epollMaskName(plain).c_str());
  ImGui::TableNextColumn();
  ImGui::TextUnformatted((view.interest & EPOLLET) ? asIs("ET") : asIs("LT"));
  if (view.interest & EPOLLONESHOT) {
    ImGui::SameLine();
    ImGui::TextUnformatted(view.armed ? tr("1shot armed") : tr("1shot fired"));
  }
  ImGui::TableNextColumn();
  queueCell("", view.recvQueue);
  ImGui::TableNextColumn();
  queueCell(view.listener ? tr("of ") : "", view.sendQueue);
  ImGui::TableNextColumn();
  ImGui::Text("%zu", view.heldBytes);
  ImGui::TableNextColumn();
  const std::string state = stateText(view);
  if (view.stranded > 0) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.stranded), "%s", state.c_str());
  } else {
    ImGui::TextUnformatted(state.c_str());
  }
}

}  // namespace

void drawKernelPanel(Frame& frame, const Controls& controls, const Rect& rect) {
  if (!beginPanel(tr("Kernel view###kernel"), rect)) return ImGui::End();
  // At the time cursor: the state rebuilt from the trace; else the engine's view, now.
  TimeCursor& cursor = frame.ui.cursor;
  const auto sockets = cursor.set ? socketViewsAt(stateAtCursor(cursor, frame.workspace.timeline()))
                                  : controls.engine().sockets();
  ImGui::TextUnformatted(cursorLabel(cursor, frame.workspace.timeline().firstNs(), tr).c_str());
  if (cursor.set) {
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(kCursorBackToNow))) clearCursor(cursor);
    noteWidget(frame.ui, "kernel-now");
  }
  // Columns as wide as their widest value, and a horizontal scrollbar when they do not fit:
  // at a projector's font a number or a mask is scrolled to, never clipped.
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_ScrollX;
  if (ImGui::BeginTable("sockets", 8, flags)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const char* header : {"fd", tr("peer"), tr("interest"), tr("mode"), tr("recv q"),
                               tr("send q"), tr("held"), tr("state")}) {
      ImGui::TableSetupColumn(header);  // "fd" is the same word in both languages
    }
    ImGui::TableHeadersRow();
    for (const SocketView& view : sockets) row(frame, controls, view);
    ImGui::EndTable();
  }
  ImGui::End();
}

}  // namespace eps::gui
