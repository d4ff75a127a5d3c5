// Built-in clients: add them, drive them, and watch their counters (sent, echoed,
// outstanding, lost). External clients (nc, telnet) are listed by their peer port.
#include <algorithm>
#include <string>
#include <vector>

#include "app/gui/panels/panels.hpp"
#include "core/base/peer_names.hpp"

namespace eps::gui {
namespace {

// The selection names a client of the driver on show, or none. Reset (the toolbar's button,
// the R key) and a lesson's replay replace the driver, whose ids start again at 1: a selection
// kept from the old one would drive a client that does not exist. Checked here, where the
// selection is used, so every way of replacing the driver is covered in one place.
void forgetGoneSelection(UiState& ui, const std::vector<ClientStats>& all) {
  const bool known = std::any_of(all.begin(), all.end(),
                                 [&ui](const ClientStats& s) { return s.id == ui.selectedClient; });
  if (!known) ui.selectedClient = 0;
}

void clientTable(Frame& frame, const std::vector<ClientStats>& all) {
  // Columns as wide as their numbers, a horizontal scrollbar when they do not fit: at a
  // projector's font 4096 is scrolled to, never clipped to 409.
  const float rowHeight = ImGui::GetFrameHeightWithSpacing();
  const float height = std::min(static_cast<float>(all.size() + 1) * rowHeight +
                                    ImGui::GetStyle().ScrollbarSize + 4,
                                ImGui::GetContentRegionAvail().y * 0.6f);
  if (!ImGui::BeginTable("clients", 6,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                             ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX |
                             ImGuiTableFlags_ScrollY,
                         ImVec2(0, std::max(height, rowHeight * 2)))) {
    return;
  }
  ImGui::TableSetupScrollFreeze(1, 1);
  for (const char* header : {"client", "sent", "echoed", "waiting", "lost", "state"}) {
    ImGui::TableSetupColumn(tr(header));
  }
  ImGui::TableHeadersRow();
  for (const ClientStats& s : all) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string name = "#" + std::to_string(s.id) + " :" + std::to_string(s.localPort);
    if (ImGui::Selectable(name.c_str(), frame.ui.selectedClient == s.id,
                          ImGuiSelectableFlags_SpanAllColumns)) {
      frame.ui.selectedClient = s.id;
    }
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(s.sent));
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(s.echoed));
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(s.outstanding()));
    ImGui::TableNextColumn();
    const std::uint64_t lost = lostBytes(s);  // a reset or failed connection loses its bytes too
    if (lost > 0) {
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(frame.theme.error), "%llu",
                         static_cast<unsigned long long>(lost));
    } else {
      ImGui::TextUnformatted("0");
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(tr(clientStateText(s).c_str()));
  }
  ImGui::EndTable();
}

void clientActions(Frame& frame, ClientDriver& clients) {
  UiState& ui = frame.ui;
  const int id = ui.selectedClient;
  if (id <= 0) {
    ImGui::TextDisabled("%s", tr("select a client to drive it"));
    return;
  }
  ImGui::TextUnformatted(trPrintf("client #%d", id).c_str());
  ImGui::SetNextItemWidth(110);
  ImGui::InputInt("##bytes", &ui.sendBytes, 100, 1000);
  ui.sendBytes = std::clamp(ui.sendBytes, 1, 16 << 20);
  ImGui::SameLine();
  if (ImGui::Button(tr("send bytes"))) clients.send(id, static_cast<std::size_t>(ui.sendBytes));
  noteWidget(ui, "client-send-bytes");
  char text[256];
  std::snprintf(text, sizeof text, "%s", ui.sendText.c_str());
  ImGui::SetNextItemWidth(110);
  if (ImGui::InputText("##text", text, sizeof text)) ui.sendText = text;
  ImGui::SameLine();
  if (ImGui::Button(tr("send text"))) clients.sendText(id, ui.sendText);
  noteWidget(ui, "client-send-text");
  ImGui::SetNextItemWidth(70);
  ImGui::InputInt(tr("B every###every"), &ui.trickleBytes, 0);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(70);
  ImGui::InputInt(tr("ms###trickle-ms"), &ui.trickleMs, 0);
  ImGui::SameLine();
  if (ImGui::Button(tr("trickle"))) {
    clients.trickle(id, static_cast<std::size_t>(std::max(ui.trickleBytes, 1)),
                    std::chrono::milliseconds(std::max(ui.trickleMs, 1)));
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("stop"))) clients.stopTrickle(id);
  const ClientStats stats = clients.stats(id);
  if (ImGui::Button(stats.reading ? tr("stop reading") : tr("resume reading"))) {
    stats.reading ? clients.stopReading(id) : clients.resumeReading(id);
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("shutdown write"))) clients.shutdownWrite(id);
  ImGui::SameLine();
  if (ImGui::Button(tr("close"))) clients.close(id);
  noteWidget(ui, "client-close");
  ImGui::SameLine();
  if (ImGui::Button(tr("reset (RST)"))) clients.reset(id);
}

void externalClients(const Controls& controls) {
  bool any = false;
  for (const SocketView& view : controls.engine().sockets()) {
    if (view.listener || controls.builtInClientOf(view.peerPort)) continue;
    if (!any) {
      ImGui::Separator();
      ImGui::TextDisabled("%s", tr("external clients"));
    }
    any = true;
    ImGui::TextUnformatted(trPrintf("fd %d  %s  %lld bytes waiting", view.fd,
                                    externalPeerName(view.peerPort).c_str(),
                                    static_cast<long long>(view.recvQueue))
                               .c_str());
  }
}

}  // namespace

void drawClientsPanel(Frame& frame, Controls& controls, const Rect& rect) {
  if (!beginPanel(tr("Clients###clients"), rect)) return ImGui::End();
  if (ImGui::Button(tr("add client"))) frame.ui.selectedClient = controls.clients().connect();
  noteWidget(frame.ui, "add-client");
  // One copy per frame (allStats() copies every client under the driver's lock).
  const std::vector<ClientStats> all = controls.clients().allStats();
  forgetGoneSelection(frame.ui, all);
  clientTable(frame, all);
  ImGui::Separator();
  clientActions(frame, controls.clients());
  externalClients(controls);
  ImGui::End();
}

}  // namespace eps::gui
